import { describe, expect, it } from 'vitest';
import { contactAddLimits, corpTrust } from '../../../../shared/domain/views.js';
import { addsFrom, ENFORCEMENTS } from '../../../helpers/decide-scenarios.js';
import {
  aComplaint,
  aContactAdded,
  aCorpProfile,
  aCustomerDeletion,
  aReport,
  CORP_ID,
  DAY,
  externalUserIds,
  HOUR,
  MINUTE,
  T0,
} from '../../../helpers/domain-inputs.js';
import { type DomainRun, decisionsOfType } from '../../../helpers/domain-run.js';

describe.each(ENFORCEMENTS)('$name', ({ run, policy, aPolicy }) => {
  describe('Daily contact-add limits', () => {
    it('shows the limits, each trust factor and its weight in the corp view', () => {
      // Given a corp with some activity
      const r = run(addsFrom(T0, 5, 5 * MINUTE));

      // When its status is read
      const view = r.corpView();

      // Then it shows limits of round(base x trust), and the four weighted factors behind the trust
      expect(view.trust.factors.map((f) => [f.name, f.weight])).toEqual([
        ['completeness', policy.contactAdds.trustWeights.completeness],
        ['usage', policy.contactAdds.trustWeights.usage],
        ['feedback', policy.contactAdds.trustWeights.feedback],
        ['compliance', policy.contactAdds.trustWeights.compliance],
      ]);
      for (const factor of view.trust.factors) {
        expect(factor.score).toBeGreaterThanOrEqual(0);
        expect(factor.score).toBeLessThanOrEqual(1);
        expect(factor.detail).not.toBe('');
      }
      expect(view.trust.value).toBeGreaterThanOrEqual(policy.contactAdds.minTrust);
      expect(view.trust.value).toBeLessThanOrEqual(policy.contactAdds.maxTrust);
      expect(view.limits).toEqual({
        contactAddsPerMemberPerDay: Math.round(policy.contactAdds.basePerMemberPerDay * view.trust.value),
        contactAddsPerCorpPerDay: Math.round(policy.contactAdds.basePerCorpPerDay * view.trust.value),
      });
      expect(view.limits).toEqual(contactAddLimits(r.corp, policy, r.now));
      expect(view.policyVersion).toBe(policy.version);
    });

    it('raises the limits when the subject is verified, deciding quota.changed', () => {
      // Given an unverified corp
      const r = run(addsFrom(T0, 5, 5 * MINUTE));
      const before = r.corpView().limits;

      // When its subject information is verified
      const decisions = r.apply(aCorpProfile({ subjectVerified: true, at: T0 + HOUR }));

      // Then the limits rise, and the change is decided
      const after = r.corpView().limits;
      expect(after.contactAddsPerMemberPerDay).toBeGreaterThan(before.contactAddsPerMemberPerDay);
      expect(after.contactAddsPerCorpPerDay).toBeGreaterThan(before.contactAddsPerCorpPerDay);
      expect(decisionsOfType(decisions, 'quota.changed')).toEqual([
        { type: 'quota.changed', corpId: CORP_ID, ...after, policyVersion: policy.version },
      ]);
      expect(r.corpView().trust.factors.find((f) => f.name === 'completeness')?.score).toBe(1);
    });

    it('decides nothing when the verification does not change', () => {
      // Given a verified corp
      const r = run([aCorpProfile({ subjectVerified: true, at: T0 })]);

      // When the same verification arrives
      const decisions = r.apply(aCorpProfile({ subjectVerified: true, at: T0 + HOUR }));

      // Then no quota change is decided
      expect(decisionsOfType(decisions, 'quota.changed')).toEqual([]);
    });

    it("lowers the trust on customers' negative feedback", () => {
      // Given a corp whose members added 20 contacts
      const contacts = externalUserIds(20);
      const r = run(contacts.map((id, i) => aContactAdded({ externalUserId: id, at: T0 + i * 5 * MINUTE })));
      const before = r.corpView(T0 + 3 * HOUR).trust;

      // When ten of them delete the member
      r.apply(
        ...contacts
          .slice(0, 10)
          .map((id, i) => aCustomerDeletion({ externalUserId: id, at: T0 + 2 * HOUR + i * MINUTE })),
      );

      // Then the feedback factor and the trust fall
      const after = r.corpView(T0 + 3 * HOUR).trust;
      const feedback = (t: typeof before) =>
        t.factors.find((f) => f.name === 'feedback')?.score ?? Number.NaN;
      expect(feedback(after)).toBeLessThan(feedback(before));
      expect(after.value).toBeLessThan(before.value);
      expect(r.violations()).toEqual([]);
    });

    it('lowers the trust on violations in the compliance window', () => {
      // Given a corp with some activity
      const r = run(addsFrom(T0, 5, 5 * MINUTE));
      const before = corpTrust(r.corp, policy, T0 + HOUR);

      // When members violate the rules
      r.apply(
        aReport('other-illegal', { userId: 'a', at: T0 + HOUR }),
        aReport('fraud', { userId: 'b', at: T0 + HOUR }),
      );

      // Then the compliance factor and the trust fall
      const after = corpTrust(r.corp, policy, T0 + HOUR);
      expect(after.factors.find((f) => f.name === 'compliance')?.score).toBeLessThan(
        before.factors.find((f) => f.name === 'compliance')?.score ?? 0,
      );
      expect(after.value).toBeLessThan(before.value);
    });

    it('advises a "contact me" code when one member makes more than half of a day\'s 10 or more adds', () => {
      // Given a member who made 8 of the day's 10 adds
      const r = run([
        ...addsFrom(T0, 8, 5 * MINUTE, { userId: 'busy' }),
        ...addsFrom(T0 + HOUR, 2, 5 * MINUTE, { userId: 'calm' }),
      ]);

      // When the corp status is read
      const { advice } = r.corpView();

      // Then it advises spreading adds with a multi-member "contact me" QR code
      expect(advice).toHaveLength(1);
      expect(advice[0]).toContain('busy');
      expect(advice[0]).toMatch(/contact me/);
    });

    it.each([
      ['half of 10 adds', 5, 5],
      ['6 of 9 adds', 6, 3],
    ])('gives no advice for %s', (_case, busy, calm) => {
      // Given the day's adds
      const r = run([
        ...addsFrom(T0, busy, 5 * MINUTE, { userId: 'busy' }),
        ...addsFrom(T0 + HOUR, calm, 5 * MINUTE, { userId: 'calm' }),
      ]);

      // Then there is no advice
      expect(r.corpView().advice).toEqual([]);
    });

    it('takes the number of adds that warrants advice from the policy', () => {
      // Given a policy that wants 20 adds in a day before it advises
      const policy = aPolicy({ contactAdds: { concentrationMinAdds: 20 } });

      // When one member makes all of a day's 12 adds
      const r = run(addsFrom(T0, 12, 5 * MINUTE, { userId: 'busy' }), { policy });

      // Then there is no advice yet
      expect(r.corpView().advice).toEqual([]);
    });

    it('gives no advice on a later day', () => {
      // Given a day when one member made every add
      const r = run(addsFrom(T0, 12, 5 * MINUTE, { userId: 'busy' }));
      expect(r.corpView().advice).toHaveLength(1);

      // Then the next day's status has no advice
      expect(r.corpView(T0 + DAY).advice).toEqual([]);
    });
  });
  describe("Days: WeCom's, in the policy's time zone", () => {
    const at = (iso: string) => Date.parse(iso);
    /** The number of a day: the one UTC gives its date, whatever the zone. */
    const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;
    const usage = (r: DomainRun, when: number) =>
      r.corpView(when).trust.factors.find((f) => f.name === 'usage')?.detail;

    it('counts adds at 23:00 and 01:00 UTC, 07:00 and 09:00 in Shanghai, as one day of adds', () => {
      // Given a member's adds either side of UTC midnight, on Monday 2 March in Shanghai
      const r = run([
        ...addsFrom(at('2026-03-01T23:00:00Z'), 6, MINUTE, { userId: 'busy' }),
        ...addsFrom(at('2026-03-02T01:00:00Z'), 6, MINUTE, { userId: 'busy' }),
      ]);

      // When the corp status is read at 09:10 in Shanghai
      const view = r.corpView(at('2026-03-02T01:10:00Z'));

      // Then the 12 adds are one day's: one counter, the member's 12 of them, and the advice they warrant
      expect(r.corp.daily).toEqual([dayNumber('2026-03-02'), 12]);
      expect(r.corp.addsToday).toEqual({
        day: dayNumber('2026-03-02'),
        total: 12,
        topUserId: 'busy',
        topCount: 12,
        members: [{ userId: 'busy', count: 12 }],
      });
      expect(view.advice).toEqual([expect.stringContaining("made 12 of today's 12 contact adds")]);
      // And the view names the day it counts and when it ends: midnight in Shanghai
      expect(view.day).toEqual({
        date: '2026-03-02',
        timeZone: 'Asia/Shanghai',
        endsAt: at('2026-03-02T16:00:00Z'),
      });
      expect(usage(r, at('2026-03-02T01:10:00Z'))).toBe('1 active days of the last 30');
    });

    it('counts adds at 15:30 and 16:30 UTC, either side of midnight in Shanghai, as two days', () => {
      // Given a member's adds on one UTC day, either side of midnight in Shanghai
      const r = run([
        ...addsFrom(at('2026-03-02T15:30:00Z'), 6, MINUTE, { userId: 'busy' }),
        ...addsFrom(at('2026-03-02T16:30:00Z'), 6, MINUTE, { userId: 'busy' }),
      ]);

      // When the corp status is read at 00:40 on Tuesday in Shanghai
      const view = r.corpView(at('2026-03-02T16:40:00Z'));

      // Then they are two days' adds: two counters, two active days, and no day with enough adds to advise
      expect(r.corp.daily).toEqual([dayNumber('2026-03-02'), 6, dayNumber('2026-03-03'), 6]);
      expect(r.corp.addsToday).toMatchObject({ day: dayNumber('2026-03-03'), total: 6, topCount: 6 });
      expect(view.advice).toEqual([]);
      expect(usage(r, at('2026-03-02T16:40:00Z'))).toBe('2 active days of the last 30');
      expect(view.day).toEqual({
        date: '2026-03-03',
        timeZone: 'Asia/Shanghai',
        endsAt: at('2026-03-03T16:00:00Z'),
      });
    });

    it('takes the zone from the policy: in UTC, 23:00 and 01:00 are two days', () => {
      // Given a policy whose days are UTC days
      const policy = aPolicy({ timeZone: 'UTC' });

      // When a member adds either side of UTC midnight
      const r = run(
        [
          ...addsFrom(at('2026-03-01T23:00:00Z'), 6, MINUTE, { userId: 'busy' }),
          ...addsFrom(at('2026-03-02T01:00:00Z'), 6, MINUTE, { userId: 'busy' }),
        ],
        { policy },
      );

      // Then those are two days, and the view says so
      expect(r.corp.daily).toEqual([dayNumber('2026-03-01'), 6, dayNumber('2026-03-02'), 6]);
      expect(r.corpView().advice).toEqual([]);
      expect(r.corpView().day).toEqual({
        date: '2026-03-02',
        timeZone: 'UTC',
        endsAt: at('2026-03-03T00:00:00Z'),
      });
    });

    it('counts "within 7 days" of added contacts in whole days of Shanghai', () => {
      // Given three contacts the member added at 01:00 on Monday 2 March in Shanghai (17:00 UTC the day before)
      const contacts = externalUserIds(3);
      const added = contacts.map((id, i) =>
        aContactAdded({ externalUserId: id, at: at('2026-03-01T17:00:00Z') + i * MINUTE }),
      );

      // When they complain at 23:00 on Monday 9 March in Shanghai, the seventh day after
      const complaints = contacts.map((id, i) =>
        aComplaint({ externalUserId: id, at: at('2026-03-09T15:00:00Z') + i * MINUTE }),
      );
      const r = run([...added, ...complaints]);

      // Then the adds are within the window: a malicious-contact-adds violation
      expect(r.violations().map((v) => v.category)).toEqual(['malicious-contact-adds']);
    });

    it('leaves added contacts out of "within 7 days" on the eighth day in Shanghai', () => {
      // Given the same adds, when the complaints come at 00:30 on Tuesday 10 March in Shanghai
      const contacts = externalUserIds(3);
      const r = run([
        ...contacts.map((id, i) =>
          aContactAdded({ externalUserId: id, at: at('2026-03-01T17:00:00Z') + i * MINUTE }),
        ),
        ...contacts.map((id, i) =>
          aComplaint({ externalUserId: id, at: at('2026-03-09T16:30:00Z') + i * MINUTE }),
        ),
      ]);

      // Then they are past the window: no violation
      expect(r.violations()).toEqual([]);
    });
  });
});
