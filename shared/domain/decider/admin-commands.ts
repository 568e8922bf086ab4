import type { Cause } from '../decisions.js';
import { quotedText } from '../quote.js';
import { ruleOf } from '../rules/rule-registry.js';
import type { EngineCommand } from '../types.js';
import { contactAddLimits } from '../views.js';
import type { Draft } from './draft.js';
import { liftPenalty } from './penalty-set.js';
import { applyViolation } from './record-violation.js';

/** A reviewer's note quoted in a summary keeps this many characters at most (the admin API's own limit). */
const REPORT_NOTE_MAX_CHARS = 2000;

/** A reviewer's report: a violation of the reported category, unless its rule cannot be reported. */
export function onReported(d: Draft, command: Extract<EngineCommand, { type: 'violation.reported' }>): void {
  const { notReportable } = ruleOf(command.category);
  if (notReportable !== null) {
    d.reject(400, notReportable);
    return;
  }
  applyViolation(d, command.category, {
    summary: `reported by reviewer ${command.reviewer}${command.note ? `: ${quotedText(command.note, REPORT_NOTE_MAX_CHARS)}` : ''}`,
    reviewer: command.reviewer,
    badInfluence: command.badInfluence,
  });
}

/** An unblock application on a first rule-1 suspension: lifted at once, or an appeal for review. */
export function onUnblockRequested(
  d: Draft,
  command: Extract<EngineCommand, { type: 'unblock.requested' }>,
): void {
  const member = d.member();
  const penalty = member.penalties.find(
    (p) => p.canApplyForUnblock && (p.until === null || p.until > command.at),
  );
  if (!penalty) {
    d.reject(409, 'unblocking can be applied for only on a first rule-1 suspension, once');
    return;
  }
  const cause: Cause = { kind: 'unblock-application', id: command.id, inputId: command.id };
  if (d.policy.r1.autoApproveUnblock) {
    // The strike stays: only the suspension is lifted.
    liftPenalty(d, penalty, cause, true);
    return;
  }
  member.penalties = member.penalties.map((p) =>
    p.id === penalty.id ? { ...p, canApplyForUnblock: false } : p,
  );
  d.addAppeal({
    id: command.id,
    violationId: penalty.violationId ?? penalty.id,
    filedAt: command.at,
    status: 'open',
    kind: 'unblock',
  });
}

/** The corp's verification changed: its contact-add quota with it. */
export function onCorpProfile(
  d: Draft,
  command: Extract<EngineCommand, { type: 'corp.profile-updated' }>,
): void {
  const corp = d.mutableCorp();
  if (corp.subjectVerified === command.subjectVerified) return;
  const before = contactAddLimits(d.corp, d.policy, command.at);
  corp.subjectVerified = command.subjectVerified;
  const after = contactAddLimits(d.corp, d.policy, command.at);
  if (
    before.contactAddsPerMemberPerDay !== after.contactAddsPerMemberPerDay ||
    before.contactAddsPerCorpPerDay !== after.contactAddsPerCorpPerDay
  ) {
    d.decisions.push({
      type: 'quota.changed',
      corpId: corp.corpId,
      ...after,
      policyVersion: d.policy.version,
    });
  }
}
