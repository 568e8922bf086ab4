import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { bodyLimit } from './body-limit.js';
import { countResponses } from './count-responses.js';
import { jsonHttpErrors } from './json-http-errors.js';

/** A Lambda handler behind API Gateway (HTTP API, payload format 2.0). */
export type HttpHandler<TResult extends APIGatewayProxyResultV2 = APIGatewayProxyResultV2> =
  middy.MiddyfiedHandler<APIGatewayProxyEventV2, TResult>;

/** What sets one route family's HTTP handler apart from another's. */
export interface HttpHandlerOptions {
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** The metric counting the answers, with a `status` dimension. */
  readonly responsesMetric: string;
  /** Largest accepted body (decoded): larger bodies answer 413 before the core runs. */
  readonly maxBodyBytes: number;
  /** How an error's answer reads: its message as text (WeCom's callbacks), or `{"error": message}`. */
  readonly errorBody: 'text' | 'json';
  /** Logs an error before it is answered (expected rejections quietly, the unexpected loudly). */
  readonly logFailure: (error: unknown, event: APIGatewayProxyEventV2) => void;
}

/**
 * The one HTTP handler of every route family (callbacks, admin): Powertools logging and metrics,
 * one count per answer by status, errors answered through their `statusCode` and `expose` (middy's
 * convention), the body limit and base64 decoding, then the framework-free core.
 */
export function createHttpHandler<TResult extends APIGatewayProxyResultV2>(
  options: HttpHandlerOptions,
  core: (event: APIGatewayProxyEventV2) => Promise<TResult>,
): HttpHandler<TResult> {
  const { logger, metrics } = options;
  const errors = options.errorBody === 'json' ? jsonHttpErrors() : httpErrorHandler({ logger: false });
  return (
    middy<APIGatewayProxyEventV2, TResult>()
      .use(injectLambdaContext(logger))
      .use(logMetrics(metrics, { captureColdStartMetric: true }))
      // Registered before the error handler, so that on an error it runs after it and sees the status.
      .use(countResponses(metrics, options.responsesMetric))
      .use(errors as middy.MiddlewareObj<APIGatewayProxyEventV2, TResult>)
      // Registered after the error handler, so that on an error it runs first and sees the event.
      .use({
        onError: (request) => {
          // No value returned: middy would take one as the response.
          options.logFailure(request.error, request.event);
        },
      })
      .use(
        bodyLimit({ maxBytes: options.maxBodyBytes }) as middy.MiddlewareObj<APIGatewayProxyEventV2, TResult>,
      )
      .handler(core)
  );
}
