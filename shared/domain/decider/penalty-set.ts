import type { Cause } from '../decisions.js';
import { unbanScheduleName, unbanTimer } from '../timers.js';
import type { Penalty } from '../types.js';
import type { Draft } from './draft.js';

/**
 * Permanent penalties of one kind kept at once: more add nothing to the member's status, but a few
 * keep it right when one of them is voided on appeal.
 */
const MAX_SAME_PERMANENT = 2;

/** Adds a penalty; a timed one gets its unban schedule. Longer penalties in force are untouched. */
export function addPenalty(d: Draft, penalty: Penalty, cause: Cause): void {
  const member = d.member();
  if (member.penalties.some((p) => p.id === penalty.id)) return;
  // Beyond a few permanent penalties of the same kind and scope another is moot, and the list
  // stays bounded for a member who goes on violating after a ban.
  const samePermanent = member.penalties.filter(
    (p) =>
      p.until === null && p.kind === penalty.kind && p.scope === penalty.scope && p.kind !== 'suspension',
  ).length;
  if (samePermanent >= MAX_SAME_PERMANENT) return;
  member.penalties = [...member.penalties, penalty];
  d.penaltiesChanged = true;
  d.decisions.push({
    type: 'penalty.applied',
    subject: d.subject(),
    penaltyId: penalty.id,
    reason: { rule: penalty.rule, category: penalty.category, violationId: penalty.violationId },
    until: penalty.until,
    cause,
    policyVersion: d.policy.version,
  });
  if (penalty.until !== null) {
    d.decisions.push({
      type: 'schedule.create',
      name: unbanScheduleName(member, penalty.id),
      at: penalty.until,
      input: unbanTimer(member, penalty.id, penalty.until),
    });
  }
}

/** Lifts one penalty; `cancelTimer` when it is lifted before its own unban schedule fires. */
export function liftPenalty(d: Draft, penalty: Penalty, cause: Cause, cancelTimer: boolean): void {
  const member = d.member();
  member.penalties = member.penalties.filter((p) => p.id !== penalty.id);
  d.penaltiesChanged = true;
  d.decisions.push({
    type: 'penalty.lifted',
    subject: d.subject(),
    penaltyId: penalty.id,
    cause,
    policyVersion: d.policy.version,
  });
  if (penalty.until !== null && cancelTimer) {
    d.decisions.push({ type: 'schedule.cancel', name: unbanScheduleName(member, penalty.id) });
  }
}

/**
 * Ends the timed penalties whose time has passed (their own timer may not have fired yet): the
 * state stays bounded, and the lift is recorded as that timer's, whose later firing is then stale.
 */
export function endExpiredPenalties(d: Draft): void {
  const original = d.original.member;
  const at = d.input.at;
  if (!original?.penalties.some((p) => p.until !== null && p.until <= at)) return;
  const member = d.member();
  for (const penalty of member.penalties) {
    if (penalty.until === null || penalty.until > at) continue;
    const cause: Cause = {
      kind: 'schedule',
      id: unbanScheduleName(member, penalty.id),
      inputId: d.input.id,
    };
    liftPenalty(d, penalty, cause, true);
  }
}
