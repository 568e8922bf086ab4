import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type ConsoleSite, handleConsoleRequest, isConsolePath } from '../console/index.js';
import { addCaseMetrics } from '../evaluator/index.js';
import { ADMIN_RESPONSES_METRIC, createHttpHandler, type HttpHandler } from '../http/index.js';
import { errorResponse } from './admin-responses.js';
import { adminRouteOf } from './admin-routes.js';
import { CONSOLE_API_PREFIX, MAX_ADMIN_BODY_BYTES } from './constants.js';
import { handleAdminRequest } from './handle-admin-request.js';
import { principalOf } from './principal-of.js';
import type { AdminDependencies } from './types.js';

/** The Lambda handler of the admin API (API Gateway HTTP API, payload format 2.0; IAM or the console's JWT). */
export type AdminHandler = HttpHandler<APIGatewayProxyStructuredResultV2>;

/**
 * Builds the admin API's Lambda handler: the HTTP handler (one `AdminResponses` count per answer,
 * errors as JSON, the admin body limit) around the framework-free core. Authentication is API
 * Gateway's (IAM for machine clients, a JWT for the console's people); the groups a person holds
 * are enforced here, per route (principalOf, then handleAdminRequest). Logs carry the method, the route template and the status,
 * never ids from the path or anything of the body. With `consoleSite`, it also serves the operator
 * console's page and files (`/console`, `/console/config.json`, `/console/assets/...`); without, those are 404.
 */
export function createAdminHandler(
  deps: AdminDependencies,
  logger: Logger,
  metrics: Metrics,
  consoleSite?: ConsoleSite,
): AdminHandler {
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
      const method = event.requestContext.http.method;
      const sitePath = withoutStage(event);
      // The console's page and files carry no data: they are served before (and without) any caller.
      if (isConsolePath(sitePath)) {
        const response = consoleSite
          ? await handleConsoleRequest(method, sitePath, consoleSite)
          : errorResponse(404, 'no console is served here');
        logger.info('console request', { method, statusCode: response.statusCode });
        return response;
      }
      const path = requestPath(event);
      const principal = principalOf(event);
      // Every route of the admin function sits behind an authorizer (IAM, or the console's JWT);
      // a request that reached it without one is refused before anything is read.
      const response = principal
        ? await handleAdminRequest(
            {
              method: event.requestContext.http.method,
              path,
              body: event.body ?? null,
              headers: event.headers,
              principal,
            },
            measured,
          )
        : errorResponse(401, 'no authorized caller: sign the request (IAM) or sign in to the console');
      logger.info('admin request', {
        method: event.requestContext.http.method,
        route: adminRouteOf(path) ?? 'unknown',
        statusCode: response.statusCode,
      });
      return response;
    },
  );
}

/**
 * The admin path of the request, with its query string: without the stage prefix (present only on
 * a named stage), and with the console's API prefix (`/console/api/...`, JWT-authorized) read as
 * the admin API's (`/admin/...`, IAM-authorized), which it is.
 */
function requestPath(event: APIGatewayProxyEventV2): string {
  let path = withoutStage(event);
  if (path.startsWith(`${CONSOLE_API_PREFIX}/`)) path = `/admin${path.slice(CONSOLE_API_PREFIX.length)}`;
  return event.rawQueryString ? `${path}?${event.rawQueryString}` : path;
}

/** The request's path without the stage prefix (present only on a named stage). */
function withoutStage(event: APIGatewayProxyEventV2): string {
  const { stage } = event.requestContext;
  const path = event.rawPath;
  return stage && stage !== '$default' && path.startsWith(`/${stage}/`) ? path.slice(stage.length + 1) : path;
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
