import { GetQueueAttributesCommand, PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalQueue, startLocalQueue } from '../../../local/local-queue.js';
import { QueuePoller, type QueuePollerOptions } from '../../../local/queue-poller.js';
import { receiveBatch } from '../../../local/sqs-event-source.js';
import { DynamoDbPenaltyStore } from '../../../shared/adapters/dynamodb-penalty-store.js';
import { SqsDeadLetters } from '../../../shared/adapters/sqs-dead-letters.js';
import { SqsEventQueue } from '../../../shared/adapters/sqs-event-queue.js';
import { loadPolicySet } from '../../../shared/config/index.js';
import type { PenaltyStore } from '../../../shared/domain/ports.js';
import { createQueueConsumerHandler } from '../../../shared/evaluator/queue-consumer.js';
import { NEUTRAL_TEXT, TERMS, testClassifier } from '../../helpers/domain-classifier.js';
import { aMessage, CORP_ID, MINUTE, T0 } from '../../helpers/domain-inputs.js';
import { usePenaltyTable } from '../../helpers/dynamodb.js';
import { FAITHFUL_POLICY_FILE } from '../../helpers/local-process.js';
import { silentLogger, silentMetrics } from '../../helpers/observability.js';
import { RecordingSideEffects } from '../../helpers/recording-side-effects.js';

const table = usePenaltyTable();
let queue: LocalQueue;
let store: DynamoDbPenaltyStore;

beforeAll(async () => {
  queue = await startLocalQueue();
  store = new DynamoDbPenaltyStore({ client: table.client, tableName: table.tableName });
});

afterAll(async () => {
  await queue?.stop();
});

beforeEach(async () => {
  await queue.client.send(new PurgeQueueCommand({ QueueUrl: queue.queueUrl }));
  await queue.client.send(new PurgeQueueCommand({ QueueUrl: queue.dlqUrl }));
});

/** The store, unreachable for one member: its records fail on every receive. */
function unreachableFor(userId: string): PenaltyStore {
  const refuse = (id: string | null) => {
    if (id === userId) throw new Error(`table unreachable for ${userId}`);
  };
  return {
    load: async (corpId, id) => {
      refuse(id);
      return store.load(corpId, id);
    },
    commit: (...args) => store.commit(...args),
    pendingEffects: (...args) => store.pendingEffects(...args),
    clearEffects: (...args) => store.clearEffects(...args),
  };
}

function poller(over: PenaltyStore = store, options: Partial<QueuePollerOptions> = {}) {
  const handler = createQueueConsumerHandler(
    {
      evaluator: {
        store: over,
        effects: new RecordingSideEffects(),
        policies: loadPolicySet({ POLICY_FILE: FAITHFUL_POLICY_FILE }),
        classifier: testClassifier,
      },
      quarantine: (record, reason) =>
        new SqsDeadLetters({ client: queue.client, queueUrl: queue.dlqUrl }).quarantine(record, reason),
    },
    silentLogger(),
    silentMetrics(),
  );
  return new QueuePoller({
    client: queue.client,
    queueUrl: queue.queueUrl,
    handler,
    retryDelayMs: 100,
    ...options,
  });
}

async function enqueue(...events: Parameters<SqsEventQueue['send']>[0]): Promise<void> {
  await new SqsEventQueue({ client: queue.client, queueUrl: queue.queueUrl, budgetMs: 3_000 }).send(events);
}

describe('the local SQS event source, under policies/wecom-faithful.json', () => {
  it('drains: every queued message evaluated, in each member’s order, then answers the count', async () => {
    // Prepare: three messages of one member and two of others
    await enqueue(
      aMessage({ userId: 'drained-a', at: T0, text: NEUTRAL_TEXT }),
      aMessage({ userId: 'drained-a', at: T0 + MINUTE, text: `please ${TERMS['inducing-sharing']}` }),
      aMessage({ userId: 'drained-a', at: T0 + 2 * MINUTE, text: NEUTRAL_TEXT }),
      aMessage({ userId: 'drained-b', text: NEUTRAL_TEXT }),
      aMessage({ userId: 'drained-c', text: NEUTRAL_TEXT }),
    );

    // Act
    const processed = await poller().drain();

    // Assess
    expect(processed).toBe(5);
    expect((await receiveBatch(queue.client, queue.queueUrl)).records).toHaveLength(0);
    const { member } = await store.load(CORP_ID, 'drained-a');
    expect(member?.strikes).toBe(1);
    expect(member?.version).toBe(3);
  });

  it('moves a record that keeps failing to the dead-letter queue after five receives, then goes on with its member', async () => {
    // Prepare: the member's first message can never be evaluated while the table refuses it
    const stuck = aMessage({ userId: 'stuck', at: T0, text: NEUTRAL_TEXT });
    await enqueue(stuck, aMessage({ userId: 'free', text: NEUTRAL_TEXT }));
    const failing = poller(unreachableFor('stuck'));

    // Act
    const processed = await failing.drain();

    // Assess: the other member was evaluated; the stuck record waits in the DLQ with its body
    expect(processed).toBe(1);
    expect(failing.failed).toBe(5);
    const dead = await receiveBatch(queue.client, queue.dlqUrl);
    expect(dead.records.map((r) => JSON.parse(r.body).id)).toEqual([stuck.id]);
    expect((await store.load(CORP_ID, 'free')).member?.version).toBe(1);
  });

  it('runs in the background until stopped, finishing the batch in progress', async () => {
    // Prepare
    const background = poller();
    background.start();

    // Act
    await enqueue(aMessage({ userId: 'background', text: NEUTRAL_TEXT }));
    while (background.processed < 1) await new Promise((resolve) => setTimeout(resolve, 10));
    await background.stop();
    await enqueue(aMessage({ userId: 'after-stop', text: NEUTRAL_TEXT }));
    await new Promise((resolve) => setTimeout(resolve, 100));

    // Assess: evaluated while running; after the stop nothing is taken
    expect((await store.load(CORP_ID, 'background')).member?.version).toBe(1);
    expect((await receiveBatch(queue.client, queue.queueUrl)).records).toHaveLength(1);
  });

  it('on a busy queue, tops a short batch up after its window: what arrived meanwhile is evaluated with it, each member in order', async () => {
    // Prepare: a batch of two makes the queue busy; then one message is queued and received, and
    // three more arrive while its batch waits
    const topped = poller(store, { concurrency: 1, batchWindowMs: 400 });
    await enqueue(
      aMessage({ userId: 'busy-a', text: NEUTRAL_TEXT }),
      aMessage({ userId: 'busy-b', text: NEUTRAL_TEXT }),
    );
    expect(await topped.pollOnce(0)).toBe(2);
    await enqueue(aMessage({ userId: 'window-a', at: T0, text: NEUTRAL_TEXT }));
    const polled = topped.pollOnce(0);
    while ((await inFlight()) < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    await enqueue(
      aMessage({ userId: 'window-a', at: T0 + MINUTE, text: `please ${TERMS['inducing-sharing']}` }),
      aMessage({ userId: 'window-b', text: NEUTRAL_TEXT }),
      aMessage({ userId: 'window-c', text: NEUTRAL_TEXT }),
    );

    // Act
    const first = await polled;
    const rest = await topped.drain();

    // Assess: one batch of three (window-a's second message waits for its first: FIFO), then one
    const sizes = topped.batchSizes;
    expect(first).toBe(3);
    expect(rest).toBe(1);
    expect(sizes[2]).toBe(1);
    expect(sizes[3]).toBe(1);
    expect(sizes[1]).toBe(1);
    expect(sizes.reduce((sum, count) => sum + count, 0)).toBe(3);
    const { member } = await store.load(CORP_ID, 'window-a');
    expect(member?.version).toBe(2);
    expect(member?.strikes).toBe(1);
    expect((await store.load(CORP_ID, 'window-c')).member?.version).toBe(1);
  });
  it('on a quiet queue, evaluates a lone record at once: what arrives meanwhile waits for the next batch', async () => {
    // Prepare: a fresh poller (the queue quiet); one message is received, another arrives meanwhile
    const quiet = poller(store, { concurrency: 1, batchWindowMs: 400 });
    await enqueue(aMessage({ userId: 'quiet-a', text: NEUTRAL_TEXT }));
    const polled = quiet.pollOnce(0);
    while ((await inFlight()) < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    await enqueue(aMessage({ userId: 'quiet-b', text: NEUTRAL_TEXT }));

    // Act
    const first = await polled;
    const rest = await quiet.drain();

    // Assess: two batches of one, both evaluated
    expect(first).toBe(1);
    expect(rest).toBe(1);
    expect(quiet.batchSizes[1]).toBe(2);
    expect((await store.load(CORP_ID, 'quiet-b')).member?.version).toBe(1);
  });
});

/** Messages of the event queue received and not yet deleted. */
async function inFlight(): Promise<number> {
  const { Attributes: attributes = {} } = await queue.client.send(
    new GetQueueAttributesCommand({
      QueueUrl: queue.queueUrl,
      AttributeNames: ['ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return Number(attributes.ApproximateNumberOfMessagesNotVisible ?? '0');
}
