import { describe, expect, it } from 'vitest';
import { CASE_TEXT_MAX_CHARS } from '../../../../shared/domain/cases.js';
import { reviewDeadlineName } from '../../../../shared/domain/timers.js';
import {
  inducingSharing,
  policy,
  rejections,
  theCase,
  theViolation,
} from '../../../helpers/decide-scenarios.js';
import { NEUTRAL_TEXT, TERMS } from '../../../helpers/domain-classifier.js';
import {
  aCaseDecision,
  aMessage,
  aReport,
  aTimer,
  CORP_ID,
  DAY,
  externalUserIds,
  HOUR,
  MEMBER_ID,
  MINUTE,
  T0,
} from '../../../helpers/domain-inputs.js';
import { aPolicy } from '../../../helpers/domain-policy.js';
import { decisionsOfType, run } from '../../../helpers/domain-run.js';

const REVIEW_WITHIN = 72 * HOUR;

describe('Cases: a text detection waits for a reviewer (default policy)', () => {
  it('opens a case: a pending violation, a provisional interop suspension, bounded evidence and a deadline', () => {
    // Given a member with a clean record
    const r = run();

    // When the classifier finds a message inducing sharing
    const message = inducingSharing({ at: T0 });
    const text = message.text ?? '';
    const decisions = r.apply(message);

    // Then the violation is recorded as pending, with no strike and no penalty
    const opened = theCase(decisions);
    const violation = theViolation(decisions);
    expect(violation).toMatchObject({
      rule: 'R1',
      category: 'inducing-sharing',
      strikes: 0,
      penalty: null,
      enforcement: 'review',
      caseId: opened.id,
      status: 'pending',
    });
    // The pending violation lives in its case's summary only: no standing summary, no strike
    expect(r.member().violations).toEqual([]);
    expect(r.member().cases).toEqual([
      expect.objectContaining({ id: opened.id, violationId: violation.id, status: 'open' }),
    ]);
    // And interop is suspended provisionally, with no end and no unblock application, naming the case
    expect(r.view()).toMatchObject({
      interop: {
        status: 'suspended',
        until: null,
        canApplyForUnblock: false,
        reason: { rule: 'R1', violationId: violation.id, provisional: true, caseId: opened.id },
      },
      account: { status: 'active' },
      strikes: 0,
      openCases: [
        {
          id: opened.id,
          kind: 'violation',
          rule: 'R1',
          category: 'inducing-sharing',
          openedAt: T0,
          reviewBy: T0 + REVIEW_WITHIN,
          status: 'open',
        },
      ],
    });
    // And the case holds the evidence, the text read, the score and the policy version
    expect(opened).toMatchObject({
      corpId: CORP_ID,
      userId: MEMBER_ID,
      violationId: violation.id,
      violationAt: T0,
      status: 'open',
      score: 1,
      policyVersion: policy.version,
      text: { text, length: text.length, truncated: false },
      provisional: { penaltyId: `${violation.id}.p`, scope: 'interop', kind: 'suspension' },
      decision: null,
      explanation: {
        evidence: { inputIds: [message.id], matchedTerms: [{ text: TERMS['inducing-sharing'] }] },
      },
    });
    // And its review deadline is scheduled 72 hours on
    expect(r.pendingTimers()).toEqual([
      expect.objectContaining({ name: reviewDeadlineName(r.member(), opened.id), at: T0 + REVIEW_WITHIN }),
    ]);
  });

  it('quotes at most CASE_TEXT_MAX_CHARS characters of a long message', () => {
    // Given a message of 5,000 characters with a violation in the middle
    const filler = 'x'.repeat(2500);
    const r = run();

    // When it opens a case
    const opened = theCase(r.apply(aMessage({ text: `${filler} ${TERMS.fraud} ${filler}`, at: T0 })));

    // Then the case quotes its start and end within the bound, and states the full length
    expect(opened.text).toMatchObject({ length: 5000 + TERMS.fraud.length + 2, truncated: true });
    expect([...(opened.text?.text ?? '')].length).toBeLessThanOrEqual(CASE_TEXT_MAX_CHARS);
  });
});

describe('Cases: confirmed', () => {
  it('blocks the account for R3 as of the violation time', () => {
    // Given a fraud message held for review
    const r = run();
    const opened = theCase(r.apply(aMessage({ text: TERMS.fraud, at: T0 })));

    // When a reviewer confirms it an hour later
    const decided = r.apply(aCaseDecision(opened.id, { at: T0 + HOUR, reviewer: 'reviewer-wang' }));

    // Then the account is blocked from the violation's time, and the provisional measure is lifted
    expect(decisionsOfType(decided, 'violation.confirmed')).toEqual([
      expect.objectContaining({
        violationId: opened.violationId,
        violationAt: T0,
        strikes: 0,
        penalty: { kind: 'block', scope: 'account', until: null },
        cause: expect.objectContaining({ kind: 'case-decision', id: opened.id }),
      }),
    ]);
    expect(r.member().penalties).toEqual([expect.objectContaining({ kind: 'block', since: T0 })]);
    expect(decisionsOfType(decided, 'penalty.lifted').map((d) => d.penaltyId)).toEqual([
      `${opened.violationId}.p`,
    ]);
    expect(r.view()).toMatchObject({
      account: { status: 'blocked', reason: { rule: 'R3', category: 'fraud' } },
      openCases: [],
    });
    // And the decision names the reviewer, the reason and the case's new status
    expect(decisionsOfType(decided, 'case.decided')).toEqual([
      expect.objectContaining({
        caseId: opened.id,
        status: 'confirmed',
        decision: expect.objectContaining({ decision: 'confirm', reviewer: 'reviewer-wang' }),
      }),
    ]);
    expect(decisionsOfType(decided, 'audit').map((a) => a.change)).toContainEqual(
      expect.stringContaining('confirmed by reviewer reviewer-wang'),
    );
    expect(decisionsOfType(decided, 'schedule.cancel')).toEqual([
      { type: 'schedule.cancel', name: reviewDeadlineName(r.member(), opened.id) },
    ]);
  });

  it('suspends R1 from the violation time, ended by its own unban timer', () => {
    // Given an inducing-sharing message held for review
    const r = run();
    const opened = theCase(r.apply(inducingSharing({ at: T0 })));

    // When a reviewer confirms it two hours later
    r.apply(aCaseDecision(opened.id, { at: T0 + 2 * HOUR }));

    // Then interop is suspended until a day after the violation, strike 1, with unblocking allowed
    expect(r.view(MEMBER_ID, T0 + 2 * HOUR)).toMatchObject({
      interop: { status: 'suspended', until: T0 + DAY, canApplyForUnblock: true },
      strikes: 1,
    });
    expect(r.pendingTimers().map((t) => t.at)).toEqual([T0 + DAY]);

    // When the day is over, then its own timer lifts it; the strike stays
    const fired = r.advanceTo(T0 + DAY);
    expect(decisionsOfType(fired, 'penalty.lifted').map((d) => d.penaltyId)).toEqual([opened.violationId]);
    expect(r.view()).toMatchObject({ interop: { status: 'active' }, strikes: 1 });
  });

  it('leaves only the strike when the suspension would already be over', () => {
    // Given an inducing-sharing message held for review
    const r = run();
    const opened = theCase(r.apply(inducingSharing({ at: T0 })));

    // When a reviewer confirms it two days later, after its day-long suspension would have ended
    const decided = r.apply(aCaseDecision(opened.id, { at: T0 + 2 * DAY }));

    // Then the strike stands, no penalty is in force, no timer waits, and the audit says why
    expect(r.view()).toMatchObject({ interop: { status: 'active', reason: null }, strikes: 1 });
    expect(r.member().penalties).toEqual([]);
    expect(r.pendingTimers()).toEqual([]);
    expect(decisionsOfType(decided, 'audit').map((a) => a.change)).toContainEqual(
      expect.stringContaining('before the confirmation: only its strike stands'),
    );
    expect(r.member().violations).toEqual([expect.objectContaining({ status: 'standing', strike: true })]);
  });

  it('climbs the R1 ladder across several confirmed cases', () => {
    // Given three inducing-sharing messages, each held in its own case
    const r = run();
    const cases = [0, 1, 2].map((i) => theCase(r.apply(inducingSharing({ at: T0 + i * HOUR }))));
    expect(r.view().openCases).toHaveLength(3);

    // When a reviewer confirms them in turn
    const confirmed = cases.map((c, i) =>
      decisionsOfType(
        r.apply(aCaseDecision(c.id, { at: T0 + (3 + i) * MINUTE + 3 * HOUR })),
        'violation.confirmed',
      ),
    );

    // Then the ladder's steps follow: a day, seven days from the second violation, then a ban
    expect(confirmed.flat().map((c) => [c.strikes, c.penalty])).toEqual([
      [1, { kind: 'suspension', scope: 'interop', until: T0 + DAY }],
      [2, { kind: 'suspension', scope: 'interop', until: T0 + HOUR + 7 * DAY }],
      [3, { kind: 'ban', scope: 'interop', until: null }],
    ]);
    expect(r.view()).toMatchObject({ interop: { status: 'banned' }, strikes: 3, openCases: [] });
  });

  it('blocks the account for bad influence on confirmation, and holds the enterprise block in a case', () => {
    // Given a fraud message to 500 recipients held for review (under a mass-send limit it does not reach)
    const r = run([], { policy: aPolicy({ plugin: { massRecipientsPerMinute: 1000 } }) });
    const opened = theCase(
      r.apply(aMessage({ text: TERMS.fraud, recipients: externalUserIds(500), at: T0 })),
    );
    expect(opened.badInfluence).toBe(true);

    // When a reviewer confirms it
    const decided = r.apply(aCaseDecision(opened.id, { at: T0 + HOUR }));

    // Then the member's account is blocked, and the enterprise block waits in a case of its own
    expect(r.view().account.status).toBe('blocked');
    const enterprise = theCase(decided);
    expect(enterprise).toMatchObject({
      kind: 'enterprise-block',
      violationId: opened.violationId,
      provisional: null,
    });
    expect(r.corp.enterpriseCase).toEqual({ id: enterprise.id, userId: MEMBER_ID });
    expect(r.corpView()).toMatchObject({ account: { status: 'active' }, adminAccount: { status: 'active' } });
  });
});

describe('Cases: overturned', () => {
  it('lifts the provisional measure and voids the violation, with no strike', () => {
    // Given an inducing-sharing message held for review
    const r = run();
    const opened = theCase(r.apply(inducingSharing({ at: T0 })));

    // When a reviewer overturns it
    const decided = r.apply(
      aCaseDecision(opened.id, { at: T0 + HOUR, decision: 'overturn', reason: 'a quote from a training' }),
    );

    // Then the provisional suspension is lifted, the violation is void and the member is active
    expect(decisionsOfType(decided, 'penalty.lifted')).toEqual([
      expect.objectContaining({
        penaltyId: `${opened.violationId}.p`,
        cause: expect.objectContaining({ kind: 'case-decision', id: opened.id }),
      }),
    ]);
    expect(decisionsOfType(decided, 'violation.voided').map((v) => v.violationId)).toEqual([
      opened.violationId,
    ]);
    expect(decisionsOfType(decided, 'case.decided')).toEqual([
      expect.objectContaining({ status: 'overturned' }),
    ]);
    // Nothing of it stands on the member: no summary, no case
    expect(r.member().violations).toEqual([]);
    expect(r.member().cases).toEqual([]);
    expect(r.view()).toMatchObject({
      interop: { status: 'active' },
      account: { status: 'active' },
      strikes: 0,
    });
    expect(r.view().openCases).toEqual([]);
    expect(r.pendingTimers()).toEqual([]);
  });
});

describe('Cases: decided once', () => {
  it("answers 409 to a second decision, and 404 to an unknown case or another member's", () => {
    // Given a case decided by a reviewer
    const r = run();
    const opened = theCase(r.apply(inducingSharing({ at: T0 })));
    r.apply(aCaseDecision(opened.id, { at: T0 + HOUR }));

    // When it is decided again, an unknown case is decided, and another member decides this one
    const twice = r.apply(aCaseDecision(opened.id, { at: T0 + 2 * HOUR, decision: 'overturn' }));
    const unknown = r.apply(aCaseDecision('case-00000000000000000000000000000000', { at: T0 + 2 * HOUR }));
    const other = theCase(r.apply(inducingSharing({ at: T0 + 3 * HOUR })));
    const elsewhere = r.apply(aCaseDecision(other.id, { userId: 'lisi', at: T0 + 4 * HOUR }));

    // Then 409 names the case, and 404 for the others; nothing changes
    expect(rejections(twice)).toEqual([{ status: 409, message: expect.stringContaining(opened.id) }]);
    expect(rejections(unknown)).toEqual([expect.objectContaining({ status: 404 })]);
    expect(rejections(elsewhere)).toEqual([expect.objectContaining({ status: 404 })]);
    expect(r.view().strikes).toBe(1);
    expect(r.view().openCases.map((c) => c.id)).toEqual([other.id]);
  });
});

describe('Cases: reviewers outrank automation', () => {
  it('never reopens a decided case when the same input is evaluated again', () => {
    // Given a case a reviewer overturned, and enough later inputs that its input is no longer remembered
    const r = run();
    const message = inducingSharing({ at: T0 });
    const opened = theCase(r.apply(message));
    r.apply(aCaseDecision(opened.id, { at: T0 + HOUR, decision: 'overturn' }));
    r.apply(
      ...Array.from({ length: 20 }, (_, i) =>
        aMessage({ text: NEUTRAL_TEXT, at: T0 + 2 * HOUR + i * MINUTE }),
      ),
    );

    // When the same message is evaluated again
    const again = r.apply({ ...message, at: message.at });

    // Then no case opens, nothing is penalized, and the audit says a reviewer decided it
    expect(decisionsOfType(again, 'case.opened')).toEqual([]);
    expect(decisionsOfType(again, 'penalty.applied')).toEqual([]);
    expect(decisionsOfType(again, 'audit').map((a) => a.change)).toContainEqual(
      expect.stringContaining('was decided by a reviewer'),
    );
    expect(r.view()).toMatchObject({ interop: { status: 'active' }, strikes: 0, openCases: [] });
  });

  it("acts at once on a reviewer's report, even for a category under review", () => {
    // Given a member, when a reviewer reports fraud (a category the default policy holds for review)
    const r = run();
    const decisions = r.apply(aReport('fraud', { at: T0 }));

    // Then the account is blocked at once, with no case
    expect(decisionsOfType(decisions, 'case.opened')).toEqual([]);
    expect(theViolation(decisions)).toMatchObject({ penalty: { kind: 'block', scope: 'account' } });
    expect(r.view()).toMatchObject({ account: { status: 'blocked' }, openCases: [] });
  });
});

describe('Cases: the review deadline', () => {
  it('marks an undecided case expired at its deadline; it stays decidable and its measure stays', () => {
    // Given a case nobody decides
    const r = run();
    const opened = theCase(r.apply(inducingSharing({ at: T0 })));

    // When its deadline passes
    const fired = r.advanceTo(T0 + REVIEW_WITHIN);

    // Then the case is overdue, still listed, and interop stays suspended provisionally
    expect(decisionsOfType(fired, 'case.overdue')).toEqual([
      expect.objectContaining({ caseId: opened.id, reviewBy: T0 + REVIEW_WITHIN }),
    ]);
    expect(r.view()).toMatchObject({
      interop: { status: 'suspended', reason: { provisional: true, caseId: opened.id } },
      openCases: [expect.objectContaining({ id: opened.id, status: 'expired' })],
    });

    // When a reviewer decides it afterwards, then it is decided
    const decided = r.apply(aCaseDecision(opened.id, { at: T0 + 4 * DAY, decision: 'overturn' }));
    expect(decisionsOfType(decided, 'case.decided')).toEqual([
      expect.objectContaining({ status: 'overturned' }),
    ]);
    expect(r.view()).toMatchObject({ interop: { status: 'active' }, openCases: [] });
  });

  it('changes nothing when a deadline timer comes after the decision', () => {
    // Given a case confirmed before its deadline
    const r = run();
    const opened = theCase(r.apply(aMessage({ text: TERMS.fraud, at: T0 })));
    r.apply(aCaseDecision(opened.id, { at: T0 + HOUR }));
    const before = r.member();

    // When its deadline timer is delivered anyway
    const stale = r.apply(aTimer({ kind: 'review-deadline', caseId: opened.id }, { at: T0 + REVIEW_WITHIN }));

    // Then nothing is decided and the member is as the decision left it
    expect(stale).toEqual([]);
    expect(r.member().penalties).toEqual(before.penalties);
    expect(r.view()).toMatchObject({ account: { status: 'blocked' }, openCases: [] });
  });
});
