import { describe, expect, it } from 'vitest';
import {
  ENFORCEMENTS,
  inducingSharing,
  r1Violations,
  rejections,
  theViolation,
} from '../../../helpers/decide-scenarios.js';
import {
  anAppeal,
  anUnblockRequest,
  aReport,
  aTimer,
  aWechatStatus,
  DAY,
  HOUR,
  MEMBER_ID,
  T0,
} from '../../../helpers/domain-inputs.js';
import { decisionsOfType, defined } from '../../../helpers/domain-run.js';

describe.each(ENFORCEMENTS)('$name', ({ run, policy }) => {
  describe('Rule 2: the linked WeChat account', () => {
    it('suspends interop while WeChat bans the linked account, without an end time or a strike', () => {
      // Given a member with one strike, unblocked
      const r = run([inducingSharing({ at: T0 }), anUnblockRequest({ at: T0 + HOUR })]);
      expect(r.view()).toMatchObject({ interop: { status: 'active' }, strikes: 1 });

      // When WeChat bans the linked account
      const ban = aWechatStatus('banned', { at: T0 + 2 * HOUR, reason: 'spam' });
      const violation = theViolation(r.apply(ban));

      // Then interop is suspended by R2 with no end, and the strikes are unchanged
      expect(violation).toMatchObject({
        rule: 'R2',
        category: 'linked-wechat-violation',
        penalty: { kind: 'suspension', scope: 'interop', until: null },
      });
      expect(r.view(MEMBER_ID, T0 + 100 * DAY)).toMatchObject({
        interop: { status: 'suspended', until: null, canApplyForUnblock: false, reason: { rule: 'R2' } },
        account: { status: 'active' },
        strikes: 1,
        linkedWeChat: { status: 'banned', restoreAt: null },
      });
    });

    it('restores interop r2.restoreDelay after the unban, by a schedule', () => {
      // Given a banned linked account
      const r = run([aWechatStatus('banned', { at: T0 })]);

      // When WeChat unbans it
      const unbanAt = T0 + 3 * DAY;
      r.apply(aWechatStatus('unbanned', { at: unbanAt }));

      // Then the restore is due 24 h later and interop stays suspended until then
      const restoreAt = unbanAt + policy.r2.restoreDelay;
      expect(r.view()).toMatchObject({
        interop: { status: 'suspended', until: null },
        linkedWeChat: { status: 'normal', restoreAt },
      });
      expect(r.pendingTimers().map((t) => t.at)).toEqual([restoreAt]);
      r.advanceTo(restoreAt - 1);
      expect(r.view().interop.status).toBe('suspended');

      // When the 24 h have passed
      const restored = r.advanceTo(restoreAt);

      // Then interop is active again, lifted by the schedule
      expect(decisionsOfType(restored, 'penalty.lifted')).toEqual([
        expect.objectContaining({ cause: expect.objectContaining({ kind: 'schedule' }) }),
      ]);
      expect(r.view()).toMatchObject({
        interop: { status: 'active' },
        linkedWeChat: { status: 'normal', restoreAt: null },
        strikes: 0,
      });
    });

    it('restores two members whose WeChat status records share an id, each by its own timer', () => {
      // Given two members banned and unbanned by status records with the same ids
      const r = run([
        aWechatStatus('banned', { at: T0, userId: 'first', statusId: 'ws-1' }),
        aWechatStatus('banned', { at: T0, userId: 'second', statusId: 'ws-1' }),
        aWechatStatus('unbanned', { at: T0 + DAY, userId: 'first', statusId: 'ws-2' }),
        aWechatStatus('unbanned', { at: T0 + DAY, userId: 'second', statusId: 'ws-2' }),
      ]);

      // When the 24 h have passed
      r.advanceTo(T0 + DAY + policy.r2.restoreDelay);

      // Then both are active again: two timers, not one
      expect(r.view('first').interop.status).toBe('active');
      expect(r.view('second').interop.status).toBe('active');
    });

    it('cancels a pending restore on a new ban; the old timer, if fired, changes nothing', () => {
      // Given an unbanned linked account with its restore pending
      const r = run([aWechatStatus('banned', { at: T0 }), aWechatStatus('unbanned', { at: T0 + DAY })]);
      const oldRestore = defined(r.pendingTimers()[0], 'restore timer');

      // When WeChat bans it again before the restore
      const decisions = r.apply(aWechatStatus('banned', { at: T0 + DAY + HOUR }));

      // Then the restore is cancelled and interop stays suspended past its time
      expect(decisionsOfType(decisions, 'schedule.cancel').map((d) => d.name)).toContain(oldRestore.name);
      expect(r.pendingTimers()).toEqual([]);
      r.advanceTo(oldRestore.at + HOUR);
      expect(r.view().interop).toMatchObject({ status: 'suspended', reason: { rule: 'R2' } });

      // When the cancelled timer fires all the same (a late delivery)
      const before = r.member();
      const stale = r.decideOne(oldRestore.input);

      // Then it changes nothing
      expect(stale.filter((d) => d.type !== 'audit')).toEqual([]);
      expect(r.member().penalties).toEqual(before.penalties);
      expect(r.member().linkedWeChat).toEqual(before.linkedWeChat);

      // And the second unban restores interop 24 h after it
      r.apply(aWechatStatus('unbanned', { at: T0 + 5 * DAY }));
      r.advanceTo(T0 + 6 * DAY);
      expect(r.view().interop.status).toBe('active');
    });

    it('never adds a strike', () => {
      // Given a member
      const r = run();

      // When WeChat bans and unbans the linked account three times
      for (let i = 0; i < 3; i++) {
        r.apply(
          aWechatStatus('banned', { at: T0 + i * 3 * DAY }),
          aWechatStatus('unbanned', { at: T0 + (i * 3 + 1) * DAY }),
        );
        r.advanceTo(T0 + (i * 3 + 2) * DAY);
      }

      // Then there are three R2 violations and no strike
      expect(r.violations().map((v) => v.rule)).toEqual(['R2', 'R2', 'R2']);
      expect(r.member().strikes).toBe(0);
      expect(r.member().violations.every((v) => !v.strike)).toBe(true);
      expect(r.view().interop.status).toBe('active');

      // And a later R1 violation is the first step
      expect(theViolation(r.apply(inducingSharing({ at: T0 + 20 * DAY }))).strikes).toBe(1);
    });

    it('ignores an unban when no ban is in force', () => {
      // Given a member whose linked account is not banned
      const r = run();

      // When an unban arrives
      const decisions = r.apply(aWechatStatus('unbanned', { at: T0 }));

      // Then nothing is scheduled or changed
      expect(decisions.filter((d) => d.type === 'schedule.create')).toEqual([]);
      expect(r.view()).toMatchObject({ interop: { status: 'active' }, linkedWeChat: { restoreAt: null } });
    });

    it('refuses an appeal of the R2 suspension and a reported R2 violation', () => {
      // Given a banned linked account
      const r = run([aWechatStatus('banned', { at: T0 })]);

      // When the admin appeals, and a reviewer reports an R2 violation
      const appeal = r.apply(anAppeal({ at: T0 + HOUR }));
      const report = r.apply(aReport('linked-wechat-violation', { at: T0 + HOUR }));

      // Then the appeal is a 409 and the report a 400
      expect(rejections(appeal)).toEqual([expect.objectContaining({ status: 409 })]);
      expect(rejections(report)).toEqual([expect.objectContaining({ status: 400 })]);
    });
  });
  describe('Timers delivered out of turn', () => {
    it('ignores an unban timer that comes before the end of its penalty', () => {
      // Given a 7-day suspension
      const r = run();
      const [, second] = r1Violations(r, 2);

      // When its unban timer is delivered early
      const early = r.decideOne(
        aTimer({ kind: 'unban', penaltyId: defined(second).id }, { at: T0 + 2 * DAY }),
      );

      // Then the suspension stands
      expect(decisionsOfType(early, 'penalty.lifted').map((d) => d.penaltyId)).not.toContain(
        defined(second).id,
      );
      expect(r.view().interop).toMatchObject({ status: 'suspended', until: T0 + HOUR + 7 * DAY });
    });

    it('ignores a restore timer for a ban that is not the one in force', () => {
      // Given a WeChat ban in force
      const r = run([aWechatStatus('banned', { at: T0 })]);

      // When a restore timer for another ban fires
      const decisions = r.decideOne(
        aTimer({ kind: 'r2-restore', banId: 'status-other' }, { at: T0 + 3 * DAY }),
      );

      // Then nothing changes
      expect(decisionsOfType(decisions, 'penalty.lifted')).toEqual([]);
      expect(r.view().interop).toMatchObject({ status: 'suspended', reason: { rule: 'R2' } });
    });
  });
});
