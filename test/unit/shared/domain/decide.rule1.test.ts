import { describe, expect, it } from 'vitest';
import { contactAddLimits } from '../../../../shared/domain/views.js';
import {
  addsFrom,
  ENFORCEMENTS,
  inducingSharing,
  marketing,
  r1Violations,
  theViolation,
} from '../../../helpers/decide-scenarios.js';
import { NEUTRAL_TEXT, TERMS } from '../../../helpers/domain-classifier.js';
import {
  aComplaint,
  aContactAdded,
  aCorpProfile,
  aCustomerDeletion,
  aMessage,
  DAY,
  externalUserIds,
  HOUR,
  MEMBER_ID,
  MINUTE,
  SECOND,
  T0,
} from '../../../helpers/domain-inputs.js';
import { decisionsOfType, defined, violationsIn } from '../../../helpers/domain-run.js';

describe.each(ENFORCEMENTS)('$name', ({ run, policy }) => {
  describe('Rule 1: the ladder, counted per member', () => {
    it('suspends interop for r1.firstSuspension on the first violation, with unblocking allowed', () => {
      // Given a member with a clean record
      const r = run();

      // When the member commits a first R1 violation
      const violation = theViolation(r.apply(inducingSharing({ at: T0 })));

      // Then interop is suspended for a day, the admin may apply for unblocking, and it is strike 1
      expect(violation).toMatchObject({
        rule: 'R1',
        category: 'inducing-sharing',
        strikes: 1,
        penalty: { kind: 'suspension', scope: 'interop', until: T0 + policy.r1.firstSuspension },
      });
      expect(r.view(MEMBER_ID, T0)).toMatchObject({
        interop: {
          status: 'suspended',
          until: T0 + policy.r1.firstSuspension,
          canApplyForUnblock: true,
          reason: { rule: 'R1', category: 'inducing-sharing', violationId: violation.id },
        },
        account: { status: 'active' },
        strikes: 1,
      });
    });

    it('suspends for r1.secondSuspension without unblocking on the second, and bans on the third', () => {
      // Given a member whose first suspension has ended
      const r = run([inducingSharing({ at: T0 })]);
      r.advanceTo(T0 + 2 * DAY);

      // When a second violation follows
      const second = theViolation(r.apply(inducingSharing({ at: T0 + 2 * DAY })));

      // Then interop is suspended for seven days, with no unblock application
      expect(second).toMatchObject({
        strikes: 2,
        penalty: { kind: 'suspension', until: T0 + 2 * DAY + 7 * DAY },
      });
      expect(r.view().interop).toMatchObject({
        status: 'suspended',
        until: T0 + 2 * DAY + policy.r1.secondSuspension,
        canApplyForUnblock: false,
      });

      // When a third violation follows that one's end
      r.advanceTo(T0 + 10 * DAY);
      const third = theViolation(r.apply(inducingSharing({ at: T0 + 10 * DAY })));

      // Then interop is banned permanently; the account itself stays active
      expect(third).toMatchObject({ strikes: 3, penalty: { kind: 'ban', scope: 'interop', until: null } });
      expect(r.view(MEMBER_ID, T0 + 1000 * DAY)).toMatchObject({
        interop: { status: 'banned', until: null, canApplyForUnblock: false },
        account: { status: 'active' },
        strikes: 3,
      });
      expect(r.pendingTimers()).toEqual([]);
    });

    it('ends each timed suspension by its own schedule', () => {
      // Given a first suspension and its unban schedule
      const r = run();
      const first = theViolation(r.apply(inducingSharing({ at: T0 })));
      expect(r.pendingTimers().map((t) => t.at)).toEqual([T0 + DAY]);

      // When its time comes
      const atFirstEnd = r.advanceTo(T0 + DAY);

      // Then the schedule lifts it and interop is active again; the strike stays
      expect(decisionsOfType(atFirstEnd, 'penalty.lifted')).toEqual([
        expect.objectContaining({
          penaltyId: first.id,
          cause: expect.objectContaining({ kind: 'schedule' }),
        }),
      ]);
      expect(r.member().penalties).toEqual([]);
      expect(r.view()).toMatchObject({ interop: { status: 'active', until: null }, strikes: 1 });

      // Given a second suspension
      const second = theViolation(r.apply(inducingSharing({ at: T0 + 3 * DAY })));

      // When six days pass, then it still holds; at seven it ends by its schedule
      r.advanceTo(T0 + 9 * DAY);
      expect(r.view().interop.status).toBe('suspended');
      const atSecondEnd = r.advanceTo(T0 + 10 * DAY);
      expect(decisionsOfType(atSecondEnd, 'penalty.lifted').map((d) => d.penaltyId)).toEqual([second.id]);
      expect(r.view()).toMatchObject({ interop: { status: 'active' }, strikes: 2 });
    });

    it('counts strikes per member', () => {
      // Given two members, one with two violations
      const r = run();
      r1Violations(r, 2, T0, 'lisi');

      // When the other commits a first violation
      const violation = theViolation(r.apply(inducingSharing({ at: T0 + 3 * HOUR })));

      // Then it is that member's first strike
      expect(violation.strikes).toBe(1);
      expect(r.view('lisi').strikes).toBe(2);
    });
  });

  describe('R1 harassing-marketing', () => {
    it('is found when the recipients of marketing complain or delete the member 3 times within 7 days', () => {
      // Given marketing sent to three customers
      const customers = externalUserIds(3);
      const r = run([marketing(customers, T0)]);
      const [first, second, third] = customers.map((id, i) =>
        i === 1
          ? aCustomerDeletion({ externalUserId: id, at: T0 + (i + 1) * DAY })
          : aComplaint({ externalUserId: id, at: T0 + (i + 1) * DAY }),
      );

      // When two of them complain or delete the member, nothing yet
      expect(violationsIn(r.apply(defined(first), defined(second)))).toEqual([]);

      // When the third complains within the week
      const violation = theViolation(r.apply(defined(third)));

      // Then it is a harassing-marketing violation, with the count against its threshold
      expect(violation).toMatchObject({ rule: 'R1', category: 'harassing-marketing', strikes: 1 });
      expect(violation.explanation.evidence.counts).toContainEqual(
        expect.objectContaining({ value: 3, threshold: policy.harassment.minNegativeFeedback }),
      );
      expect(violation.explanation.evidence.inputIds).toContain(defined(third).id);
      expect(r.view().interop.status).toBe('suspended');
    });

    it('ignores complaints from customers who were not sent the marketing', () => {
      // Given marketing sent to three customers
      const r = run([marketing(externalUserIds(3), T0)]);

      // When three other customers complain
      const decisions = r.apply(
        ...externalUserIds(3).map((id, i) => aComplaint({ externalUserId: id, at: T0 + (i + 1) * HOUR })),
      );

      // Then there is no violation
      expect(violationsIn(decisions)).toEqual([]);
    });

    it('ignores complaints after a message that is not marketing', () => {
      // Given an ordinary message to three customers
      const customers = externalUserIds(3);
      const r = run([aMessage({ text: NEUTRAL_TEXT, recipients: customers, at: T0 })]);

      // When all three complain
      const decisions = r.apply(
        ...customers.map((id, i) => aComplaint({ externalUserId: id, at: T0 + (i + 1) * HOUR })),
      );

      // Then there is no violation
      expect(violationsIn(decisions)).toEqual([]);
    });

    it('ignores negative feedback spread over more than 7 days', () => {
      // Given marketing sent every day to the same three customers
      const customers = externalUserIds(3);
      const r = run(Array.from({ length: 10 }, (_, day) => marketing(customers, T0 + day * DAY)));

      // When they complain on days 0, 4 and 8: never three within a week
      const decisions = r.apply(
        ...customers.map((id, i) => aComplaint({ externalUserId: id, at: T0 + 4 * i * DAY + HOUR })),
      );

      // Then there is no violation
      expect(violationsIn(decisions)).toEqual([]);
    });

    it('counts a complaint made less than 7 days after the marketing, across a day boundary', () => {
      // Given marketing sent on a Monday at 08:00 to three customers
      const customers = externalUserIds(3);
      const r = run([marketing(customers, T0)]);

      // When they complain 4 days, 5 days and 6 days 18 hours later (the last at 02:00 a week on)
      const decisions = r.apply(
        ...customers.map((id, i) =>
          aComplaint({ externalUserId: id, at: T0 + defined([4 * DAY, 5 * DAY, 6 * DAY + 18 * HOUR][i]) }),
        ),
      );

      // Then all three fall within the 7 days of POLICY.md: a harassing-marketing violation
      expect(violationsIn(decisions).map((v) => v.category)).toEqual(['harassing-marketing']);
    });
  });

  describe('R1 inducing-sharing', () => {
    it('is found from the message text, with the matched term as evidence', () => {
      // Given a member
      const r = run();

      // When the member sends a text inducing customers to share to Moments
      const message = inducingSharing({ at: T0 });
      const violation = theViolation(r.apply(message));

      // Then it is an R1 inducing-sharing violation with its evidence
      expect(violation).toMatchObject({
        rule: 'R1',
        category: 'inducing-sharing',
        penalty: { kind: 'suspension', scope: 'interop' },
      });
      expect(violation.explanation.evidence).toMatchObject({
        inputIds: [message.id],
        matchedTerms: [{ text: TERMS['inducing-sharing'], truncated: false }],
        contentCategories: ['inducing-sharing'],
      });
    });

    it("finds nothing in a customer's own message", () => {
      // Given a member
      const r = run();

      // When a customer writes to the member, inducing to share
      const decisions = r.apply(
        aMessage({
          text: TERMS['inducing-sharing'],
          recipients: [MEMBER_ID],
          senderKind: 'external',
          at: T0,
        }),
      );

      // Then nothing is held against the member
      expect(violationsIn(decisions)).toEqual([]);
    });

    it('finds nothing in an ordinary text or a marketing text alone', () => {
      // Given a member
      const r = run();

      // When the member sends an ordinary message and a marketing one
      const decisions = r.apply(
        aMessage({ text: NEUTRAL_TEXT, at: T0 }),
        marketing(externalUserIds(2), T0 + MINUTE),
      );

      // Then there is no violation
      expect(violationsIn(decisions)).toEqual([]);
    });
  });

  describe('R1 malicious-contact-adds', () => {
    it('is found when the adds of a rolling 24 h go over the limit of the corp view', () => {
      // Given a member's first add of the day, and the limit the corp view shows
      const r = run([aContactAdded({ at: T0 })]);
      const limit = r.corpView(T0).limits.contactAddsPerMemberPerDay;
      expect(limit).toBe(contactAddLimits(r.corp, policy, T0).contactAddsPerMemberPerDay);

      // When the member adds up to the limit, 5 minutes apart
      const upToLimit = r.apply(...addsFrom(T0 + 5 * MINUTE, limit - 1, 5 * MINUTE));

      // Then there is no violation
      expect(violationsIn(upToLimit)).toEqual([]);
      expect(r.corpView().limits.contactAddsPerMemberPerDay).toBe(limit);

      // When one more add goes over it
      const violation = theViolation(r.apply(aContactAdded({ at: T0 + limit * 5 * MINUTE })));

      // Then it is a malicious-contact-adds violation: adds in 24 h against the limit
      expect(violation).toMatchObject({ rule: 'R1', category: 'malicious-contact-adds', strikes: 1 });
      expect(violation.explanation.evidence.counts).toContainEqual(
        expect.objectContaining({ value: limit + 1, threshold: limit }),
      );
    });

    it('counts a breach once per 24 h', () => {
      // Given a member who went over the limit
      const r = run([aContactAdded({ at: T0 })]);
      const limit = r.corpView(T0).limits.contactAddsPerMemberPerDay;
      r.apply(...addsFrom(T0 + 5 * MINUTE, limit, 5 * MINUTE));
      const first = defined(r.violations()[0]);
      expect(r.violations()).toHaveLength(1);

      // When the member goes on adding the same day
      const sameDay = r.apply(...addsFrom(first.at + 5 * MINUTE, 30, 5 * MINUTE));

      // Then the breach is not counted again
      expect(violationsIn(sameDay)).toEqual([]);

      // When the member is over the limit again a day after the first breach
      const nextDay = r.apply(...addsFrom(first.at + DAY, limit + 2, MINUTE));

      // Then that counts again, once, as the member's second strike
      const later = violationsIn(nextDay);
      expect(later).toHaveLength(1);
      expect(defined(later[0]).at - first.at).toBeGreaterThanOrEqual(DAY);
      expect(later[0]).toMatchObject({ category: 'malicious-contact-adds', strikes: 2 });
    });

    it('takes the limit from the corp: a verified corp allows more adds', () => {
      // Given the limit of an unverified corp
      const unverified = run([aContactAdded({ at: T0 })]);
      const unverifiedLimit = unverified.corpView(T0).limits.contactAddsPerMemberPerDay;

      // And a verified corp, whose view shows a higher limit
      const verified = run([
        aCorpProfile({ subjectVerified: true, at: T0 - HOUR }),
        aContactAdded({ at: T0 }),
      ]);
      expect(verified.corpView(T0).limits.contactAddsPerMemberPerDay).toBeGreaterThan(unverifiedLimit + 1);

      // When a member of each adds one more than the unverified limit
      unverified.apply(...addsFrom(T0 + 5 * MINUTE, unverifiedLimit, 5 * MINUTE));
      verified.apply(...addsFrom(T0 + 5 * MINUTE, unverifiedLimit, 5 * MINUTE));

      // Then only the unverified corp's member is in breach
      expect(unverified.violations().map((v) => v.category)).toEqual(['malicious-contact-adds']);
      expect(verified.violations()).toEqual([]);
    });

    it('is found on 3 complaints from contacts the member added in the last 7 days', () => {
      // Given three contacts the member added
      const contacts = externalUserIds(3);
      const r = run(contacts.map((id, i) => aContactAdded({ externalUserId: id, at: T0 + i * HOUR })));

      // When they complain over the following days
      const decisions = r.apply(
        ...contacts.map((id, i) => aComplaint({ externalUserId: id, at: T0 + (i + 2) * DAY })),
      );

      // Then it is a malicious-contact-adds violation, with complaints against their threshold
      const violation = theViolation(decisions);
      expect(violation).toMatchObject({ rule: 'R1', category: 'malicious-contact-adds' });
      expect(violation.explanation.evidence.counts).toContainEqual(
        expect.objectContaining({ value: 3, threshold: policy.contactAdds.minComplaints }),
      );
    });

    it('ignores complaints from contacts added more than 7 days before', () => {
      // Given three contacts added long ago
      const contacts = externalUserIds(3);
      const r = run(contacts.map((id, i) => aContactAdded({ externalUserId: id, at: T0 + i * HOUR })));

      // When they complain more than a week later
      const decisions = r.apply(
        ...contacts.map((id, i) => aComplaint({ externalUserId: id, at: T0 + 8 * DAY + i * HOUR })),
      );

      // Then there is no violation
      expect(violationsIn(decisions)).toEqual([]);
    });

    it('ignores complaints from contacts the member did not add', () => {
      // Given contacts the member added
      const r = run(
        externalUserIds(3).map((id, i) => aContactAdded({ externalUserId: id, at: T0 + i * HOUR })),
      );

      // When three other customers complain
      const decisions = r.apply(
        ...externalUserIds(3).map((id, i) => aComplaint({ externalUserId: id, at: T0 + DAY + i * HOUR })),
      );

      // Then there is no violation
      expect(violationsIn(decisions)).toEqual([]);
    });

    it('does not count "contact me" adds against the member limit or cadence', () => {
      // Given the member limit
      const r = run([aContactAdded({ at: T0, viaContactMe: true })]);
      const limit = r.corpView(T0).limits.contactAddsPerMemberPerDay;

      // When customers add the member through a "contact me" code, well over the limit, some within seconds
      const decisions = r.apply(
        ...addsFrom(T0 + SECOND, 30, SECOND, { viaContactMe: true }),
        ...addsFrom(T0 + HOUR, limit + 20, MINUTE, { viaContactMe: true }),
      );

      // Then there is no violation
      expect(violationsIn(decisions)).toEqual([]);
      expect(r.view().interop.status).toBe('active');
    });
  });
});
