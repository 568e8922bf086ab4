import { HttpFacingError } from '../errors.js';

/** Base class of ingest errors that become HTTP responses. */
export class IngestError extends HttpFacingError {}

/** The request is not a callback this route accepts (no body, wrong method, …). */
export class BadCallbackRequestError extends IngestError {
  constructor(message: string, statusCode = 400) {
    super(message, statusCode);
  }
}

/** The queue could not take the events inside the time budget: WeCom should deliver again. */
export class QueueUnavailableError extends IngestError {
  constructor(options?: { cause?: unknown }) {
    super('event queue unavailable, deliver again later', 503, options);
  }
}

/** The WeCom keys could not be loaded (Secrets Manager unreachable): WeCom should deliver again. */
export class ConfigUnavailableError extends IngestError {
  constructor(options?: { cause?: unknown }) {
    super('configuration unavailable, deliver again later', 503, options);
  }
}

/**
 * SQS refused an event for its content (a sender fault: characters, size). A retry cannot help, so
 * this is a 500 and an alarm, not a 503: the encoding of queued events has a bug to fix.
 */
export class EventRefusedByQueueError extends IngestError {
  /** SQS's error code, for instance `InvalidMessageContents`. */
  readonly code: string;

  constructor(code: string, detail: string) {
    super(`the event queue refused an event for its content (${code}): ${detail}`, 500);
    this.code = code;
  }
}
