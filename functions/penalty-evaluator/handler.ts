import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { SqsDeadLetters } from '../../shared/adapters/index.js';
import { ENV, requireEnv } from '../../shared/config/index.js';
import { createEngineDependencies, createQueueConsumerHandler } from '../../shared/evaluator/index.js';

const logger = new Logger({ serviceName: 'penalty-evaluator' });
const metrics = new Metrics({ serviceName: 'penalty-evaluator' });
const engine = createEngineDependencies();
const deadLetters = new SqsDeadLetters({
  client: engine.sqs,
  queueUrl: requireEnv(ENV.eventDeadLetterQueueUrl),
});

/** Consumer of the event queue: applies the policy to every queued event and fired timer. */
export const handler = createQueueConsumerHandler(
  {
    evaluator: engine,
    quarantine: (record, reason) => deadLetters.quarantine(record, reason),
    parked: engine.parked,
  },
  logger,
  metrics,
);
