/** The public surface of shared/evaluator: what code outside this folder may import. */
export { addCaseMetrics, CASE_METRICS } from './case-metrics.js';
export { createEngineDependencies } from './engine-dependencies.js';
export { ConcurrentUpdateError } from './errors.js';
export type { Evaluation } from './evaluate-input.js';
export { evaluateInput } from './evaluate-input.js';
export { failureReason, MAX_PARKED_LISTED } from './parked-inputs.js';
export { createQueueConsumerHandler } from './queue-consumer.js';
export { DecisionEffects } from './side-effects.js';
export type { SweepReport } from './sweep.js';
export { sweep } from './sweep.js';
