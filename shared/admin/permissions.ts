import type { AdminPrincipal, ConsoleRole, Permission } from './types.js';

/**
 * What each console group may do (the issue of the operator console): a viewer reads; a reviewer
 * also decides cases and appeals and reports violations; an admin also applies for unblocking,
 * files appeals and resolves parked inputs. Groups add up: a person in several has the widest.
 */
export const ROLE_PERMISSIONS = {
  viewer: ['read'],
  reviewer: ['read', 'decide'],
  admin: ['read', 'decide', 'administer'],
} as const satisfies Record<ConsoleRole, readonly Permission[]>;

/** The console groups, narrowest first. */
export const CONSOLE_ROLES = Object.keys(ROLE_PERMISSIONS) as ConsoleRole[];

/** The group a permission first comes with, to name in a refusal. */
export function roleFor(permission: Permission): ConsoleRole {
  const role = CONSOLE_ROLES.find((r) => (ROLE_PERMISSIONS[r] as readonly Permission[]).includes(permission));
  if (!role) throw new Error(`no role grants ${permission}`);
  return role;
}

/**
 * Whether the principal may do what needs `permission`. A machine client (IAM on AWS, the admin
 * token locally) may do everything the admin API serves; a person only what their groups grant.
 */
export function allows(principal: AdminPrincipal, permission: Permission): boolean {
  if (principal.kind === 'machine') return true;
  return principal.roles.some((role) =>
    (ROLE_PERMISSIONS[role] as readonly Permission[]).includes(permission),
  );
}
