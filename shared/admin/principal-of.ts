import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { CONSOLE_ROLES } from './permissions.js';
import type { AdminPrincipal, ConsoleRole } from './types.js';

/** What API Gateway's authorizers leave in the request context (payload format 2.0). */
interface AuthorizerContext {
  readonly iam?: unknown;
  readonly jwt?: { readonly claims?: Readonly<Record<string, unknown>> };
}

/**
 * The caller as API Gateway's authorizer established it, or null when no authorizer ran: IAM
 * (SigV4, `/admin/*`) is a machine client; a JWT from the console's user pool (`/console/api/*`)
 * is a person, named by the token and holding the console groups among its `cognito:groups`.
 * The local server fills the same context from its tokens, so both run this code.
 */
export function principalOf(event: APIGatewayProxyEventV2): AdminPrincipal | null {
  const authorizer = (event.requestContext as { authorizer?: AuthorizerContext }).authorizer;
  if (authorizer?.iam) return { kind: 'machine' };
  const claims = authorizer?.jwt?.claims;
  if (!claims) return null;
  const name = [claims.username, claims['cognito:username'], claims.email, claims.sub].find(
    (value): value is string => typeof value === 'string' && value !== '',
  );
  if (name === undefined) return null;
  return { kind: 'person', name, roles: rolesOf(claims['cognito:groups']) };
}

/**
 * The console groups among a token's `cognito:groups`. API Gateway passes a JWT's array claims to
 * Lambda as one string, `[viewer reviewer]`; an array or a comma-separated list is read as well.
 */
export function rolesOf(groups: unknown): ConsoleRole[] {
  const names = Array.isArray(groups)
    ? groups.filter((g): g is string => typeof g === 'string')
    : typeof groups === 'string'
      ? groups.replace(/^\[|\]$/g, '').split(/[\s,]+/)
      : [];
  return CONSOLE_ROLES.filter((role) => names.includes(role));
}
