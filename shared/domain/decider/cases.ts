import {
  CASE_TEXT_MAX_CHARS,
  type Case,
  type CaseKind,
  type CaseSummary,
  caseIdOf,
  type ReviewDecision,
} from '../cases.js';
import type { ContentCategory } from '../classification.js';
import type { CaseRef, Cause } from '../decisions.js';
import type { EnforcementMode, ModalCategory, Policy } from '../policy.js';
import { quote, quotedText } from '../quote.js';
import { RULES, ruleOf } from '../rules/rule-registry.js';
import { reviewDeadlineName, reviewDeadlineTimer } from '../timers.js';
import {
  CATEGORY_RULES,
  type Category,
  type EngineCommand,
  type Penalty,
  type ReviewTally,
} from '../types.js';
import { PRECISION_DAYS } from '../views.js';
import { addToBucket, textKey64 } from '../windows.js';
import { dayOf } from '../zone-rule.js';
import { blockCorp, type EscalationReason } from './corp-escalation.js';
import type { Draft } from './draft.js';
import type { Evidence } from './evidence.js';
import { remember, remembers } from './input-memory.js';
import { iso } from './iso-time.js';
import { keepViolations } from './kept-records.js';
import { addPenalty, liftPenalty } from './penalty-set.js';
import { countDetection, explanationOf, standViolation, violationRecord } from './record-violation.js';

/**
 * Undecided cases a member holds at most: a detection beyond them is counted on the member
 * (`casesHeldBack`) rather than opened, so a flood of messages cannot flood the review queue or
 * grow the member's state past its budget (each case keeps a summary and a provisional measure,
 * about 600 bytes: the policy bench's repeat offender stays under 8 KB). An enterprise block's
 * case is never held back.
 */
export const MAX_OPEN_CASES = 5;

/**
 * How a detection of `category` takes effect under the policy: a reviewer's report, and a rule
 * whose module always acts (rule 2: WeChat's own status), act at once; a classifier detection whose score reaches the category's
 * `actAtScore` acts at once; anything else follows the category's mode.
 */
export function enforcementOf(policy: Policy, category: Category, evidence: Evidence): EnforcementMode {
  if (evidence.reviewer !== undefined || ruleOf(category).actsAlways !== null) return 'act';
  const e = policy.enforcement;
  const threshold = e.actAtScore[category as ContentCategory];
  if (threshold !== undefined && evidence.score !== undefined && evidence.score >= threshold) return 'act';
  return e[category as ModalCategory];
}

/**
 * A detection under `review`: the violation is recorded as pending, a case opened for a reviewer
 * with its review deadline, and the policy's provisional measure applied meanwhile (no strike).
 */
export function openViolationCase(
  d: Draft,
  category: Category,
  badInfluence: boolean,
  evidence: Evidence,
): void {
  const member = d.member();
  const violationId = d.violationId();
  const at = d.input.at;
  const rule = CATEGORY_RULES[category];
  const caseId = caseIdOf(member.corpId, member.userId, 'violation', violationId);
  if (!mayOpen(d, caseId)) return;
  if ((member.cases ?? []).length >= MAX_OPEN_CASES) {
    countDetection(d, 'casesHeldBack', category);
    return;
  }
  const provisional: Penalty | null =
    d.policy.enforcement.provisional === 'suspend-interop'
      ? {
          id: `${violationId}.p`,
          scope: 'interop',
          kind: 'suspension',
          rule,
          category,
          violationId,
          since: at,
          until: null,
          canApplyForUnblock: false,
          caseId,
        }
      : null;
  // The pending violation lives in its case's summary until decided: a summary among the member's
  // violations as well would only double what the state holds.
  const violation = violationRecord(d, category, badInfluence, evidence, null, violationId);
  d.decisions.push({
    type: 'violation.recorded',
    violation: { ...violation, strikes: 0, enforcement: 'review', caseId },
  });
  openCase(d, {
    id: caseId,
    kind: 'violation',
    category,
    violationId,
    violationAt: at,
    badInfluence,
    score: evidence.score ?? null,
    explanation: violation.explanation,
    text: evidence.text !== undefined ? quote(evidence.text, CASE_TEXT_MAX_CHARS) : null,
    provisional,
  });
  if (provisional) addPenalty(d, provisional, { kind: 'violation', id: violationId, inputId: d.input.id });
}

/**
 * Bad influence that would block the enterprise and admin accounts, under `review`: a case of its
 * own, held by the member whose violation led to it; one at a time per corp.
 */
export function openEnterpriseCase(d: Draft, reason: EscalationReason, evidence: Evidence): void {
  const member = d.member();
  const corp = d.mutableCorp();
  const caseId = caseIdOf(member.corpId, member.userId, 'enterprise-block', reason.violationId);
  if (corp.enterpriseCase || !mayOpen(d, caseId)) return;
  corp.enterpriseCase = { id: caseId, userId: member.userId };
  openCase(d, {
    id: caseId,
    kind: 'enterprise-block',
    category: reason.category,
    violationId: reason.violationId,
    violationAt: reason.at,
    badInfluence: true,
    score: null,
    explanation: explanationOf(d, reason.category, evidence),
    text: null,
    provisional: null,
  });
}

/** Whether a case may open: not while it is open already, nor once decided (reviewers outrank automation). */
function mayOpen(d: Draft, caseId: string): boolean {
  const member = d.member();
  if (member.cases?.some((c) => c.id === caseId)) return false;
  if (!remembers(member.decidedCases ?? '', textKey64(caseId))) return true;
  d.audit(
    { kind: 'case-decision', id: caseId, inputId: d.input.id },
    `case ${caseId} was decided by a reviewer: the same input does not open it again`,
  );
  return false;
}

interface NewCase {
  readonly id: string;
  readonly kind: CaseKind;
  readonly category: Category;
  readonly violationId: string;
  readonly violationAt: number;
  readonly badInfluence: boolean;
  readonly score: number | null;
  readonly explanation: Case['explanation'];
  readonly text: Case['text'];
  readonly provisional: Penalty | null;
}

/** Opens a case on the member: its summary in the state, its record, its review deadline. */
function openCase(d: Draft, c: NewCase): void {
  const member = d.member();
  const at = d.input.at;
  const reviewBy = at + d.policy.enforcement.reviewWithin;
  const rule = CATEGORY_RULES[c.category];
  const summary: CaseSummary = {
    id: c.id,
    kind: c.kind,
    rule,
    category: c.category,
    violationId: c.violationId,
    violationAt: c.violationAt,
    openedAt: at,
    reviewBy,
    status: 'open',
    badInfluence: c.badInfluence,
    provisionalPenaltyId: c.provisional?.id ?? null,
  };
  member.cases = [...(member.cases ?? []), summary];
  d.decisions.push({
    type: 'case.opened',
    case: {
      id: c.id,
      kind: c.kind,
      corpId: member.corpId,
      userId: member.userId,
      rule,
      category: c.category,
      violationId: c.violationId,
      violationAt: c.violationAt,
      status: 'open',
      openedAt: at,
      reviewBy,
      badInfluence: c.badInfluence,
      score: c.score,
      policyVersion: d.policy.version,
      explanation: c.explanation,
      text: c.text,
      provisional: c.provisional
        ? { penaltyId: c.provisional.id, scope: c.provisional.scope, kind: c.provisional.kind }
        : null,
      decision: null,
    },
  });
  d.decisions.push({
    type: 'schedule.create',
    name: reviewDeadlineName(member, c.id),
    at: reviewBy,
    input: reviewDeadlineTimer(member, c.id, reviewBy),
  });
}

/**
 * A reviewer's decision: the provisional measure lifted either way; `confirm` applies the penalty
 * as of the violation's time (or blocks the enterprise), `overturn` voids the violation. A case
 * decided already is a 409; the decision is final.
 */
export function onCaseReviewed(d: Draft, command: Extract<EngineCommand, { type: 'case.reviewed' }>): void {
  const member = d.member();
  const open = member.cases?.find((c) => c.id === command.caseId);
  if (!open) {
    if (remembers(member.decidedCases ?? '', textKey64(command.caseId))) {
      d.reject(409, `case ${command.caseId} is already decided`);
    } else {
      d.reject(404, `the member has no undecided case ${command.caseId}`);
    }
    return;
  }
  const confirmed = command.decision === 'confirm';
  const cause: Cause = { kind: 'case-decision', id: open.id, inputId: command.id };
  member.cases = (member.cases ?? []).filter((c) => c.id !== open.id);
  member.decidedCases = remember(member.decidedCases ?? '', textKey64(open.id));
  const provisional = member.penalties.find((p) => p.id === open.provisionalPenaltyId);
  if (provisional) liftPenalty(d, provisional, cause, false);
  if (open.status === 'open')
    d.decisions.push({ type: 'schedule.cancel', name: reviewDeadlineName(member, open.id) });
  if (open.kind === 'enterprise-block') {
    const corp = d.mutableCorp();
    if (corp.enterpriseCase?.id === open.id) corp.enterpriseCase = null;
    if (confirmed) blockCorp(d, { ...open, at: open.violationAt }, cause);
  } else {
    if (confirmed) confirmViolation(d, open, cause);
    else overturnViolation(d, open, cause);
    tallyReview(d, open.category, confirmed);
  }
  const decision: ReviewDecision = {
    decision: command.decision,
    reviewer: command.reviewer,
    reason: command.reason,
    at: command.at,
    inputId: command.id,
  };
  d.decisions.push({
    type: 'case.decided',
    ...caseRef(d, open),
    status: confirmed ? 'confirmed' : 'overturned',
    decision,
    policyVersion: d.policy.version,
  });
  d.audit(
    cause,
    `case ${open.id} (${open.kind === 'enterprise-block' ? 'enterprise block for ' : ''}${open.category}) ` +
      `${confirmed ? 'confirmed' : 'overturned'} by reviewer ${command.reviewer}: ${quotedText(command.reason)}`,
  );
}

/**
 * Confirms a held violation as of its own time: its strike, its rule's ladder step, its bad
 * influence; a timed suspension already over by the decision leaves only its strike.
 */
function confirmViolation(d: Draft, open: CaseSummary, cause: Cause): void {
  const member = d.member();
  const module = RULES[open.rule];
  const step = ruleOf(open.category).penalty({
    penalties: member.penalties,
    strikes: member.strikes,
    policy: d.policy,
    category: open.category,
    violationId: open.violationId,
    at: open.violationAt,
  });
  member.penalties = step.penalties;
  const applied = step.penalty;
  const inForce = applied !== null && (applied.until === null || applied.until > d.input.at) ? applied : null;
  if (module.strikes) member.strikes += 1;
  const standing = {
    id: open.violationId,
    rule: open.rule,
    category: open.category,
    at: open.violationAt,
    status: 'standing' as const,
    strike: module.strikes,
    badInfluence: open.badInfluence,
    penaltyId: inForce?.id ?? null,
  };
  member.violations = keepViolations([...member.violations, standing], member.penalties, inForce);
  d.decisions.push({
    type: 'violation.confirmed',
    violationId: open.violationId,
    violationAt: open.violationAt,
    strikes: module.strikes ? member.strikes : 0,
    penalty: applied ? { kind: applied.kind, scope: applied.scope, until: applied.until } : null,
    cause,
    policyVersion: d.policy.version,
  });
  standViolation(
    d,
    {
      category: open.category,
      violationId: open.violationId,
      at: open.violationAt,
      badInfluence: open.badInfluence,
      penalty: inForce,
    },
    cause,
  );
  if (applied && !inForce) {
    d.audit(
      cause,
      `the ${applied.kind} of violation ${open.violationId} ended at ${iso(applied.until ?? d.input.at)}, before the confirmation: only its strike stands`,
    );
  }
}

/** Overturns a held violation: its record is void, and nothing of it ever counted. */
function overturnViolation(d: Draft, open: CaseSummary, cause: Cause): void {
  d.decisions.push({
    type: 'violation.voided',
    violationId: open.violationId,
    violationAt: open.violationAt,
    cause,
    policyVersion: d.policy.version,
  });
}

/** Counts a reviewer's decision for the category's measured precision, on the day decided. */
function tallyReview(d: Draft, category: Category, confirmed: boolean): void {
  const corp = d.mutableCorp();
  const day = dayOf(d.input.at, d.policy.timeZone);
  const oldest = day - PRECISION_DAYS + 1;
  const tallies = corp.reviews ?? [];
  const tally: ReviewTally = tallies.find((t) => t.category === category) ?? {
    category,
    confirmed: [],
    overturned: [],
  };
  const field = confirmed ? 'confirmed' : 'overturned';
  const updated: ReviewTally = { ...tally, [field]: addToBucket(tally[field], day, 1, oldest) };
  corp.reviews = [...tallies.filter((t) => t.category !== category), updated];
}

/** A case's review deadline: an undecided case past it is marked overdue, and stays open. */
export function onReviewDeadline(d: Draft, caseId: string): void {
  const member = d.member();
  const open = member.cases?.find((c) => c.id === caseId);
  // A stale timer (the case decided, or already overdue) changes nothing.
  if (!open || open.status !== 'open' || open.reviewBy > d.input.at) return;
  member.cases = (member.cases ?? []).map((c) =>
    c.id === caseId ? { ...c, status: 'expired' as const } : c,
  );
  d.decisions.push({
    type: 'case.overdue',
    ...caseRef(d, open),
    reviewBy: open.reviewBy,
  });
}

/** Which case a decision is about, as the store and outbound events name it. */
function caseRef(d: Draft, open: CaseSummary): CaseRef {
  const member = d.member();
  return {
    caseId: open.id,
    kind: open.kind,
    corpId: member.corpId,
    userId: member.userId,
    rule: open.rule,
    category: open.category,
    violationId: open.violationId,
    openedAt: open.openedAt,
  };
}
