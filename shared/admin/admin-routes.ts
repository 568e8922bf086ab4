import { splitPath } from './admin-request.js';
import { decideAppeal, fileAppeal, getAppeal } from './appeal-routes.js';
import { decideCase, getCase, listCases } from './case-routes.js';
import { applyForUnblock, getCorp, getMember, getViolations, reportViolation } from './member-routes.js';
import { discardParked, listParked, retryParked } from './parked-routes.js';
import { getPolicy } from './policy-routes.js';
import type { RouteHandler } from './types.js';

/** The methods the admin API serves. */
export type AdminMethod = 'GET' | 'POST';

/**
 * Every admin route (CONTRACT §5): its path with `{name}` parameters, as logs and metrics name it,
 * and a handler per method. Adding a route is one entry here and its handler.
 */
export const ADMIN_ROUTES = {
  '/admin/corps/{corpId}': { GET: getCorp },
  '/admin/corps/{corpId}/members/{userId}': { GET: getMember },
  '/admin/corps/{corpId}/members/{userId}/violations': { GET: getViolations, POST: reportViolation },
  '/admin/corps/{corpId}/members/{userId}/unblock-application': { POST: applyForUnblock },
  '/admin/corps/{corpId}/cases': { GET: listCases },
  '/admin/corps/{corpId}/cases/{caseId}': { GET: getCase },
  '/admin/corps/{corpId}/cases/{caseId}/decision': { POST: decideCase },
  '/admin/appeals': { POST: fileAppeal },
  '/admin/appeals/{appealId}': { GET: getAppeal },
  '/admin/appeals/{appealId}/decision': { POST: decideAppeal },
  '/admin/policy': { GET: getPolicy },
  '/admin/parked': { GET: listParked },
  '/admin/parked/{parkedId}/retry': { POST: retryParked },
  '/admin/parked/{parkedId}/discard': { POST: discardParked },
} as const satisfies Record<`/admin${string}`, Partial<Record<AdminMethod, RouteHandler>>>;

/** The path template of an admin route. */
export type AdminRouteTemplate = keyof typeof ADMIN_ROUTES;

/** A route the path matched: its template, its handlers, and its path parameters still percent-encoded. */
export interface RouteMatch {
  readonly template: AdminRouteTemplate;
  readonly methods: Readonly<Partial<Record<string, RouteHandler>>>;
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
