import { describe, expect, it } from 'vitest';
import { ENFORCEMENTS } from '../../../helpers/decide-scenarios.js';
import { aMessage, aWechatStatus, DAY, HOUR, MEMBER_ID, MINUTE, T0 } from '../../../helpers/domain-inputs.js';
import { decisionsOfType } from '../../../helpers/domain-run.js';

// Issue 10, item 10: a member's WeChat status changes apply in event-time order, never by arrival,
// so a captured callback replayed once every dedupe memory of it is gone changes nothing.

/** Enough other inputs of the member that the state no longer remembers the earlier ones. */
function manyMessages(from: number, count = 40) {
  return Array.from({ length: count }, (_, i) =>
    aMessage({ text: 'see you tomorrow', at: from + i * MINUTE }),
  );
}

describe.each(ENFORCEMENTS)('$name', ({ run, policy }) => {
  describe('WeChat status changes in event-time order', () => {
    it('ignores a captured ban replayed after the ban was lifted and forgotten, recording why', () => {
      // Given a member banned, unbanned, restored, and then busy long enough to forget the ban
      const ban = aWechatStatus('banned', { at: T0, statusId: 'ban-1' });
      const r = run([ban, aWechatStatus('unbanned', { at: T0 + DAY, statusId: 'unban-1' })], {
        fireTimers: true,
      });
      r.advanceTo(T0 + DAY + policy.r2.restoreDelay);
      r.apply(...manyMessages(T0 + 3 * DAY));
      expect(r.view().interop.status).toBe('active');

      // When the very same ban callback is delivered again, weeks later
      const replayed = r.apply(ban);

      // Then interop stays active, nothing is recorded against the member, and the audit says why
      expect(r.view()).toMatchObject({ interop: { status: 'active' }, linkedWeChat: { status: 'normal' } });
      expect(decisionsOfType(replayed, 'violation.recorded')).toEqual([]);
      expect(decisionsOfType(replayed, 'schedule.create')).toEqual([]);
      expect(decisionsOfType(replayed, 'audit')).toEqual([
        expect.objectContaining({ change: expect.stringMatching(/banned .* ignored/) }),
      ]);
      expect(r.violations()).toHaveLength(1);
    });

    it('ignores an older ban delivered after a newer unban', () => {
      // Given a member whose account was banned (ban-2) and then unbanned
      const r = run([
        aWechatStatus('banned', { at: T0 + 2 * HOUR, statusId: 'ban-2' }),
        aWechatStatus('unbanned', { at: T0 + 5 * HOUR, statusId: 'unban-2' }),
      ]);
      const restoreAt = T0 + 5 * HOUR + policy.r2.restoreDelay;

      // When an older ban (ban-1, from before both) arrives late
      const late = r.apply(aWechatStatus('banned', { at: T0 + HOUR, statusId: 'ban-1' }));

      // Then the pending restore is kept and no second violation is recorded
      expect(decisionsOfType(late, 'schedule.cancel')).toEqual([]);
      expect(decisionsOfType(late, 'violation.recorded')).toEqual([]);
      expect(r.view()).toMatchObject({ linkedWeChat: { status: 'normal', restoreAt } });
      expect(r.pendingTimers().map((timer) => timer.at)).toEqual([restoreAt]);
    });

    it('ignores an older unban delivered after a newer ban', () => {
      // Given a member banned at 3 h
      const r = run([aWechatStatus('banned', { at: T0 + 3 * HOUR, statusId: 'ban-3' })]);

      // When an unban from 1 h arrives late
      const late = r.apply(aWechatStatus('unbanned', { at: T0 + HOUR, statusId: 'unban-0' }));

      // Then interop stays suspended by R2 with no restore scheduled
      expect(decisionsOfType(late, 'schedule.create')).toEqual([]);
      expect(r.view(MEMBER_ID, T0 + 10 * DAY)).toMatchObject({
        interop: { status: 'suspended', reason: { rule: 'R2' } },
        linkedWeChat: { status: 'banned', restoreAt: null },
      });
    });

    it('still applies a newer ban after an unban (order by event time, not refusal of repeats)', () => {
      // Given a ban and its unban
      const r = run([
        aWechatStatus('banned', { at: T0, statusId: 'ban-a' }),
        aWechatStatus('unbanned', { at: T0 + HOUR, statusId: 'unban-a' }),
      ]);

      // When WeChat bans the account again later
      const again = r.apply(aWechatStatus('banned', { at: T0 + 2 * HOUR, statusId: 'ban-b' }));

      // Then it is a new R2 violation, and the pending restore is cancelled
      expect(decisionsOfType(again, 'violation.recorded')).toHaveLength(1);
      expect(decisionsOfType(again, 'schedule.cancel')).toHaveLength(1);
      expect(r.view().linkedWeChat).toMatchObject({ status: 'banned' });
    });
  });
});
