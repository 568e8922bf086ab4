import { HttpFacingError } from '../errors.js';

/** Base class of the errors the HTTP handler itself raises, before any route reads the request. */
export class HttpHandlerError extends HttpFacingError {}

/** The request body is over the route family's accepted size (decoded): 413. */
export class PayloadTooLargeError extends HttpHandlerError {
  constructor(limit: number) {
    super(`body is larger than ${limit} bytes`, 413);
  }
}
