import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { ChangeMessageVisibilityCommand, PurgeQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localLambdaContext } from '../../../../local/api-gateway-event.js';
import { LOCAL_DLQ_NAME, type LocalQueue, startLocalQueue } from '../../../../local/local-queue.js';
import { acknowledge, receiveBatch } from '../../../../local/sqs-event-source.js';
import faithfulPolicy from '../../../../policies/wecom-faithful.json' with { type: 'json' };
import { DynamoDbParkedInputs } from '../../../../shared/adapters/dynamodb-parked-inputs.js';
import { DynamoDbPenaltyStore } from '../../../../shared/adapters/dynamodb-penalty-store.js';
import { decodeMemberState } from '../../../../shared/adapters/member-state-codec.js';
import { storeKeys } from '../../../../shared/adapters/penalty-table.js';
import { SqsDeadLetters } from '../../../../shared/adapters/sqs-dead-letters.js';
import { SqsEventQueue } from '../../../../shared/adapters/sqs-event-queue.js';
import { handleAdminRequest } from '../../../../shared/admin/handle-admin-request.js';
import type { AdminResponse } from '../../../../shared/admin/types.js';
import type { Classifier } from '../../../../shared/domain/classification.js';
import type { DomainEvent } from '../../../../shared/domain/events.js';
import { parsePolicySet } from '../../../../shared/domain/policy.js';
import type { MemberState } from '../../../../shared/domain/types.js';
import { evaluateInput } from '../../../../shared/evaluator/evaluate-input.js';
import { PARK_AFTER_RECEIVES } from '../../../../shared/evaluator/parked-inputs.js';
import { createQueueConsumerHandler } from '../../../../shared/evaluator/queue-consumer.js';
import { TERMS, testClassifier } from '../../../helpers/domain-classifier.js';
import { aMessage, CORP_ID, MINUTE, T0 } from '../../../helpers/domain-inputs.js';
import { usePenaltyTable } from '../../../helpers/dynamodb.js';
import { silentLogger, silentMetrics } from '../../../helpers/observability.js';
import { RecordingSideEffects } from '../../../helpers/recording-side-effects.js';

/** The rules as WeCom publishes them, every category acting at once (human review is tested on its own). */
const FAITHFUL = parsePolicySet(faithfulPolicy);

// Issue 11, item 1: an input that fails again and again is parked, so its member's later inputs go
// on; a person retries it (once the cause is fixed) or discards it through the admin API.

const table = usePenaltyTable();
let queue: LocalQueue;
let sqs: SQSClient;
let store: DynamoDbPenaltyStore;
let parked: DynamoDbParkedInputs;

/** A text the classifier fails on while `poisoned` is set: a deterministic failure before the commit. */
const POISON = 'poison-text';
let poisoned = true;
const classifier: Classifier = {
  ...testClassifier,
  classify: (text) => {
    if (poisoned && text.includes(POISON)) throw new Error('classifier failed on this input');
    return testClassifier.classify(text);
  },
};

beforeAll(async () => {
  queue = await startLocalQueue();
  sqs = queue.client;
  store = new DynamoDbPenaltyStore({ client: table.client, tableName: table.tableName });
  parked = new DynamoDbParkedInputs({ client: table.client, tableName: table.tableName });
});

afterAll(async () => {
  await queue?.stop();
});

beforeEach(async () => {
  poisoned = true;
  await sqs.send(new PurgeQueueCommand({ QueueUrl: queue.queueUrl }));
  await sqs.send(new PurgeQueueCommand({ QueueUrl: queue.dlqUrl }));
});

const effects = new RecordingSideEffects();
const evaluatorOn = () => ({ store, effects, policies: FAITHFUL, classifier });

function consumer(evaluateBatches: boolean) {
  return createQueueConsumerHandler(
    {
      evaluator: evaluatorOn(),
      quarantine: (record, reason) =>
        new SqsDeadLetters({ client: sqs, queueUrl: queue.dlqUrl }).quarantine(record, reason),
      parked,
      evaluateBatches,
    },
    silentLogger(),
    silentMetrics(),
  );
}

/**
 * Runs the event source until the queue is empty: each batch handed to the consumer, the records it
 * answered as failed made visible again at once (as their visibility timeout would), at most 12 rounds.
 */
async function drain(evaluateBatches: boolean): Promise<{ rounds: number; failures: number }> {
  const handler = consumer(evaluateBatches);
  let failures = 0;
  for (let round = 1; round <= 12; round++) {
    const batch = await receiveBatch(sqs, queue.queueUrl, { max: 10 });
    if (batch.records.length === 0) return { rounds: round - 1, failures };
    const response = await handler(
      { Records: batch.records },
      localLambdaContext('penalty-evaluator', 30_000),
    );
    await acknowledge(sqs, queue.queueUrl, batch, response);
    for (const failure of response.batchItemFailures) {
      failures += 1;
      const handle = batch.receipts.get(failure.itemIdentifier);
      if (handle) {
        await sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: queue.queueUrl,
            ReceiptHandle: handle,
            VisibilityTimeout: 0,
          }),
        );
      }
    }
  }
  throw new Error('the queue did not empty in 12 rounds');
}

async function member(userId: string): Promise<MemberState | null> {
  const { Item } = await table.client.send(
    new GetItemCommand({
      TableName: table.tableName,
      Key: { pk: { S: storeKeys.member(CORP_ID, userId).pk }, sk: { S: 'STATE' } },
      ConsistentRead: true,
    }),
  );
  return decodeMemberState(Item?.state);
}

function admin(method: string, path: string, body?: unknown): Promise<AdminResponse> {
  return handleAdminRequest(
    {
      method,
      path,
      headers: {},
      body: body === undefined ? null : JSON.stringify(body),
      principal: { kind: 'machine' },
    },
    {
      reader: store,
      parked,
      evaluate: (input) => evaluateInput(input, evaluatorOn()),
      policies: FAITHFUL,
      now: () => T0 + 60 * MINUTE,
      newId: () => 'admin-command',
    },
  );
}

function json(response: AdminResponse): Record<string, unknown> {
  return JSON.parse(String(response.body)) as Record<string, unknown>;
}

/** A member's three inputs: a violation, the poison, a second violation, in that order. */
async function threeInputs(userId: string, poisonText = 'hello'): Promise<DomainEvent[]> {
  const inputs = [
    aMessage({ userId, text: TERMS['inducing-sharing'], at: T0 }),
    aMessage({ userId, text: `${POISON} ${poisonText}`, at: T0 + MINUTE }),
    aMessage({ userId, text: TERMS['inducing-sharing'], at: T0 + 2 * MINUTE }),
  ];
  await new SqsEventQueue({ client: sqs, queueUrl: queue.queueUrl, budgetMs: 3_000 }).send(inputs);
  return inputs;
}

describe.each([
  { path: 'the batch path', evaluateBatches: true, suffix: 'b' },
  { path: 'record by record', evaluateBatches: false, suffix: 'r' },
])('parking a poison input ($path)', ({ evaluateBatches, suffix }) => {
  it('parks the failing input after its receives, and evaluates the good ones around it in order', async () => {
    // Prepare
    const userId = `parked-${suffix}`;
    const [, poison] = await threeInputs(userId);

    // Act
    const run = await drain(evaluateBatches);

    // Assess: both violations counted (the ladder's second step), the poison parked, nothing dead-lettered
    const state = await member(userId);
    expect(state?.strikes).toBe(2);
    expect(state?.violations.map((v) => v.at)).toEqual([T0, T0 + 2 * MINUTE]);
    expect(run.failures).toBeGreaterThanOrEqual(PARK_AFTER_RECEIVES - 1);
    expect(await queue.list(LOCAL_DLQ_NAME)).toEqual([]);
    const listing = json(await admin('GET', '/admin/parked'));
    expect(listing.parked).toEqual([
      expect.objectContaining({
        corpId: CORP_ID,
        userId,
        inputId: poison?.id,
        type: 'message.sent',
        receives: PARK_AFTER_RECEIVES,
        reason: expect.stringContaining('classifier failed on this input'),
        status: 'parked',
      }),
    ]);
    for (const item of listing.parked as { id: string }[]) {
      await admin('POST', `/admin/parked/${item.id}/discard`, { reviewer: 'test-cleanup' });
    }
  });
});

describe('retrying and discarding parked inputs through the admin API', () => {
  it('keeps a retry that fails again parked (409), then evaluates it once the cause is fixed, once', async () => {
    // Prepare: parked while the classifier fails on it (a third violation, once it can be read)
    const userId = 'parked-retry';
    const [, poison] = await threeInputs(userId, TERMS['inducing-sharing']);
    await drain(true);
    const [item] = json(await admin('GET', '/admin/parked')).parked as { id: string; inputId: string }[];
    expect(item?.inputId).toBe(poison?.id);
    const id = item?.id ?? '';

    // Act: retried while the cause is still there, then after it is fixed, then again
    const failing = await admin('POST', `/admin/parked/${id}/retry`);
    poisoned = false;
    const retried = await admin('POST', `/admin/parked/${id}/retry`, {
      reviewer: 'ops-lee',
      reason: 'fixed',
    });
    const again = await admin('POST', `/admin/parked/${id}/retry`);

    // Assess
    expect(failing.statusCode).toBe(409);
    expect(json(failing).error).toMatch(/failed again and stays parked/);
    expect(retried.statusCode).toBe(200);
    expect(json(retried)).toEqual({ id, status: 'retried', evaluation: 'applied' });
    expect(again.statusCode).toBe(409);
    expect(json(await admin('GET', '/admin/parked')).parked).toEqual([]);
    expect((await member(userId))?.strikes).toBe(3);
    // Evaluated once: the same input again changes nothing
    expect((await evaluateInput(poison as DomainEvent, evaluatorOn())).status).toBe('duplicate');
    expect((await member(userId))?.strikes).toBe(3);
  });

  it('discards a parked input with an audit entry on its member, and 404s an unknown one', async () => {
    // Prepare
    const userId = 'parked-discard';
    await threeInputs(userId);
    await drain(false);
    const [item] = json(await admin('GET', '/admin/parked')).parked as { id: string }[];
    const id = item?.id ?? '';

    // Act
    const discarded = await admin('POST', `/admin/parked/${id}/discard`, {
      reviewer: 'ops-wang',
      reason: 'a test message',
    });
    const twice = await admin('POST', `/admin/parked/${id}/discard`);
    const unknown = await admin('POST', `/admin/parked/${'0'.repeat(32)}/discard`);
    const malformed = await admin('POST', '/admin/parked/not-an-id/retry');

    // Assess
    expect(discarded.statusCode).toBe(200);
    expect(json(discarded)).toEqual({ id, status: 'discarded' });
    expect(twice.statusCode).toBe(409);
    expect(unknown.statusCode).toBe(404);
    expect(malformed.statusCode).toBe(400);
    expect(json(await admin('GET', '/admin/parked')).parked).toEqual([]);
    const audit = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
        ExpressionAttributeValues: {
          ':pk': { S: storeKeys.member(CORP_ID, userId).pk },
          ':audit': { S: 'AUDIT#' },
        },
      }),
    );
    const entries = (audit.Items ?? []).map(
      (entry) => JSON.parse(entry.entry?.S ?? '{}') as { change: string },
    );
    expect(entries.map((entry) => entry.change)).toContainEqual(
      expect.stringMatching(/parked input .* discarded by ops-wang: a test message/),
    );
  });
});
