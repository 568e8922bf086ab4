import type { Cause } from '../decisions.js';
import type { DomainEvent } from '../events.js';
import { linkedWechatBanPenalty, linkedWechatPenaltyId } from '../rules/linked-wechat-ban.js';
import { restoreScheduleName, restoreTimer } from '../timers.js';
import type { EngineCommand, MemberState } from '../types.js';
import { onReviewDeadline } from './cases.js';
import type { Draft } from './draft.js';
import { iso } from './iso-time.js';
import { liftPenalty } from './penalty-set.js';
import { recordViolation } from './record-violation.js';

/** WeChat banned or unbanned the member's linked account: rule 2's suspension, or its restore. */
export function onWechatStatus(
  d: Draft,
  event: Extract<DomainEvent, { type: 'wechat.status-changed' }>,
): void {
  const member = d.member();
  const linked = member.linkedWeChat;
  if (isStaleStatus(linked, event)) {
    d.audit(
      { kind: 'linked-wechat', id: event.statusId, inputId: event.id },
      `linked WeChat ${event.status} of ${iso(event.at)} ignored: not newer than the change applied at ${iso(linked.changedAt ?? event.at)}`,
    );
    return;
  }
  const applied = { changedAt: event.at };
  if (event.status === 'banned') {
    if (linked.restoreAt !== null && linked.banId !== null)
      d.decisions.push({ type: 'schedule.cancel', name: restoreScheduleName(member, linked.banId) });
    const banId = event.statusId;
    const violationId = d.violationId();
    // One R2 penalty at a time: a new ban replaces the previous one (and its pending restore).
    member.penalties = member.penalties.filter((p) => p.rule !== 'R2');
    member.linkedWeChat = { status: 'banned', restoreAt: null, banId, ...applied };
    recordViolation(
      d,
      'linked-wechat-violation',
      false,
      {
        summary: 'the WeChat account linked to the member was banned by WeChat',
        reason: event.reason,
      },
      linkedWechatBanPenalty(banId, violationId, event.at),
    );
    return;
  }
  // Unbanned: a stale unban (no ban in force) changes nothing.
  if (linked.status !== 'banned' || linked.banId === null) return;
  const restoreAt = event.at + d.policy.r2.restoreDelay;
  member.linkedWeChat = { status: 'normal', restoreAt, banId: linked.banId, ...applied };
  d.decisions.push({
    type: 'schedule.create',
    name: restoreScheduleName(member, linked.banId),
    at: restoreAt,
    input: restoreTimer(member, linked.banId, restoreAt),
  });
  d.audit(
    { kind: 'linked-wechat', id: event.statusId, inputId: event.id },
    `linked WeChat unbanned: interop restored at ${iso(restoreAt)}`,
  );
}

/**
 * Whether a status change is no newer than the last one applied (that one again, or older): a
 * captured `banned` replayed after the input markers expired must not ban the member again.
 */
function isStaleStatus(
  linked: MemberState['linkedWeChat'],
  event: Extract<DomainEvent, { type: 'wechat.status-changed' }>,
): boolean {
  return linked.changedAt !== undefined && event.at <= linked.changedAt;
}

/** A fired timer: a timed penalty's unban, rule 2's restore after the WeChat unban, or a case's review deadline. */
export function onTimer(d: Draft, command: Extract<EngineCommand, { type: 'timer.fired' }>): void {
  const member = d.member();
  const cause: Cause = { kind: 'schedule', id: command.id, inputId: command.id };
  const { timer } = command;
  if (timer.kind === 'unban') {
    const { penaltyId } = timer;
    const penalty = member.penalties.find((p) => p.id === penaltyId);
    // A stale timer (penalty already lifted, or lengthened past this time) changes nothing.
    if (!penalty || penalty.until === null || penalty.until > command.at) return;
    liftPenalty(d, penalty, cause, false);
    return;
  }
  if (timer.kind === 'review-deadline') {
    onReviewDeadline(d, timer.caseId);
    return;
  }
  const linked = member.linkedWeChat;
  if (
    linked.status !== 'normal' ||
    linked.banId !== timer.banId ||
    linked.restoreAt === null ||
    linked.restoreAt > command.at
  ) {
    return;
  }
  member.linkedWeChat = { ...linked, restoreAt: null, banId: null };
  const penalty = member.penalties.find((p) => p.id === linkedWechatPenaltyId(timer.banId));
  if (penalty) liftPenalty(d, penalty, cause, false);
}
