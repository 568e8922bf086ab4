import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { MAX_CALLBACK_BODY_BYTES } from '../config/constants.js';
import {
  type CallbackDependencies,
  type CallbackRoute,
  processCallback,
} from '../ingest/process-callback.js';
import { bodyLimit } from './body-limit.js';
import { countResponses } from './count-responses.js';

/** The Lambda handler type of a callback route (API Gateway HTTP API, payload format 2.0). */
export type CallbackHandler = middy.MiddyfiedHandler<APIGatewayProxyEventV2, APIGatewayProxyResultV2>;

/**
 * Builds the Lambda handler of one callback route: Powertools logging and metrics (one
 * `CallbackResponses` count per answer, by status), HTTP errors from typed errors (4xx logged as
 * warnings without payload, anything unexpected as an error), the body limit, then the
 * framework-free core.
 */
export function createCallbackHandler(
  route: CallbackRoute,
  deps: CallbackDependencies,
  logger: Logger,
  metrics: Metrics,
): CallbackHandler {
  return (
    middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
      .use(injectLambdaContext(logger))
      .use(logMetrics(metrics, { captureColdStartMetric: true }))
      // Registered before the error handler, so that on an error it runs after it and sees the status.
      .use(countResponses(metrics))
      .use(httpErrorHandler({ logger: (error: unknown) => logFailure(logger, route, error) }))
      .use(bodyLimit({ maxBytes: MAX_CALLBACK_BODY_BYTES }))
      .handler((event) =>
        processCallback(
          route,
          {
            method: event.requestContext.http.method,
            rawQueryString: event.rawQueryString,
            body: event.body,
          },
          deps,
        ),
      )
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
