import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { PayloadTooLargeError } from './errors.js';

/** Options of the body limit middleware. */
export interface BodyLimitOptions {
  readonly maxBytes: number;
}

/**
 * Refuses bodies over `maxBytes` (decoded size) with 413 before anything reads them, and decodes a
 * base64 body (API Gateway sends non-text content types that way) so the handler sees text.
 */
export function bodyLimit(options: BodyLimitOptions): MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: (request) => {
      const { event } = request;
      if (event.body === undefined) return;
      const size = Buffer.byteLength(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
      if (size > options.maxBytes) throw new PayloadTooLargeError(options.maxBytes);
      if (event.isBase64Encoded) {
        event.body = Buffer.from(event.body, 'base64').toString('utf8');
        event.isBase64Encoded = false;
      }
    },
  };
}
