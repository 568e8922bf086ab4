import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { JSON_HEADERS } from './constants.js';

/**
 * `@middy/http-error-handler`'s convention with a JSON body: an error with `statusCode` and
 * `expose` answers that status and `{"error": message}`; anything else answers 500
 * `{"error": "internal error"}`, its message kept out of the answer. Logging is the caller's.
 */
export function jsonHttpErrors(): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  return {
    onError: (request) => {
      if (request.response !== undefined) return;
      const { statusCode, expose, message } = request.error as {
        statusCode?: unknown;
        expose?: unknown;
        message?: unknown;
      };
      const shown = typeof statusCode === 'number' && (expose ?? statusCode < 500) === true;
      request.response = {
        statusCode: shown ? statusCode : 500,
        headers: { ...JSON_HEADERS },
        body: JSON.stringify({ error: shown ? String(message) : 'internal error' }),
      };
    },
  };
}
