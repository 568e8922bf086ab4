import { HttpFacingError } from '../errors.js';

/** Base class of the admin API's refusals: each answers its status with `{"error": message}`. */
export class AdminError extends HttpFacingError {}

/** The request is malformed: a path parameter, the query, the Idempotency-Key or the body (400). */
export class InvalidAdminRequestError extends AdminError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 400, options);
  }
}

/** What the request names is not kept (an appeal, a parked input) or not served here (404). */
export class AdminNotFoundError extends AdminError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 404, options);
  }
}

/** The request conflicts with the state (already resolved, refused before, failed again) (409). */
export class AdminConflictError extends AdminError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 409, options);
  }
}
