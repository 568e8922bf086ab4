import {
  type AttributeValue,
  BatchGetItemCommand,
  type ConsumedCapacity,
  CreateTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { Outcome } from '../domain/decide.js';
import type { Decision, Violation } from '../domain/decisions.js';
import { initialMemberState } from '../domain/initial-state.js';
import type {
  AppealOwner,
  CommitResult,
  LoadedState,
  PenaltyStore,
  PendingEffects,
  StateReader,
  SweepIndex,
} from '../domain/ports.js';
import { nextTimerAt } from '../domain/timers.js';
import type { CorpAppeal, EngineInput, MemberAppeal, MemberState } from '../domain/types.js';
import { corpFromItem, corpUpdate } from './corp-item.js';

/** How long an input's "applied" marker is kept: longer than any redelivery or replay window. */
const MARKER_TTL_SECONDS = 14 * 24 * 3600;

/** Options of the DynamoDB store. */
export interface DynamoDbPenaltyStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Called with the capacity units every request consumed (for tests and the benchmark). */
  readonly onCapacity?: (operation: 'load' | 'commit' | 'effects', units: number) => void;
  /** Wall clock for marker expiry (TTL is wall time, unlike the domain's event time). */
  readonly now?: () => number;
}

/** Keys of the single table: member and corp state, violations, audit entries, input markers. */
export const storeKeys = {
  member: (corpId: string, userId: string) => ({ pk: `MEMBER#${corpId}#${userId}`, sk: 'STATE' }),
  corp: (corpId: string) => ({ pk: `CORP#${corpId}`, sk: 'STATE' }),
  violation: (corpId: string, userId: string, violationId: string) => ({
    pk: `MEMBER#${corpId}#${userId}`,
    sk: `VIOLATION#${violationId}`,
  }),
  audit: (pk: string, at: number, inputId: string, index: number) => ({
    pk,
    sk: `AUDIT#${String(at).padStart(15, '0')}#${inputId}#${index}`,
  }),
  input: (corpId: string, inputId: string) => ({ pk: `INPUT#${corpId}#${inputId}`, sk: 'INPUT' }),
  /** Where an appeal is found by its id alone: the corp and member it belongs to. */
  appeal: (appealId: string) => ({ pk: `APPEAL#${appealId}`, sk: 'APPEAL' }),
} as const;

/**
 * The sparse index the sweep reads (`sweep`, `sweepAt`): member states with a timer pending, by the
 * time it is due, and input markers whose side effects are still pending, by their commit time.
 */
export const SWEEP_INDEX = {
  name: 'sweep',
  partitionKey: 'sweep',
  sortKey: 'sweepAt',
  /** Partition of member states with a timer pending. */
  timers: 'TIMER',
  /** Partition of input markers with side effects pending. */
  outbox: 'OUTBOX',
} as const;

/**
 * The penalty store on one DynamoDB table. Load is one BatchGetItem (member and corp); commit is
 * one TransactWriteItems: the input's marker (which must not exist yet, and carries the pending
 * side effects), the member state (only if still at the version loaded), the corp's counters as
 * atomic deltas and its decisions under their own version (see corp-item.ts), the violation
 * records, appeal owners and audit entries.
 */
export class DynamoDbPenaltyStore implements PenaltyStore, StateReader, SweepIndex {
  readonly #options: DynamoDbPenaltyStoreOptions;

  constructor(options: DynamoDbPenaltyStoreOptions) {
    this.#options = options;
  }

  async load(corpId: string, userId: string | null): Promise<LoadedState> {
    const { client, tableName } = this.#options;
    const memberKey = userId === null ? null : storeKeys.member(corpId, userId);
    const corpKey = storeKeys.corp(corpId);
    const result = await client.send(
      new BatchGetItemCommand({
        RequestItems: {
          [tableName]: {
            Keys: memberKey ? [toKey(memberKey), toKey(corpKey)] : [toKey(corpKey)],
            ConsistentRead: true,
          },
        },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    this.#capacity('load', result.ConsumedCapacity);
    const items = result.Responses?.[tableName] ?? [];
    if (result.UnprocessedKeys && Object.keys(result.UnprocessedKeys).length > 0) {
      throw new Error('DynamoDB left keys unprocessed; the load is retried');
    }
    const find = (key: { pk: string; sk: string }) =>
      items.find((item) => item.pk?.S === key.pk && item.sk?.S === key.sk);
    const memberItem = memberKey ? find(memberKey) : undefined;
    const corpItem = find(corpKey);
    const member =
      userId === null
        ? null
        : memberItem?.state?.S
          ? (JSON.parse(memberItem.state.S) as MemberState)
          : initialMemberState(corpId, userId);
    return {
      member,
      corp: corpFromItem(corpId, corpItem),
    };
  }

  async commit(
    input: EngineInput,
    loaded: LoadedState,
    outcome: Outcome,
    effects: PendingEffects | null,
  ): Promise<CommitResult> {
    const { client, tableName } = this.#options;
    const now = this.#options.now?.() ?? Date.now();
    const items: TransactWriteItem[] = [];
    const marker = storeKeys.input(input.corpId, input.id);
    items.push({
      Put: {
        TableName: tableName,
        Item: {
          ...toKey(marker),
          expiresAt: { N: String(Math.floor(now / 1000) + MARKER_TTL_SECONDS) },
          ...(effects
            ? {
                at: { N: String(effects.at) },
                effects: { S: JSON.stringify(effects.decisions) },
                // Indexed until cleared, so the sweep finds effects a crash left pending.
                [SWEEP_INDEX.partitionKey]: { S: SWEEP_INDEX.outbox },
                [SWEEP_INDEX.sortKey]: { N: String(now) },
              }
            : {}),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
    if (outcome.member && loaded.member && outcome.member !== loaded.member) {
      const key = storeKeys.member(input.corpId, outcome.member.userId);
      items.push(statePut(tableName, key, outcome.member, loaded.member.version));
    }
    if (outcome.corp !== loaded.corp) {
      const update = corpUpdate(tableName, storeKeys.corp(input.corpId), loaded.corp, outcome.corp);
      if (update) items.push(update);
    }
    let auditIndex = 0;
    for (const decision of outcome.decisions) {
      if (decision.type === 'violation.recorded') {
        const { violation } = decision;
        items.push({
          Put: {
            TableName: tableName,
            Item: {
              ...toKey(storeKeys.violation(violation.corpId, violation.userId, violation.id)),
              at: { N: String(violation.at) },
              status: { S: 'standing' },
              violation: { S: JSON.stringify(violation) },
            },
          },
        });
      } else if (decision.type === 'violation.voided' && outcome.member) {
        items.push({
          Update: {
            TableName: tableName,
            Key: toKey(storeKeys.violation(input.corpId, outcome.member.userId, decision.violationId)),
            UpdateExpression: 'SET #status = :void, voidedBy = :cause',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':void': { S: 'void' },
              ':cause': { S: JSON.stringify(decision.cause) },
            },
          },
        });
      } else if (decision.type === 'appeal.recorded') {
        const { subject } = decision;
        const appeal =
          subject.kind === 'member'
            ? outcome.member?.appeals.find((a) => a.id === decision.appealId)
            : outcome.corp.appeals.find((a) => a.id === decision.appealId);
        items.push({
          Put: {
            TableName: tableName,
            Item: {
              ...toKey(storeKeys.appeal(decision.appealId)),
              corpId: { S: subject.corpId },
              ...(subject.kind === 'member' ? { userId: { S: subject.userId } } : {}),
              status: { S: decision.status },
              ...(appeal ? { appeal: { S: JSON.stringify(appeal) } } : {}),
            },
          },
        });
      } else if (
        decision.type === 'audit' ||
        decision.type === 'penalty.applied' ||
        decision.type === 'penalty.lifted'
      ) {
        const pk =
          decision.subject.kind === 'member'
            ? storeKeys.member(decision.subject.corpId, decision.subject.userId).pk
            : storeKeys.corp(decision.subject.corpId).pk;
        items.push({
          Put: {
            TableName: tableName,
            Item: {
              ...toKey(storeKeys.audit(pk, input.at, input.id, auditIndex++)),
              entry: { S: JSON.stringify(decision) },
            },
          },
        });
      }
    }
    try {
      const result = await client.send(
        new TransactWriteItemsCommand({ TransactItems: items, ReturnConsumedCapacity: 'TOTAL' }),
      );
      this.#capacity('commit', result.ConsumedCapacity);
      return 'applied';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      // The marker is the first item: its condition failing means the input was applied before.
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'duplicate';
      if (reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict'))
        return 'conflict';
      throw error;
    }
  }

  async pendingEffects(corpId: string, inputId: string): Promise<PendingEffects | null> {
    const { client, tableName } = this.#options;
    const result = await client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: toKey(storeKeys.input(corpId, inputId)),
        ConsistentRead: true,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    this.#capacity('effects', result.ConsumedCapacity ? [result.ConsumedCapacity] : undefined);
    const effects = result.Item?.effects?.S;
    if (!effects) return null;
    return {
      corpId,
      inputId,
      at: Number(result.Item?.at?.N ?? 0),
      decisions: JSON.parse(effects) as Decision[],
    };
  }

  async clearEffects(corpId: string, inputId: string): Promise<void> {
    const { client, tableName } = this.#options;
    const result = await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: toKey(storeKeys.input(corpId, inputId)),
        UpdateExpression: `REMOVE effects, ${SWEEP_INDEX.partitionKey}, ${SWEEP_INDEX.sortKey}`,
        ConditionExpression: 'attribute_exists(pk)',
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    this.#capacity('effects', result.ConsumedCapacity ? [result.ConsumedCapacity] : undefined);
  }

  async violations(corpId: string, userId: string): Promise<Violation[]> {
    const items = await this.#queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': { S: storeKeys.member(corpId, userId).pk },
        ':prefix': { S: 'VIOLATION#' },
      },
      ConsistentRead: true,
    });
    const violations = items.flatMap((item) => {
      const violation = item.violation?.S;
      if (!violation) return [];
      const record = JSON.parse(violation) as Violation;
      return [item.status?.S === 'void' ? { ...record, status: 'void' as const } : record];
    });
    return violations.sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1));
  }

  async appealOwner(appealId: string): Promise<AppealOwner | null> {
    const { client, tableName } = this.#options;
    const result = await client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: toKey(storeKeys.appeal(appealId)),
        ConsistentRead: true,
      }),
    );
    const corpId = result.Item?.corpId?.S;
    if (!corpId) return null;
    const appeal = result.Item?.appeal?.S;
    return {
      corpId,
      userId: result.Item?.userId?.S ?? null,
      appeal: appeal ? (JSON.parse(appeal) as MemberAppeal | CorpAppeal) : null,
    };
  }

  async dueMembers(at: number, limit: number): Promise<{ corpId: string; userId: string }[]> {
    const items = await this.#querySweep(SWEEP_INDEX.timers, at, limit);
    return items.flatMap((item) => {
      const pk = item.pk?.S ?? '';
      // MEMBER#<corpId>#<userId>: a corp id (ww + hex) has no '#', a user id may.
      const match = /^MEMBER#([^#]+)#(.+)$/s.exec(pk);
      return match?.[1] && match[2] ? [{ corpId: match[1], userId: match[2] }] : [];
    });
  }

  async pendingEffectsBefore(before: number, limit: number): Promise<{ corpId: string; inputId: string }[]> {
    const items = await this.#querySweep(SWEEP_INDEX.outbox, before, limit);
    return items.flatMap((item) => {
      const match = /^INPUT#([^#]+)#(.+)$/s.exec(item.pk?.S ?? '');
      return match?.[1] && match[2] ? [{ corpId: match[1], inputId: match[2] }] : [];
    });
  }

  async #querySweep(
    partition: string,
    upTo: number,
    limit: number,
  ): Promise<Record<string, AttributeValue>[]> {
    return this.#queryAll(
      {
        IndexName: SWEEP_INDEX.name,
        KeyConditionExpression: '#p = :p AND #s <= :upTo',
        ExpressionAttributeNames: { '#p': SWEEP_INDEX.partitionKey, '#s': SWEEP_INDEX.sortKey },
        ExpressionAttributeValues: { ':p': { S: partition }, ':upTo': { N: String(upTo) } },
      },
      limit,
    );
  }

  /** Every item of a query, page after page, up to `limit`. */
  async #queryAll(
    query: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>,
    limit = Number.POSITIVE_INFINITY,
  ): Promise<Record<string, AttributeValue>[]> {
    const { client, tableName } = this.#options;
    const items: Record<string, AttributeValue>[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          ...query,
          TableName: tableName,
          ExclusiveStartKey: start,
          ...(Number.isFinite(limit) ? { Limit: limit - items.length } : {}),
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start && items.length < limit);
    return items;
  }

  #capacity(
    operation: 'load' | 'commit' | 'effects',
    consumed: readonly ConsumedCapacity[] | undefined,
  ): void {
    if (!this.#options.onCapacity) return;
    const units = (consumed ?? []).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
    this.#options.onCapacity(operation, units);
  }
}

/** Creates the table as the stateful stack defines it (for local mode and tests). */
export async function createPenaltyTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: SWEEP_INDEX.partitionKey, AttributeType: 'S' },
        { AttributeName: SWEEP_INDEX.sortKey, AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: SWEEP_INDEX.name,
          KeySchema: [
            { AttributeName: SWEEP_INDEX.partitionKey, KeyType: 'HASH' },
            { AttributeName: SWEEP_INDEX.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    }),
  );
}

function statePut(
  tableName: string,
  key: { pk: string; sk: string },
  state: MemberState,
  loadedVersion: number,
): TransactWriteItem {
  const timerAt = nextTimerAt(state);
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...toKey(key),
        version: { N: String(state.version) },
        state: { S: JSON.stringify(state) },
        ...(timerAt === null
          ? {}
          : {
              [SWEEP_INDEX.partitionKey]: { S: SWEEP_INDEX.timers },
              [SWEEP_INDEX.sortKey]: { N: String(timerAt) },
            }),
      },
      // Optimistic concurrency: the state must still be the one decided on.
      ConditionExpression: loadedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :loaded',
      ...(loadedVersion === 0
        ? {}
        : { ExpressionAttributeValues: { ':loaded': { N: String(loadedVersion) } } }),
    },
  };
}

function toKey(key: { pk: string; sk: string }) {
  return { pk: { S: key.pk }, sk: { S: key.sk } };
}
