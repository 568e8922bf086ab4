import { TransactionCanceledException, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { BatchCommit, BatchCommitResult, CorpState, SubjectBatch } from '../domain/index.js';
import {
  approximateBytes,
  CORP_ITEM_BYTES,
  failureReason,
  itemKey,
  MAX_TRANSACTION_BYTES,
  MAX_TRANSACTION_ITEMS,
  remembersAnInput,
  subjectItems,
} from './batch-transactions.js';
import { corpWrites } from './corp-item.js';
import type { CounterSlots } from './counter-slots.js';
import { StoreBatchError } from './errors.js';
import { isMarker } from './transaction-items.js';

/** What a batch commit writes with. */
export interface BatchWriter {
  readonly tableName: string;
  readonly now: number;
  readonly slots: CounterSlots;
  /** One commit's items: a single Put as a conditional PutItem, more in one TransactWriteItems. */
  write(items: readonly TransactWriteItem[]): Promise<void>;
}

/**
 * Commits a decided batch (see `DynamoDbPenaltyStore.commitBatch`): the subjects in order, as many
 * per transaction as fit DynamoDB's limits (100 items, 4 MB, each item once), each transaction with
 * the markers, records and member states of its subjects and one update per corp (its counters'
 * deltas and, when they changed, its decisions under the version this batch last left). A later
 * transaction continues each corp from the state the one before committed. Stops at the first
 * transaction that fails, at a subject that fits no transaction alone or writes an item twice, and
 * at a member that remembers one of its inputs (`remembersAnInput`).
 *
 * A subject whose only write is its member's state (no marker, no record, the corp left as it was)
 * is a leaf: nothing else depends on it, so it is written alone, a conditional PutItem (1 write
 * unit per KB, half a transaction's), once its transaction has gone through (at once if there is
 * none). Written beside it instead, the leaves' requests lengthened the transactions and a busy
 * corp's counter slots met twice to three times as often (`npm run bench -- contention`). A leaf
 * whose write fails is returned as `uncommitted`: the batch evaluates it again one input at a time.
 */
export async function commitSubjects(writer: BatchWriter, batch: BatchCommit): Promise<BatchCommitResult> {
  const { tableName, now, slots } = writer;
  const { subjects } = batch;
  /** Each corp as stored, as far as this batch knows: loaded, then as each transaction left it. */
  const stored = new Map(batch.corps);
  let committed = 0;
  let transactions = 0;
  const uncommitted: number[] = [];
  const remembered = subjects.findIndex(remembersAnInput);
  const limit = remembered === -1 ? subjects.length : remembered;
  while (committed < subjects.length) {
    if (committed === limit) {
      const reason = 'a member remembers one of its inputs (applied before, or twice in the batch)';
      return { committed, transactions, uncommitted, stopped: { reason } };
    }
    const items: TransactWriteItem[] = [];
    const leaves: { index: number; put: TransactWriteItem }[] = [];
    const keys = new Set<string>();
    /** The corps of this transaction, each with its state after the last of its subjects taken. */
    const corps = new Map<string, CorpState>();
    let bytes = 0;
    let end = committed;
    for (; end < limit; end++) {
      const subject = subjects[end] as SubjectBatch;
      const own = subjectItems(tableName, subject, now);
      const [only] = own;
      const corpBefore = corps.get(subject.key.corpId) ?? stored.get(subject.key.corpId);
      if (own.length === 1 && only?.Put && !isMarker(only) && subject.corpAfter === corpBefore) {
        leaves.push({ index: end, put: only });
        continue;
      }
      const ownKeys = own.map(itemKey);
      const ownBytes = own.reduce((sum, item) => sum + approximateBytes(item), 0);
      // Each corp writes up to two items: its counter slot and, when they changed, its decisions.
      const corpCount = 2 * (corps.size + (corps.has(subject.key.corpId) ? 0 : 1));
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
      const reason = 'a member’s inputs fit no transaction alone, or write one item twice';
      return { committed, transactions, uncommitted, stopped: { reason } };
    }
    const next = new Map<string, CorpState>();
    const held: string[] = [];
    try {
      for (const [corpId, after] of corps) {
        const before = stored.get(corpId);
        if (!before) throw new StoreBatchError(`the batch has no loaded state for corp ${corpId}`);
        const writes = corpWrites(tableName, corpId, before, after, (n) => slots.pick(corpId, n, held));
        items.push(...writes.items);
        next.set(corpId, writes.committed);
      }
      if (items.length > 0) await writer.write(items);
    } catch (error) {
      if (error instanceof StoreBatchError) throw error;
      if (error instanceof TransactionCanceledException)
        await slots.spreadOnConflict(items, error.CancellationReasons ?? [], stored);
      return {
        committed,
        transactions,
        uncommitted,
        stopped: { reason: failureReason(error), error },
      };
    } finally {
      slots.release(held);
    }
    const written = await Promise.allSettled(leaves.map(({ put }) => writer.write([put])));
    for (const [i, result] of written.entries())
      if (result.status === 'rejected') uncommitted.push((leaves[i] as { index: number }).index);
    for (const [corpId, committedCorp] of next) stored.set(corpId, committedCorp);
    committed = end;
    if (items.length > 0) transactions += 1;
  }
  return { committed, transactions, uncommitted };
}
