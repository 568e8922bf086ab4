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
  BatchCommit,
  BatchCommitResult,
  BatchPenaltyStore,
  CommitResult,
  LoadedState,
  PendingEffects,
  StateKey,
  StateReader,
  SubjectBatch,
  SweepIndex,
  ViolationPage,
  ViolationPageRequest,
} from '../domain/ports.js';
import { nextTimerAt } from '../domain/timers.js';
import type { CorpAppeal, CorpState, EngineInput, MemberAppeal, MemberState } from '../domain/types.js';
import { InvalidCursorError } from '../errors.js';
import { corpCommitted, corpFromItem, corpUpdate } from './corp-item.js';
import { MalformedCursorError, StoreBatchError } from './errors.js';
import { SWEEP_KINDS, type SweepKind, sweepPartition, sweepPartitions } from './sweep-partition.js';

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
  /** Most items per page of a sweep index query (default: DynamoDB's 1 MB page; small in tests). */
  readonly sweepPageSize?: number;
}

/**
 * Sort-key prefix of violation records. (Records written before they were kept by time, under
 * `VIOLATION#<id>`, are not listed.)
 */
const VIOLATION_PREFIX = 'VIOLATION-AT#';
const VIOLATION_SORT_KEY = /^VIOLATION-AT#\d{15}#[^\p{Cc}]{1,256}$/u;

/** Keys of the single table: member and corp state, violations, audit entries, input markers. */
export const storeKeys = {
  member: (corpId: string, userId: string) => ({ pk: `MEMBER#${corpId}#${userId}`, sk: 'STATE' }),
  corp: (corpId: string) => ({ pk: `CORP#${corpId}`, sk: 'STATE' }),
  /** A violation record, under its time so that a member's are read newest first a page at a time. */
  violation: (corpId: string, userId: string, at: number, violationId: string) => ({
    pk: `MEMBER#${corpId}#${userId}`,
    sk: `${VIOLATION_PREFIX}${String(at).padStart(15, '0')}#${violationId}`,
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
 * time it is due, and input markers whose side effects are still pending, by their commit time,
 * each spread over shards (`TIMER#<n>`, `OUTBOX#<n>`, see sweep-partition.ts).
 */
export const SWEEP_INDEX = {
  name: 'sweep',
  partitionKey: 'sweep',
  sortKey: 'sweepAt',
} as const;

/**
 * The penalty store on one DynamoDB table. Load is one BatchGetItem (member and corp); commit is
 * one TransactWriteItems: the input's marker (which must not exist yet, and carries the pending
 * side effects), the member state (only if still at the version loaded), the corp's counters as
 * atomic deltas and its decisions under their own version (see corp-item.ts), the violation
 * records, appeal owners and audit entries. A batch (`evaluateBatch`) is the same with many inputs:
 * one BatchGetItem for all its states (`loadMany`), and as few transactions as DynamoDB's limits
 * allow (`commitBatch`), each with one item per member state and per corp.
 */
export class DynamoDbPenaltyStore implements BatchPenaltyStore, StateReader, SweepIndex {
  readonly #options: DynamoDbPenaltyStoreOptions;

  constructor(options: DynamoDbPenaltyStoreOptions) {
    this.#options = options;
  }

  /** One BatchGetItem for the member (if any) and its corp: `loadMany` of one. */
  async load(corpId: string, userId: string | null): Promise<LoadedState> {
    const [loaded] = await this.loadMany([{ corpId, userId }]);
    return loaded as LoadedState;
  }

  async commit(
    input: EngineInput,
    loaded: LoadedState,
    outcome: Outcome,
    effects: PendingEffects | null,
  ): Promise<CommitResult> {
    const { client, tableName } = this.#options;
    const now = this.#options.now?.() ?? Date.now();
    // The marker first: its condition failing (reason 0) means the input was applied before.
    const items: TransactWriteItem[] = [markerPut(tableName, input, effects, now)];
    if (outcome.member && loaded.member && outcome.member !== loaded.member) {
      const key = storeKeys.member(input.corpId, outcome.member.userId);
      items.push(statePut(tableName, key, outcome.member, loaded.member.version));
    }
    if (outcome.corp !== loaded.corp) {
      const update = corpUpdate(tableName, storeKeys.corp(input.corpId), loaded.corp, outcome.corp);
      if (update) items.push(update);
    }
    items.push(...recordItems(tableName, input, outcome));
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
        ...clearedOutbox(tableName, corpId, inputId),
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    this.#capacity('effects', result.ConsumedCapacity ? [result.ConsumedCapacity] : undefined);
  }

  /** One BatchGetItem (of up to 100 keys; more in parallel requests) for every member and corp named. */
  async loadMany(keys: readonly StateKey[]): Promise<LoadedState[]> {
    const wanted = new Map<string, { pk: string; sk: string }>();
    for (const { corpId, userId } of keys) {
      const corpKey = storeKeys.corp(corpId);
      wanted.set(corpKey.pk, corpKey);
      if (userId !== null) {
        const memberKey = storeKeys.member(corpId, userId);
        wanted.set(memberKey.pk, memberKey);
      }
    }
    const all = [...wanted.values()];
    const found = new Map<string, Record<string, AttributeValue>>();
    const requests: Promise<void>[] = [];
    for (let i = 0; i < all.length; i += MAX_BATCH_GET_KEYS)
      requests.push(this.#batchGet(all.slice(i, i + MAX_BATCH_GET_KEYS), found));
    await Promise.all(requests);
    const corps = new Map<string, CorpState>();
    return keys.map(({ corpId, userId }) => {
      let corp = corps.get(corpId);
      if (!corp) {
        corp = corpFromItem(corpId, found.get(storeKeys.corp(corpId).pk));
        corps.set(corpId, corp);
      }
      if (userId === null) return { member: null, corp };
      const stored = found.get(storeKeys.member(corpId, userId).pk)?.state?.S;
      return {
        member: stored ? (JSON.parse(stored) as MemberState) : initialMemberState(corpId, userId),
        corp,
      };
    });
  }

  /** Reads the keys (all with sk STATE) into `found` by pk, asking again for what DynamoDB left unprocessed. */
  async #batchGet(
    keys: readonly { pk: string; sk: string }[],
    found: Map<string, Record<string, AttributeValue>>,
  ): Promise<void> {
    const { client, tableName } = this.#options;
    let pending: Record<string, AttributeValue>[] = keys.map(toKey);
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > UNPROCESSED_KEY_ATTEMPTS)
        throw new StoreBatchError(
          'DynamoDB kept keys of the batch unprocessed; the batch is evaluated input by input',
        );
      if (attempt > 1) await sleep(Math.random() * 20 * 2 ** attempt);
      const result = await client.send(
        new BatchGetItemCommand({
          RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      this.#capacity('load', result.ConsumedCapacity);
      for (const item of result.Responses?.[tableName] ?? []) {
        const pk = item.pk?.S;
        if (pk !== undefined) found.set(pk, item);
      }
      pending = result.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }

  /**
   * Commits a decided batch in as few transactions as fit DynamoDB's limits (100 items, 4 MB, each
   * item once): the subjects in order, as many per transaction as fit, each transaction with the
   * markers, records and member states of its subjects and one update per corp, its counters'
   * deltas and (when they changed) its decisions under the version this batch last left. A later
   * transaction continues each corp from the state the one before committed. Stops at the first
   * transaction that fails, or at a subject that fits no transaction alone or writes an item twice.
   */
  async commitBatch(batch: BatchCommit): Promise<BatchCommitResult> {
    const { client, tableName } = this.#options;
    const now = this.#options.now?.() ?? Date.now();
    const { subjects } = batch;
    /** Each corp as stored, as far as this batch knows: loaded, then as each transaction left it. */
    const stored = new Map(batch.corps);
    let committed = 0;
    let transactions = 0;
    while (committed < subjects.length) {
      const items: TransactWriteItem[] = [];
      const keys = new Set<string>();
      /** The corps of this transaction, each with its state after the last of its subjects taken. */
      const corps = new Map<string, CorpState>();
      let bytes = 0;
      let end = committed;
      for (; end < subjects.length; end++) {
        const subject = subjects[end] as SubjectBatch;
        const own = subjectItems(tableName, subject, now);
        const ownKeys = own.map(itemKey);
        const ownBytes = own.reduce((sum, item) => sum + approximateBytes(item), 0);
        const corpCount = corps.size + (corps.has(subject.key.corpId) ? 0 : 1);
        const fits =
          items.length + own.length + corpCount <= MAX_TRANSACTION_ITEMS &&
          bytes + ownBytes + corpCount * CORP_ITEM_BYTES <= MAX_TRANSACTION_BYTES &&
          new Set(ownKeys).size === ownKeys.length &&
          !ownKeys.some((key) => keys.has(key));
        if (!fits) break;
        items.push(...own);
        for (const key of ownKeys) keys.add(key);
        bytes += ownBytes;
        corps.set(subject.key.corpId, subject.corpAfter);
      }
      if (end === committed) {
        return {
          committed,
          transactions,
          stopped: { reason: 'a member’s inputs fit no transaction alone, or write one item twice' },
        };
      }
      for (const [corpId, after] of corps) {
        const before = stored.get(corpId);
        if (!before) throw new StoreBatchError(`the batch has no loaded state for corp ${corpId}`);
        const update = corpUpdate(tableName, storeKeys.corp(corpId), before, after);
        if (update) items.push(update);
      }
      try {
        const result = await client.send(
          new TransactWriteItemsCommand({ TransactItems: items, ReturnConsumedCapacity: 'TOTAL' }),
        );
        this.#capacity('commit', result.ConsumedCapacity);
      } catch (error) {
        return { committed, transactions, stopped: { reason: failureReason(error), error } };
      }
      for (const [corpId, after] of corps)
        stored.set(corpId, corpCommitted(stored.get(corpId) as CorpState, after));
      committed = end;
      transactions += 1;
    }
    return { committed, transactions };
  }

  async clearEffectsMany(
    inputs: readonly { readonly corpId: string; readonly inputId: string }[],
  ): Promise<void> {
    const { client, tableName } = this.#options;
    const requests: Promise<void>[] = [];
    for (let i = 0; i < inputs.length; i += MAX_TRANSACTION_ITEMS) {
      const chunk = inputs.slice(i, i + MAX_TRANSACTION_ITEMS);
      requests.push(
        (async () => {
          const result = await client.send(
            new TransactWriteItemsCommand({
              TransactItems: chunk.map(({ corpId, inputId }) => ({
                Update: clearedOutbox(tableName, corpId, inputId),
              })),
              ReturnConsumedCapacity: 'TOTAL',
            }),
          );
          this.#capacity('effects', result.ConsumedCapacity);
        })(),
      );
    }
    await Promise.all(requests);
  }

  async violations(corpId: string, userId: string, page: ViolationPageRequest): Promise<ViolationPage> {
    const { client, tableName } = this.#options;
    const { pk } = storeKeys.member(corpId, userId);
    const after = page.cursor === null ? undefined : decodeCursor(page.cursor);
    // One more than the page, so that `next` is null exactly when nothing follows.
    const result = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': { S: pk }, ':prefix': { S: VIOLATION_PREFIX } },
        ScanIndexForward: false,
        Limit: page.limit + 1,
        ConsistentRead: true,
        ...(after === undefined ? {} : { ExclusiveStartKey: { pk: { S: pk }, sk: { S: after } } }),
      }),
    );
    const items = result.Items ?? [];
    const shown = items.slice(0, page.limit);
    const last = shown.at(-1)?.sk?.S;
    return {
      violations: shown.flatMap(violationOf),
      next: items.length > page.limit && last !== undefined ? encodeCursor(last) : null,
    };
  }

  async violation(corpId: string, userId: string, violationId: string): Promise<Violation | null> {
    // Records are keyed by time; one by its id is a filtered read of the member's (a rare need:
    // a report's retry).
    const items = await this.#queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: 'violationId = :id',
      ExpressionAttributeValues: {
        ':pk': { S: storeKeys.member(corpId, userId).pk },
        ':prefix': { S: VIOLATION_PREFIX },
        ':id': { S: violationId },
      },
      ConsistentRead: true,
    });
    return items.flatMap(violationOf)[0] ?? null;
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
    const items = await this.#querySweep(SWEEP_KINDS.timers, at, limit);
    return items.flatMap((item) => {
      const pk = item.pk?.S ?? '';
      // MEMBER#<corpId>#<userId>: a corp id (ww + hex) has no '#', a user id may.
      const match = /^MEMBER#([^#]+)#(.+)$/s.exec(pk);
      return match?.[1] && match[2] ? [{ corpId: match[1], userId: match[2] }] : [];
    });
  }

  async pendingEffectsBefore(before: number, limit: number): Promise<{ corpId: string; inputId: string }[]> {
    const items = await this.#querySweep(SWEEP_KINDS.outbox, before, limit);
    return items.flatMap((item) => {
      const match = /^INPUT#([^#]+)#(.+)$/s.exec(item.pk?.S ?? '');
      return match?.[1] && match[2] ? [{ corpId: match[1], inputId: match[2] }] : [];
    });
  }

  /**
   * The `limit` earliest items of a kind due at or before `upTo`: every shard (and the legacy
   * unsharded partition) queried in parallel, each page after page up to `limit`, then merged.
   */
  async #querySweep(kind: SweepKind, upTo: number, limit: number): Promise<Record<string, AttributeValue>[]> {
    const shards = await Promise.all(
      sweepPartitions(kind).map((partition) =>
        this.#queryAll(
          {
            IndexName: SWEEP_INDEX.name,
            KeyConditionExpression: '#p = :p AND #s <= :upTo',
            ExpressionAttributeNames: { '#p': SWEEP_INDEX.partitionKey, '#s': SWEEP_INDEX.sortKey },
            ExpressionAttributeValues: { ':p': { S: partition }, ':upTo': { N: String(upTo) } },
          },
          limit,
          this.#options.sweepPageSize,
        ),
      ),
    );
    const sweepAt = (item: Record<string, AttributeValue>) => Number(item[SWEEP_INDEX.sortKey]?.N ?? 0);
    return shards
      .flat()
      .sort((a, b) => sweepAt(a) - sweepAt(b))
      .slice(0, limit);
  }

  /** Every item of a query, page after page, up to `limit`. */
  async #queryAll(
    query: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>,
    limit = Number.POSITIVE_INFINITY,
    pageSize = Number.POSITIVE_INFINITY,
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
          ...(Number.isFinite(Math.min(limit, pageSize))
            ? { Limit: Math.min(limit - items.length, pageSize) }
            : {}),
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

/** The input's "applied" marker, which must not exist yet, with its pending side effects (the outbox). */
function markerPut(
  tableName: string,
  input: EngineInput,
  effects: PendingEffects | null,
  now: number,
): TransactWriteItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...toKey(storeKeys.input(input.corpId, input.id)),
        expiresAt: { N: String(Math.floor(now / 1000) + MARKER_TTL_SECONDS) },
        ...(effects
          ? {
              at: { N: String(effects.at) },
              effects: { S: JSON.stringify(effects.decisions) },
              // Indexed until cleared, so the sweep finds effects a crash left pending.
              [SWEEP_INDEX.partitionKey]: {
                S: sweepPartition(SWEEP_KINDS.outbox, storeKeys.input(input.corpId, input.id).pk),
              },
              [SWEEP_INDEX.sortKey]: { N: String(now) },
            }
          : {}),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** The records an input's decisions leave besides the states: violations, appeal owners, audit entries. */
function recordItems(tableName: string, input: EngineInput, outcome: Outcome): TransactWriteItem[] {
  const items: TransactWriteItem[] = [];
  let auditIndex = 0;
  for (const decision of outcome.decisions) {
    if (decision.type === 'violation.recorded') {
      const { violation } = decision;
      items.push({
        Put: {
          TableName: tableName,
          Item: {
            ...toKey(storeKeys.violation(violation.corpId, violation.userId, violation.at, violation.id)),
            violationId: { S: violation.id },
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
          Key: toKey(
            storeKeys.violation(
              input.corpId,
              outcome.member.userId,
              decision.violationAt,
              decision.violationId,
            ),
          ),
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
  return items;
}

/** DynamoDB's limits: keys per BatchGetItem, items and bytes per TransactWriteItems. */
const MAX_BATCH_GET_KEYS = 100;
const MAX_TRANSACTION_ITEMS = 100;
/** Below the 4 MB a transaction may write, for what the estimate leaves out (names, numbers' encoding). */
const MAX_TRANSACTION_BYTES = 3_500_000;
/** What a corp's update is counted as in a transaction's size: its decisions, counters and names. */
const CORP_ITEM_BYTES = 64_000;
/** BatchGetItem rounds for keys DynamoDB leaves unprocessed (throttling) before the load fails. */
const UNPROCESSED_KEY_ATTEMPTS = 5;

/** A subject's writes in a batch: its inputs' markers and records, then its member's final state. */
function subjectItems(tableName: string, subject: SubjectBatch, now: number): TransactWriteItem[] {
  const items: TransactWriteItem[] = [];
  for (const { input, outcome, effects } of subject.inputs) {
    items.push(markerPut(tableName, input, effects, now), ...recordItems(tableName, input, outcome));
  }
  const last = subject.inputs.at(-1)?.outcome.member ?? null;
  const loaded = subject.loadedMember;
  if (last && loaded && last !== loaded)
    items.push(statePut(tableName, storeKeys.member(subject.key.corpId, last.userId), last, loaded.version));
  return items;
}

/** The table key a transaction item writes, as one string. */
function itemKey(item: TransactWriteItem): string {
  const key = item.Put?.Item ?? item.Update?.Key ?? item.Delete?.Key ?? item.ConditionCheck?.Key ?? {};
  return `${key.pk?.S}\u0000${key.sk?.S}`;
}

/** About the bytes an item writes: its attribute names and string and number values. */
function approximateBytes(item: TransactWriteItem): number {
  const attributes = item.Put?.Item ?? item.Update?.ExpressionAttributeValues ?? {};
  let bytes = item.Update?.UpdateExpression?.length ?? 0;
  for (const [name, value] of Object.entries(attributes))
    bytes += name.length + (value.S?.length ?? 0) * 3 + (value.N?.length ?? 0);
  return bytes;
}

/** What made a batch transaction fail, for the logs: the cancellation reasons' codes, or the error's name. */
function failureReason(error: unknown): string {
  if (error instanceof TransactionCanceledException) {
    const codes = (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None').filter((c) => c !== 'None');
    return `transaction cancelled (${[...new Set(codes)].join(', ') || 'no reason given'})`;
  }
  return `transaction failed (${error instanceof Error ? error.name : String(error)})`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
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
              [SWEEP_INDEX.partitionKey]: { S: sweepPartition(SWEEP_KINDS.timers, key.pk) },
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

/** The update that marks an input's side effects done: no outbox, out of the sweep's index. */
function clearedOutbox(tableName: string, corpId: string, inputId: string) {
  return {
    TableName: tableName,
    Key: toKey(storeKeys.input(corpId, inputId)),
    UpdateExpression: `REMOVE effects, ${SWEEP_INDEX.partitionKey}, ${SWEEP_INDEX.sortKey}`,
    ConditionExpression: 'attribute_exists(pk)',
  };
}

function toKey(key: { pk: string; sk: string }) {
  return { pk: { S: key.pk }, sk: { S: key.sk } };
}

/** A violation record as stored, with its status (void once an appeal or a reviewer voided it). */
function violationOf(item: Record<string, AttributeValue>): Violation[] {
  const violation = item.violation?.S;
  if (!violation) return [];
  const record = JSON.parse(violation) as Violation;
  return [item.status?.S === 'void' ? { ...record, status: 'void' as const } : record];
}

/**
 * The cursor of the page after a violation record: its sort key, as base64url JSON. The member is
 * not in it: a cursor is read back only against the partition of the member asked for, so it
 * cannot lead into another member's records.
 */
function encodeCursor(sortKey: string): string {
  return Buffer.from(JSON.stringify({ v: 1, after: sortKey })).toString('base64url');
}

/** The sort key a cursor names; InvalidCursorError for anything this store did not give out. */
function decodeCursor(cursor: string): string {
  let decoded: unknown;
  try {
    const bytes = Buffer.from(cursor, 'base64url');
    // Node decodes leniently: only the very text it would have encoded is a cursor.
    if (cursor.length > 2048 || bytes.toString('base64url') !== cursor)
      throw new MalformedCursorError('not base64url');
    decoded = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new InvalidCursorError({ cause: error });
  }
  const after = (decoded as { v?: unknown; after?: unknown } | null)?.after;
  if (
    typeof decoded !== 'object' ||
    decoded === null ||
    (decoded as { v?: unknown }).v !== 1 ||
    typeof after !== 'string' ||
    !VIOLATION_SORT_KEY.test(after)
  ) {
    throw new InvalidCursorError();
  }
  return after;
}
