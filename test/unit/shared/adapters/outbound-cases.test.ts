import { describe, expect, it } from 'vitest';
import { outboundEntries } from '../../../../shared/adapters/eventbridge-outbound.js';
import { decide } from '../../../../shared/domain/decide.js';
import { DECISION_ROUTES } from '../../../../shared/domain/decision-routes.js';
import { initialCorpState, initialMemberState } from '../../../../shared/domain/initial-state.js';
import { DEFAULT_POLICY_SET } from '../../../../shared/domain/policy.js';
import type { EngineInput } from '../../../../shared/domain/types.js';
import { effectsOf } from '../../../../shared/evaluator/evaluate-input.js';
import { TERMS, testClassifier } from '../../../helpers/domain-classifier.js';
import { aMessage, CORP_ID, DAY, HOUR, MEMBER_ID, nextId, T0 } from '../../../helpers/domain-inputs.js';

const BUS = 'WecomEnforcement-test-outbound';
const context = { policy: DEFAULT_POLICY_SET.base, classifier: testClassifier };
const iso = (at: number) => new Date(at).toISOString();

/** The outbound entries of a message that opens a case, and of the reviewer's decision on it. */
function caseLifecycle(decision: 'confirm' | 'overturn') {
  let state = { member: initialMemberState(CORP_ID, MEMBER_ID), corp: initialCorpState(CORP_ID) };
  const entriesOf = (input: EngineInput) => {
    const outcome = decide(state, input, context);
    if (outcome.member) state = { member: outcome.member, corp: outcome.corp };
    const effects = effectsOf(input, outcome.decisions);
    return { input, entries: effects ? outboundEntries(effects, BUS) : [] };
  };
  const opened = entriesOf(aMessage({ at: T0, text: `please ${TERMS['inducing-sharing']} now` }));
  const caseId = state.member.cases?.[0]?.id ?? '';
  const decided = entriesOf({
    type: 'case.reviewed',
    id: nextId(),
    corpId: CORP_ID,
    userId: MEMBER_ID,
    at: T0 + HOUR,
    caseId,
    decision,
    reviewer: 'li.reviewer',
    reason: 'read the conversation',
  });
  return { opened, decided, caseId };
}

const detail = (entry: { Detail?: string | undefined } | undefined) => JSON.parse(entry?.Detail ?? '{}');

describe('outbound events of human review', () => {
  it('publishes a case opened, on the member, with ISO times and an id stable per input and position', () => {
    // Act
    const { opened, caseId } = caseLifecycle('confirm');

    // Assess
    const index = opened.entries.findIndex((e) => e.DetailType === 'case.opened');
    const entry = opened.entries[index];
    expect(entry).toMatchObject({ EventBusName: BUS, Time: new Date(T0) });
    expect(detail(entry)).toMatchObject({
      id: expect.stringMatching(new RegExp(`^${BUS}:${opened.input.id}\\.\\d+$`)),
      type: 'case.opened',
      corpId: CORP_ID,
      userId: MEMBER_ID,
      subject: { kind: 'member', corpId: CORP_ID, userId: MEMBER_ID },
      at: iso(T0),
      case: {
        id: caseId,
        status: 'open',
        violationAt: iso(T0),
        openedAt: iso(T0),
        reviewBy: iso(T0 + 3 * DAY),
      },
    });
    // And the member's message stays off the bus: only the admin API shows it to a reviewer
    expect(detail(entry).case).not.toHaveProperty('text');
    expect(entry?.Detail).not.toContain('please');
    // The same input evaluated again (a redelivery) publishes the same events, ids included.
    const fresh = () => ({ member: initialMemberState(CORP_ID, MEMBER_ID), corp: initialCorpState(CORP_ID) });
    const again = (input: EngineInput) => {
      const effects = effectsOf(input, decide(fresh(), input, context).decisions);
      return effects ? outboundEntries(effects, BUS).map((e) => e.Detail) : [];
    };
    expect(again(opened.input)).toEqual(again(opened.input));
    expect(again(opened.input)).toEqual(opened.entries.map((e) => e.Detail));
  });

  it('publishes a case decided, on the member, with the decision and its time in ISO', () => {
    // Act
    const { decided, caseId } = caseLifecycle('overturn');

    // Assess
    const entry = decided.entries.find((e) => e.DetailType === 'case.decided');
    expect(detail(entry)).toMatchObject({
      id: expect.stringMatching(new RegExp(`^${BUS}:${decided.input.id}\\.\\d+$`)),
      type: 'case.decided',
      corpId: CORP_ID,
      userId: MEMBER_ID,
      subject: { kind: 'member', corpId: CORP_ID, userId: MEMBER_ID },
      at: iso(T0 + HOUR),
      caseId,
      status: 'overturned',
      openedAt: iso(T0),
      decision: {
        decision: 'overturn',
        reviewer: 'li.reviewer',
        reason: 'read the conversation',
        at: iso(T0 + HOUR),
      },
    });
  });

  it('publishes nothing else new: the provisional measure and the confirmed penalty go out as penalties', () => {
    // Act
    const { opened, decided } = caseLifecycle('confirm');

    // Assess
    expect(opened.entries.map((e) => e.DetailType).sort()).toEqual(['case.opened', 'penalty.applied']);
    expect(decided.entries.map((e) => e.DetailType).sort()).toEqual([
      'case.decided',
      'penalty.applied',
      'penalty.lifted',
    ]);
    const published = Object.entries(DECISION_ROUTES)
      .filter(([, route]) => route.published)
      .map(([type]) => type)
      .sort();
    expect(published).toEqual([
      'case.decided',
      'case.opened',
      'penalty.applied',
      'penalty.lifted',
      'quota.changed',
    ]);
  });
});
