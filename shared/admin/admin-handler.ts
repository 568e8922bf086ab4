import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { addCaseMetrics } from '../evaluator/index.js';
import { ADMIN_RESPONSES_METRIC, createHttpHandler, type HttpHandler } from '../http/index.js';
import { adminRouteOf } from './admin-routes.js';
import { MAX_ADMIN_BODY_BYTES } from './constants.js';
import { handleAdminRequest } from './handle-admin-request.js';
import type { AdminDependencies } from './types.js';

/** The Lambda handler of the admin API (API Gateway HTTP API, payload format 2.0, IAM-authorized). */
export type AdminHandler = HttpHandler<APIGatewayProxyStructuredResultV2>;

/**
 * Builds the admin API's Lambda handler: the HTTP handler (one `AdminResponses` count per answer,
 * errors as JSON, the admin body limit) around the framework-free core. Authorization is API
 * Gateway's (IAM), so none is done here. Logs carry the method, the route template and the status,
 * never ids from the path or anything of the body.
 */
export function createAdminHandler(deps: AdminDependencies, logger: Logger, metrics: Metrics): AdminHandler {
  // Reviewers decide cases here, synchronously: their decisions count in the human-review metrics
  // as the evaluator's own inputs do.
  const measured: AdminDependencies = {
    ...deps,
    evaluate: async (input) => {
      const evaluation = await deps.evaluate(input);
      addCaseMetrics(metrics, input, evaluation, deps.policies);
      return evaluation;
    },
  };
  return createHttpHandler<APIGatewayProxyStructuredResultV2>(
    {
      logger,
      metrics,
      responsesMetric: ADMIN_RESPONSES_METRIC,
      maxBodyBytes: MAX_ADMIN_BODY_BYTES,
      errorBody: 'json',
      logFailure: (error, event) => logFailure(logger, event, error),
    },
    async (event) => {
      const path = requestPath(event);
      const response = await handleAdminRequest(
        { method: event.requestContext.http.method, path, body: event.body ?? null, headers: event.headers },
        measured,
      );
      logger.info('admin request', {
        method: event.requestContext.http.method,
        route: adminRouteOf(path) ?? 'unknown',
        statusCode: response.statusCode,
      });
      return response;
    },
  );
}

/** The raw path without the stage prefix (present only on a named stage), with its query string. */
function requestPath(event: APIGatewayProxyEventV2): string {
  const { stage } = event.requestContext;
  let path = event.rawPath;
  if (stage && stage !== '$default' && path.startsWith(`/${stage}/`)) path = path.slice(stage.length + 1);
  return event.rawQueryString ? `${path}?${event.rawQueryString}` : path;
}

function logFailure(logger: Logger, event: APIGatewayProxyEventV2, error: unknown): void {
  const request = {
    method: event.requestContext.http.method,
    route: adminRouteOf(event.rawPath) ?? 'unknown',
  };
  const status = (error as { statusCode?: number }).statusCode;
  if (typeof status === 'number' && status < 500) {
    // The only rejection that reaches here is the body limit: one line, no stack, no payload.
    logger.warn('admin request rejected', {
      ...request,
      statusCode: status,
      reason: (error as Error).message,
    });
    return;
  }
  logger.error('admin request failed', { ...request, error: error as Error });
}
