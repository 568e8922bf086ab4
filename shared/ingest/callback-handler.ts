import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { MAX_CALLBACK_BODY_BYTES } from '../config/index.js';
import { CALLBACK_RESPONSES_METRIC, createHttpHandler, type HttpHandler } from '../http/index.js';
import { type CallbackDependencies, type CallbackRoute, processCallback } from './process-callback.js';

/** The Lambda handler type of a callback route (API Gateway HTTP API, payload format 2.0). */
export type CallbackHandler = HttpHandler;

/**
 * Builds the Lambda handler of one callback route: the HTTP handler (one `CallbackResponses` count
 * per answer, errors as text, 4xx logged as warnings without payload, anything unexpected as an
 * error, the callback body limit) around the framework-free core.
 */
export function createCallbackHandler(
  route: CallbackRoute,
  deps: CallbackDependencies,
  logger: Logger,
  metrics: Metrics,
): CallbackHandler {
  return createHttpHandler<APIGatewayProxyResultV2>(
    {
      logger,
      metrics,
      responsesMetric: CALLBACK_RESPONSES_METRIC,
      maxBodyBytes: MAX_CALLBACK_BODY_BYTES,
      errorBody: 'text',
      logFailure: (error) => logFailure(logger, route, error),
    },
    (event) =>
      processCallback(
        route,
        { method: event.requestContext.http.method, rawQueryString: event.rawQueryString, body: event.body },
        deps,
      ),
  );
}

function logFailure(logger: Logger, route: CallbackRoute, error: unknown): void {
  const status = (error as { statusCode?: number }).statusCode;
  if (typeof status === 'number' && status < 500) {
    // Expected rejections (bad signatures, scanners): one line, no stack, no payload.
    logger.warn('callback rejected', { route, statusCode: status, reason: (error as Error).message });
    return;
  }
  logger.error('callback failed', { route, statusCode: status ?? 500, error: error as Error });
}
