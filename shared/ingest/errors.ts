import { HttpFacingError } from '../errors.js';

/** Base class of ingest errors that become HTTP responses. */
export class IngestError extends HttpFacingError {}

/** The request is not a callback this route accepts (no body, wrong method, …). */
export class BadCallbackRequestError extends IngestError {
  constructor(message: string, statusCode = 400) {
    super(message, statusCode);
  }
}

/** The WeCom keys could not be loaded (Secrets Manager unreachable): WeCom should deliver again. */
export class ConfigUnavailableError extends IngestError {
  constructor(options?: { cause?: unknown }) {
    super('configuration unavailable, deliver again later', 503, options);
  }
}
