import { describe, expect, it } from 'vitest';
import {
  ENFORCEMENTS,
  FAITHFUL,
  inducingSharing,
  r1Violations,
  theViolation,
} from '../../../helpers/decide-scenarios.js';
import { TERMS } from '../../../helpers/domain-classifier.js';
import {
  aComplaint,
  aCustomerDeletion,
  aMessage,
  anUnblockRequest,
  aReport,
  aWechatStatus,
  DAY,
  externalUserIds,
  HOUR,
  MINUTE,
  T0,
} from '../../../helpers/domain-inputs.js';
import { decisionsOfType, defined } from '../../../helpers/domain-run.js';

describe.each(ENFORCEMENTS)('$name', ({ run, policy, aPolicy }) => {
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
      expect(r.corpView()).toMatchObject({
        account: { status: 'active' },
        adminAccount: { status: 'active' },
      });
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
      expect(r.corpView()).toMatchObject({
        account: { status: 'active' },
        adminAccount: { status: 'active' },
      });
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
      expect(r.corpView()).toMatchObject({
        account: { status: 'active' },
        adminAccount: { status: 'active' },
      });
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
  });
});

// These assert the path of a penalty applied at once (its cause kind, the exact sequence of changes):
// under review the same changes come from the reviewer's decision (see decide.cases.test.ts).
describe('Bad influence and precedence, acting at once (faithful policy)', () => {
  const { run, policy } = FAITHFUL;

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
