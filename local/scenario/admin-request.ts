import { ScenarioRunError } from './errors.js';
import { optional } from './optional.js';
import type { AdminAction } from './types.js';

/** What an action may refer to that the run found out: the latest appeal filed, the case to decide. */
export interface ActionRefs {
  readonly lastAppealId?: string | undefined;
  /** The case a `decide-case` decides, resolved by the run (see caseToDecide). */
  readonly caseId?: string | undefined;
}

/** The admin API request of an action. */
export function adminRequest(
  request: AdminAction,
  corpId: string,
  refs: ActionRefs,
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
      const id = request.appealId ?? refs.lastAppealId;
      if (id === undefined)
        throw new ScenarioRunError('appeal-decision: no appeal filed before it, and no appealId');
      return {
        method: 'POST',
        path: `/admin/appeals/${encodeURIComponent(id)}/decision`,
        body: { approved: request.approved, reviewer: request.reviewer },
      };
    }
    case 'decide-case': {
      const id = refs.caseId ?? request.caseId;
      if (id === undefined) throw new ScenarioRunError('decide-case: the member has no open case');
      return {
        method: 'POST',
        path: `/admin/corps/${encodeURIComponent(corpId)}/cases/${encodeURIComponent(id)}/decision`,
        body: { decision: request.decision, reviewer: request.reviewer, reason: request.reason },
      };
    }
  }
}
