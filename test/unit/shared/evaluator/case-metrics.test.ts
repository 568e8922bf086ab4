import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decide } from '../../../../shared/domain/decide.js';
import { initialCorpState, initialMemberState } from '../../../../shared/domain/initial-state.js';
import { DEFAULT_POLICY_SET } from '../../../../shared/domain/policy.js';
import { reviewDeadlineTimer } from '../../../../shared/domain/timers.js';
import type { CorpState, EngineInput, MemberState } from '../../../../shared/domain/types.js';
import { addCaseMetrics, caseMetricsOf } from '../../../../shared/evaluator/case-metrics.js';
import type { Evaluation } from '../../../../shared/evaluator/evaluate-input.js';
import { NEUTRAL_TEXT, TERMS, testClassifier } from '../../../helpers/domain-classifier.js';
import { aMessage, CORP_ID, DAY, HOUR, MINUTE, nextId, T0 } from '../../../helpers/domain-inputs.js';

const context = { policy: DEFAULT_POLICY_SET.base, classifier: testClassifier };

/** A corp's members and its state, evaluated input after input as the evaluator would. */
class Corp {
  corp: CorpState = initialCorpState(CORP_ID);
  readonly members = new Map<string, MemberState>();

  evaluate(input: EngineInput & { userId: string }): Evaluation {
    const member = this.members.get(input.userId) ?? initialMemberState(CORP_ID, input.userId);
    const outcome = decide({ member, corp: this.corp }, input, context);
    if (outcome.member) this.members.set(input.userId, outcome.member);
    this.corp = outcome.corp;
    return { status: 'applied', decisions: outcome.decisions, corp: outcome.corp };
  }

  /** A message in `category` that opens a case; answers the case's id with the evaluation. */
  open(userId: string, category: keyof typeof TERMS = 'inducing-sharing', at = T0) {
    const evaluation = this.evaluate(aMessage({ userId, at, text: `please ${TERMS[category]} now` }));
    const caseId = this.members.get(userId)?.cases?.at(-1)?.id;
    if (!caseId) throw new Error('no case opened');
    return { evaluation, caseId };
  }

  review(userId: string, caseId: string, decision: 'confirm' | 'overturn', at = T0 + HOUR) {
    const input = {
      type: 'case.reviewed' as const,
      id: nextId(),
      corpId: CORP_ID,
      userId,
      at,
      caseId,
      decision,
      reviewer: 'li.reviewer',
      reason: 'read the conversation',
    };
    return { input, evaluation: this.evaluate(input) };
  }
}

describe('caseMetricsOf: the human-review metrics of one evaluated input', () => {
  it('counts a case opened, and nothing for an ordinary message', () => {
    // Prepare
    const corp = new Corp();

    const input = aMessage({ userId: 'opener', text: `please ${TERMS['inducing-sharing']} now` });
    const neutral = aMessage({ userId: 'quiet', text: NEUTRAL_TEXT });

    // Act
    const evaluation = corp.evaluate(input);

    // Assess
    expect(caseMetricsOf(input, evaluation, DEFAULT_POLICY_SET)).toEqual([{ name: 'CasesOpened', value: 1 }]);
    expect(caseMetricsOf(neutral, corp.evaluate(neutral), DEFAULT_POLICY_SET)).toEqual([]);
  });

  it('counts a decision, with the corp’s measured precision of the case’s category after it', () => {
    // Prepare
    const corp = new Corp();
    const first = corp.open('first');
    const second = corp.open('second', 'inducing-sharing', T0 + MINUTE);
    corp.review('first', first.caseId, 'confirm');

    // Act
    const { input, evaluation } = corp.review('second', second.caseId, 'overturn', T0 + 2 * HOUR);

    // Assess
    expect(caseMetricsOf(input, evaluation, DEFAULT_POLICY_SET)).toEqual([
      { name: 'CasesDecided', value: 1 },
      { name: 'CasePrecision', value: 0.5, category: 'inducing-sharing' },
    ]);
  });

  it('reports the precision of the decided case’s category only', () => {
    // Prepare
    const corp = new Corp();
    const gambling = corp.open('gambler', 'gambling');
    corp.review('gambler', gambling.caseId, 'overturn');
    const sharing = corp.open('sharer');

    // Act
    const { input, evaluation } = corp.review('sharer', sharing.caseId, 'confirm', T0 + 2 * HOUR);

    // Assess
    expect(caseMetricsOf(input, evaluation, DEFAULT_POLICY_SET)).toEqual([
      { name: 'CasesDecided', value: 1 },
      { name: 'CasePrecision', value: 1, category: 'inducing-sharing' },
    ]);
  });

  it('counts a case gone past its review deadline as overdue', () => {
    // Prepare
    const corp = new Corp();
    const { caseId } = corp.open('late');
    const timer = reviewDeadlineTimer({ corpId: CORP_ID, userId: 'late' }, caseId, T0 + 3 * DAY);

    // Act
    const evaluation = corp.evaluate(timer);

    // Assess
    expect(caseMetricsOf(timer, evaluation, DEFAULT_POLICY_SET)).toEqual([
      { name: 'OverdueCases', value: 1 },
    ]);
  });

  it('counts nothing for a duplicate: its first evaluation was counted', () => {
    // Prepare
    const input = aMessage({ userId: 'again', text: `please ${TERMS['inducing-sharing']} now` });

    // Act
    const metrics = caseMetricsOf(input, { status: 'duplicate', decisions: [] }, DEFAULT_POLICY_SET);

    // Assess
    expect(metrics).toEqual([]);
  });
});

describe('addCaseMetrics: the metrics as CloudWatch receives them', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('adds the counts to the batch, and publishes a precision at once with its Category dimension', () => {
    // Prepare
    const corp = new Corp();
    const { caseId } = corp.open('published');
    const { input, evaluation } = corp.review('published', caseId, 'confirm');
    const metrics = new Metrics({ namespace: 'Test', serviceName: 'penalty-evaluator' });
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });

    // Act
    addCaseMetrics(metrics, input, evaluation, DEFAULT_POLICY_SET);
    const batch = metrics.serializeMetrics();

    // Assess
    expect(batch).toMatchObject({ CasesDecided: 1 });
    expect(batch).not.toHaveProperty('CasePrecision');
    const single = written.map((line) => JSON.parse(line)).find((emf) => 'CasePrecision' in emf);
    expect(single).toMatchObject({
      CasePrecision: 1,
      Category: 'inducing-sharing',
      service: 'penalty-evaluator',
    });
    expect(single._aws.CloudWatchMetrics[0].Dimensions[0]).toEqual(
      expect.arrayContaining(['service', 'Category']),
    );
  });
});
