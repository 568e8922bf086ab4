import { jsonResponse } from './admin-responses.js';
import { CONSOLE_ROLES, ROLE_PERMISSIONS } from './permissions.js';
import type { AdminResponse, Permission, RouteContext } from './types.js';

/**
 * GET who the caller is and what they may do: the console shows only the actions a person's
 * groups allow (the server refuses the others all the same).
 */
export async function getMe(context: RouteContext): Promise<AdminResponse> {
  const { principal } = context;
  if (principal.kind === 'machine') {
    return jsonResponse(200, { kind: 'machine', name: null, roles: [...CONSOLE_ROLES], permissions: ALL });
  }
  const permissions = ALL.filter((p) =>
    principal.roles.some((role) => (ROLE_PERMISSIONS[role] as readonly Permission[]).includes(p)),
  );
  return jsonResponse(200, { kind: 'person', name: principal.name, roles: principal.roles, permissions });
}

const ALL: readonly Permission[] = ['read', 'decide', 'administer'];
