import type { Cause, EvidenceCount, Violation } from '../decisions.js';
import { quoteAll, quotedText } from '../quote.js';
import { RULES, ruleOf } from '../rules/rule-registry.js';
import { CATEGORY_RULES, type Category, type Penalty, type ViolationSummary } from '../types.js';
import { addToBucket, sumFrom } from '../windows.js';
import { dayOf } from '../zone-rule.js';
import { escalate } from './corp-escalation.js';
import type { Draft } from './draft.js';
import type { Evidence } from './evidence.js';
import { keepViolations } from './kept-records.js';
import { addPenalty } from './penalty-set.js';

/** Applies a violation of `category` with its rule's penalty, bad influence and escalation. */
export function applyViolation(d: Draft, category: Category, evidence: Evidence): void {
  const member = d.member();
  const p = d.policy;
  const at = d.input.at;
  // Once the account is blocked, what the member goes on doing is counted, not recorded: a strike
  // or a penalty would add nothing to the block. A reviewer's report is still recorded in full:
  // a reviewer decided it, it stands on its own if the block is voided, and its bad influence can
  // reach the enterprise.
  if (evidence.reviewer === undefined && d.accountBlocked(at)) {
    countAfterBlock(d, category);
    return;
  }
  const step = ruleOf(category).penalty({
    penalties: member.penalties,
    strikes: member.strikes,
    policy: p,
    category,
    violationId: d.violationId(),
    at,
  });
  member.penalties = step.penalties;
  // Complaints and blocks against the member in the window are evidence of any violation.
  const day = dayOf(at, p.timeZone);
  const complaints = Math.max(
    evidence.complaints ?? 0,
    sumFrom(member.windows.feedback, day - p.harassment.windowDays),
  );
  const recipients = evidence.recipients ?? 0;
  const badInfluence =
    evidence.badInfluence === true ||
    complaints >= p.badInfluence.minComplaints ||
    recipients >= p.badInfluence.minRecipients;
  const counts: EvidenceCount[] = [
    ...(evidence.counts ?? []).filter((c) => c.name !== 'recipients'),
    { name: 'complaints and blocks', value: complaints, threshold: p.badInfluence.minComplaints },
    { name: 'recipients', value: recipients, threshold: p.badInfluence.minRecipients },
  ];
  recordViolation(d, category, badInfluence, { ...evidence, counts }, step.penalty);
}

/**
 * Counts a detection for a blocked member: one small entry per category (how many, the latest
 * when), so the state stays bounded however long the member goes on.
 */
function countAfterBlock(d: Draft, category: Category): void {
  const member = d.member();
  const at = d.input.at;
  const entries = member.afterBlock ?? [];
  const entry = entries.find((e) => e.category === category);
  member.afterBlock = [
    ...entries.filter((e) => e.category !== category),
    {
      category,
      count: (entry?.count ?? 0) + 1,
      lastAt: Math.max(entry?.lastAt ?? at, at),
    },
  ];
}

/** Records a violation and its penalty (null when the rule adds none), with bad influence. */
export function recordViolation(
  d: Draft,
  category: Category,
  badInfluence: boolean,
  evidence: Evidence,
  penalty: Penalty | null,
): void {
  const rule = CATEGORY_RULES[category];
  const module = RULES[rule];
  const member = d.member();
  const at = d.input.at;
  const violationId = penalty?.violationId ?? d.violationId();
  const strike = module.strikes;
  if (strike) member.strikes += 1;
  const summary: ViolationSummary = {
    id: violationId,
    rule,
    category,
    at,
    status: 'standing',
    strike,
    badInfluence,
    penaltyId: penalty?.id ?? null,
  };
  member.violations = keepViolations([...member.violations, summary], member.penalties, penalty);
  const cause: Cause = { kind: module.causeKind, id: violationId, inputId: d.input.id };
  d.decisions.push({
    type: 'violation.recorded',
    violation: violationRecord(d, category, badInfluence, evidence, penalty, violationId),
  });
  if (penalty) addPenalty(d, penalty, cause);
  if (badInfluence) {
    addPenalty(
      d,
      {
        id: `${violationId}.b`,
        scope: 'account',
        kind: 'block',
        rule,
        category,
        violationId,
        since: at,
        until: null,
        canApplyForUnblock: false,
      },
      cause,
    );
    escalate(d, { rule, category, violationId }, module.badInfluenceBlocksCorp, cause);
  }
  const corp = d.mutableCorp();
  const day = dayOf(at, d.policy.timeZone);
  corp.violations = addToBucket(corp.violations, day, 1, day - d.policy.contactAdds.complianceWindowDays + 1);
}

/** The full record of a violation, its evidence bounded. */
function violationRecord(
  d: Draft,
  category: Category,
  badInfluence: boolean,
  evidence: Evidence,
  penalty: Penalty | null,
  violationId: string,
): Violation {
  const rule = CATEGORY_RULES[category];
  const member = d.member();
  // Evidence is bounded here, in the domain, so the record, the events and the views all get it so.
  const terms = quoteAll(evidence.matchedTerms ?? []);
  return {
    id: violationId,
    corpId: member.corpId,
    userId: member.userId,
    rule,
    category,
    at: d.input.at,
    badInfluence,
    strikes: RULES[rule].strikes ? member.strikes : 0,
    penalty: penalty ? { kind: penalty.kind, scope: penalty.scope, until: penalty.until } : null,
    explanation: {
      rule,
      category,
      policyVersion: d.policy.version,
      summary: evidence.reason ? `${evidence.summary} (${quotedText(evidence.reason)})` : evidence.summary,
      evidence: {
        inputIds: [d.input.id],
        matchedTerms: terms.quotes,
        matchedTermCount: terms.count,
        contentCategories: evidence.contentCategories ?? [],
        counts: evidence.counts ?? [],
        ...(evidence.reviewer ? { reviewer: evidence.reviewer } : {}),
      },
    },
  };
}

/** Voids a violation on appeal: its strike and its bad influence no longer count. */
export function voidViolation(d: Draft, violationId: string, cause: Cause): void {
  const member = d.member();
  const summary = member.violations.find((v) => v.id === violationId);
  if (!summary || summary.status === 'void') return;
  if (summary.strike) member.strikes = Math.max(0, member.strikes - 1);
  if (summary.badInfluence) {
    const corp = d.mutableCorp();
    corp.badInfluence = corp.badInfluence.filter((b) => b.violationId !== violationId);
  }
  member.violations = member.violations.map((v) =>
    v.id === violationId ? { ...v, status: 'void' as const } : v,
  );
  d.decisions.push({
    type: 'violation.voided',
    violationId,
    violationAt: summary.at,
    cause,
    policyVersion: d.policy.version,
  });
}
