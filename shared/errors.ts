/** Base of errors a caller may see: they carry the HTTP status and may be shown as they are. */
export class HttpFacingError extends Error {
  /** HTTP status a request answers with when this error stops it. */
  readonly statusCode: number;
  /** The message may be shown to the caller: it never carries secrets or payload text. */
  readonly expose = true;

  constructor(message: string, statusCode: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.statusCode = statusCode;
  }
}

/** A page cursor that no reader gave out for this listing (tampered, truncated, or another's): 400. */
export class InvalidCursorError extends HttpFacingError {
  constructor(options?: { cause?: unknown }) {
    super('cursor: is not a cursor this listing gave', 400, options);
  }
}
