import type {
  AuditEntry,
  Case,
  CorpAppeal,
  Decision,
  MemberAppeal,
  MemberState,
  ParkedInput,
  Policy,
  Violation,
} from '../domain/index.js';
import { activePenalties, ENTERPRISE_APPEAL_DOCUMENTS, memberView } from '../domain/index.js';

/** A time as ISO-8601, null kept. */
export function iso(at: number | null): string | null {
  return at === null ? null : new Date(at).toISOString();
}

/**
 * An audit entry as the console shows it: when, what changed in words, what caused it (null for a
 * case's own record or a timer) and under which policy version (null where the decision has none).
 */
export function auditJson({ at, decision }: AuditEntry) {
  const cause = 'cause' in decision ? { kind: decision.cause.kind, id: decision.cause.id } : null;
  return {
    at: iso(at),
    change: changeOf(decision),
    cause,
    policyVersion: 'policyVersion' in decision ? decision.policyVersion : null,
  };
}

/** What a decision kept in the audit trail changed, in a line. */
function changeOf(d: Decision): string {
  switch (d.type) {
    case 'audit':
      return d.change;
    case 'penalty.applied':
      return `penalty ${d.penaltyId} applied (${d.reason.rule}, ${d.reason.category}) ${
        d.until === null ? 'with no end' : `until ${iso(d.until)}`
      }`;
    case 'penalty.lifted':
      return `penalty ${d.penaltyId} lifted`;
    case 'case.opened':
      return `case ${d.case.id} opened (${d.case.rule}, ${d.case.category})`;
    case 'case.decided':
      return `case ${d.caseId} ${d.status} by ${d.decision.reviewer}: ${d.decision.reason}`;
    case 'case.overdue':
      return `case ${d.caseId} overdue (review by ${iso(d.reviewBy)})`;
    case 'schedule.create':
      return `timer ${d.name} set for ${iso(d.at)}`;
    case 'schedule.cancel':
      return `timer ${d.name} cancelled`;
    default:
      return d.type;
  }
}

/** The member view of CONTRACT §5, with the penalties in force and the appeals kept. */
export function memberJson(member: MemberState, at: number) {
  const view = memberView(member, at);
  return {
    corpId: view.corpId,
    userId: view.userId,
    interop: {
      status: view.interop.status,
      until: iso(view.interop.until),
      canApplyForUnblock: view.interop.canApplyForUnblock,
      reason: view.interop.reason,
    },
    account: view.account,
    strikes: view.strikes,
    linkedWeChat: { status: view.linkedWeChat.status, restoreAt: iso(view.linkedWeChat.restoreAt) },
    penalties: activePenalties(member, at).map((p) => ({
      id: p.id,
      scope: p.scope,
      kind: p.kind,
      rule: p.rule,
      category: p.category,
      violationId: p.violationId,
      since: iso(p.since),
      until: iso(p.until),
      canApplyForUnblock: p.canApplyForUnblock,
    })),
    // Undecided cases, oldest first: what holds a provisional measure on the member (CONTRACT §5).
    openCases: view.openCases.map((c) => ({
      ...c,
      openedAt: iso(c.openedAt),
      reviewBy: iso(c.reviewBy),
    })),
    appeals: member.appeals.map((a) => memberAppealJson(member, a)),
    // What the member went on doing once blocked: counted per category, not recorded as violations.
    afterBlock: (member.afterBlock ?? []).map((a) => ({
      category: a.category,
      count: a.count,
      lastAt: iso(a.lastAt),
    })),
    asOf: iso(at),
  };
}

/** A member's appeal as CONTRACT §5 shows it. */
export function memberAppealJson(member: Pick<MemberState, 'corpId' | 'userId'>, appeal: MemberAppeal) {
  return {
    id: appeal.id,
    corpId: member.corpId,
    userId: member.userId,
    kind: appeal.kind,
    status: appeal.status,
    violationId: appeal.violationId,
    filedAt: iso(appeal.filedAt),
  };
}

/** A corp's (enterprise) appeal as CONTRACT §5 shows it. */
export function corpAppealJson(corpId: string, appeal: CorpAppeal) {
  return {
    id: appeal.id,
    corpId,
    userId: null,
    kind: 'enterprise' as const,
    status: appeal.status,
    filedAt: iso(appeal.filedAt),
  };
}

/** A violation as CONTRACT §5 shows it, its evidence listed once. */
export function violationJson(violation: Violation) {
  const { explanation } = violation;
  const { evidence } = explanation;
  return {
    id: violation.id,
    rule: violation.rule,
    category: violation.category,
    at: iso(violation.at),
    status: violation.status ?? 'standing',
    badInfluence: violation.badInfluence,
    strikes: violation.strikes,
    evidence: evidenceJson(evidence),
    // The evidence is listed once, above: the explanation keeps what it says besides.
    explanation: {
      rule: explanation.rule,
      category: explanation.category,
      policyVersion: explanation.policyVersion,
      summary: explanation.summary,
    },
    penalty: violation.penalty
      ? { kind: violation.penalty.kind, scope: violation.penalty.scope, until: iso(violation.penalty.until) }
      : null,
    // The reviewer case that holds (or held) it, for a violation under review.
    caseId: violation.caseId ?? null,
  };
}

/** What a violation's explanation holds as evidence (a case keeps its violation's). */
type Evidence = Violation['explanation']['evidence'];

/** A violation's or a case's evidence as CONTRACT §5 lists it: counts, quoted terms, categories, inputs, reviewer. */
export function evidenceJson(evidence: Evidence) {
  return [
    ...evidence.counts.map((c) => ({
      type: 'count',
      name: c.name,
      value: c.value,
      threshold: c.threshold,
    })),
    ...evidence.matchedTerms.map((q) => ({
      type: 'term',
      term: q.text,
      length: q.length,
      truncated: q.truncated,
    })),
    ...(evidence.matchedTermCount > evidence.matchedTerms.length
      ? [{ type: 'terms-not-quoted', count: evidence.matchedTermCount - evidence.matchedTerms.length }]
      : []),
    ...evidence.contentCategories.map((c) => ({ type: 'content-category', category: c })),
    ...evidence.inputIds.map((inputId) => ({ type: 'input', inputId })),
    ...(evidence.reviewer === undefined ? [] : [{ type: 'reviewer', reviewer: evidence.reviewer }]),
  ];
}

/** A reviewer's case as CONTRACT §5 shows it: what was detected, the text read, and how it stands. */
export function caseJson(c: Case) {
  return {
    id: c.id,
    corpId: c.corpId,
    userId: c.userId,
    kind: c.kind,
    rule: c.rule,
    category: c.category,
    violationId: c.violationId,
    violationAt: iso(c.violationAt),
    status: c.status,
    openedAt: iso(c.openedAt),
    reviewBy: iso(c.reviewBy),
    badInfluence: c.badInfluence,
    evidence: evidenceJson(c.explanation.evidence),
    summary: c.explanation.summary,
    // What the reviewer judges: the detected text, quoted (cut around an ellipsis when long).
    text: c.text ? { text: c.text.text, length: c.text.length, truncated: c.text.truncated } : null,
    score: c.score,
    provisional: c.provisional
      ? { penaltyId: c.provisional.penaltyId, scope: c.provisional.scope, kind: c.provisional.kind }
      : null,
    decision: c.decision
      ? {
          decision: c.decision.decision,
          reviewer: c.decision.reviewer,
          reason: c.decision.reason,
          at: iso(c.decision.at),
        }
      : null,
    policyVersion: c.policyVersion,
  };
}

/** A duration both ways: milliseconds, and ISO-8601 as policy files write it. */
function durationJson(ms: number) {
  return { ms, iso: isoDuration(ms) };
}

/** ISO-8601 duration of whole days, hours, minutes and (possibly fractional) seconds. */
export function isoDuration(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  const hours = Math.floor((ms % 86_400_000) / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  const date = days > 0 ? `${days}D` : '';
  const time = `${hours > 0 ? `${hours}H` : ''}${minutes > 0 ? `${minutes}M` : ''}${seconds > 0 ? `${seconds}S` : ''}`;
  if (date === '' && time === '') return 'PT0S';
  return `P${date}${time === '' ? '' : `T${time}`}`;
}

/** The policy in force (for a corp, or the base one) as CONTRACT §5 shows it. */
export function policyJson(policy: Policy, corpId: string | null) {
  const { version, timeZone, r1, r2, ...thresholds } = policy;
  return {
    version,
    corpId,
    timeZone: timeZone.name,
    r1: {
      firstSuspension: durationJson(r1.firstSuspension),
      secondSuspension: durationJson(r1.secondSuspension),
      autoApproveUnblock: r1.autoApproveUnblock,
    },
    r2: { restoreDelay: durationJson(r2.restoreDelay) },
    ...thresholds,
    appeals: { enterpriseDocuments: [...ENTERPRISE_APPEAL_DOCUMENTS] },
  };
}
/** A parked input as CONTRACT §5 shows it. */
export function parkedJson(parked: ParkedInput) {
  return {
    id: parked.id,
    corpId: parked.corpId,
    userId: parked.userId,
    inputId: parked.inputId,
    type: parked.inputType,
    reason: parked.reason,
    at: iso(parked.at),
    receives: parked.receives,
    status: parked.status,
  };
}
