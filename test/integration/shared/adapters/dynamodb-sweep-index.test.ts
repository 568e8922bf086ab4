import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import faithfulPolicy from '../../../../policies/wecom-faithful.json' with { type: 'json' };
import { DynamoDbPenaltyStore } from '../../../../shared/adapters/dynamodb-penalty-store.js';
import { SWEEP_INDEX, storeKeys } from '../../../../shared/adapters/penalty-table.js';
import { SWEEP_KINDS, sweepPartition } from '../../../../shared/adapters/sweep-partition.js';
import { parsePolicySet } from '../../../../shared/domain/policy.js';
import type { TimerCommand } from '../../../../shared/domain/timers.js';
import { evaluateInput } from '../../../../shared/evaluator/evaluate-input.js';
import { sweep } from '../../../../shared/evaluator/sweep.js';
import { TERMS, testClassifier } from '../../../helpers/domain-classifier.js';
import { aMessage, CORP_ID, DAY, MINUTE, T0 } from '../../../helpers/domain-inputs.js';
import { type TestTable, usePenaltyTable } from '../../../helpers/dynamodb.js';
import { RecordingSideEffects } from '../../../helpers/recording-side-effects.js';

/** The rules as WeCom publishes them, every category acting at once (human review is tested on its own). */
const FAITHFUL = parsePolicySet(faithfulPolicy);

const MEMBERS = 64;
const OUTBOXES = 24;
/** Items per page of every index query: far fewer than a shard holds here, so each shard takes several pages. */
const PAGE_SIZE = 2;
const violationText = `please ${TERMS['inducing-sharing']}`;

/** The index partition key stored on an item, or undefined when it is not in the index. */
async function indexPartitionOf(
  table: TestTable,
  key: { pk: string; sk: string },
): Promise<string | undefined> {
  const { Item } = await table.client.send(
    new GetItemCommand({
      TableName: table.tableName,
      Key: { pk: { S: key.pk }, sk: { S: key.sk } },
      ConsistentRead: true,
    }),
  );
  return Item?.[SWEEP_INDEX.partitionKey]?.S;
}

/** Moves an item to the unsharded partition, as the engine wrote it before the index was sharded. */
async function moveToLegacyPartition(table: TestTable, key: { pk: string; sk: string }, partition: string) {
  await table.client.send(
    new UpdateItemCommand({
      TableName: table.tableName,
      Key: { pk: { S: key.pk }, sk: { S: key.sk } },
      UpdateExpression: 'SET #p = :p',
      ExpressionAttributeNames: { '#p': SWEEP_INDEX.partitionKey },
      ExpressionAttributeValues: { ':p': { S: partition } },
    }),
  );
}

describe('the sharded sweep index, for member timers', () => {
  const table = usePenaltyTable();
  const userOf = (i: number) => `shard-member-${i}`;
  let store: DynamoDbPenaltyStore;

  beforeAll(async () => {
    // 64 members suspended one minute apart (each has an unban timer at T0 + DAY + i minutes),
    // and one more suspended a minute before them whose index entry is in the legacy partition.
    store = new DynamoDbPenaltyStore({
      client: table.client,
      tableName: table.tableName,
      sweepPageSize: PAGE_SIZE,
    });
    const evaluator = {
      store,
      effects: new RecordingSideEffects(),
      policies: FAITHFUL,
      classifier: testClassifier,
    };
    for (let i = 0; i < MEMBERS; i += 1) {
      await evaluateInput(
        aMessage({ userId: userOf(i), text: violationText, at: T0 + i * MINUTE }),
        evaluator,
      );
    }
    await evaluateInput(
      aMessage({ userId: 'legacy-member', text: violationText, at: T0 - MINUTE }),
      evaluator,
    );
    await moveToLegacyPartition(table, storeKeys.member(CORP_ID, 'legacy-member'), SWEEP_KINDS.timers);
  });

  it('writes members to more than one shard, each member to the shard of its key', async () => {
    // Act
    const partitions = await Promise.all(
      Array.from({ length: MEMBERS }, (_, i) =>
        indexPartitionOf(table, storeKeys.member(CORP_ID, userOf(i))),
      ),
    );

    // Assess
    expect(new Set(partitions).size).toBeGreaterThan(1);
    partitions.forEach((partition, i) => {
      expect(partition).toBe(sweepPartition(SWEEP_KINDS.timers, storeKeys.member(CORP_ID, userOf(i)).pk));
    });
  });

  it('keeps a member in the same shard when its state changes again', async () => {
    // Prepare
    const key = storeKeys.member(CORP_ID, 'same-shard');
    const evaluator = {
      store,
      effects: new RecordingSideEffects(),
      policies: FAITHFUL,
      classifier: testClassifier,
    };
    await evaluateInput(
      aMessage({ userId: 'same-shard', text: violationText, at: T0 + DAY * 30 }),
      evaluator,
    );
    const first = await indexPartitionOf(table, key);

    // Act: a second violation while suspended (the state is written again, its timer moves)
    await evaluateInput(
      aMessage({ userId: 'same-shard', text: violationText, at: T0 + DAY * 30 + MINUTE }),
      evaluator,
    );
    const second = await indexPartitionOf(table, key);

    // Assess
    expect(first).toBe(sweepPartition(SWEEP_KINDS.timers, key.pk));
    expect(second).toBe(first);
  });

  it('finds every late member across all shards and the legacy partition, a page at a time', async () => {
    // Act
    const due = await store.dueMembers(T0 + DAY + MINUTE * MEMBERS, 1000);

    // Assess: 65 members, though 17 partitions of at most 2 items a page give 34 without paging
    const users = due.map((m) => m.userId);
    expect(users).toHaveLength(MEMBERS + 1);
    expect(new Set(users)).toEqual(
      new Set(['legacy-member', ...Array.from({ length: MEMBERS }, (_, i) => userOf(i))]),
    );
  });

  it('answers the earliest first when more are due than the limit, merged over the shards', async () => {
    // Act
    const due = await store.dueMembers(T0 + DAY + MINUTE * MEMBERS, 10);

    // Assess
    expect(due.map((m) => m.userId)).toEqual([
      'legacy-member',
      ...Array.from({ length: 9 }, (_, i) => userOf(i)),
    ]);
  });

  it('has the sweep queue the timers of every late member', async () => {
    // Prepare
    const queued: TimerCommand[] = [];
    const commands = { send: async (timers: readonly TimerCommand[]) => void queued.push(...timers) };

    // Act
    const report = await sweep({
      index: store,
      store,
      effects: new RecordingSideEffects(),
      commands,
      now: () => T0 + DAY + MINUTE * MEMBERS + 10 * MINUTE,
    });

    // Assess
    expect(report).toMatchObject({ dueMembers: MEMBERS + 1, timersQueued: MEMBERS + 1 });
    expect(new Set(queued.map((t) => t.userId)).size).toBe(MEMBERS + 1);
  });
});

describe('the sharded sweep index, for pending side effects', () => {
  const table = usePenaltyTable();

  it('finishes every stale outbox across all shards and the legacy partition', async () => {
    // Prepare: side effects that fail after every commit, so each input leaves its outbox pending;
    // one of them indexed in the legacy unsharded partition
    const store = new DynamoDbPenaltyStore({
      client: table.client,
      tableName: table.tableName,
      sweepPageSize: PAGE_SIZE,
    });
    const effects = new RecordingSideEffects();
    const evaluator = { store, effects, policies: FAITHFUL, classifier: testClassifier };
    const inputs = Array.from({ length: OUTBOXES }, (_, i) =>
      aMessage({ userId: `outbox-member-${i}`, text: violationText, at: T0 + i * MINUTE }),
    );
    effects.failNext(OUTBOXES);
    for (const input of inputs)
      await expect(evaluateInput(input, evaluator)).rejects.toThrow(/simulated crash/);
    const keys = inputs.map((input) => storeKeys.input(CORP_ID, input.id));
    const legacy = keys[0] as { pk: string; sk: string };
    await moveToLegacyPartition(table, legacy, SWEEP_KINDS.outbox);
    const partitions = await Promise.all(keys.map((key) => indexPartitionOf(table, key)));

    // Act
    const report = await sweep({
      index: store,
      store,
      effects,
      commands: { send: async () => undefined },
      now: () => Date.now() + 10 * MINUTE,
      limit: 1000,
    });

    // Assess: spread over shards, all found and finished, none left in the index
    expect(new Set(partitions.slice(1)).size).toBeGreaterThan(1);
    partitions.slice(1).forEach((partition, i) => {
      expect(partition).toBe(sweepPartition(SWEEP_KINDS.outbox, keys[i + 1]?.pk ?? ''));
    });
    expect(report).toMatchObject({ effectsFinished: OUTBOXES, effectsFailed: 0 });
    for (const input of inputs) expect(await store.pendingEffects(CORP_ID, input.id)).toBeNull();
    expect(await store.pendingEffectsBefore(Date.now() + 10 * MINUTE, 1000)).toEqual([]);
  });
});
