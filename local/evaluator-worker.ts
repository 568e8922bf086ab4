import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  DynamoDbParkedInputs,
  DynamoDbPenaltyStore,
  SqsCommandQueue,
  SqsDeadLetters,
} from '../shared/adapters/index.js';
import { defaultClassifier } from '../shared/classifier/index.js';
import { loadPolicySet } from '../shared/config/index.js';
import type { OutboundEvents, PendingEffects } from '../shared/domain/index.js';
import { createQueueConsumerHandler, DecisionEffects } from '../shared/evaluator/index.js';
import type { EvaluatorThreadData } from './evaluator-thread.js';
import { LocalClock } from './local-clock.js';
import { LOCAL_AWS } from './local-queue.js';
import { LocalTimers } from './local-timers.js';
import { QueuePoller } from './queue-poller.js';
import { ThreadChannel } from './thread-channel.js';

/**
 * The evaluator's thread of local mode (started by `startEvaluatorThread`): Lambda's SQS event
 * source in front of the deployed evaluator handler, with adapters of its own on DynamoDB Local
 * and the local queue, the local clock shared with the main thread, and the outbound events sent
 * to the main thread, which keeps the one file they are written to.
 */
if (!parentPort) throw new Error('evaluator-worker.ts runs as a worker thread of local mode');
const port = parentPort;
/** The nice value of the evaluator's thread: below the callbacks' thread (0), above idle (19). */
const EVALUATOR_NICE = 10;
const data = workerData as EvaluatorThreadData;

const dynamodb = new DynamoDBClient({ ...LOCAL_AWS, endpoint: data.dynamoDbEndpoint, maxAttempts: 1 });
const sqs = new SQSClient({ ...LOCAL_AWS, endpoint: data.queueEndpoint });
const clock = new LocalClock(data.clock);
const logger = new Logger({ serviceName: 'penalty-evaluator' });
const metrics = new Metrics({ serviceName: 'penalty-evaluator' });
const policies = loadPolicySet(data.policyFile ? { POLICY_FILE: data.policyFile } : {});
const store = new DynamoDbPenaltyStore({ client: dynamodb, tableName: data.tableName });
const parked = new DynamoDbParkedInputs({ client: dynamodb, tableName: data.tableName });
const commands = new SqsCommandQueue({ client: sqs, queueUrl: data.queueUrl });
const timers = new LocalTimers({ client: dynamodb, tableName: data.tableName, clock, commands });
const outbound: OutboundEvents = {
  publish: (effects: PendingEffects) => channel.call<void>('publish', effects),
};
const deadLetters = new SqsDeadLetters({ client: sqs, queueUrl: data.dlqUrl });
const handler = createQueueConsumerHandler(
  {
    evaluator: {
      store,
      effects: new DecisionEffects({ timers, outbound }),
      policies,
      classifier: defaultClassifier,
    },
    quarantine: (record, reason) => deadLetters.quarantine(record, reason),
    parked,
  },
  logger,
  metrics,
);
const poller = new QueuePoller({
  client: sqs,
  queueUrl: data.queueUrl,
  handler,
  ...data.poller,
  onError: (error) => logger.error('local mode', { error: error as Error }),
});

const channel = new ThreadChannel(port, {
  drain: () => poller.drain(),
  counts: () => ({ processed: poller.processed, failed: poller.failed, batches: poller.batchSizes }),
  stop: async () => {
    await poller.stop();
    dynamodb.destroy();
    sqs.destroy();
  },
});
lowerThisThreadsPriority();
poller.start();
port.postMessage({ ready: true });

/**
 * Evaluating yields the CPU to answering callbacks: on Linux a thread has a nice value of its own
 * (`setpriority` on the calling thread), so this thread runs at nice 10 while the HTTP thread,
 * which must answer WeCom within its deadline, keeps its own. Elsewhere the same call would lower
 * the whole process, so it is left alone; where Linux refuses, it stays as it is.
 */
function lowerThisThreadsPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(EVALUATOR_NICE);
  } catch {
    // Not permitted here: evaluating at the same priority is still correct, only less kind to callbacks.
  }
}
