import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { SqsDeadLetters } from '../../shared/adapters/sqs-dead-letters.js';
import { ENV } from '../../shared/config/constants.js';
import { requireEnv } from '../../shared/config/env.js';
import { createEngineDependencies } from '../../shared/evaluator/engine-dependencies.js';
import { createQueueConsumerHandler } from '../../shared/evaluator/queue-consumer.js';

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
