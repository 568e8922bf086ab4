import { createHash } from 'node:crypto';
import type { EngineCommand, MemberState } from './types.js';

/** The command a fired timer puts on the queue. */
export type TimerCommand = Extract<EngineCommand, { type: 'timer.fired' }>;

/**
 * A timer's name, which is also its input id: the kind, then a hash of the corp, the member and
 * what the timer is for. Penalty and ban ids are unique only within a member (a linked-WeChat ban
 * is named after the status record's own id), so the member is part of the name; without it a
 * second member's timer with the same record id would count as already applied. Valid as an
 * EventBridge Scheduler name (≤ 64 characters of `[0-9a-zA-Z-_.]`).
 */
function timerName(kind: 'u' | 'r' | 'd', member: Member, id: string): string {
  const hash = createHash('sha256').update(`${member.corpId}\n${member.userId}\n${id}`).digest('hex');
  return `${kind}.${hash.slice(0, 40)}`;
}

/** The schedule that lifts a timed penalty of the member. */
export function unbanScheduleName(member: Member, penaltyId: string): string {
  return timerName('u', member, penaltyId);
}

/** The schedule that restores interop `r2.restoreDelay` after a linked WeChat unban. */
export function restoreScheduleName(member: Member, banId: string): string {
  return timerName('r', member, banId);
}

/** The schedule that marks an undecided case overdue at its `reviewBy`. */
export function reviewDeadlineName(member: Member, caseId: string): string {
  return timerName('d', member, caseId);
}

type Member = Pick<MemberState, 'corpId' | 'userId'>;

/** A timer of the member; its id is its schedule's name, so it is applied once however often it fires. */
function timer(member: Member, name: string, at: number, kind: TimerCommand['timer']): TimerCommand {
  return { type: 'timer.fired', id: name, corpId: member.corpId, userId: member.userId, at, timer: kind };
}

/** The timer that lifts a timed penalty at its end. */
export function unbanTimer(member: Member, penaltyId: string, at: number): TimerCommand {
  return timer(member, unbanScheduleName(member, penaltyId), at, { kind: 'unban', penaltyId });
}

/** The timer that restores interop after a linked WeChat account's unban. */
export function restoreTimer(member: Member, banId: string, at: number): TimerCommand {
  return timer(member, restoreScheduleName(member, banId), at, { kind: 'r2-restore', banId });
}

/** The timer that marks a case overdue when it is still undecided at its `reviewBy`. */
export function reviewDeadlineTimer(member: Member, caseId: string, at: number): TimerCommand {
  return timer(member, reviewDeadlineName(member, caseId), at, { kind: 'review-deadline', caseId });
}

/**
 * The earliest time at which one of the member's timers is due, or null when none is pending:
 * what the sweep indexes, so that a member whose schedule was lost is still found.
 */
export function nextTimerAt(member: MemberState): number | null {
  let next: number | null = member.linkedWeChat.restoreAt;
  for (const penalty of member.penalties) {
    if (penalty.until !== null && (next === null || penalty.until < next)) next = penalty.until;
  }
  for (const c of member.cases ?? []) {
    if (c.status === 'open' && (next === null || c.reviewBy < next)) next = c.reviewBy;
  }
  return next;
}

/**
 * The timers due at `now` according to the member's state: the same commands, with the same ids,
 * as the schedules decided when the penalties were applied. Firing one that Scheduler fired too
 * changes nothing (its id was applied), and a stale one changes nothing either.
 */
export function dueTimers(member: MemberState, now: number): TimerCommand[] {
  const due: TimerCommand[] = [];
  for (const penalty of member.penalties) {
    if (penalty.until !== null && penalty.until <= now)
      due.push(unbanTimer(member, penalty.id, penalty.until));
  }
  const { restoreAt, banId } = member.linkedWeChat;
  if (restoreAt !== null && banId !== null && restoreAt <= now)
    due.push(restoreTimer(member, banId, restoreAt));
  for (const c of member.cases ?? []) {
    if (c.status === 'open' && c.reviewBy <= now) due.push(reviewDeadlineTimer(member, c.id, c.reviewBy));
  }
  return due;
}
