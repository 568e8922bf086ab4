import {
  type AttributeValue,
  type ConsumedCapacity,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type {
  AppealOwner,
  AppealPage,
  AppealPageRequest,
  AppealStatus,
  AuditPage,
  AuditPageRequest,
  BatchCommit,
  BatchCommitResult,
  BatchPenaltyStore,
  Case,
  CasePage,
  CasePageRequest,
  CaseStatus,
  CommitResult,
  CorpState,
  Decision,
  EngineInput,
  LoadedState,
  MemberState,
  Outcome,
  PendingEffects,
  Standing,
  StandingPage,
  StandingPageRequest,
  StateKey,
  StateReader,
  SweepIndex,
  Violation,
  ViolationPage,
  ViolationPageRequest,
} from '../domain/index.js';
import { initialMemberState } from '../domain/index.js';
import { commitSubjects } from './batch-commit.js';
import { corpFromItems, corpWrites, shardsOf, slotKey } from './corp-item.js';
import { CounterSlots } from './counter-slots.js';
import { recordItems } from './decision-records.js';
import { DynamoDbStateReader } from './dynamodb-state-reader.js';
import { DynamoDbSweepIndex } from './dynamodb-sweep-index.js';
import { decodeMemberState } from './member-state-codec.js';
import { storeKeys, toKey } from './penalty-table.js';
import { MAX_BATCH_GET_KEYS, readStateItems } from './read-state-items.js';
import {
  clearedOutbox,
  isConditionFailed,
  isMarker,
  isWriteConflict,
  markerPut,
  needsMarker,
  statePut,
} from './transaction-items.js';

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
  /**
   * Most counter slots a corp is spread over when its evaluators meet on one (default and ceiling
   * MAX_COUNTER_SHARDS; 1 keeps every corp's counters on one item, its first counter slot).
   */
  readonly maxCounterShards?: number;
  /** Where this store's counter slot is drawn from (Math.random by default; fixed in tests). */
  readonly random?: () => number;
}

/**
 * The penalty store on one DynamoDB table. Load is one BatchGetItem (member, corp, the corp's first
 * counter slot and its slots item), and one more for a corp spread over more counter slots; commit
 * is one TransactWriteItems (or one PutItem where the member's state is all it writes):
 * the input's marker (which must not exist yet, and carries the pending side effects), the member
 * state (only if still at the version loaded), the corp's counters as atomic deltas on this
 * store's counter slot and its decisions under their own version (see corp-item.ts), the violation
 * records, appeal owners and audit entries. A batch (`evaluateBatch`) is the same with many inputs:
 * one BatchGetItem for all its states (`loadMany`), and as few transactions as DynamoDB's limits
 * allow (`commitBatch`), each with one item per member state and per corp.
 *
 * The admin API's reads and the sweep's index queries are their own classes
 * (`DynamoDbStateReader`, `DynamoDbSweepIndex`); the store answers them too, so that one object
 * wired on one table serves every port.
 */
export class DynamoDbPenaltyStore implements BatchPenaltyStore, StateReader, SweepIndex {
  readonly #options: DynamoDbPenaltyStoreOptions;

  readonly #reader: DynamoDbStateReader;
  readonly #sweep: DynamoDbSweepIndex;
  readonly #slots: CounterSlots;

  constructor(options: DynamoDbPenaltyStoreOptions) {
    this.#options = options;
    this.#slots = new CounterSlots(options);
    this.#reader = new DynamoDbStateReader(options);
    this.#sweep = new DynamoDbSweepIndex(options);
  }

  /** One BatchGetItem for the member (if any) and its corp: `loadMany` of one. */
  async load(corpId: string, userId: string | null): Promise<LoadedState> {
    const [loaded] = await this.loadMany([{ corpId, userId }]);
    return loaded as LoadedState;
  }

  /** The member's item alone, read as `load` reads it (strongly consistent), none of the corp's. */
  async member(corpId: string, userId: string): Promise<MemberState> {
    const key = storeKeys.member(corpId, userId);
    const found = new Map<string, Record<string, AttributeValue>>();
    await readStateItems(this.#options, [key], found, true, (consumed) => this.#capacity('load', consumed));
    return memberFromItem(found.get(key.pk), corpId, userId);
  }

  async commit(
    input: EngineInput,
    loaded: LoadedState,
    outcome: Outcome,
    effects: PendingEffects | null,
  ): Promise<CommitResult> {
    const { tableName } = this.#options;
    const now = this.#options.now?.() ?? Date.now();
    // A member's input the member already remembers (decide left it as loaded): applied before.
    if (loaded.member && outcome.member === loaded.member) return 'duplicate';
    // The marker first, where there is one: its condition failing means the input was applied before.
    const items: TransactWriteItem[] = needsMarker(loaded.member, outcome)
      ? [markerPut(tableName, input, effects, now)]
      : [];
    if (outcome.member && loaded.member) {
      const key = storeKeys.member(input.corpId, outcome.member.userId);
      items.push(statePut(tableName, key, outcome.member, loaded.member.version, input.at));
    }
    const held: string[] = [];
    if (outcome.corp !== loaded.corp) {
      const pick = (slots: number) => this.#slots.pick(input.corpId, slots, held);
      items.push(...corpWrites(tableName, input.corpId, loaded.corp, outcome.corp, pick).items);
    }
    items.push(...recordItems(tableName, input, outcome));
    const marked = items[0] !== undefined && isMarker(items[0]);
    try {
      await this.#write(items, 'commit');
      return 'applied';
    } catch (error) {
      if (isConditionFailed(error) || isWriteConflict(error)) {
        // The one write: the marker's condition (applied before) or the member's version (changed).
        return marked && isConditionFailed(error) ? 'duplicate' : 'conflict';
      }
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (marked && reasons[0]?.Code === 'ConditionalCheckFailed') return 'duplicate';
      await this.#slots.spreadOnConflict(items, reasons, new Map([[input.corpId, loaded.corp]]));
      if (reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict'))
        return 'conflict';
      throw error;
    } finally {
      this.#slots.release(held);
    }
  }

  /**
   * Writes one commit's items: one item alone as a conditional PutItem (1 write unit per KB, half
   * a transaction's), more in one TransactWriteItems.
   */
  async #write(items: readonly TransactWriteItem[], operation: 'commit'): Promise<void> {
    const { client } = this.#options;
    const [only] = items;
    if (items.length === 1 && only?.Put) {
      const result = await client.send(new PutItemCommand({ ...only.Put, ReturnConsumedCapacity: 'TOTAL' }));
      this.#capacity(operation, result.ConsumedCapacity ? [result.ConsumedCapacity] : undefined);
      return;
    }
    const result = await client.send(
      new TransactWriteItemsCommand({ TransactItems: [...items], ReturnConsumedCapacity: 'TOTAL' }),
    );
    this.#capacity(operation, result.ConsumedCapacity);
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
      const firstSlot = slotKey(corpId, 1);
      wanted.set(firstSlot.pk, firstSlot);
      const slotsKey = storeKeys.corpSlots(corpId);
      wanted.set(slotsKey.pk, slotsKey);
      if (userId !== null) {
        const memberKey = storeKeys.member(corpId, userId);
        wanted.set(memberKey.pk, memberKey);
      }
    }
    const all = [...wanted.values()];
    const found = new Map<string, Record<string, AttributeValue>>();
    const requests: Promise<void>[] = [];
    const read = (keys: readonly { pk: string; sk: string }[], consistent: boolean) =>
      readStateItems(this.#options, keys, found, consistent, (consumed) => this.#capacity('load', consumed));
    for (let i = 0; i < all.length; i += MAX_BATCH_GET_KEYS)
      requests.push(read(all.slice(i, i + MAX_BATCH_GET_KEYS), true));
    await Promise.all(requests);
    // A corp spread over more counter slots: slots 2 and on, in a second read, eventually consistent (half
    // the read units): a slot read a moment stale only delays a count in the trust factors, never
    // loses it (a write adds its delta to the slot as stored), and a stale condition is decided again.
    const slotKeys: { pk: string; sk: string }[] = [];
    const shards = new Map<string, number>();
    for (const corpId of new Set(keys.map((k) => k.corpId))) {
      const n = shardsOf(found.get(storeKeys.corpSlots(corpId).pk));
      shards.set(corpId, n);
      for (let slot = 2; slot <= n; slot++) slotKeys.push(slotKey(corpId, slot));
    }
    const more: Promise<void>[] = [];
    for (let i = 0; i < slotKeys.length; i += MAX_BATCH_GET_KEYS)
      more.push(read(slotKeys.slice(i, i + MAX_BATCH_GET_KEYS), false));
    await Promise.all(more);
    const corps = new Map<string, CorpState>();
    return keys.map(({ corpId, userId }) => {
      let corp = corps.get(corpId);
      if (!corp) {
        const item = found.get(storeKeys.corp(corpId).pk);
        const counterSlots = shards.get(corpId) ?? 1;
        const slots = Array.from({ length: counterSlots }, (_, i) => found.get(slotKey(corpId, i + 1).pk));
        corp = corpFromItems(corpId, item, slots);
        corps.set(corpId, corp);
      }
      if (userId === null) return { member: null, corp };
      return { member: memberFromItem(found.get(storeKeys.member(corpId, userId).pk), corpId, userId), corp };
    });
  }

  /**
   * Commits a decided batch in as few transactions as fit DynamoDB's limits, a member whose only
   * write is its state beside them as a PutItem (`commitSubjects`, batch-commit.ts).
   */
  commitBatch(batch: BatchCommit): Promise<BatchCommitResult> {
    return commitSubjects(
      {
        tableName: this.#options.tableName,
        now: this.#options.now?.() ?? Date.now(),
        slots: this.#slots,
        write: (items) => this.#write(items, 'commit'),
      },
      batch,
    );
  }

  /**
   * Clears each input's outbox with an UpdateItem of its own, all at once. The clears need no
   * transaction: each stands alone (one that fails leaves its effects pending, for the redelivery or
   * the sweep to carry out again), and a write alone costs half the write units of the same write
   * in a transaction. Waits for all before it throws the first failure.
   */
  async clearEffectsMany(
    inputs: readonly { readonly corpId: string; readonly inputId: string }[],
  ): Promise<void> {
    const settled = await Promise.allSettled(
      inputs.map(({ corpId, inputId }) => this.clearEffects(corpId, inputId)),
    );
    const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
  }

  violations(corpId: string, userId: string, page: ViolationPageRequest): Promise<ViolationPage> {
    return this.#reader.violations(corpId, userId, page);
  }

  appeals(corpId: string, status: AppealStatus, page: AppealPageRequest): Promise<AppealPage> {
    return this.#reader.appeals(corpId, status, page);
  }

  membersByStanding(corpId: string, standing: Standing, page: StandingPageRequest): Promise<StandingPage> {
    return this.#reader.membersByStanding(corpId, standing, page);
  }

  audit(corpId: string, userId: string, page: AuditPageRequest): Promise<AuditPage> {
    return this.#reader.audit(corpId, userId, page);
  }

  violation(corpId: string, userId: string, violationId: string): Promise<Violation | null> {
    return this.#reader.violation(corpId, userId, violationId);
  }

  cases(corpId: string, status: CaseStatus, page: CasePageRequest): Promise<CasePage> {
    return this.#reader.cases(corpId, status, page);
  }

  case(caseId: string): Promise<Case | null> {
    return this.#reader.case(caseId);
  }

  appealOwner(appealId: string): Promise<AppealOwner | null> {
    return this.#reader.appealOwner(appealId);
  }

  dueMembers(at: number, limit: number): Promise<{ corpId: string; userId: string }[]> {
    return this.#sweep.dueMembers(at, limit);
  }

  pendingEffectsBefore(before: number, limit: number): Promise<{ corpId: string; inputId: string }[]> {
    return this.#sweep.pendingEffectsBefore(before, limit);
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

/** A member's state from its stored item: a fresh member when it has none. */
function memberFromItem(
  item: Record<string, AttributeValue> | undefined,
  corpId: string,
  userId: string,
): MemberState {
  return decodeMemberState(item?.state) ?? initialMemberState(corpId, userId);
}
