import type { Cause, EvidenceCount, Explanation, Violation } from '../decisions.js';
import { quoteAll, quotedText } from '../quote.js';
import { RULES, ruleOf } from '../rules/rule-registry.js';
import { CATEGORY_RULES, type Category, type Penalty, type ViolationSummary } from '../types.js';
import { addToBucket, sumFrom } from '../windows.js';
import { dayOf } from '../zone-rule.js';
import { enforcementOf, openViolationCase } from './cases.js';
import { escalate } from './corp-escalation.js';
import type { Draft } from './draft.js';
import type { Evidence } from './evidence.js';
import { keepViolations } from './kept-records.js';
import { addPenalty } from './penalty-set.js';

/**
 * Applies a detected or reported violation of `category` as the policy's enforcement mode says: its
 * rule's penalty, bad influence and escalation at once (`act`), a case for a reviewer (`review`),
 * or a record of what would have applied (`shadow`).
 */
export function applyViolation(d: Draft, category: Category, evidence: Evidence): void {
  const member = d.member();
  const at = d.input.at;
  // Once the account is blocked, what the member goes on doing is counted, not recorded: a strike
  // or a penalty would add nothing to the block. A reviewer's report is still recorded in full:
  // a reviewer decided it, it stands on its own if the block is voided, and its bad influence can
  // reach the enterprise.
  if (evidence.reviewer === undefined && d.accountBlocked(at)) {
    countDetection(d, 'afterBlock', category);
    return;
  }
  const assessed = assessBadInfluence(d, evidence);
  const mode = enforcementOf(d.policy, category, evidence);
  if (mode === 'review') {
    openViolationCase(d, category, assessed.badInfluence, assessed.evidence);
    return;
  }
  const step = ruleOf(category).penalty({
    penalties: member.penalties,
    strikes: member.strikes,
    policy: d.policy,
    category,
    violationId: d.violationId(),
    at,
  });
  if (mode === 'shadow') {
    shadowViolation(d, category, assessed.badInfluence, assessed.evidence, step.penalty);
    return;
  }
  member.penalties = step.penalties;
  recordViolation(d, category, assessed.badInfluence, assessed.evidence, step.penalty);
}

/** Whether the evidence shows bad influence, with the counts that say so added to it. */
function assessBadInfluence(d: Draft, evidence: Evidence): { badInfluence: boolean; evidence: Evidence } {
  const p = d.policy;
  // Complaints and blocks against the member in the window are evidence of any violation.
  const day = dayOf(d.input.at, p.timeZone);
  const complaints = Math.max(
    evidence.complaints ?? 0,
    sumFrom(d.member().windows.feedback, day - p.harassment.windowDays),
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
  return { badInfluence, evidence: { ...evidence, counts } };
}

/**
 * Counts a detection that is not recorded: for a blocked member (`afterBlock`), or for one whose
 * undecided cases are at their bound (`casesHeldBack`). One small entry per category (how many,
 * the latest when), so the state stays bounded however long the member goes on.
 */
export function countDetection(d: Draft, field: 'afterBlock' | 'casesHeldBack', category: Category): void {
  const member = d.member();
  const at = d.input.at;
  const entries = member[field] ?? [];
  const entry = entries.find((e) => e.category === category);
  member[field] = [
    ...entries.filter((e) => e.category !== category),
    {
      category,
      count: (entry?.count ?? 0) + 1,
      lastAt: Math.max(entry?.lastAt ?? at, at),
    },
  ];
}

/** Records a violation that stands at once, with its penalty (null when the rule adds none) and bad influence. */
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
  const summary: ViolationSummary = {
    id: violationId,
    rule,
    category,
    at,
    status: 'standing',
    strike: module.strikes,
    badInfluence,
    penaltyId: penalty?.id ?? null,
  };
  member.violations = keepViolations([...member.violations, summary], member.penalties, penalty);
  if (module.strikes) member.strikes += 1;
  d.decisions.push({
    type: 'violation.recorded',
    violation: violationRecord(d, category, badInfluence, evidence, penalty, violationId),
  });
  const cause: Cause = { kind: module.causeKind, id: violationId, inputId: d.input.id };
  standViolation(d, { category, violationId, at, badInfluence, penalty }, cause);
}

/**
 * What a standing violation brings besides its record and strike: its penalty in force, bad
 * influence's account block and escalation, and the corp's compliance count on the violation's
 * day. `at` is the violation's own time (a reviewer's confirmation applies it as of then).
 */
export function standViolation(
  d: Draft,
  v: {
    readonly category: Category;
    readonly violationId: string;
    readonly at: number;
    readonly badInfluence: boolean;
    readonly penalty: Penalty | null;
  },
  cause: Cause,
): void {
  const rule = CATEGORY_RULES[v.category];
  if (v.penalty) addPenalty(d, v.penalty, cause);
  if (v.badInfluence) {
    addPenalty(
      d,
      {
        id: `${v.violationId}.b`,
        scope: 'account',
        kind: 'block',
        rule,
        category: v.category,
        violationId: v.violationId,
        since: v.at,
        until: null,
        canApplyForUnblock: false,
      },
      cause,
    );
    escalate(
      d,
      { rule, category: v.category, violationId: v.violationId, at: v.at },
      RULES[rule].badInfluenceBlocksCorp,
      cause,
    );
  }
  const corp = d.mutableCorp();
  const day = dayOf(v.at, d.policy.timeZone);
  const oldest = dayOf(d.input.at, d.policy.timeZone) - d.policy.contactAdds.complianceWindowDays + 1;
  if (day >= oldest) corp.violations = addToBucket(corp.violations, day, 1, oldest);
}

/** A `shadow` category's detection: the record of what would have applied, and nothing else. */
function shadowViolation(
  d: Draft,
  category: Category,
  badInfluence: boolean,
  evidence: Evidence,
  wouldApply: Penalty | null,
): void {
  const violation = violationRecord(d, category, badInfluence, evidence, wouldApply, d.violationId());
  d.decisions.push({
    type: 'violation.shadowed',
    violation: {
      ...violation,
      strikes: RULES[violation.rule].strikes ? d.member().strikes + 1 : 0,
      enforcement: 'shadow',
    },
  });
}

/** The full record of a violation, its evidence bounded. */
export function violationRecord(
  d: Draft,
  category: Category,
  badInfluence: boolean,
  evidence: Evidence,
  penalty: Penalty | null,
  violationId: string,
): Violation {
  const rule = CATEGORY_RULES[category];
  const member = d.member();
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
    explanation: explanationOf(d, category, evidence),
  };
}

/** Why a violation was found, for its record and its case: the evidence bounded here, in the domain. */
export function explanationOf(d: Draft, category: Category, evidence: Evidence): Explanation {
  // Evidence is bounded here, in the domain, so the record, the events and the views all get it so.
  const terms = quoteAll(evidence.matchedTerms ?? []);
  return {
    rule: CATEGORY_RULES[category],
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
  };
}

/** Voids a violation on appeal or a reviewer's overturn: its strike and its bad influence no longer count. */
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
