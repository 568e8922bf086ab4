import { splitPath } from './admin-request.js';
import { decideAppeal, fileAppeal, getAppeal, listAppeals } from './appeal-routes.js';
import { decideCase, getCase, listCases } from './case-routes.js';
import { getMe } from './me-route.js';
import {
  applyForUnblock,
  getAudit,
  getCorp,
  getMember,
  getViolations,
  reportViolation,
} from './member-routes.js';
import { discardParked, listParked, retryParked } from './parked-routes.js';
import { getPolicy } from './policy-routes.js';
import { listMembers } from './standing-routes.js';
import type { RouteHandler, RouteMethod } from './types.js';

/** A route method that reads views (every console group). */
const read = (handler: RouteHandler): RouteMethod => ({ handler, needs: 'read' });
/** A route method that decides cases and appeals, or reports a violation (reviewers, admins). */
const decide = (handler: RouteHandler): RouteMethod => ({ handler, needs: 'decide' });
/** A route method that acts for the corp: unblock applications, appeals filed, parked inputs (admins). */
const administer = (handler: RouteHandler): RouteMethod => ({ handler, needs: 'administer' });

/** The methods the admin API serves. */
export type AdminMethod = 'GET' | 'POST';

/**
 * Every admin route (CONTRACT §5): its path with `{name}` parameters, as logs and metrics name it,
 * and per method its handler and the permission it needs (read, decide, administer). Adding a
 * route is one entry here and its handler.
 */
export const ADMIN_ROUTES = {
  '/admin/corps/{corpId}': { GET: read(getCorp) },
  '/admin/corps/{corpId}/members': { GET: read(listMembers) },
  '/admin/corps/{corpId}/members/{userId}': { GET: read(getMember) },
  '/admin/corps/{corpId}/members/{userId}/violations': {
    GET: read(getViolations),
    POST: decide(reportViolation),
  },
  '/admin/corps/{corpId}/members/{userId}/audit': { GET: read(getAudit) },
  '/admin/corps/{corpId}/members/{userId}/unblock-application': { POST: administer(applyForUnblock) },
  '/admin/corps/{corpId}/cases': { GET: read(listCases) },
  '/admin/corps/{corpId}/appeals': { GET: read(listAppeals) },
  '/admin/corps/{corpId}/cases/{caseId}': { GET: read(getCase) },
  '/admin/corps/{corpId}/cases/{caseId}/decision': { POST: decide(decideCase) },
  '/admin/appeals': { POST: administer(fileAppeal) },
  '/admin/appeals/{appealId}': { GET: read(getAppeal) },
  '/admin/appeals/{appealId}/decision': { POST: decide(decideAppeal) },
  '/admin/policy': { GET: read(getPolicy) },
  '/admin/me': { GET: read(getMe) },
  '/admin/parked': { GET: read(listParked) },
  '/admin/parked/{parkedId}/retry': { POST: administer(retryParked) },
  '/admin/parked/{parkedId}/discard': { POST: administer(discardParked) },
} as const satisfies Record<`/admin${string}`, Partial<Record<AdminMethod, RouteMethod>>>;

/** The path template of an admin route. */
export type AdminRouteTemplate = keyof typeof ADMIN_ROUTES;

/** A route the path matched: its template, its handlers, and its path parameters still percent-encoded. */
export interface RouteMatch {
  readonly template: AdminRouteTemplate;
  readonly methods: Readonly<Partial<Record<string, RouteMethod>>>;
  readonly params: Readonly<Record<string, string>>;
}

const SEGMENTS = Object.entries(ADMIN_ROUTES).map(([template, methods]) => ({
  template: template as AdminRouteTemplate,
  methods: methods as RouteMatch['methods'],
  segments: template.split('/').slice(1),
}));

/** The route a path's segments match, or null. */
export function matchRoute(segments: readonly string[]): RouteMatch | null {
  for (const candidate of SEGMENTS) {
    if (candidate.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = candidate.segments.every((expected, index) => {
      const actual = segments[index] ?? '';
      if (expected.startsWith('{')) {
        params[expected.slice(1, -1)] = actual;
        return true;
      }
      return expected === actual;
    });
    if (matches) return { template: candidate.template, methods: candidate.methods, params };
  }
  return null;
}

/** The route template a path matches (for logs and metrics, which never carry ids), or null. */
export function adminRouteOf(path: string): AdminRouteTemplate | null {
  return matchRoute(splitPath(path).segments)?.template ?? null;
}
