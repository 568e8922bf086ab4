import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PurgeQueueCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { localLambdaContext } from '../../../../local/api-gateway-event.js';
import { LOCAL_AWS, type LocalQueue, startLocalQueue } from '../../../../local/local-queue.js';
import { acknowledge, type ReceivedBatch, receiveBatch } from '../../../../local/sqs-event-source.js';
import faithfulPolicy from '../../../../policies/wecom-faithful.json' with { type: 'json' };
import { DynamoDbPenaltyStore } from '../../../../shared/adapters/dynamodb-penalty-store.js';
import { decodeMemberState } from '../../../../shared/adapters/member-state-codec.js';
import { storeKeys } from '../../../../shared/adapters/penalty-table.js';
import { SqsDeadLetters } from '../../../../shared/adapters/sqs-dead-letters.js';
import { messageGroupIdFor, SqsEventQueue } from '../../../../shared/adapters/sqs-event-queue.js';
import type { DomainEvent } from '../../../../shared/domain/events.js';
import { parsePolicySet } from '../../../../shared/domain/policy.js';
import type { BatchPenaltyStore, PendingEffects, SideEffects } from '../../../../shared/domain/ports.js';
import { unbanTimer } from '../../../../shared/domain/timers.js';
import type { MemberState } from '../../../../shared/domain/types.js';
import { memberView } from '../../../../shared/domain/views.js';
import { createQueueConsumerHandler } from '../../../../shared/evaluator/queue-consumer.js';
import { NEUTRAL_TEXT, TERMS, testClassifier } from '../../../helpers/domain-classifier.js';
import { aContactAdded, aMessage, CORP_ID, DAY, T0 } from '../../../helpers/domain-inputs.js';
import { usePenaltyTable } from '../../../helpers/dynamodb.js';
import { type FaultProxy, startFaultProxy } from '../../../helpers/fault-proxy.js';
import { silentLogger, silentMetrics } from '../../../helpers/observability.js';
import { RecordingSideEffects } from '../../../helpers/recording-side-effects.js';

/** The rules as WeCom publishes them, every category acting at once (human review is tested on its own). */
const FAITHFUL = parsePolicySet(faithfulPolicy);

const table = usePenaltyTable();
let queue: LocalQueue;
let sqs: SQSClient;
let store: DynamoDbPenaltyStore;
let proxy: FaultProxy;
let proxiedStore: DynamoDbPenaltyStore;
/** The table through a store that reports every request it makes (one call per request). */
const requests: string[] = [];
let countingStore: DynamoDbPenaltyStore;

beforeAll(async () => {
  queue = await startLocalQueue();
  sqs = queue.client;
  store = new DynamoDbPenaltyStore({ client: table.client, tableName: table.tableName });
  countingStore = new DynamoDbPenaltyStore({
    client: table.client,
    tableName: table.tableName,
    onCapacity: (operation) => requests.push(operation),
  });
  // The same table reached through a proxy that can cut chosen requests: an unreachable table.
  proxy = await startFaultProxy(inject('dynamoDbEndpoint'));
  proxiedStore = new DynamoDbPenaltyStore({
    client: new DynamoDBClient({ ...LOCAL_AWS, endpoint: proxy.endpoint, maxAttempts: 1 }),
    tableName: table.tableName,
  });
});

afterAll(async () => {
  await proxy?.close();
  await queue?.stop();
});

beforeEach(async () => {
  proxy.setPlan(() => 'forward');
  await sqs.send(new PurgeQueueCommand({ QueueUrl: queue.queueUrl }));
  await sqs.send(new PurgeQueueCommand({ QueueUrl: queue.dlqUrl }));
});

/** The two ways the handler takes a batch: as one unit first, or record by record only. */
const PATHS = [
  { path: 'the batch path', evaluateBatches: true, suffix: '' },
  { path: 'record by record', evaluateBatches: false, suffix: '-1by1' },
] as const;

function consumerOn(effects: SideEffects, over: BatchPenaltyStore = store, evaluateBatches = true) {
  return createQueueConsumerHandler(
    {
      evaluator: { store: over, effects, policies: FAITHFUL, classifier: testClassifier },
      quarantine: (record, reason) =>
        new SqsDeadLetters({ client: sqs, queueUrl: queue.dlqUrl }).quarantine(record, reason),
      evaluateBatches,
    },
    silentLogger(),
    silentMetrics(),
  );
}

async function enqueue(events: readonly DomainEvent[]): Promise<void> {
  await new SqsEventQueue({ client: sqs, queueUrl: queue.queueUrl, budgetMs: 3_000 }).send(events);
}

/** Receives everything queued (up to 10), as Lambda's event source would hand it over. */
async function receive(): Promise<ReceivedBatch> {
  return receiveBatch(sqs, queue.queueUrl, { max: 10 });
}

async function invoke(
  handler: ReturnType<typeof consumerOn>,
  batch: ReceivedBatch,
): Promise<SQSBatchResponse> {
  const event: SQSEvent = { Records: batch.records };
  return handler(event, localLambdaContext('penalty-evaluator', 30_000));
}

/** Side effects that fail for one member's inputs while `failing` is set, and are recorded otherwise. */
class FailingFor implements SideEffects {
  failing = true;
  constructor(
    readonly recording: RecordingSideEffects,
    private readonly userId: string,
  ) {}
  async carryOut(effects: PendingEffects): Promise<void> {
    const mine = effects.decisions.some(
      (d) => 'subject' in d && d.subject.kind === 'member' && d.subject.userId === this.userId,
    );
    if (mine && this.failing) throw new Error(`side effects of ${this.userId} unavailable`);
    await this.recording.carryOut(effects);
  }
}

async function storedMember(userId: string): Promise<MemberState | null> {
  const item = await table.client.send(
    new GetItemCommand({
      TableName: table.tableName,
      Key: { pk: { S: storeKeys.member(CORP_ID, userId).pk }, sk: { S: 'STATE' } },
      ConsistentRead: true,
    }),
  );
  return decodeMemberState(item.Item?.state);
}

/** Receives, evaluates and acknowledges batch after batch until the queue is empty. */
async function drain(handler: ReturnType<typeof consumerOn>): Promise<SQSBatchResponse[]> {
  const responses: SQSBatchResponse[] = [];
  for (;;) {
    const batch = await receive();
    if (batch.records.length === 0) return responses;
    const response = await invoke(handler, batch);
    await acknowledge(sqs, queue.queueUrl, batch, response);
    responses.push(response);
  }
}

/** Records as Lambda hands over several messages of one member group in one batch. */
function asRecords(events: readonly DomainEvent[]): SQSRecord[] {
  return events.map((event, index) => ({
    messageId: `m-${index}-${event.id.slice(0, 8)}`,
    receiptHandle: `r-${index}`,
    body: JSON.stringify(event),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(T0),
      SenderId: 'ingest',
      ApproximateFirstReceiveTimestamp: String(T0),
      MessageGroupId: messageGroupIdFor(event),
      MessageDeduplicationId: event.id,
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:events.fifo',
    awsRegion: 'us-east-1',
  }));
}

const inducing = (userId: string, at = T0) =>
  aMessage({ userId, at, text: `please ${TERMS['inducing-sharing']}` });

describe.each(PATHS)('the penalty evaluator consuming the event queue, $path', ({
  evaluateBatches,
  suffix,
}) => {
  const consumer = (effects: SideEffects, over: BatchPenaltyStore = store) =>
    consumerOn(effects, over, evaluateBatches);
  /** The member's id on this path (both paths share the table). */
  const u = (name: string) => `${name}${suffix}`;

  it('evaluates a batch of several members and leaves nothing on the queue', async () => {
    // Prepare
    await enqueue([inducing(u('batch-a')), aMessage({ userId: u('batch-b'), text: NEUTRAL_TEXT })]);
    const batch = await receive();

    // Act
    const response = await invoke(consumer(new RecordingSideEffects()), batch);
    const deleted = await acknowledge(sqs, queue.queueUrl, batch, response);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(deleted).toBe(2);
    expect(memberView((await storedMember(u('batch-a'))) as MemberState, T0 + 1)).toMatchObject({
      interop: { status: 'suspended' },
      strikes: 1,
    });
    expect((await storedMember(u('batch-b')))?.strikes).toBe(0);
    expect((await receive()).records).toHaveLength(0);
  });

  it('reads and commits a batch of ten members at once on the batch path (once per record otherwise)', async () => {
    // Prepare: ten members of one corp adding contacts, received in one batch
    await enqueue(Array.from({ length: 10 }, (_, m) => aContactAdded({ userId: u(`ten-${m}`), at: T0 + m })));
    const batch = await receive();
    expect(batch.records).toHaveLength(10);
    requests.length = 0;

    // Act
    const response = await invoke(consumer(new RecordingSideEffects(), countingStore), batch);

    // Assess: the requests the store made (one capacity report per request)
    expect(response.batchItemFailures).toEqual([]);
    expect(requests).toEqual(
      evaluateBatches ? ['load', 'commit'] : Array.from({ length: 10 }, () => ['load', 'commit']).flat(),
    );
    for (let m = 0; m < 10; m++) expect((await storedMember(u(`ten-${m}`)))?.version).toBe(1);
  });

  it('fails only the records of the member whose side effects fail, from its first failure on', async () => {
    // Prepare: two violations of one member around another member's; the first member's side
    // effects cannot be carried out
    const first = inducing(u('sick'), T0);
    const second = inducing(u('sick'), T0 + 3 * DAY);
    const other = inducing(u('healthy'), T0);
    const records = asRecords([first, other, second]);
    const effects = new FailingFor(new RecordingSideEffects(), u('sick'));
    const handler = consumer(effects);

    // Act
    const failed = await handler({ Records: records }, localLambdaContext('penalty-evaluator', 30_000));
    effects.failing = false;
    const failedIds = new Set(failed.batchItemFailures.map((f) => f.itemIdentifier));
    const redelivered = await handler(
      { Records: records.filter((r) => failedIds.has(r.messageId)) },
      localLambdaContext('penalty-evaluator', 30_000),
    );

    // Assess: its records were reported, the other member's was not; after the redelivery each
    // violation counts once and nothing stays pending
    expect([...failedIds]).toEqual([records[0]?.messageId, records[2]?.messageId]);
    expect(redelivered.batchItemFailures).toEqual([]);
    expect((await storedMember(u('sick')))?.strikes).toBe(2);
    expect((await storedMember(u('healthy')))?.strikes).toBe(1);
    expect(await store.pendingEffects(CORP_ID, first.id)).toBeNull();
    expect(await store.pendingEffects(CORP_ID, second.id)).toBeNull();
    expect(effects.recording.schedules.size).toBe(3);
  });

  it('takes the records one by one when the batch path fails as a whole', async () => {
    // Prepare: a store whose batch read answers nothing, so the batch path throws
    const broken: BatchPenaltyStore = {
      load: (...args) => store.load(...args),
      commit: (...args) => store.commit(...args),
      pendingEffects: (...args) => store.pendingEffects(...args),
      clearEffects: (...args) => store.clearEffects(...args),
      loadMany: async () => [],
      commitBatch: (...args) => store.commitBatch(...args),
      clearEffectsMany: (...args) => store.clearEffectsMany(...args),
    };
    await enqueue([inducing(u('whole-a')), inducing(u('whole-b'))]);
    const batch = await receive();

    // Act
    const response = await invoke(consumer(new RecordingSideEffects(), broken), batch);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect((await storedMember(u('whole-a')))?.strikes).toBe(1);
    expect((await storedMember(u('whole-b')))?.strikes).toBe(1);
  });

  it('moves a message that is not an input to the dead-letter queue and still evaluates the member’s next one', async () => {
    // Prepare: garbage in the member's group, then a real message of the same member
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queue.queueUrl,
        MessageBody: '{"v":1,"type":"message.sent","id":"not-an-id"}',
        MessageGroupId: messageGroupIdFor({ corpId: CORP_ID, userId: u('poisoned') }),
        MessageDeduplicationId: `poison-1${suffix}`,
      }),
    );
    await enqueue([inducing(u('poisoned'))]);
    const handler = consumer(new RecordingSideEffects());

    // Act: batches as the event source takes them, until the queue is empty
    const responses = await drain(handler);

    // Assess
    expect(responses.flatMap((r) => r.batchItemFailures)).toEqual([]);
    expect((await storedMember(u('poisoned')))?.strikes).toBe(1);
    const dead = await receiveBatch(sqs, queue.dlqUrl);
    expect(dead.records).toHaveLength(1);
    expect(dead.records[0]?.body).toBe('{"v":1,"type":"message.sent","id":"not-an-id"}');
    expect(dead.records[0]?.messageAttributes.reason?.stringValue).toMatch(/not a valid domain event: id/);
  });

  it('leaves an unreachable member’s records for redelivery, in order, while other members go on', async () => {
    // Prepare: a batch with two records of one member around another member's; every request
    // about member "cut-off" fails, as if the table could not be reached for it
    const first = inducing(u('cut-off'), T0);
    const second = inducing(u('cut-off'), T0 + 3 * DAY);
    const other = aMessage({ userId: u('unaffected'), text: NEUTRAL_TEXT });
    const records = asRecords([first, other, second]);
    proxy.setPlan((_n, body) => (body.includes('#cut-off') ? 'reset' : 'forward'));
    const handler = consumer(new RecordingSideEffects(), proxiedStore);

    // Act
    const failed = await handler({ Records: records }, localLambdaContext('penalty-evaluator', 30_000));
    proxy.setPlan(() => 'forward');
    const failedIds = new Set(failed.batchItemFailures.map((f) => f.itemIdentifier));
    const redelivered = await handler(
      { Records: records.filter((r) => failedIds.has(r.messageId)) },
      localLambdaContext('penalty-evaluator', 30_000),
    );

    // Assess: both of its records were reported, nothing of it was written, the other member went on
    expect([...failedIds]).toEqual([records[0]?.messageId, records[2]?.messageId]);
    expect(await storedMember(u('unaffected'))).not.toBeNull();
    expect(redelivered.batchItemFailures).toEqual([]);
    const member = (await storedMember(u('cut-off'))) as MemberState;
    expect(member.strikes).toBe(2);
    expect(member.violations.map((v) => v.id)).toEqual([first.id, second.id]);
  });

  it('reports every record of a batch that failed entirely, without throwing', async () => {
    // Prepare
    await enqueue([inducing(u('all-down-1')), inducing(u('all-down-2'))]);
    const batch = await receive();
    proxy.setPlan(() => 'reset');

    // Act
    const response = await invoke(consumer(new RecordingSideEffects(), proxiedStore), batch);

    // Assess
    expect(response.batchItemFailures).toHaveLength(2);
    expect(await storedMember(u('all-down-1'))).toBeNull();
    expect(await storedMember(u('all-down-2'))).toBeNull();
  });

  it('applies a timer delivered as Scheduler sends it (no deduplication id) and ignores it when stale', async () => {
    // Prepare: a first-step suspension, then its unban timer on the queue as Scheduler puts it
    const violation = inducing(u('timed'));
    const effects = new RecordingSideEffects();
    await enqueue([violation]);
    const handler = consumer(effects);
    await invoke(handler, await receive());
    const [name] = [...effects.schedules.keys()];
    const timer = unbanTimer({ corpId: CORP_ID, userId: u('timed') }, violation.id, T0 + DAY);
    expect(name).toBe(timer.id);
    const sendAsScheduler = () =>
      sqs.send(
        new SendMessageCommand({
          QueueUrl: queue.queueUrl,
          MessageBody: JSON.stringify(timer),
          MessageGroupId: messageGroupIdFor(timer),
        }),
      );
    await sendAsScheduler();

    // Act
    const fired = await invoke(handler, await receive());
    const versionAfterUnban = (await storedMember(u('timed')))?.version;
    await sqs.send(new PurgeQueueCommand({ QueueUrl: queue.queueUrl }));
    await sendAsScheduler();
    const again = await invoke(handler, await receive());

    // Assess
    expect(fired.batchItemFailures).toEqual([]);
    expect(again.batchItemFailures).toEqual([]);
    const member = (await storedMember(u('timed'))) as MemberState;
    expect(memberView(member, T0 + DAY)).toMatchObject({ interop: { status: 'active' }, strikes: 1 });
    expect(member.version).toBe(versionAfterUnban);
  });
});

/**
 * The store, with a crash injected right after one of its steps succeeded (one input's commit or
 * a batch's; one outbox cleared or a batch's): the process dies there, so every later call in the
 * same invocation fails too, and nothing after the crash point happens.
 */
class CrashAfter implements BatchPenaltyStore {
  #dead = false;
  constructor(
    private readonly inner: BatchPenaltyStore,
    private readonly step: 'commit' | 'clearEffects',
  ) {}
  load: BatchPenaltyStore['load'] = (...args) => this.#alive(() => this.inner.load(...args));
  loadMany: BatchPenaltyStore['loadMany'] = (...args) => this.#alive(() => this.inner.loadMany(...args));
  pendingEffects: BatchPenaltyStore['pendingEffects'] = (...args) =>
    this.#alive(() => this.inner.pendingEffects(...args));
  commit: BatchPenaltyStore['commit'] = async (...args) => {
    const result = await this.#alive(() => this.inner.commit(...args));
    this.#crash('commit');
    return result;
  };
  commitBatch: BatchPenaltyStore['commitBatch'] = async (...args) => {
    const result = await this.#alive(() => this.inner.commitBatch(...args));
    this.#crash('commit');
    return result;
  };
  clearEffects: BatchPenaltyStore['clearEffects'] = async (...args) => {
    await this.#alive(() => this.inner.clearEffects(...args));
    this.#crash('clearEffects');
  };
  clearEffectsMany: BatchPenaltyStore['clearEffectsMany'] = async (...args) => {
    await this.#alive(() => this.inner.clearEffectsMany(...args));
    this.#crash('clearEffects');
  };
  #alive<T>(call: () => Promise<T>): Promise<T> {
    if (this.#dead) return Promise.reject(new Error('the process died'));
    return call();
  }
  #crash(step: CrashAfter['step']): void {
    if (this.step === step && !this.#dead) {
      this.#dead = true;
      throw new Error(`crashed after ${step}`);
    }
  }
}

describe.each(PATHS)('crash points: the effect of an input happens once, $path', ({
  evaluateBatches,
  suffix,
}) => {
  const consumer = (effects: SideEffects, over: BatchPenaltyStore = store) =>
    consumerOn(effects, over, evaluateBatches);
  const u = (name: string) => `${name}${suffix}`;

  async function crashThenRedeliver(
    userId: string,
    crash: (effects: RecordingSideEffects) => BatchPenaltyStore,
  ) {
    const effects = new RecordingSideEffects();
    const input = inducing(userId);
    await enqueue([input]);
    const batch = await receive();
    const crashed = await invoke(consumer(effects, crash(effects)), batch);
    proxy.setPlan(() => 'forward');
    const redelivered = await invoke(consumer(effects), batch);
    return { input, effects, crashed, redelivered };
  }

  it('dies before the commit: nothing is written, and the redelivery applies it once', async () => {
    // Prepare, Act: the transaction never reaches the table
    const { effects, crashed, redelivered } = await crashThenRedeliver(u('before-commit'), () => {
      proxy.setPlan((_n, body) => (body.includes('TransactItems') ? 'reset' : 'forward'));
      return proxiedStore;
    });

    // Assess
    expect(crashed.batchItemFailures).toHaveLength(1);
    expect(redelivered.batchItemFailures).toEqual([]);
    expect((await storedMember(u('before-commit')))?.strikes).toBe(1);
    expect(effects.schedules.size).toBe(1);
  });

  it('dies after the commit, before its schedule is created: the redelivery creates it, with no second strike', async () => {
    // Prepare, Act
    const { input, effects, crashed, redelivered } = await crashThenRedeliver(u('after-commit'), () => {
      proxy.setPlan(() => 'forward');
      return new CrashAfter(store, 'commit');
    });

    // Assess
    expect(crashed.batchItemFailures).toHaveLength(1);
    expect(redelivered.batchItemFailures).toEqual([]);
    expect((await storedMember(u('after-commit')))?.strikes).toBe(1);
    expect([...effects.schedules.values()]).toEqual([T0 + DAY]);
    expect(await store.pendingEffects(CORP_ID, input.id)).toBeNull();
  });

  it('dies when the side effects are unavailable: they stay pending and the redelivery carries them out', async () => {
    // Prepare, Act
    const { effects, crashed, redelivered } = await crashThenRedeliver(u('effects-down'), (recording) => {
      recording.failNext(1);
      return store;
    });

    // Assess
    expect(crashed.batchItemFailures).toHaveLength(1);
    expect(redelivered.batchItemFailures).toEqual([]);
    expect(effects.calls).toBe(2);
    expect(effects.schedules.size).toBe(1);
    expect((await storedMember(u('effects-down')))?.strikes).toBe(1);
  });

  it('dies after the side effects, before the outbox is cleared: carrying them out again creates nothing new', async () => {
    // Prepare, Act
    const { effects, crashed, redelivered } = await crashThenRedeliver(u('before-clear'), () => {
      proxy.setPlan(() => 'forward');
      return new CrashAfter(store, 'clearEffects');
    });

    // Assess
    expect(crashed.batchItemFailures).toHaveLength(1);
    expect(redelivered.batchItemFailures).toEqual([]);
    expect(effects.schedules.size).toBe(1);
    expect(effects.events.size).toBeGreaterThan(0);
    expect((await storedMember(u('before-clear')))?.strikes).toBe(1);
  });

  it('dies after everything, before the message is deleted: the redelivery is a duplicate and changes nothing', async () => {
    // Prepare
    const effects = new RecordingSideEffects();
    await enqueue([inducing(u('after-all'))]);
    const batch = await receive();
    await invoke(consumer(effects), batch);
    const before = await storedMember(u('after-all'));

    // Act
    const redelivered = await invoke(consumer(effects), batch);

    // Assess
    expect(redelivered.batchItemFailures).toEqual([]);
    expect(await storedMember(u('after-all'))).toEqual(before);
    expect(effects.calls).toBe(1);
  });
});
