import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { casePrecision, type EngineInput, type PolicySet } from '../domain/index.js';
import type { Evaluation } from './evaluate-input.js';

/** Metric names of human review: what an operator watches the reviewers' queue and the classifier by. */
export const CASE_METRICS = {
  opened: 'CasesOpened',
  decided: 'CasesDecided',
  overdue: 'OverdueCases',
  precision: 'CasePrecision',
} as const;

/** One data point: a count, or a category's measured precision (0 to 1). */
export interface CaseMetric {
  readonly name: (typeof CASE_METRICS)[keyof typeof CASE_METRICS];
  readonly value: number;
  /** The category a precision is of: its only dimension besides the service. */
  readonly category?: string;
}

/**
 * The human-review metrics of one evaluated input: cases it opened, decided and found overdue, and,
 * per category of a case it decided, the corp's measured precision after the decision (confirmed ÷
 * decided over the last 90 days, as the corp view shows it). A duplicate evaluation counts nothing:
 * its first evaluation did.
 */
export function caseMetricsOf(input: EngineInput, evaluation: Evaluation, policies: PolicySet): CaseMetric[] {
  if (evaluation.status !== 'applied') return [];
  const count = (type: string) => evaluation.decisions.filter((d) => d.type === type).length;
  const metrics: CaseMetric[] = [];
  for (const [name, type] of [
    [CASE_METRICS.opened, 'case.opened'],
    [CASE_METRICS.decided, 'case.decided'],
    [CASE_METRICS.overdue, 'case.overdue'],
  ] as const) {
    const value = count(type);
    if (value > 0) metrics.push({ name, value });
  }
  const decided = new Set(
    evaluation.decisions.flatMap((d) => (d.type === 'case.decided' ? [d.category] : [])),
  );
  if (decided.size > 0 && evaluation.corp) {
    const precision = casePrecision(evaluation.corp, policies.forCorp(input.corpId), input.at);
    for (const p of precision) {
      if (decided.has(p.category))
        metrics.push({ name: CASE_METRICS.precision, value: p.precision, category: p.category });
    }
  }
  return metrics;
}

/**
 * Adds the input's human-review metrics to `metrics`. A precision goes out as a single metric with
 * its `Category` dimension, so that the counts keep the batch's dimensions only.
 */
export function addCaseMetrics(
  metrics: Metrics,
  input: EngineInput,
  evaluation: Evaluation,
  policies: PolicySet,
): void {
  for (const metric of caseMetricsOf(input, evaluation, policies)) {
    if (metric.category === undefined) {
      metrics.addMetric(metric.name, MetricUnit.Count, metric.value);
      continue;
    }
    const single = metrics.singleMetric();
    single.addDimension('Category', metric.category);
    single.addMetric(metric.name, MetricUnit.NoUnit, metric.value);
  }
}
