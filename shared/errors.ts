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

/** The queue could not take the events inside the time budget: WeCom should deliver again. */
export class QueueUnavailableError extends HttpFacingError {
  constructor(options?: { cause?: unknown }) {
    super('event queue unavailable, deliver again later', 503, options);
  }
}

/**
 * SQS refused an event for its content (a sender fault: characters, size). A retry cannot help, so
 * this is a 500 and an alarm, not a 503: the encoding of queued events has a bug to fix.
 */
export class EventRefusedByQueueError extends HttpFacingError {
  /** SQS's error code, for instance `InvalidMessageContents`. */
  readonly code: string;

  constructor(code: string, detail: string) {
    super(`the event queue refused an event for its content (${code}): ${detail}`, 500);
    this.code = code;
  }
}
