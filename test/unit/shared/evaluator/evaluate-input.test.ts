import { describe, expect, it } from 'vitest';
import faithfulPolicy from '../../../../policies/wecom-faithful.json' with { type: 'json' };
import { decide } from '../../../../shared/domain/decide.js';
import { initialCorpState, initialMemberState } from '../../../../shared/domain/initial-state.js';
import { parsePolicySet } from '../../../../shared/domain/policy.js';
import { effectsOf } from '../../../../shared/evaluator/evaluate-input.js';
import { NEUTRAL_TEXT, TERMS, testClassifier } from '../../../helpers/domain-classifier.js';
import { aMessage, CORP_ID, DAY, MEMBER_ID, T0 } from '../../../helpers/domain-inputs.js';

/** The rules as WeCom publishes them, every category acting at once (human review is tested on its own). */
const FAITHFUL = parsePolicySet(faithfulPolicy);

const context = { policy: FAITHFUL.base, classifier: testClassifier };
const fresh = () => ({ member: initialMemberState(CORP_ID, MEMBER_ID), corp: initialCorpState(CORP_ID) });

describe('effectsOf: what an input leaves to carry out outside the store', () => {
  it('publishes a penalty with the explanation of the violation behind it, and schedules its end', () => {
    // Prepare
    const input = aMessage({ text: `please ${TERMS['inducing-sharing']}` });
    const outcome = decide(fresh(), input, context);

    // Act
    const effects = effectsOf(input, outcome.decisions);

    // Assess
    expect(effects).toMatchObject({ corpId: CORP_ID, inputId: input.id, at: T0 });
    const applied = effects?.decisions.find((d) => d.type === 'penalty.applied');
    expect(applied).toMatchObject({
      type: 'penalty.applied',
      reason: { rule: 'R1', category: 'inducing-sharing', violationId: input.id },
      explanation: { rule: 'R1', category: 'inducing-sharing', evidence: { inputIds: [input.id] } },
    });
    expect(effects?.decisions.find((d) => d.type === 'schedule.create')).toMatchObject({ at: T0 + DAY });
    expect(effects?.decisions.some((d) => d.type === 'violation.recorded' || d.type === 'audit')).toBe(false);
  });

  it('leaves nothing to carry out for an ordinary message', () => {
    // Prepare
    const input = aMessage({ text: NEUTRAL_TEXT });

    // Act
    const effects = effectsOf(input, decide(fresh(), input, context).decisions);

    // Assess
    expect(effects).toBeNull();
  });
});
