import { describe, expect, it } from 'vitest';
import type { ContentCategory } from '../../../../shared/domain/classification.js';
import type { Decision, Violation } from '../../../../shared/domain/decisions.js';
import { durationMs, parsePolicySet } from '../../../../shared/domain/policy.js';
import { CATEGORY_RULES, type Category } from '../../../../shared/domain/types.js';
import { contactAddLimits, corpTrust } from '../../../../shared/domain/views.js';
import { aTableClassifier, NEUTRAL_TEXT, TERMS } from '../../../helpers/domain-classifier.js';
import {
  aComplaint,
  aContactAdded,
  aCorpProfile,
  aCustomerDeletion,
  aMessage,
  anAppeal,
  anAppealDecision,
  anEnterpriseAppeal,
  anUnblockRequest,
  aProfileChange,
  aReport,
  aTimer,
  aWechatStatus,
  CORP_ID,
  DAY,
  ENTERPRISE_DOCUMENTS,
  externalUserIds,
  HOUR,
  MEMBER_ID,
  MINUTE,
  SECOND,
  T0,
} from '../../../helpers/domain-inputs.js';
import { aPolicy, aPolicyDocument, aPolicySet, DEFAULT_POLICY } from '../../../helpers/domain-policy.js';
import { type DomainRun, decisionsOfType, defined, run, violationsIn } from '../../../helpers/domain-run.js';

const policy = DEFAULT_POLICY;

/** A message the test classifier finds inducing to share: an R1 violation each time. */
function inducingSharing(options: { at?: number; userId?: string; recipients?: readonly string[] } = {}) {
  return aMessage({ text: `Please ${TERMS['inducing-sharing']} and get a gift`, ...options });
}

/** A marketing message (not a violation by itself) to `recipients`. */
function marketing(recipients: readonly string[], at: number, userId?: string) {
  return aMessage({
    text: `${TERMS.marketing}: everything half price`,
    recipients,
    at,
    ...(userId ? { userId } : {}),
  });
}

/** `count` contact adds by the member, `spacing` apart from `from`. */
function addsFrom(
  from: number,
  count: number,
  spacing: number,
  options: { userId?: string; viaContactMe?: boolean } = {},
) {
  return Array.from({ length: count }, (_, i) => aContactAdded({ at: from + i * spacing, ...options }));
}

/** The one violation among `decisions`. */
function theViolation(decisions: readonly Decision[]): Violation {
  const violations = violationsIn(decisions);
  expect(violations).toHaveLength(1);
  return defined(violations[0], 'violation');
}

/** The status codes of the commands `decisions` rejected, with their messages. */
function rejections(decisions: readonly Decision[]) {
  return decisionsOfType(decisions, 'command.rejected').map(({ status, message }) => ({ status, message }));
}

/** The member the run found in violation `count` times over R1 (inducing sharing), an hour apart from `from`. */
function r1Violations(r: DomainRun, count: number, from = T0, userId = MEMBER_ID): Violation[] {
  return Array.from({ length: count }, (_, i) =>
    theViolation(r.apply(inducingSharing({ at: from + i * HOUR, userId }))),
  );
}

describe('POLICY.md: the categories and the default policy', () => {
  it('maps every category of the table to its rule', () => {
    // Given the table of POLICY.md
    const table: Record<Category, 'R1' | 'R2' | 'R3'> = {
      'harassing-marketing': 'R1',
      'inducing-sharing': 'R1',
      'malicious-contact-adds': 'R1',
      'linked-wechat-violation': 'R2',
      'plugin-use': 'R3',
      'malicious-registration': 'R3',
      'account-info-violation': 'R3',
      'fake-order-content': 'R3',
      'security-threat': 'R3',
      infringement: 'R3',
      pornography: 'R3',
      violence: 'R3',
      gambling: 'R3',
      'gang-terror': 'R3',
      'illegal-trade': 'R3',
      fraud: 'R3',
      'false-information': 'R3',
      'other-illegal': 'R3',
    };

    // Then the engine knows exactly those categories, each under its rule
    expect(CATEGORY_RULES).toEqual(table);
  });

  it('holds the defaults POLICY.md names', () => {
    // Given the default policy
    const p = DEFAULT_POLICY;

    // Then every number is the documented default
    expect(p.r1).toEqual({ firstSuspension: DAY, secondSuspension: 7 * DAY, autoApproveUnblock: true });
    expect(p.r2.restoreDelay).toBe(24 * HOUR);
    expect(p.harassment).toEqual({ windowDays: 7, minNegativeFeedback: 3 });
    expect(p.contactAdds).toMatchObject({
      basePerMemberPerDay: 100,
      basePerCorpPerDay: 2000,
      minTrust: 0.2,
      maxTrust: 3,
      minComplaints: 3,
      complaintWindowDays: 7,
      concentrationShare: 0.5,
      concentrationMinAdds: 10,
    });
    expect(p.plugin).toEqual({ addsPerMinute: 20, massRecipientsPerMinute: 200 });
    expect(p.badInfluence).toEqual({
      minComplaints: 10,
      minRecipients: 500,
      corpMembers: 3,
      corpWindowDays: 30,
    });
  });
});

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
      expect.objectContaining({ penaltyId: first.id, cause: expect.objectContaining({ kind: 'schedule' }) }),
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
      aMessage({ text: TERMS['inducing-sharing'], recipients: [MEMBER_ID], senderKind: 'external', at: T0 }),
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
    const verified = run([aCorpProfile({ subjectVerified: true, at: T0 - HOUR }), aContactAdded({ at: T0 })]);
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

const R3_CONTENT_CATEGORIES = [
  'fake-order-content',
  'security-threat',
  'infringement',
  'pornography',
  'violence',
  'gambling',
  'gang-terror',
  'illegal-trade',
  'fraud',
  'false-information',
] as const satisfies readonly (ContentCategory & Category)[];

describe('Rule 3: the member account blocked', () => {
  it.each(R3_CONTENT_CATEGORIES)('blocks the account on a %s message', (category) => {
    // Given a member
    const r = run();

    // When the member sends a text the classifier files under the category
    const message = aMessage({ text: `Hello, ${TERMS[category]} here`, at: T0 });
    const violation = theViolation(r.apply(message));

    // Then the account is blocked permanently, interop with it
    expect(violation).toMatchObject({
      rule: 'R3',
      category,
      penalty: { kind: 'block', scope: 'account', until: null },
    });
    expect(violation.explanation.evidence).toMatchObject({
      inputIds: [message.id],
      matchedTerms: [{ text: TERMS[category], truncated: false }],
    });
    expect(r.view(MEMBER_ID, T0 + 1000 * DAY)).toMatchObject({
      interop: { status: 'banned', reason: { rule: 'R3', category } },
      account: { status: 'blocked', reason: { rule: 'R3', category, violationId: violation.id } },
      strikes: 0,
    });
    expect(r.corpView().account.status).toBe('active');
  });

  it('finds plugin-use in 20 adds within 60 s', () => {
    // Given a member who made 19 adds two seconds apart
    const r = run(addsFrom(T0, 19, 2 * SECOND));
    expect(r.violations()).toEqual([]);

    // When the 20th comes within the minute
    const violation = theViolation(r.apply(aContactAdded({ at: T0 + 38 * SECOND })));

    // Then it is plugin-use: adds in 60 s against the threshold
    expect(violation).toMatchObject({ rule: 'R3', category: 'plugin-use', penalty: { kind: 'block' } });
    expect(violation.explanation.evidence.counts).toContainEqual(
      expect.objectContaining({ value: 20, threshold: policy.plugin.addsPerMinute }),
    );
    expect(r.view().account.status).toBe('blocked');
  });

  it('does not find plugin-use in 20 adds spread over more than 60 s', () => {
    // Given a member
    const r = run();

    // When the member makes 20 adds 3.2 s apart (60.8 s from first to last)
    const decisions = r.apply(...addsFrom(T0, 20, 3200));

    // Then there is no violation
    expect(violationsIn(decisions)).toEqual([]);
  });

  it('finds plugin-use in the same text sent to more than 200 recipients within a minute', () => {
    // Given a member who sent one text to 140 customers in two messages
    const r = run([
      aMessage({ text: NEUTRAL_TEXT, recipients: externalUserIds(70), at: T0 }),
      aMessage({ text: NEUTRAL_TEXT, recipients: externalUserIds(70), at: T0 + 10 * SECOND }),
    ]);
    expect(r.violations()).toEqual([]);

    // When a third message of the same text goes to 70 more within the minute
    const violation = theViolation(
      r.apply(aMessage({ text: NEUTRAL_TEXT, recipients: externalUserIds(70), at: T0 + 20 * SECOND })),
    );

    // Then it is plugin-use: recipients of one text against the threshold
    expect(violation).toMatchObject({ rule: 'R3', category: 'plugin-use' });
    expect(violation.explanation.evidence.counts).toContainEqual(
      expect.objectContaining({ value: 210, threshold: policy.plugin.massRecipientsPerMinute }),
    );
  });

  it('does not take one message into a large customer group for a mass send', () => {
    // Given a member in a customer group of 300
    const r = run([]);

    // When the member writes one ordinary line into the group
    const decisions = r.apply(
      aMessage({ text: NEUTRAL_TEXT, recipients: externalUserIds(300), roomId: 'wrGroup0001', at: T0 }),
    );

    // Then nothing is found
    expect(decisions.filter((d) => d.type === 'violation.recorded')).toEqual([]);
  });

  it('finds plugin-use across a minute boundary', () => {
    // Given a member who sent a text to 150 customers at 08:00:50
    const r = run([aMessage({ text: NEUTRAL_TEXT, recipients: externalUserIds(150), at: T0 + 50 * SECOND })]);

    // When the same text goes to 100 more at 08:01:10
    const decisions = r.apply(
      aMessage({ text: NEUTRAL_TEXT, recipients: externalUserIds(100), at: T0 + 70 * SECOND }),
    );

    // Then 250 recipients within 20 s are plugin-use
    expect(theViolation(decisions).category).toBe('plugin-use');
  });

  it('finds plugin-use in 250 recipients within 60 s that straddle two minutes', () => {
    // Given a member who sent a text to 150 customers at 08:00:59
    const r = run([aMessage({ text: NEUTRAL_TEXT, recipients: externalUserIds(150), at: T0 + 59 * SECOND })]);

    // When the same text goes to 100 more at 08:01:58, 59 s later
    const decisions = r.apply(
      aMessage({ text: NEUTRAL_TEXT, recipients: externalUserIds(100), at: T0 + 118 * SECOND }),
    );

    // Then 250 recipients in 60 s are more than 200: plugin-use
    expect(violationsIn(decisions).map((v) => v.category)).toEqual(['plugin-use']);
  });

  it('does not find plugin-use at 200 recipients, or in different texts', () => {
    // Given a member
    const r = run();

    // When one text goes to exactly 200 and three different texts to 90 each, within a minute
    const decisions = r.apply(
      aMessage({ text: NEUTRAL_TEXT, recipients: externalUserIds(100), at: T0 }),
      aMessage({ text: NEUTRAL_TEXT, recipients: externalUserIds(100), at: T0 + 5 * SECOND }),
      ...[1, 2, 3].map((n) =>
        aMessage({
          text: `Your order ${n} ships today`,
          recipients: externalUserIds(90),
          at: T0 + n * 10 * SECOND,
        }),
      ),
    );

    // Then there is no violation
    expect(violationsIn(decisions)).toEqual([]);
  });

  describe('account-info-violation', () => {
    const policySet = aPolicySet({
      corps: { [CORP_ID]: { accountInfo: { protectedNames: ['Acme Official'] } } },
    });

    it("is found when a profile name takes one of the corp's protected names", () => {
      // Given a corp whose policy protects its brand name
      const corpPolicy = policySet.forCorp(CORP_ID);
      const r = run([], { policy: corpPolicy });

      // When a member renames themself after it, in another case
      const change = aProfileChange({ changes: { Name: 'ACME official support' }, at: T0 });
      const violation = theViolation(r.apply(change));

      // Then it is account-info-violation, with the protected name as evidence, under the corp's policy
      expect(violation).toMatchObject({
        rule: 'R3',
        category: 'account-info-violation',
        penalty: { kind: 'block', scope: 'account' },
      });
      expect(violation.explanation).toMatchObject({
        policyVersion: `${policy.version}+${CORP_ID}`,
        evidence: { inputIds: [change.id], matchedTerms: [{ text: 'Acme Official' }] },
      });
      expect(r.view().account.status).toBe('blocked');
    });

    it('is not found in another corp, whose policy protects nothing', () => {
      // Given another corp under the base policy
      const other = 'wwother0000000002';
      const r = run([], { policy: policySet.forCorp(other), corpId: other });

      // When its member takes the same name
      const decisions = r.apply(
        aProfileChange({ corpId: other, changes: { Name: 'Acme Official' }, at: T0 }),
      );

      // Then there is no violation
      expect(violationsIn(decisions)).toEqual([]);
    });

    it('is found when a name or alias holds R3 content', () => {
      // Given a member
      const r = run();

      // When the member takes an alias the classifier files under gambling
      const violation = theViolation(
        r.apply(aProfileChange({ changes: { Alias: `${TERMS.gambling} king` }, at: T0 })),
      );

      // Then it is account-info-violation, with the content category as evidence
      expect(violation).toMatchObject({ rule: 'R3', category: 'account-info-violation' });
      expect(violation.explanation.evidence).toMatchObject({
        contentCategories: ['gambling'],
        matchedTerms: [{ text: TERMS.gambling }],
      });
    });

    it('ignores an ordinary name, a marketing-like name and other profile fields', () => {
      // Given a member
      const r = run([], { policy: policySet.forCorp(CORP_ID) });

      // When the member changes name, alias and position
      const decisions = r.apply(
        aProfileChange({ changes: { Name: 'Zhang San' }, at: T0 }),
        aProfileChange({ changes: { Alias: `${TERMS.marketing} Zhang` }, at: T0 + MINUTE }),
        aProfileChange({ changes: { Position: 'Acme Official spokesperson' }, at: T0 + 2 * MINUTE }),
      );

      // Then there is no violation
      expect(violationsIn(decisions)).toEqual([]);
    });
  });

  it.each([
    'malicious-registration',
    'account-info-violation',
    'infringement',
    'false-information',
    'other-illegal',
  ] as const)('blocks the account on a reported %s', (category) => {
    // Given a member
    const r = run();

    // When a reviewer reports the violation
    const report = aReport(category, { at: T0, reviewer: 'reviewer-wang', note: 'batch registered' });
    const violation = theViolation(r.apply(report));

    // Then the account is blocked, with the reviewer as evidence
    expect(violation).toMatchObject({
      rule: 'R3',
      category,
      badInfluence: false,
      penalty: { kind: 'block', scope: 'account', until: null },
    });
    expect(violation.explanation.evidence).toMatchObject({
      inputIds: [report.id],
      reviewer: 'reviewer-wang',
    });
    expect(r.view().account.status).toBe('blocked');
    expect(r.corpView().account.status).toBe('active');
  });

  it('counts what a blocked member goes on doing per category, without strikes or violation records', () => {
    // Given a member blocked under rule 3
    const r = run([aMessage({ text: TERMS['security-threat'], at: T0 })]);

    // When the member sends six messages inducing sharing and two of fraud
    const decisions = r.apply(
      ...Array.from({ length: 6 }, (_, i) => inducingSharing({ at: T0 + (i + 1) * HOUR })),
      aMessage({ text: TERMS.fraud, at: T0 + 7 * HOUR }),
      aMessage({ text: TERMS.fraud, at: T0 + 8 * HOUR }),
    );

    // Then no strike, violation or penalty is added: each category is counted once, with its times
    expect(violationsIn(decisions)).toEqual([]);
    expect(decisionsOfType(decisions, 'penalty.applied')).toEqual([]);
    expect(r.view().strikes).toBe(0);
    expect(r.member().violations).toHaveLength(1);
    expect(r.member().afterBlock).toEqual([
      { category: 'inducing-sharing', count: 6, lastAt: T0 + 6 * HOUR },
      { category: 'fraud', count: 2, lastAt: T0 + 8 * HOUR },
    ]);
  });

  it('stops detecting for a blocked account', () => {
    // Given a blocked member
    const r = run([aReport('other-illegal', { at: T0 })]);

    // When the member sends R3 content
    const decisions = r.apply(aMessage({ text: TERMS.fraud, at: T0 + HOUR }));

    // Then nothing more is found
    expect(violationsIn(decisions)).toEqual([]);
  });
});

describe('Evidence is bounded', () => {
  it('quotes a huge matched span once, cut to 120 characters, with its full length', () => {
    // Given a classifier that finds a 200,000-character link as written
    const link = `http://phish.example/${'a'.repeat(200_000)}`;
    const r = run([], { classifier: aTableClassifier({ [link]: 'security-threat' }) });

    // When the member sends it
    const [violation] = violationsIn(r.apply(aMessage({ text: `login here ${link}`, at: T0 })));

    // Then the evidence quotes its start and end, states its length, and nothing else repeats it
    const { evidence, summary } = defined(violation, 'violation').explanation;
    expect(evidence.matchedTerms).toEqual([
      {
        text: expect.stringMatching(/^http:\/\/phish\.example\/a+…a+$/),
        length: link.length,
        truncated: true,
      },
    ]);
    expect([...(evidence.matchedTerms[0]?.text ?? '')]).toHaveLength(120);
    expect(evidence.matchedTermCount).toBe(1);
    expect(summary).toBe('message text classified security-threat');
    expect(JSON.stringify(violation).length).toBeLessThan(2_000);
  });

  it('quotes the first eight of many matched terms and counts them all', () => {
    // Given a classifier with thirty fraud terms, all in one message
    const terms = Array.from({ length: 30 }, (_, i) => `scam phrase ${String(i).padStart(2, '0')}`);
    const r = run([], { classifier: aTableClassifier(Object.fromEntries(terms.map((t) => [t, 'fraud']))) });

    // When the member sends them
    const [violation] = violationsIn(r.apply(aMessage({ text: terms.join(' and '), at: T0 })));

    // Then eight are quoted, thirty counted
    const { evidence } = defined(violation, 'violation').explanation;
    expect(evidence.matchedTerms.map((q) => q.text)).toEqual(terms.slice(0, 8));
    expect(evidence.matchedTermCount).toBe(30);
  });

  it("cuts a linked WeChat ban's reason in the summary", () => {
    // Given a member
    const r = run();

    // When WeChat bans the linked account with a 100,000-character reason
    const [violation] = violationsIn(
      r.apply(aWechatStatus('banned', { reason: 'x'.repeat(100_000), at: T0 })),
    );

    // Then the summary quotes it cut, with its length
    const { summary } = defined(violation, 'violation').explanation;
    expect(summary.length).toBeLessThan(300);
    expect(summary).toContain('[100000 characters]');
  });
});

describe('Bad influence', () => {
  it('blocks the member account on a violation with 10 complaints or blocks in its window, whatever the strikes', () => {
    // Given a member ten customers complained about or deleted within the week (no violation by itself)
    const r = run(
      externalUserIds(10).map((id, i) =>
        i % 2 === 0
          ? aComplaint({ externalUserId: id, at: T0 + i * HOUR })
          : aCustomerDeletion({ externalUserId: id, at: T0 + i * HOUR }),
      ),
    );
    expect(r.violations()).toEqual([]);

    // When the member commits a first R1 violation
    const violation = theViolation(r.apply(inducingSharing({ at: T0 + DAY })));

    // Then it has bad influence: the member account is blocked at strike 1
    expect(violation).toMatchObject({ rule: 'R1', badInfluence: true, strikes: 1 });
    expect(violation.explanation.evidence.counts).toContainEqual(
      expect.objectContaining({ value: 10, threshold: policy.badInfluence.minComplaints }),
    );
    expect(r.view()).toMatchObject({
      account: { status: 'blocked' },
      interop: { status: 'banned' },
      strikes: 1,
    });
    expect(r.corpView().account.status).toBe('active');
  });

  it('has no bad influence at 9 complaints', () => {
    // Given nine complaints about the member
    const r = run(externalUserIds(9).map((id, i) => aComplaint({ externalUserId: id, at: T0 + i * HOUR })));

    // When the member commits an R1 violation
    const violation = theViolation(r.apply(inducingSharing({ at: T0 + DAY })));

    // Then it has no bad influence
    expect(violation.badInfluence).toBe(false);
    expect(r.view().account.status).toBe('active');
  });

  it('blocks the member account on an R1 violation reaching 500 recipients', () => {
    // Given a policy whose mass-sending threshold is above 500
    const r = run([], { policy: aPolicy({ plugin: { massRecipientsPerMinute: 1000 } }) });

    // When the member sends a text inducing sharing to 500 customers
    const violation = theViolation(r.apply(inducingSharing({ recipients: externalUserIds(500), at: T0 })));

    // Then it has bad influence
    expect(violation).toMatchObject({ rule: 'R1', category: 'inducing-sharing', badInfluence: true });
    expect(violation.explanation.evidence.counts).toContainEqual(
      expect.objectContaining({ value: 500, threshold: policy.badInfluence.minRecipients }),
    );
    expect(r.view().account.status).toBe('blocked');
  });

  it('has no bad influence at 499 recipients', () => {
    // Given a policy whose mass-sending threshold is above 500
    const r = run([], { policy: aPolicy({ plugin: { massRecipientsPerMinute: 1000 } }) });

    // When the member sends a text inducing sharing to 499 customers
    const violation = theViolation(r.apply(inducingSharing({ recipients: externalUserIds(499), at: T0 })));

    // Then it has none
    expect(violation.badInfluence).toBe(false);
    expect(r.view().account.status).toBe('active');
  });

  it('blocks the member account when a reviewer marks the violation so', () => {
    // Given a member
    const r = run();

    // When a reviewer reports an R1 violation with bad influence
    const violation = theViolation(r.apply(aReport('harassing-marketing', { badInfluence: true, at: T0 })));

    // Then the member account is blocked at strike 1, the corp untouched
    expect(violation).toMatchObject({ rule: 'R1', badInfluence: true, strikes: 1 });
    expect(r.view()).toMatchObject({ account: { status: 'blocked' }, strikes: 1 });
    expect(r.corpView()).toMatchObject({ account: { status: 'active' }, adminAccount: { status: 'active' } });
  });

  it('blocks the enterprise and admin accounts on an R3 violation with bad influence', () => {
    // Given a member
    const r = run();

    // When a reviewer reports fraud with bad influence
    const decisions = r.apply(aReport('fraud', { badInfluence: true, at: T0 }));

    // Then the member, the enterprise and the admin accounts are blocked, with the reason
    const violation = theViolation(decisions);
    const corpPenalties = decisionsOfType(decisions, 'penalty.applied').filter(
      (d) => d.subject.kind !== 'member',
    );
    expect(corpPenalties.map((d) => d.subject.kind).sort()).toEqual(['admin', 'enterprise']);
    expect(corpPenalties[0]).toMatchObject({
      reason: { rule: 'R3', category: 'fraud', violationId: violation.id },
      cause: { kind: 'violation', id: violation.id },
      policyVersion: policy.version,
    });
    expect(r.corpView()).toMatchObject({
      account: { status: 'blocked' },
      adminAccount: { status: 'blocked' },
    });
    expect(r.view().account.status).toBe('blocked');
  });

  it('blocks the enterprise and admin accounts on an R3 message to 500 recipients', () => {
    // Given a member
    const r = run();

    // When the member sends fraud to 500 customers at once
    const violation = theViolation(
      r.apply(aMessage({ text: TERMS.fraud, recipients: externalUserIds(500), at: T0 })),
    );

    // Then the violation (R3) has bad influence and reaches the enterprise
    expect(violation).toMatchObject({ rule: 'R3', badInfluence: true });
    expect(r.corpView()).toMatchObject({
      account: { status: 'blocked' },
      adminAccount: { status: 'blocked' },
    });
  });

  it('leaves the enterprise alone on an R3 violation without bad influence', () => {
    // Given a member
    const r = run();

    // When a reviewer reports fraud without bad influence
    r.apply(aReport('fraud', { at: T0 }));

    // Then only the member account is blocked
    expect(r.view().account.status).toBe('blocked');
    expect(r.corpView()).toMatchObject({ account: { status: 'active' }, adminAccount: { status: 'active' } });
  });

  it('blocks the enterprise and admin accounts when 3 members have bad-influence violations within 30 days', () => {
    // Given two members with bad-influence R1 violations
    const r = run([
      aReport('harassing-marketing', { badInfluence: true, userId: 'a', at: T0 }),
      aReport('harassing-marketing', { badInfluence: true, userId: 'b', at: T0 + 10 * DAY }),
    ]);
    expect(r.corpView().account.status).toBe('active');

    // When a third member has one within 30 days of the first
    const decisions = r.apply(
      aReport('inducing-sharing', { badInfluence: true, userId: 'c', at: T0 + 29 * DAY }),
    );

    // Then the enterprise and admin accounts are blocked
    expect(decisionsOfType(decisions, 'penalty.applied').map((d) => d.subject.kind)).toEqual(
      expect.arrayContaining(['enterprise', 'admin']),
    );
    expect(r.corpView()).toMatchObject({
      account: { status: 'blocked', reason: { rule: 'R1' } },
      adminAccount: { status: 'blocked' },
    });
  });

  it('does not block the enterprise when the three are not within 30 days', () => {
    // Given two members with bad-influence violations, the first long ago
    const r = run([
      aReport('harassing-marketing', { badInfluence: true, userId: 'a', at: T0 }),
      aReport('harassing-marketing', { badInfluence: true, userId: 'b', at: T0 + 10 * DAY }),
    ]);

    // When a third member has one 31 days after the first
    r.apply(aReport('inducing-sharing', { badInfluence: true, userId: 'c', at: T0 + 31 * DAY }));

    // Then the enterprise is not blocked
    expect(r.corpView()).toMatchObject({ account: { status: 'active' }, adminAccount: { status: 'active' } });
  });

  it('does not block the enterprise for one member with three bad-influence violations', () => {
    // Given a member
    const r = run();

    // When the member has three bad-influence violations
    r.apply(
      ...[0, 1, 2].map((i) => aReport('harassing-marketing', { badInfluence: true, at: T0 + i * DAY })),
    );

    // Then only the member is blocked
    expect(r.view().account.status).toBe('blocked');
    expect(r.corpView().account.status).toBe('active');
  });

  it("counts members, so one member's many bad-influence violations do not push out another's", () => {
    // Given a member with a bad-influence violation, and another with a dozen reported within the hour
    const r = run([
      aReport('harassing-marketing', { badInfluence: true, userId: 'a', at: T0 }),
      ...Array.from({ length: 12 }, (_, i) =>
        aReport('harassing-marketing', { badInfluence: true, userId: 'b', at: T0 + HOUR + i * MINUTE }),
      ),
    ]);
    expect(r.corpView().account.status).toBe('active');

    // When a third member has a bad-influence violation within the 30 days
    r.apply(aReport('inducing-sharing', { badInfluence: true, userId: 'c', at: T0 + 2 * HOUR }));

    // Then three members have bad-influence violations: the enterprise and admin are blocked
    expect(r.corpView()).toMatchObject({
      account: { status: 'blocked' },
      adminAccount: { status: 'blocked' },
    });
  });
});

describe('Precedence: the most severe state wins', () => {
  it('does not let a shorter suspension shorten a longer one', () => {
    // Given a policy whose first step is the longer one, and a member's 7-day suspension
    const r = run([], { policy: aPolicy({ r1: { firstSuspension: 'P7D', secondSuspension: 'P1D' } }) });
    const long = theViolation(r.apply(inducingSharing({ at: T0 })));

    // When a 1-day suspension follows
    const short = theViolation(r.apply(inducingSharing({ at: T0 + HOUR })));
    expect(short.penalty?.until).toBe(T0 + HOUR + DAY);

    // Then the member is suspended until the 7-day's end, and stays so when the 1-day's timer fires
    expect(r.view().interop.until).toBe(T0 + 7 * DAY);
    const fired = r.advanceTo(T0 + 2 * DAY);
    expect(decisionsOfType(fired, 'penalty.lifted').map((d) => d.penaltyId)).toEqual([short.id]);
    expect(r.view().interop).toMatchObject({
      status: 'suspended',
      until: T0 + 7 * DAY,
      reason: { violationId: long.id },
    });
  });

  it('lifts by a timed unban only the penalty it was scheduled for', () => {
    // Given a 1-day suspension and, an hour later, a 7-day one
    const r = run();
    const [first, second] = r1Violations(r, 2);

    // When the 1-day's timer fires
    const fired = r.advanceTo(T0 + DAY);

    // Then it lifts only its own penalty; the 7-day one survives
    expect(decisionsOfType(fired, 'penalty.lifted').map((d) => d.penaltyId)).toEqual([defined(first).id]);
    expect(r.member().penalties.map((p) => p.id)).toEqual([defined(second).id]);
    expect(r.view().interop).toMatchObject({ status: 'suspended', until: T0 + HOUR + 7 * DAY });
  });

  it('keeps interop suspended by R2 past the end of an R1 suspension', () => {
    // Given an R2 suspension and an R1 1-day suspension
    const r = run([aWechatStatus('banned', { at: T0 }), inducingSharing({ at: T0 + HOUR })]);

    // Then the conditional R2 suspension is the one shown
    expect(r.view().interop).toMatchObject({ status: 'suspended', until: null, reason: { rule: 'R2' } });

    // When the R1 suspension ends
    r.advanceTo(T0 + 2 * DAY);

    // Then interop is still suspended by R2
    expect(r.view().interop).toMatchObject({ status: 'suspended', until: null, reason: { rule: 'R2' } });
  });

  it('keeps the R1 suspension when the R2 restore comes first', () => {
    // Given a 1-day and then a 7-day R1 suspension, and a WeChat ban
    const r = run();
    const [, second] = r1Violations(r, 2);
    r.apply(aWechatStatus('banned', { at: T0 + 2 * HOUR }), aWechatStatus('unbanned', { at: T0 + DAY }));

    // When the R2 restore fires
    r.advanceTo(T0 + 2 * DAY + HOUR);

    // Then the 7-day R1 suspension is shown again
    expect(r.view().interop).toMatchObject({
      status: 'suspended',
      until: T0 + HOUR + 7 * DAY,
      reason: { rule: 'R1', violationId: defined(second).id },
    });
  });

  it('shows an interop ban over an R2 suspension, and an account block over both', () => {
    // Given a member banned by R1's third step and suspended by R2
    const r = run();
    r1Violations(r, 3);
    r.apply(aWechatStatus('banned', { at: T0 + 4 * HOUR }));

    // Then the ban is shown
    expect(r.view()).toMatchObject({
      interop: { status: 'banned', reason: { rule: 'R1' } },
      account: { status: 'active' },
    });

    // When an R3 violation follows
    r.apply(aReport('other-illegal', { at: T0 + 5 * HOUR }));

    // Then the account block is shown
    expect(r.view()).toMatchObject({
      interop: { status: 'banned', reason: { rule: 'R3' } },
      account: { status: 'blocked', reason: { rule: 'R3', category: 'other-illegal' } },
    });
  });

  it('records the cause and policy version of every change of state', () => {
    // Given a member suspended, unblocked, banned by WeChat and restored
    const r = run([inducingSharing({ at: T0 }), anUnblockRequest({ at: T0 + HOUR })]);
    r.apply(aWechatStatus('banned', { at: T0 + 2 * HOUR }), aWechatStatus('unbanned', { at: T0 + 3 * HOUR }));
    r.advanceTo(T0 + 2 * DAY);

    // Then each penalty applied or lifted names its cause and the policy version
    const changes = r.decisions.filter((d) => d.type === 'penalty.applied' || d.type === 'penalty.lifted');
    expect(changes.map((d) => [d.type, d.cause.kind])).toEqual([
      ['penalty.applied', 'violation'],
      ['penalty.lifted', 'unblock-application'],
      ['penalty.applied', 'linked-wechat'],
      ['penalty.lifted', 'schedule'],
    ]);
    for (const change of changes) expect(change.policyVersion).toBe(policy.version);
    // And each visible change has an audit entry
    expect(decisionsOfType(r.decisions, 'audit').length).toBeGreaterThanOrEqual(4);
  });
});

describe('Unblock application (rule 1, first suspension)', () => {
  it('lifts the first suspension at once and keeps the strike', () => {
    // Given a member on a first suspension
    const r = run();
    const [violation] = r1Violations(r, 1);

    // When the admin applies for unblocking
    const decisions = r.apply(anUnblockRequest({ at: T0 + HOUR }));

    // Then the suspension is lifted, its timer cancelled; the strike stays
    expect(decisionsOfType(decisions, 'penalty.lifted')).toEqual([
      expect.objectContaining({
        penaltyId: defined(violation).id,
        cause: expect.objectContaining({ kind: 'unblock-application' }),
      }),
    ]);
    expect(r.pendingTimers()).toEqual([]);
    expect(r.view()).toMatchObject({ interop: { status: 'active', canApplyForUnblock: false }, strikes: 1 });

    // And the next violation is the second step
    expect(theViolation(r.apply(inducingSharing({ at: T0 + 2 * HOUR })))).toMatchObject({
      strikes: 2,
      penalty: { until: T0 + 2 * HOUR + 7 * DAY },
    });
  });

  it('refuses a second application with 409', () => {
    // Given a first suspension already unblocked
    const r = run([inducingSharing({ at: T0 }), anUnblockRequest({ at: T0 + HOUR })]);

    // When the admin applies again
    const decisions = r.apply(anUnblockRequest({ at: T0 + 2 * HOUR }));

    // Then it is a 409
    expect(rejections(decisions)).toEqual([expect.objectContaining({ status: 409 })]);
  });

  it('refuses an application on a second-step suspension with 409', () => {
    // Given a member on a second-step suspension, the first one unblocked
    const r = run([
      inducingSharing({ at: T0 }),
      anUnblockRequest({ at: T0 + HOUR }),
      inducingSharing({ at: T0 + 2 * HOUR }),
    ]);

    // When the admin applies for unblocking
    const decisions = r.apply(anUnblockRequest({ at: T0 + 3 * HOUR }));

    // Then it is a 409, and the suspension stands
    expect(rejections(decisions)).toEqual([expect.objectContaining({ status: 409 })]);
    expect(r.view().interop).toMatchObject({ status: 'suspended', until: T0 + 2 * HOUR + 7 * DAY });
  });

  it('refuses an application on a second-step suspension while the first is still in force', () => {
    // Given a member suspended for a day and, an hour later, for seven
    const r = run();
    r1Violations(r, 2);

    // Then the status offers no unblocking (POLICY.md: second violation, no unblock application)
    expect(r.view().interop).toMatchObject({ status: 'suspended', canApplyForUnblock: false });

    // When the admin applies all the same
    const decisions = r.apply(anUnblockRequest({ at: T0 + 2 * HOUR }));

    // Then it is a 409 and nothing is lifted
    expect(rejections(decisions)).toEqual([expect.objectContaining({ status: 409 })]);
    expect(decisionsOfType(decisions, 'penalty.lifted')).toEqual([]);
  });

  it('refuses an application when there is no suspension', () => {
    // Given a member in good standing
    const r = run();

    // When the admin applies for unblocking
    const decisions = r.apply(anUnblockRequest({ at: T0 }));

    // Then it is a 409
    expect(rejections(decisions)).toEqual([expect.objectContaining({ status: 409 })]);
  });

  describe('when the policy does not approve applications at once', () => {
    const manual = aPolicy({ r1: { autoApproveUnblock: false } });

    it('opens an unblock appeal that a reviewer approves, keeping the strike', () => {
      // Given a member on a first suspension
      const r = run([], { policy: manual });
      r1Violations(r, 1);

      // When the admin applies for unblocking
      const request = anUnblockRequest({ at: T0 + HOUR });
      const filed = r.apply(request);

      // Then an unblock appeal is open, the suspension stands and cannot be applied against again
      expect(decisionsOfType(filed, 'appeal.recorded')).toEqual([
        expect.objectContaining({ appealId: request.id, status: 'open' }),
      ]);
      expect(r.member().appeals).toEqual([
        expect.objectContaining({ id: request.id, kind: 'unblock', status: 'open' }),
      ]);
      expect(r.view().interop).toMatchObject({ status: 'suspended', canApplyForUnblock: false });
      expect(rejections(r.apply(anUnblockRequest({ at: T0 + 2 * HOUR })))).toEqual([
        expect.objectContaining({ status: 409 }),
      ]);

      // When a reviewer approves it
      const decided = r.apply(anAppealDecision({ appealId: request.id, approved: true, at: T0 + 3 * HOUR }));

      // Then the suspension is lifted, the violation stands with its strike
      expect(decisionsOfType(decided, 'penalty.lifted')).toHaveLength(1);
      expect(decisionsOfType(decided, 'violation.voided')).toEqual([]);
      expect(r.view()).toMatchObject({ interop: { status: 'active' }, strikes: 1 });
    });

    it('keeps the suspension when the reviewer rejects the application', () => {
      // Given an open unblock appeal
      const r = run([], { policy: manual });
      r1Violations(r, 1);
      const request = anUnblockRequest({ at: T0 + HOUR });
      r.apply(request);

      // When a reviewer rejects it
      r.apply(anAppealDecision({ appealId: request.id, approved: false, at: T0 + 2 * HOUR }));

      // Then the suspension stands to its end
      expect(r.view().interop).toMatchObject({ status: 'suspended', until: T0 + DAY });
      expect(r.member().appeals).toEqual([expect.objectContaining({ status: 'rejected' })]);
    });

    it('lifts only the suspension, not a bad-influence account block, on approval', () => {
      // Given a first R1 violation with bad influence: interop suspended, account blocked
      const r = run([aReport('harassing-marketing', { badInfluence: true, at: T0 })], { policy: manual });
      const request = anUnblockRequest({ at: T0 + HOUR });
      r.apply(request);

      // When a reviewer approves the unblock application
      r.apply(anAppealDecision({ appealId: request.id, approved: true, at: T0 + 2 * HOUR }));

      // Then the account stays blocked, as when the application is approved at once
      expect(r.view().account.status).toBe('blocked');
      const automatic = run([
        aReport('harassing-marketing', { badInfluence: true, at: T0 }),
        anUnblockRequest({ at: T0 + HOUR }),
      ]);
      expect(automatic.view().account.status).toBe('blocked');
    });
  });
});

describe('Appeals of member penalties', () => {
  it('lifts a non-permanent penalty, voids the violation and removes its strike on approval', () => {
    // Given a member on a first suspension
    const r = run();
    const violation = defined(r1Violations(r, 1)[0]);

    // When the admin appeals it
    const appeal = anAppeal({ violationId: violation.id, at: T0 + HOUR });
    expect(decisionsOfType(r.apply(appeal), 'appeal.recorded')).toEqual([
      expect.objectContaining({ appealId: appeal.id, status: 'open' }),
    ]);
    expect(r.member().appeals).toEqual([
      expect.objectContaining({ kind: 'penalty', violationId: violation.id }),
    ]);

    // And a reviewer approves it
    const decided = r.apply(anAppealDecision({ appealId: appeal.id, approved: true, at: T0 + 2 * HOUR }));

    // Then the penalty is lifted, the violation voided, the strike gone and the timer cancelled
    expect(decisionsOfType(decided, 'penalty.lifted')).toEqual([
      expect.objectContaining({
        penaltyId: violation.id,
        cause: expect.objectContaining({ kind: 'appeal-decision' }),
      }),
    ]);
    expect(decisionsOfType(decided, 'violation.voided')).toEqual([
      expect.objectContaining({ violationId: violation.id, policyVersion: policy.version }),
    ]);
    expect(r.pendingTimers()).toEqual([]);
    expect(r.view()).toMatchObject({ interop: { status: 'active' }, strikes: 0 });
    expect(r.member().violations).toEqual([expect.objectContaining({ id: violation.id, status: 'void' })]);

    // And the next violation is the first step again
    expect(theViolation(r.apply(inducingSharing({ at: T0 + 3 * HOUR })))).toMatchObject({
      strikes: 1,
      penalty: { until: T0 + 3 * HOUR + DAY },
    });
    expect(r.view().interop.canApplyForUnblock).toBe(true);
  });

  it('changes nothing on rejection', () => {
    // Given an appealed second-step suspension
    const r = run();
    r1Violations(r, 2);
    const appeal = anAppeal({ at: T0 + 3 * HOUR });
    r.apply(appeal);
    const before = r.member();

    // When a reviewer rejects the appeal
    const decided = r.apply(anAppealDecision({ appealId: appeal.id, approved: false, at: T0 + 4 * HOUR }));

    // Then only the appeal's status changed
    expect(decided.filter((d) => d.type !== 'appeal.recorded')).toEqual([]);
    expect(r.member()).toMatchObject({
      penalties: before.penalties,
      strikes: 2,
      violations: before.violations,
    });
  });

  it('takes an appeal of an R1 ban only as mistaken use, and records the decision', () => {
    // Given a member banned by R1's third step, still on the 7-day suspension of the second
    const r = run();
    const [, second, third] = r1Violations(r, 3);

    // When the admin appeals the ban
    const appeal = anAppeal({ violationId: defined(third).id, at: T0 + 4 * HOUR });
    r.apply(appeal);

    // Then it is a mistaken-use appeal
    expect(r.member().appeals).toEqual([expect.objectContaining({ id: appeal.id, kind: 'mistaken-use' })]);

    // When a reviewer finds mistaken use
    const decided = r.apply(anAppealDecision({ appealId: appeal.id, approved: true, at: T0 + 5 * HOUR }));

    // Then the ban is lifted and voided, and the 7-day suspension shows again
    expect(decisionsOfType(decided, 'appeal.recorded')).toEqual([
      expect.objectContaining({ status: 'approved' }),
    ]);
    expect(decisionsOfType(decided, 'violation.voided').map((d) => d.violationId)).toEqual([
      defined(third).id,
    ]);
    expect(r.view()).toMatchObject({
      interop: { status: 'suspended', reason: { violationId: defined(second).id } },
      strikes: 2,
    });
  });

  it('takes an appeal of an R3 block only as mistaken use', () => {
    // Given a blocked member
    const r = run([aReport('fraud', { at: T0 })]);

    // When the admin appeals
    const appeal = anAppeal({ at: T0 + HOUR });
    r.apply(appeal);

    // Then it is a mistaken-use appeal
    expect(r.member().appeals).toEqual([expect.objectContaining({ id: appeal.id, kind: 'mistaken-use' })]);
  });

  it('gives the appeal of a violation with a permanent account block the same kind, named or not', () => {
    // Given a first R1 violation with bad influence: a 1-day suspension and a permanent account block
    const named = run([aReport('harassing-marketing', { badInfluence: true, at: T0 })]);
    const unnamed = run([aReport('harassing-marketing', { badInfluence: true, at: T0 })]);
    const [violation] = named.violations();

    // When the admin appeals it, naming the violation in one corp and not in the other
    named.apply(anAppeal({ violationId: defined(violation).id, at: T0 + HOUR }));
    unnamed.apply(anAppeal({ at: T0 + HOUR }));

    // Then both are appeals of a permanent penalty: mistaken use
    expect(unnamed.member().appeals.map((a) => a.kind)).toEqual(['mistaken-use']);
    expect(named.member().appeals.map((a) => a.kind)).toEqual(['mistaken-use']);
  });

  it('keeps the ban of a later standing violation when an earlier ban is voided', () => {
    // Given a member with four R1 violations: banned at the third, the fourth standing too
    const r = run();
    const violations = r1Violations(r, 4);

    // When the third is appealed as mistaken use and approved
    const appeal = anAppeal({ violationId: defined(violations[2]).id, at: T0 + 5 * HOUR });
    r.apply(appeal, anAppealDecision({ appealId: appeal.id, approved: true, at: T0 + 6 * HOUR }));

    // Then the fourth, still the third strike, keeps interop banned
    expect(r.view()).toMatchObject({ strikes: 3, interop: { status: 'banned' } });
  });

  it('keeps the block of a later standing R3 violation when an earlier one is voided', () => {
    // Given a member blocked for fraud, then reported for gambling as well
    const r = run([aReport('fraud', { at: T0 }), aReport('gambling', { at: T0 + HOUR })]);
    const [fraud] = r.violations();

    // When the fraud block is appealed and approved
    const appeal = anAppeal({ violationId: defined(fraud).id, at: T0 + 2 * HOUR });
    r.apply(appeal, anAppealDecision({ appealId: appeal.id, approved: true, at: T0 + 3 * HOUR }));

    // Then the gambling violation still blocks the account
    expect(r.view().account).toMatchObject({ status: 'blocked', reason: { category: 'gambling' } });
  });

  it('refuses a second open appeal, a decision taken twice and an unknown appeal', () => {
    // Given an open appeal
    const r = run();
    r1Violations(r, 1);
    const appeal = anAppeal({ at: T0 + HOUR });
    r.apply(appeal);

    // When the admin appeals again, and the reviewer decides twice, and an unknown appeal is decided
    const again = r.apply(anAppeal({ at: T0 + 2 * HOUR }));
    r.apply(anAppealDecision({ appealId: appeal.id, approved: false, at: T0 + 3 * HOUR }));
    const twice = r.apply(anAppealDecision({ appealId: appeal.id, approved: true, at: T0 + 4 * HOUR }));
    const unknown = r.apply(
      anAppealDecision({ appealId: 'no-such-appeal', approved: true, at: T0 + 5 * HOUR }),
    );

    // Then they are 409, 409 and 404, and the penalty stands
    expect(rejections(again)).toEqual([expect.objectContaining({ status: 409 })]);
    expect(rejections(twice)).toEqual([expect.objectContaining({ status: 409 })]);
    expect(rejections(unknown)).toEqual([expect.objectContaining({ status: 404 })]);
    expect(r.view().interop.status).toBe('suspended');
  });

  it('refuses an appeal when no penalty is in force', () => {
    // Given a member whose suspension has ended
    const r = run([inducingSharing({ at: T0 })]);
    r.advanceTo(T0 + 2 * DAY);

    // When the admin appeals
    const decisions = r.apply(anAppeal({ at: T0 + 2 * DAY }));

    // Then it is a 409
    expect(rejections(decisions)).toEqual([expect.objectContaining({ status: 409 })]);
  });

  it('no longer counts a voided bad-influence violation towards blocking the enterprise', () => {
    // Given two members with bad-influence violations, the first voided on appeal
    const r = run([
      aReport('harassing-marketing', { badInfluence: true, userId: 'a', at: T0 }),
      aReport('harassing-marketing', { badInfluence: true, userId: 'b', at: T0 + HOUR }),
    ]);
    const voided = defined(r.violations()[0]);
    const appeal = anAppeal({ userId: 'a', violationId: voided.id, at: T0 + 2 * HOUR });
    r.apply(
      appeal,
      anAppealDecision({ userId: 'a', appealId: appeal.id, approved: true, at: T0 + 3 * HOUR }),
    );
    expect(r.view('a').account.status).toBe('active');

    // When a third member has a bad-influence violation
    r.apply(aReport('harassing-marketing', { badInfluence: true, userId: 'c', at: T0 + 4 * HOUR }));

    // Then only two members' bad-influence violations stand: the enterprise is not blocked
    expect(r.corpView().account.status).toBe('active');
  });
});

describe('Appeals of the enterprise block', () => {
  /** A corp blocked by an R3 violation with bad influence. */
  function blockedCorp(): DomainRun {
    return run([aReport('fraud', { badInfluence: true, at: T0 })]);
  }

  it.each(ENTERPRISE_DOCUMENTS)('refuses an appeal without %s with a 400 naming it', (missing) => {
    // Given a blocked corp
    const r = blockedCorp();

    // When the admin appeals without one document
    const decisions = r.apply(
      anEnterpriseAppeal({ documents: ENTERPRISE_DOCUMENTS.filter((d) => d !== missing), at: T0 + HOUR }),
    );

    // Then it is a 400 that names the document
    const [rejection] = rejections(decisions);
    expect(rejection?.status).toBe(400);
    expect(rejection?.message).toContain(missing);
    expect(r.corp.appeals).toEqual([]);
  });

  it('refuses an appeal when the enterprise is not blocked', () => {
    // Given a corp in good standing
    const r = run();

    // When the admin appeals with every document
    const decisions = r.apply(anEnterpriseAppeal({ at: T0 }));

    // Then it is a 409
    expect(rejections(decisions)).toEqual([expect.objectContaining({ status: 409 })]);
  });

  it('opens an appeal with all four documents, and unblocks the enterprise and admin on approval', () => {
    // Given a blocked corp
    const r = blockedCorp();

    // When the admin appeals with all four documents
    const appeal = anEnterpriseAppeal({ at: T0 + HOUR });
    const filed = r.apply(appeal);

    // Then the appeal is open
    expect(decisionsOfType(filed, 'appeal.recorded')).toEqual([
      expect.objectContaining({
        appealId: appeal.id,
        status: 'open',
        subject: { kind: 'enterprise', corpId: CORP_ID },
      }),
    ]);
    expect(rejections(r.apply(anEnterpriseAppeal({ at: T0 + 2 * HOUR })))).toEqual([
      expect.objectContaining({ status: 409 }),
    ]);

    // When a reviewer approves it
    const decided = r.apply(
      anAppealDecision({ enterprise: true, appealId: appeal.id, approved: true, at: T0 + 3 * HOUR }),
    );

    // Then the enterprise and admin accounts are unblocked, by the appeal decision
    expect(decisionsOfType(decided, 'penalty.lifted').map((d) => [d.subject.kind, d.cause.kind])).toEqual([
      ['enterprise', 'appeal-decision'],
      ['admin', 'appeal-decision'],
    ]);
    expect(r.corpView()).toMatchObject({ account: { status: 'active' }, adminAccount: { status: 'active' } });

    // And deciding it again is a 409
    const again = r.apply(
      anAppealDecision({ enterprise: true, appealId: appeal.id, approved: false, at: T0 + 4 * HOUR }),
    );
    expect(rejections(again)).toEqual([expect.objectContaining({ status: 409 })]);
    expect(r.corpView().account.status).toBe('active');
  });

  it('keeps the enterprise blocked when the appeal is rejected', () => {
    // Given an open appeal of a blocked corp
    const r = blockedCorp();
    const appeal = anEnterpriseAppeal({ at: T0 + HOUR });
    r.apply(appeal);

    // When a reviewer rejects it
    r.apply(anAppealDecision({ enterprise: true, appealId: appeal.id, approved: false, at: T0 + 2 * HOUR }));

    // Then the enterprise and admin stay blocked
    expect(r.corpView()).toMatchObject({
      account: { status: 'blocked' },
      adminAccount: { status: 'blocked' },
    });
    expect(r.corp.appeals).toEqual([expect.objectContaining({ id: appeal.id, status: 'rejected' })]);
  });
});

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
    const feedback = (t: typeof before) => t.factors.find((f) => f.name === 'feedback')?.score ?? Number.NaN;
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

describe('Explanations', () => {
  it('gives every violation its rule, category, evidence and policy version', () => {
    // Given a run that finds a violation of each kind the engine detects or is told of
    const r = run();
    const customers = externalUserIds(3);
    const contacts = externalUserIds(3);
    const inputs = [
      marketing(customers, T0, 'm1'),
      ...customers.map((id, i) => aComplaint({ userId: 'm1', externalUserId: id, at: T0 + (i + 1) * HOUR })),
      inducingSharing({ userId: 'm2', at: T0 }),
      ...contacts.map((id, i) => aContactAdded({ userId: 'm3', externalUserId: id, at: T0 + i * HOUR })),
      ...contacts.map((id, i) => aComplaint({ userId: 'm3', externalUserId: id, at: T0 + DAY + i * HOUR })),
      aWechatStatus('banned', { userId: 'm4', at: T0 }),
      aMessage({ userId: 'm5', text: TERMS['security-threat'], at: T0 }),
      ...addsFrom(T0, 20, SECOND, { userId: 'm6' }),
      aProfileChange({ userId: 'm7', changes: { Name: `${TERMS.pornography} girl` }, at: T0 }),
      aReport('malicious-registration', { userId: 'm8', at: T0 }),
    ];
    r.apply(...inputs);
    const ids = new Set(inputs.map((input) => input.id));

    // Then each explanation checks against POLICY.md
    const violations = r.violations();
    expect(violations.map((v) => v.category).sort()).toEqual(
      [
        'harassing-marketing',
        'inducing-sharing',
        'malicious-contact-adds',
        'linked-wechat-violation',
        'security-threat',
        'plugin-use',
        'account-info-violation',
        'malicious-registration',
      ].sort(),
    );
    for (const violation of violations) {
      const { explanation } = violation;
      expect(explanation).toMatchObject({
        rule: violation.rule,
        category: violation.category,
        policyVersion: policy.version,
      });
      expect(explanation.summary).not.toBe('');
      expect(explanation.evidence.inputIds.length).toBeGreaterThan(0);
      for (const id of explanation.evidence.inputIds) expect(ids.has(id)).toBe(true);
      if (violation.rule !== 'R2') {
        const { matchedTerms, counts, reviewer } = explanation.evidence;
        expect(matchedTerms.length > 0 || counts.length > 0 || reviewer !== undefined).toBe(true);
      }
      for (const count of explanation.evidence.counts) {
        expect(Number.isFinite(count.value) && Number.isFinite(count.threshold)).toBe(true);
      }
    }
  });

  it('gives a violation of another rule a strike count of 0', () => {
    // Given a member with an R1 strike
    const r = run([inducingSharing({ at: T0 })]);

    // When the member commits an R3 violation, and WeChat bans the linked account
    const r3 = theViolation(r.apply(aReport('fraud', { at: T0 + HOUR })));
    const r2 = theViolation(r.apply(aWechatStatus('banned', { at: T0 + 2 * HOUR })));

    // Then those violations carry 0 strikes (decisions.ts: "0 for other rules"); the member keeps 1
    expect([r3.strikes, r2.strikes]).toEqual([0, 0]);
    expect(r.member().strikes).toBe(1);
  });
});

describe('Policy documents', () => {
  function policyError(patch: Record<string, unknown>): string {
    try {
      parsePolicySet(aPolicyDocument(patch));
    } catch (error) {
      expect((error as Error).name).toBe('PolicyError');
      return (error as Error).message;
    }
    throw new Error('expected a PolicyError');
  }

  it.each([
    ['harassment.windowDays', { harassment: { windowDays: 0 } }],
    ['harassment.windowDays', { harassment: { windowDays: 366 } }],
    ['harassment.minNegativeFeedback', { harassment: { minNegativeFeedback: 2.5 } }],
    ['r1.firstSuspension', { r1: { firstSuspension: '1 day' } }],
    ['r1.firstSuspension', { r1: { firstSuspension: 'P' } }],
    ['r2.restoreDelay', { r2: { restoreDelay: 'PT' } }],
    ['r1.autoApproveUnblock', { r1: { autoApproveUnblock: 'yes' } }],
    ['contactAdds.concentrationShare', { contactAdds: { concentrationShare: 1.5 } }],
    ['contactAdds', { contactAdds: { minTrust: 1.2 } }],
    ['accountInfo.protectedNames', { accountInfo: { protectedNames: ['x'] } }],
    ['corps.wwx.r9', { corps: { wwx: { r9: { firstSuspension: 'P1D' } } } }],
    ['corps.wwx.harassment.windowDays', { corps: { wwx: { harassment: { windowDays: 0 } } } }],
    ['corps.wwx.harassment.windowDay', { corps: { wwx: { harassment: { windowDay: 3 } } } }],
    ['corps.wwx.r1.firstSuspension', { corps: { wwx: { r1: { firstSuspension: 'tomorrow' } } } }],
    ['corps.wwx.harassment', { corps: { wwx: { harassment: 3 } } }],
    ['timeZone', { timeZone: 8 }],
    ['timeZone', { timeZone: 'Mars/Olympus_Mons' }],
    ['corps.wwx.timeZone', { corps: { wwx: { timeZone: 'China/Beijing' } } }],
  ])('rejects an invalid %s, naming it', (field, patch) => {
    // Given a policy document with one invalid value, when it is parsed, then the error names the field
    expect(policyError(patch)).toContain(field);
  });

  it('says what an unknown time zone should be', () => {
    // Given a policy with a time zone that is not an IANA name, when it is parsed, then the error says so
    expect(policyError({ timeZone: 'Mars/Olympus_Mons' })).toBe(
      'timeZone: must be an IANA time zone name such as Asia/Shanghai or UTC',
    );
  });

  it("counts days in WeCom's zone, Asia/Shanghai, when a document names none", () => {
    // Given a policy document without a time zone (one written before there was one)
    const { timeZone: _zone, ...document } = aPolicyDocument({});

    // When it is parsed, then its days are Shanghai's, as the default policy's are
    expect(parsePolicySet(document).base.timeZone).toEqual(DEFAULT_POLICY.timeZone);
    expect(DEFAULT_POLICY.timeZone.name).toBe('Asia/Shanghai');
  });

  it("gives a corp its own time zone, under the corp's own version", () => {
    // Given an override of the time zone for one corp
    const set = aPolicySet({ corps: { wwx: { timeZone: 'Asia/Tokyo' } } });

    // Then that corp counts Tokyo's days, and every other corp the base's
    expect(set.forCorp('wwx')).toMatchObject({
      version: `${policy.version}+wwx`,
      timeZone: { name: 'Asia/Tokyo' },
    });
    expect(set.forCorp('wwy').timeZone.name).toBe('Asia/Shanghai');
  });

  it('reads durations of days, hours, minutes and seconds', () => {
    // Given ISO-8601 durations, when read, then they are milliseconds
    expect([durationMs('P1D'), durationMs('PT24H'), durationMs('P7DT12H'), durationMs('PT1M30S')]).toEqual([
      DAY,
      DAY,
      7.5 * DAY,
      90 * SECOND,
    ]);
  });

  it("changes only the overridden corp's policy, under its own version", () => {
    // Given an override of one field for one corp
    const set = aPolicySet({
      corps: { wwx: { harassment: { windowDays: 3 }, r1: { secondSuspension: 'P14D' } } },
    });

    // When the corps' policies are read
    const overridden = set.forCorp('wwx');
    const other = set.forCorp('wwy');

    // Then the corp has the override and the base's other fields, under `<version>+<corpId>`
    expect(overridden.version).toBe(`${policy.version}+wwx`);
    expect(overridden.harassment).toEqual({ windowDays: 3, minNegativeFeedback: 3 });
    expect(overridden.r1).toEqual({
      firstSuspension: DAY,
      secondSuspension: 14 * DAY,
      autoApproveUnblock: true,
    });
    expect(overridden.contactAdds).toEqual(set.base.contactAdds);
    // And every other corp has the base, unchanged
    expect(other).toEqual(set.base);
    expect(set.base).toEqual(DEFAULT_POLICY);
  });

  it("decides under the corp's own policy and names its version", () => {
    // Given a corp whose first suspension is 3 days
    const corpPolicy = aPolicySet({ corps: { [CORP_ID]: { r1: { firstSuspension: 'P3D' } } } }).forCorp(
      CORP_ID,
    );
    const r = run([], { policy: corpPolicy });

    // When a member commits a first R1 violation
    const decisions = r.apply(inducingSharing({ at: T0 }));

    // Then the suspension is 3 days, and the decisions name the corp's policy version
    expect(theViolation(decisions)).toMatchObject({
      penalty: { until: T0 + 3 * DAY },
      explanation: { policyVersion: `${policy.version}+${CORP_ID}` },
    });
    expect(decisionsOfType(decisions, 'penalty.applied')[0]?.policyVersion).toBe(
      `${policy.version}+${CORP_ID}`,
    );
  });
});

describe('Timers delivered out of turn', () => {
  it('ignores an unban timer that comes before the end of its penalty', () => {
    // Given a 7-day suspension
    const r = run();
    const [, second] = r1Violations(r, 2);

    // When its unban timer is delivered early
    const early = r.decideOne(aTimer({ kind: 'unban', penaltyId: defined(second).id }, { at: T0 + 2 * DAY }));

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
