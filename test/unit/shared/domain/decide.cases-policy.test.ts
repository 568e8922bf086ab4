import { describe, expect, it } from 'vitest';
import { MAX_OPEN_CASES } from '../../../../shared/domain/decider/cases.js';
import { FAITHFUL, inducingSharing, rejections, theCase } from '../../../helpers/decide-scenarios.js';
import { NEUTRAL_TEXT, TERMS } from '../../../helpers/domain-classifier.js';
import {
  aCaseDecision,
  aMessage,
  anAppeal,
  anUnblockRequest,
  aReport,
  DAY,
  HOUR,
  MEMBER_ID,
  MINUTE,
  T0,
} from '../../../helpers/domain-inputs.js';
import { aPolicy } from '../../../helpers/domain-policy.js';
import { decisionsOfType, run } from '../../../helpers/domain-run.js';

/** Bad-influence reports by three members an hour apart: enough to reach the enterprise. */
function threeMembersBadInfluence() {
  return ['m1', 'm2', 'm3'].map((userId, i) =>
    aReport('harassing-marketing', { userId, badInfluence: true, at: T0 + i * HOUR }),
  );
}

describe('Cases: the enterprise block held for review', () => {
  it('keeps the enterprise and admin active in one case, which a confirmation blocks', () => {
    // Given three members' bad-influence violations under the default policy
    const r = run();
    const decisions = r.apply(...threeMembersBadInfluence());

    // Then the enterprise and admin accounts stay active, and one enterprise-block case opens
    const enterprise = theCase(decisions);
    expect(enterprise).toMatchObject({ kind: 'enterprise-block', userId: 'm3', badInfluence: true });
    expect(r.corpView()).toMatchObject({
      account: { status: 'active' },
      adminAccount: { status: 'active' },
      enterpriseCase: { id: enterprise.id, userId: 'm3' },
    });

    // When a fourth member's bad influence follows, then no second case opens (one at a time)
    const fourth = r.apply(
      aReport('harassing-marketing', { userId: 'm4', badInfluence: true, at: T0 + 4 * HOUR }),
    );
    expect(decisionsOfType(fourth, 'case.opened')).toEqual([]);

    // When a reviewer confirms the case, then both accounts are blocked
    const decided = r.apply(aCaseDecision(enterprise.id, { userId: 'm3', at: T0 + 5 * HOUR }));
    expect(
      decisionsOfType(decided, 'penalty.applied')
        .map((d) => [d.subject.kind, d.cause.kind])
        .sort(),
    ).toEqual([
      ['admin', 'case-decision'],
      ['enterprise', 'case-decision'],
    ]);
    expect(r.corpView()).toMatchObject({
      account: { status: 'blocked' },
      adminAccount: { status: 'blocked' },
      enterpriseCase: null,
    });
  });

  it('leaves the enterprise and admin active when the case is overturned', () => {
    // Given the enterprise-block case
    const r = run();
    const enterprise = theCase(r.apply(...threeMembersBadInfluence()));

    // When a reviewer overturns it
    r.apply(aCaseDecision(enterprise.id, { userId: 'm3', at: T0 + 5 * HOUR, decision: 'overturn' }));

    // Then both accounts stay active, and the members' own blocks stand
    expect(r.corpView()).toMatchObject({
      account: { status: 'active' },
      adminAccount: { status: 'active' },
      enterpriseCase: null,
    });
    expect(r.view('m3').account.status).toBe('blocked');
  });

  it('blocks at once under the faithful policy', () => {
    // Given the same three members under policies/wecom-faithful.json
    const r = FAITHFUL.run(threeMembersBadInfluence());

    // Then the enterprise and admin accounts are blocked, with no case
    expect(decisionsOfType(r.decisions, 'case.opened')).toEqual([]);
    expect(r.corpView()).toMatchObject({
      account: { status: 'blocked' },
      adminAccount: { status: 'blocked' },
    });
  });
});

describe('Shadow: what would have applied, and nothing else', () => {
  it('records the penalty a gambling message would bring, changing nothing a run without it shows', () => {
    // Given gambling in shadow mode, and the same run with a neutral message instead
    const shadow = aPolicy({ enforcement: { gambling: 'shadow' } });
    const earlier = inducingSharing({ at: T0 });
    const watched = run([earlier], { policy: shadow });
    const without = run([earlier], { policy: shadow });

    // When the member writes about a casino (or, in the other run, something neutral)
    const decisions = watched.apply(aMessage({ text: `${TERMS.gambling} tonight`, at: T0 + HOUR }));
    without.apply(aMessage({ text: NEUTRAL_TEXT, at: T0 + HOUR }));

    // Then the shadowed record holds the account block that would have applied, with its evidence
    expect(decisionsOfType(decisions, 'violation.shadowed')).toEqual([
      {
        type: 'violation.shadowed',
        violation: expect.objectContaining({
          rule: 'R3',
          category: 'gambling',
          enforcement: 'shadow',
          penalty: { kind: 'block', scope: 'account', until: null },
          explanation: expect.objectContaining({
            evidence: expect.objectContaining({
              matchedTerms: [expect.objectContaining({ text: TERMS.gambling })],
            }),
          }),
        }),
      },
    ]);
    // And nothing else: no violation, case or penalty, and the same views and counters as without it
    expect(decisions.map((d) => d.type)).toEqual(['violation.shadowed']);
    expect(watched.view()).toEqual(without.view());
    expect(watched.member().strikes).toBe(without.member().strikes);
    expect(watched.member().violations).toEqual(without.member().violations);
    expect(watched.corpView()).toEqual(without.corpView());
    expect(watched.corp.violations).toEqual(without.corp.violations);
  });
});

describe('actAtScore: a classifier score at which a detection acts at once', () => {
  it('acts at once when the score reaches the threshold, and opens a case below it', () => {
    // Given gambling acting at a score of 1 for one corp's policy, and of 2 for another's
    const atOne = run([], { policy: aPolicy({ enforcement: { actAtScore: { gambling: 1 } } }) });
    const atTwo = run([], { policy: aPolicy({ enforcement: { actAtScore: { gambling: 2 } } }) });

    // When a message scoring 1 for gambling is written in each
    const message = aMessage({ text: `${TERMS.gambling} tonight`, at: T0 });
    const acted = atOne.apply(message);
    const held = atTwo.apply(message);

    // Then the first blocks the account at once; the second opens a case
    expect(decisionsOfType(acted, 'case.opened')).toEqual([]);
    expect(atOne.view().account.status).toBe('blocked');
    expect(theCase(held)).toMatchObject({ category: 'gambling', score: 1 });
    expect(atTwo.view()).toMatchObject({ account: { status: 'active' }, interop: { status: 'suspended' } });
  });
});

describe('Cases: the provisional measure and the bound on open cases', () => {
  it('opens a case with no measure when the policy sets none', () => {
    // Given a policy with no provisional measure
    const r = run([], { policy: aPolicy({ enforcement: { provisional: 'none' } }) });

    // When a fraud message opens a case
    const opened = theCase(r.apply(aMessage({ text: TERMS.fraud, at: T0 })));

    // Then the member is untouched while the case waits
    expect(opened.provisional).toBeNull();
    expect(r.member().penalties).toEqual([]);
    expect(r.view()).toMatchObject({
      interop: { status: 'active' },
      account: { status: 'active' },
      openCases: [expect.objectContaining({ id: opened.id })],
    });
  });

  it(`holds back the detection beyond ${MAX_OPEN_CASES} open cases, counting it`, () => {
    // Given a member with MAX_OPEN_CASES undecided cases
    const r = run();
    for (let i = 0; i < MAX_OPEN_CASES; i++) r.apply(inducingSharing({ at: T0 + i * MINUTE }));
    expect(r.view().openCases).toHaveLength(MAX_OPEN_CASES);

    // When one more detection comes
    const extra = r.apply(inducingSharing({ at: T0 + HOUR }));

    // Then no case opens, and it is counted on the member
    expect(decisionsOfType(extra, 'case.opened')).toEqual([]);
    expect(r.view().openCases).toHaveLength(MAX_OPEN_CASES);
    expect(r.member().casesHeldBack).toEqual([{ category: 'inducing-sharing', count: 1, lastAt: T0 + HOUR }]);
  });

  it('keeps the state of a member whom nobody reviews within its budget, however long the member goes on', () => {
    // Given a member sending violating texts every hour for 200 hours, every case left undecided
    const r = run([], { fireTimers: true });
    for (let i = 0; i < 200; i++) r.apply(inducingSharing({ at: T0 + i * HOUR }));

    // Then the cases stay at their bound, the rest counted, and the state stays under 9 KB
    expect(r.view().openCases).toHaveLength(MAX_OPEN_CASES);
    expect(r.member().casesHeldBack).toEqual([expect.objectContaining({ count: 200 - MAX_OPEN_CASES })]);
    expect(JSON.stringify(r.member()).length).toBeLessThan(9 * 1024);
  });
});

describe('Measured precision', () => {
  it('is confirmed ÷ decided per category over the last 90 days', () => {
    // Given four inducing-sharing cases: three confirmed, one overturned
    const r = run();
    const cases = [0, 1, 2, 3].map((i) => theCase(r.apply(inducingSharing({ at: T0 + i * MINUTE }))));
    cases.forEach((c, i) => {
      r.apply(
        aCaseDecision(c.id, { at: T0 + HOUR + i * MINUTE, decision: i === 3 ? 'overturn' : 'confirm' }),
      );
    });

    // Then the corp view shows 0.75 for the category
    expect(r.corpView().precision).toEqual([
      { category: 'inducing-sharing', confirmed: 3, decided: 4, precision: 0.75 },
    ]);

    // When more than 90 days pass, then those decisions drop out
    expect(r.corpView(T0 + 91 * DAY).precision).toEqual([]);
  });
});

describe('Appeals while a case is open', () => {
  it('refuses an appeal of a pending violation with 409 naming its case', () => {
    // Given a violation held for review
    const r = run();
    const opened = theCase(r.apply(inducingSharing({ at: T0 })));

    // When the admin appeals it
    const decisions = r.apply(anAppeal({ violationId: opened.violationId, at: T0 + HOUR }));

    // Then the appeal is refused, naming the case: a reviewer decides it
    expect(rejections(decisions)).toEqual([{ status: 409, message: expect.stringContaining(opened.id) }]);
  });

  it('does not take the provisional measure as an appealable penalty, nor grant an unblock application on it', () => {
    // Given a member whose only measure is provisional
    const r = run();
    theCase(r.apply(inducingSharing({ at: T0 })));

    // When the admin appeals the latest penalty, and applies for unblocking
    const appeal = r.apply(anAppeal({ at: T0 + HOUR }));
    const unblock = r.apply(anUnblockRequest({ at: T0 + 2 * HOUR }));

    // Then both are refused with 409, and interop stays suspended provisionally
    expect(rejections(appeal)).toEqual([expect.objectContaining({ status: 409 })]);
    expect(rejections(unblock)).toEqual([expect.objectContaining({ status: 409 })]);
    expect(r.view(MEMBER_ID)).toMatchObject({
      interop: { status: 'suspended', reason: { provisional: true } },
    });
    expect(r.member().appeals).toEqual([]);
  });
});
