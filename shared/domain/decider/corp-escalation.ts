import type { Cause } from '../decisions.js';
import type { Category, PenaltyReason, Rule } from '../types.js';
import { DAY_MS } from '../windows.js';
import { openEnterpriseCase } from './cases.js';
import type { Draft } from './draft.js';

/**
 * Members' bad-influence entries a corp keeps, per member of the threshold (two per member at most):
 * enough to count `badInfluence.corpMembers` distinct members, and bounded.
 */
const MAX_CORP_BAD_INFLUENCE_PER_THRESHOLD = 4;

const CORP_ACCOUNTS = [
  ['enterprise', 'account'],
  ['admin', 'adminAccount'],
] as const;

/** The violation whose bad influence reaches the enterprise, and its own time. */
export interface EscalationReason {
  readonly rule: Rule;
  readonly category: Category;
  readonly violationId: string;
  readonly at: number;
}

/**
 * Bad influence reaches the enterprise: at once when the rule says so (`blocksCorp`), or when
 * enough members have it within the window. The block of the enterprise and admin accounts then
 * applies, or waits in a case of its own when the policy's `enforcement.enterpriseBlock` is `review`.
 */
export function escalate(d: Draft, reason: EscalationReason, blocksCorp: boolean, cause: Cause): void {
  const corp = d.mutableCorp();
  const p = d.policy.badInfluence;
  const userId = d.member().userId;
  const { violationId, at } = reason;
  const recent = corp.badInfluence.filter((b) => b.at > d.input.at - p.corpWindowDays * DAY_MS);
  // Two entries per member at most (so a voided one still leaves the other), members by recency.
  const mine = recent.filter((b) => b.userId === userId).slice(-1);
  const others = recent.filter((b) => b.userId !== userId);
  corp.badInfluence = [...others, ...mine, { userId, violationId, at }].slice(
    -(p.corpMembers * MAX_CORP_BAD_INFLUENCE_PER_THRESHOLD),
  );
  const members = new Set(corp.badInfluence.map((b) => b.userId)).size;
  if (!blocksCorp && members < p.corpMembers) return;
  if (corp.account.status === 'blocked' && corp.adminAccount.status === 'blocked') return;
  if (d.policy.enforcement.enterpriseBlock === 'review') {
    openEnterpriseCase(d, reason, {
      summary: blocksCorp
        ? `a rule-${reason.rule.slice(1)} violation with bad influence would block the enterprise and admin accounts`
        : `${members} members with bad-influence violations within ${p.corpWindowDays} days would block the enterprise and admin accounts`,
      counts: [{ name: 'members with bad influence', value: members, threshold: p.corpMembers }],
    });
    return;
  }
  blockCorp(d, reason, cause);
}

/** Blocks the enterprise and admin accounts for a violation's bad influence. */
export function blockCorp(d: Draft, reason: EscalationReason, cause: Cause): void {
  const corp = d.mutableCorp();
  const { violationId } = reason;
  const penaltyReason: PenaltyReason = { rule: reason.rule, category: reason.category, violationId };
  for (const [kind, key] of CORP_ACCOUNTS) {
    if (corp[key].status === 'blocked') continue;
    corp[key] = { status: 'blocked', reason: penaltyReason };
    d.decisions.push({
      type: 'penalty.applied',
      subject: { kind, corpId: corp.corpId },
      penaltyId: `${violationId}.${kind}`,
      reason: penaltyReason,
      until: null,
      cause,
      policyVersion: d.policy.version,
    });
  }
}

/** Unblocks the enterprise and admin accounts (an approved enterprise appeal). */
export function unblockCorp(d: Draft, cause: Cause): void {
  const corp = d.mutableCorp();
  for (const [kind, key] of CORP_ACCOUNTS) {
    if (corp[key].status !== 'blocked') continue;
    corp[key] = { status: 'active', reason: null };
    d.decisions.push({
      type: 'penalty.lifted',
      subject: { kind, corpId: corp.corpId },
      penaltyId: `${corp.corpId}.${kind}`,
      cause,
      policyVersion: d.policy.version,
    });
  }
  // The members whose bad influence blocked the corp no longer count towards blocking it again.
  corp.badInfluence = [];
}
