import type { Penalty } from '../types.js';
import type { PenaltyContext, PenaltyStep, RuleModule } from './rule-module.js';

/** Rule 2's one category (POLICY.md, violation categories). */
export const LINKED_WECHAT_BAN_CATEGORIES = ['linked-wechat-violation'] as const;

/**
 * Rule 2: the WeChat account linked to the member was banned by WeChat. Only WeChat's status
 * callback detects it, and its suspension lasts until WeChat's unban (plus the restore delay).
 */
export const linkedWechatBan = {
  // The status detection records the ban with its own penalty (`linkedWechatBanPenalty`), which
  // needs the ban's id; a violation reaching the ladder otherwise brings none.
  penalty: ({ penalties }: PenaltyContext): PenaltyStep => ({ penalty: null, penalties }),
  strikes: false,
  causeKind: 'linked-wechat',
  badInfluenceBlocksCorp: false,
  notReportable: 'linked-wechat-violation comes from WeChat status callbacks and cannot be reported',
  notAppealable: 'a linked-WeChat suspension ends with the WeChat unban; appeal to WeChat',
  actsAlways: "WeChat's own account status: nothing for a reviewer to judge",
  contentCategories: [],
  contentPrecedence: 3,
} as const satisfies RuleModule;

/** The suspension a WeChat ban brings: interop, with no end time until WeChat unbans. */
export function linkedWechatBanPenalty(banId: string, violationId: string, at: number): Penalty {
  return {
    id: linkedWechatPenaltyId(banId),
    scope: 'interop',
    kind: 'suspension',
    rule: 'R2',
    category: 'linked-wechat-violation',
    violationId,
    since: at,
    until: null,
    canApplyForUnblock: false,
  };
}

/** The id of the suspension a WeChat ban brings: one per ban. */
export function linkedWechatPenaltyId(banId: string): string {
  return `r2.${banId}`;
}
