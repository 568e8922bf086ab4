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
  anAppealDecision,
  anUnblockRequest,
  aReport,
  DAY,
  HOUR,
  T0,
} from '../../../helpers/domain-inputs.js';
import { decisionsOfType, defined } from '../../../helpers/domain-run.js';

describe.each(ENFORCEMENTS)('$name', ({ run, policy, aPolicy }) => {
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
      expect(r.view()).toMatchObject({
        interop: { status: 'active', canApplyForUnblock: false },
        strikes: 1,
      });

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
        const decided = r.apply(
          anAppealDecision({ appealId: request.id, approved: true, at: T0 + 3 * HOUR }),
        );

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
});
