import { hash } from 'node:crypto';
import { isMemberUserId, isPrintableId, MEMBER_USER_ID_RULE, PRINTABLE_ID_RULE } from '../contract/index.js';
import { InvalidCursorError } from '../errors.js';
import {
  CONTROL,
  DEFAULT_PAGE_LIMIT,
  IDEMPOTENCY_KEY,
  IDEMPOTENCY_KEY_HEADER,
  MAX_ID_LENGTH,
  MAX_PAGE_LIMIT,
} from './constants.js';
import { InvalidAdminRequestError } from './errors.js';
import type { AdminRequest, RouteContext } from './types.js';

/** Splits a raw path into its path, segments (still percent-encoded) and query. */
export function splitPath(path: string): { pathname: string; segments: string[]; query: URLSearchParams } {
  const queryAt = path.indexOf('?');
  const pathname = queryAt === -1 ? path : path.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? '' : path.slice(queryAt + 1));
  return { pathname, segments: pathname.split('/').slice(1), query };
}

/** Path parameters, percent-decoded exactly once and validated (1–256 characters, no control characters). */
export function decodeParams(raw: Readonly<Record<string, string>>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, encoded] of Object.entries(raw)) {
    let value: string;
    try {
      value = decodeURIComponent(encoded);
    } catch {
      throw new InvalidAdminRequestError(`path parameter ${name} is not valid percent-encoding`);
    }
    params[name] = checkId(name, value, `path parameter ${name}`);
  }
  return params;
}

/** Checks an id from the path or the query by the id rules of its name; `what` names it in the error. */
export function checkId(name: string, value: string, what: string): string {
  // The same id rules as ingest (CONTRACT §3): every member the engine holds is reachable here.
  if (name === 'userId' && !isMemberUserId(value)) {
    throw new InvalidAdminRequestError(`${what} must be ${MEMBER_USER_ID_RULE}`);
  }
  if (name === 'corpId' && !isPrintableId(value))
    throw new InvalidAdminRequestError(`${what} must be ${PRINTABLE_ID_RULE}`);
  if (value.length < 1 || value.length > MAX_ID_LENGTH) {
    throw new InvalidAdminRequestError(`${what} must be 1 to ${MAX_ID_LENGTH} characters`);
  }
  if (CONTROL.test(value)) throw new InvalidAdminRequestError(`${what} may not contain control characters`);
  if (name === 'corpId' && value.includes('#'))
    throw new InvalidAdminRequestError(`${what} may not contain #`);
  return value;
}

/** The request's Idempotency-Key, checked, or null. */
export function idempotencyKeyOf(headers: AdminRequest['headers']): string | null {
  const entry = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === IDEMPOTENCY_KEY_HEADER);
  const value = entry?.[1];
  if (value === undefined) return null;
  if (!IDEMPOTENCY_KEY.test(value)) {
    throw new InvalidAdminRequestError(
      'Idempotency-Key must be 1 to 64 characters of A-Z, a-z, 0-9, ".", "_" and "-"',
    );
  }
  return value;
}

/**
 * The id of a command: the input marker's key, so the same id is applied once. With an
 * Idempotency-Key it is derived from the key and the command's target (a hash, 40 hex digits), so
 * a retry finds the first attempt's marker, while the same key sent for another member, corp or
 * appeal is a different command; without one it is fresh.
 */
export function commandId(context: RouteContext, scope: readonly string[]): string {
  if (context.idempotencyKey === null) return context.deps.newId();
  return hash('sha256', JSON.stringify([...scope, context.idempotencyKey]), 'hex').slice(0, 40);
}
/** A path parameter the route template names. */
export function param(context: RouteContext, name: string): string {
  const value = context.params[name];
  if (value === undefined) throw new Error(`route has no parameter ${name}`);
  return value;
}
/** `limit`: a whole number from 1 to MAX_PAGE_LIMIT, DEFAULT_PAGE_LIMIT when absent. */
export function pageLimit(query: URLSearchParams): number {
  const limit = query.get('limit');
  if (limit === null) return DEFAULT_PAGE_LIMIT;
  const value = /^[0-9]{1,3}$/.test(limit) ? Number(limit) : Number.NaN;
  if (!(value >= 1 && value <= MAX_PAGE_LIMIT)) {
    throw new InvalidAdminRequestError(`limit: must be a whole number from 1 to ${MAX_PAGE_LIMIT}`);
  }
  return value;
}

/** `cursor`: the `next` of the previous page, as it was given (checked by the reader); null when absent. */
export function pageCursor(query: URLSearchParams): string | null {
  const cursor = query.get('cursor');
  if (cursor === '') throw new InvalidCursorError();
  return cursor;
}

/**
 * Who decided, as the records keep it: a person signed in to the console is recorded under their
 * own name, whatever the body says (no one decides in another's name); a machine client names the
 * reviewer in the body.
 */
export function reviewerOf(context: RouteContext, named: string): string {
  return context.principal.kind === 'person' ? context.principal.name : named;
}
