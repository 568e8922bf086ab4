import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { casePrecision, type Decision, type EngineInput, type PolicySet } from '../domain/index.js';
import type { Evaluation } from './evaluate-input.js';

/** Metric names of human review: what an operator watches the reviewers' queue and the classifier by. */
export const CASE_METRICS = {
  opened: 'CasesOpened',
  decided: 'CasesDecided',
  overdue: 'OverdueCases',
  precision: 'CasePrecision',
} as const;

/** The decisions each counted metric counts, one per type. */
const COUNTED = {
  'case.opened': CASE_METRICS.opened,
  'case.decided': CASE_METRICS.decided,
  'case.overdue': CASE_METRICS.overdue,
} as const satisfies Partial<Record<Decision['type'], (typeof CASE_METRICS)[keyof typeof CASE_METRICS]>>;

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
  const counts = new Map<CaseMetric['name'], number>();
  const decided = new Set<string>();
  for (const decision of evaluation.decisions) {
    const name = COUNTED[decision.type as keyof typeof COUNTED];
    if (name === undefined) continue;
    counts.set(name, (counts.get(name) ?? 0) + 1);
    if (decision.type === 'case.decided') decided.add(decision.category);
  }
  const metrics: CaseMetric[] = [...counts].map(([name, value]) => ({ name, value }));
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
