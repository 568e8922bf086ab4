import { describe, expect, it } from 'vitest';
import { ADMIN_ROUTES, adminRouteOf } from '../../../../shared/admin/admin-routes.js';

describe('the admin route table', () => {
  it('matches every template, its parameters filled, to itself', () => {
    // Prepare
    const templates = Object.keys(ADMIN_ROUTES);

    // Act
    const matched = templates.map((template) => adminRouteOf(template.replace(/\{[^}]+\}/g, 'some-id')));

    // Assess
    expect(matched).toEqual(templates);
  });

  it('names no template for a path outside the table, and ignores the query', () => {
    // Act
    const routes = [adminRouteOf('/admin/nothing'), adminRouteOf('/admin/policy?corpId=c')];

    // Assess
    expect(routes).toEqual([null, '/admin/policy']);
  });
});
