/** Largest accepted request body (decoded): larger bodies get 413. */
export const MAX_ADMIN_BODY_BYTES = 64 * 1024;

/** Violations per page when the request names no `limit`, and the most it may name (CONTRACT §5). */
export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 200;

/** The header that makes a command idempotent: the same key for the same target takes effect once. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** What an Idempotency-Key may hold. */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._-]{1,64}$/;

/** Longest id accepted in a path or a body. */
export const MAX_ID_LENGTH = 256;

/** Control characters (C0, DEL, C1), which no WeCom id carries. */
export const CONTROL = /\p{Cc}/u;

/** A parked input's id: 32 hexadecimal digits. */
export const PARKED_ID = /^[0-9a-f]{32}$/;

/**
 * Where the console's API calls go on AWS: the admin routes under another prefix, behind the user
 * pool's JWT authorizer instead of IAM (the admin function serves both).
 */
export const CONSOLE_API_PREFIX = '/console/api';
