import { ScenarioRunError } from './errors.js';
import { optional } from './optional.js';
import type { AdminAction } from './types.js';

/** The admin API request of an action. */
export function adminRequest(
  request: AdminAction,
  corpId: string,
  lastAppealId: string | undefined,
): { method: string; path: string; body?: unknown } {
  const member = (userId: string) =>
    `/admin/corps/${encodeURIComponent(corpId)}/members/${encodeURIComponent(userId)}`;
  switch (request.action) {
    case 'unblock-application':
      return { method: 'POST', path: `${member(request.userId)}/unblock-application`, body: {} };
    case 'report':
      return {
        method: 'POST',
        path: `${member(request.userId)}/violations`,
        body: {
          category: request.category,
          badInfluence: request.badInfluence,
          reviewer: request.reviewer,
          ...optional('note', request.note),
        },
      };
    case 'appeal':
      return {
        method: 'POST',
        path: '/admin/appeals',
        body: { corpId, userId: request.userId, ...optional('violationId', request.violationId) },
      };
    case 'enterprise-appeal':
      return { method: 'POST', path: '/admin/appeals', body: { corpId, documents: request.documents } };
    case 'appeal-decision': {
      const id = request.appealId ?? lastAppealId;
      if (id === undefined)
        throw new ScenarioRunError('appeal-decision: no appeal filed before it, and no appealId');
      return {
        method: 'POST',
        path: `/admin/appeals/${encodeURIComponent(id)}/decision`,
        body: { approved: request.approved, reviewer: request.reviewer },
      };
    }
  }
}
