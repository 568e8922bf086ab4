import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddlewareObj, type Request } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type AdminDependencies, adminRouteOf, handleAdminRequest } from './admin-api.js';

/** Name of the metric counting the admin API's answers, with a `status` dimension. */
export const ADMIN_RESPONSES_METRIC = 'AdminResponses';

/** The Lambda handler of the admin API (API Gateway HTTP API, payload format 2.0, IAM-authorized). */
export type AdminHandler = middy.MiddyfiedHandler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;

type AdminHttpRequest = Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;

/**
 * Builds the admin API's Lambda handler: Powertools logging and metrics (one `AdminResponses` count
 * per answer, by status), then the framework-free core. Authorization is API Gateway's (IAM), so
 * none is done here. An unexpected failure answers 500 with a JSON error and is logged; logs carry
 * the method, the route template and the status, never ids from the path or anything of the body.
 */
export function createAdminHandler(deps: AdminDependencies, logger: Logger, metrics: Metrics): AdminHandler {
  return (
    middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
      .use(injectLambdaContext(logger))
      .use(logMetrics(metrics, { captureColdStartMetric: true }))
      // Registered before the error answer, so that on an error it runs after it and sees the status.
      .use(countResponses(metrics))
      .use(jsonFailure(logger))
      .handler(async (event) => {
        const path = requestPath(event);
        const response = await handleAdminRequest(
          {
            method: event.requestContext.http.method,
            path,
            body: bodyText(event),
            headers: event.headers,
          },
          deps,
        );
        logger.info('admin request', {
          method: event.requestContext.http.method,
          route: adminRouteOf(path) ?? 'unknown',
          statusCode: response.statusCode,
        });
        return response;
      })
  );
}

/** The raw path without the stage prefix (present only on a named stage), with its query string. */
function requestPath(event: APIGatewayProxyEventV2): string {
  const { stage } = event.requestContext;
  let path = event.rawPath;
  if (stage && stage !== '$default' && path.startsWith(`/${stage}/`)) path = path.slice(stage.length + 1);
  return event.rawQueryString ? `${path}?${event.rawQueryString}` : path;
}

/** The body as text: API Gateway sends non-text content types base64-encoded. */
function bodyText(event: APIGatewayProxyEventV2): string | null {
  if (event.body === undefined) return null;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

function countResponses(
  metrics: Metrics,
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  const count = (request: AdminHttpRequest) => {
    metrics.addDimension('status', String(request.response?.statusCode ?? 500));
    metrics.addMetric(ADMIN_RESPONSES_METRIC, MetricUnit.Count, 1);
  };
  return { after: count, onError: count };
}

function jsonFailure(
  logger: Logger,
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    onError: (request) => {
      logger.error('admin request failed', {
        method: request.event.requestContext.http.method,
        route: adminRouteOf(request.event.rawPath) ?? 'unknown',
        error: request.error as Error,
      });
      request.response = {
        statusCode: 500,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
        body: JSON.stringify({ error: 'internal error' }),
      };
    },
  };
}
