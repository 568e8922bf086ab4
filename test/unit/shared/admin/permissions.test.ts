import { describe, expect, it } from 'vitest';
import { ADMIN_ROUTES } from '../../../../shared/admin/admin-routes.js';
import { allows, roleFor } from '../../../../shared/admin/permissions.js';
import type { AdminPrincipal, ConsoleRole, Permission } from '../../../../shared/admin/types.js';

const person = (...roles: ConsoleRole[]): AdminPrincipal => ({ kind: 'person', name: 'p', roles });

describe('what each console group may do', () => {
  it('lets a viewer read, a reviewer also decide, an admin also act for the corp, and a machine client everything', () => {
    // Prepare
    const permissions: Permission[] = ['read', 'decide', 'administer'];
    const who = {
      viewer: person('viewer'),
      reviewer: person('reviewer'),
      admin: person('admin'),
      none: person(),
      machine: { kind: 'machine' } as AdminPrincipal,
    };

    // Act
    const table = Object.fromEntries(
      Object.entries(who).map(([name, principal]) => [name, permissions.filter((p) => allows(principal, p))]),
    );

    // Assess
    expect(table).toEqual({
      viewer: ['read'],
      reviewer: ['read', 'decide'],
      admin: ['read', 'decide', 'administer'],
      none: [],
      machine: ['read', 'decide', 'administer'],
    });
  });

  it('gives a person in several groups the widest', () => {
    // Act
    const both = allows(person('viewer', 'admin'), 'administer');

    // Assess
    expect(both).toBe(true);
  });

  it('names the narrowest group that grants a permission', () => {
    // Act
    const roles = (['read', 'decide', 'administer'] as const).map(roleFor);

    // Assess
    expect(roles).toEqual(['viewer', 'reviewer', 'admin']);
  });

  it('lets only reads be GETs: every GET route needs read, and no POST route does', () => {
    // Prepare
    const methods = Object.values(ADMIN_ROUTES).flatMap((route) => Object.entries(route));

    // Act
    const gets = new Set(methods.filter(([m]) => m === 'GET').map(([, r]) => r.needs));
    const posts = new Set(methods.filter(([m]) => m === 'POST').map(([, r]) => r.needs));

    // Assess
    expect([...gets]).toEqual(['read']);
    expect(posts.has('read')).toBe(false);
  });
});
