import { HttpFacingError } from '../errors.js';
import { ConcurrentUpdateError } from '../evaluator/index.js';
import { decodeParams, idempotencyKeyOf, splitPath } from './admin-request.js';
import { errorResponse, truncate } from './admin-responses.js';
import { matchRoute } from './admin-routes.js';
import { allows, roleFor } from './permissions.js';
import type { AdminDependencies, AdminRequest, AdminResponse, RouteContext } from './types.js';

/**
 * The admin API of CONTRACT §5, framework-free: routes the request, validates it (path parameters,
 * Idempotency-Key, body), reads views from the state reader or evaluates a command synchronously,
 * and answers JSON. Errors are `{"error": message}`; a message never echoes a body's values.
 * Unexpected failures (the store unreachable) are thrown for the caller to answer 500. The body's
 * size is the HTTP handler's to limit (`createHttpHandler`), once for every route family.
 */
export async function handleAdminRequest(
  request: AdminRequest,
  deps: AdminDependencies,
): Promise<AdminResponse> {
  const method = request.method.toUpperCase();
  const { pathname, segments, query } = splitPath(request.path);
  const match = matchRoute(segments);
  if (!match) return errorResponse(404, `no route for ${method} ${truncate(pathname, 200)}`);
  const route = match.methods[method];
  if (!route) {
    const allow = Object.keys(match.methods).join(', ');
    return errorResponse(405, `${method} is not allowed on ${match.template}; use ${allow}`, { allow });
  }
  const { principal } = request;
  // Before anything of the request is read: a refused caller learns nothing of the state.
  if (!allows(principal, route.needs)) {
    const roles = principal.kind === 'person' ? principal.roles.join(', ') || 'no group' : 'machine';
    return errorResponse(
      403,
      `${method} ${match.template} needs the ${roleFor(route.needs)} group (you have: ${roles})`,
    );
  }
  try {
    const context: RouteContext = {
      params: decodeParams(match.params),
      query,
      body: request.body,
      idempotencyKey: method === 'POST' ? idempotencyKeyOf(request.headers) : null,
      at: Math.floor(deps.now()),
      principal,
      deps,
    };
    return await route.handler(context);
  } catch (error) {
    if (error instanceof HttpFacingError) return errorResponse(error.statusCode, error.message);
    if (error instanceof ConcurrentUpdateError) {
      return errorResponse(503, 'the state kept changing while this was applied; try again', {
        'retry-after': '1',
      });
    }
    throw error;
  }
}
