import { TransactionCanceledException, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { SubjectBatch } from '../domain/index.js';
import { recordItems } from './decision-records.js';
import { storeKeys } from './penalty-table.js';
import { markerPut, statePut } from './transaction-items.js';

/** DynamoDB's limits: items and bytes per TransactWriteItems. */
export const MAX_TRANSACTION_ITEMS = 100;
/** Below the 4 MB a transaction may write, for what the estimate leaves out (names, numbers' encoding). */
export const MAX_TRANSACTION_BYTES = 3_500_000;
/** What a corp's update is counted as in a transaction's size: its decisions, counters and names. */
export const CORP_ITEM_BYTES = 64_000;

/** A subject's writes in a batch: its inputs' markers and records, then its member's final state. */
export function subjectItems(tableName: string, subject: SubjectBatch, now: number): TransactWriteItem[] {
  const items: TransactWriteItem[] = [];
  for (const { input, outcome, effects } of subject.inputs) {
    items.push(markerPut(tableName, input, effects, now), ...recordItems(tableName, input, outcome));
  }
  const lastInput = subject.inputs.at(-1);
  const last = lastInput?.outcome.member ?? null;
  const loaded = subject.loadedMember;
  if (lastInput && last && loaded && last !== loaded) {
    const key = storeKeys.member(subject.key.corpId, last.userId);
    items.push(statePut(tableName, key, last, loaded.version, lastInput.input.at));
  }
  return items;
}

/** The table key a transaction item writes, as one string. */
export function itemKey(item: TransactWriteItem): string {
  const key = item.Put?.Item ?? item.Update?.Key ?? item.Delete?.Key ?? item.ConditionCheck?.Key ?? {};
  return `${key.pk?.S}\u0000${key.sk?.S}`;
}

/** About the bytes an item writes: its attribute names and string and number values. */
export function approximateBytes(item: TransactWriteItem): number {
  const attributes = item.Put?.Item ?? item.Update?.ExpressionAttributeValues ?? {};
  let bytes = item.Update?.UpdateExpression?.length ?? 0;
  for (const [name, value] of Object.entries(attributes))
    bytes += name.length + (value.S?.length ?? 0) * 3 + (value.N?.length ?? 0);
  return bytes;
}

/** What made a batch transaction fail, for the logs: the cancellation reasons' codes, or the error's name. */
export function failureReason(error: unknown): string {
  if (error instanceof TransactionCanceledException) {
    const codes = (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None').filter((c) => c !== 'None');
    return `transaction cancelled (${[...new Set(codes)].join(', ') || 'no reason given'})`;
  }
  return `transaction failed (${error instanceof Error ? error.name : String(error)})`;
}
