import { TransactionCanceledException, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { SubjectBatch } from '../domain/index.js';
import { recordItems } from './decision-records.js';
import { storeKeys } from './penalty-table.js';
import { markerPut, needsMarker, statePut } from './transaction-items.js';

/** DynamoDB's limits: items and bytes per TransactWriteItems. */
export const MAX_TRANSACTION_ITEMS = 100;
/** Below the 4 MB a transaction may write, for what the estimate leaves out (names, numbers' encoding). */
export const MAX_TRANSACTION_BYTES = 3_500_000;
/** What a corp's update is counted as in a transaction's size: its decisions, counters and names. */
export const CORP_ITEM_BYTES = 64_000;

/**
 * A subject's writes in a batch: the markers its inputs need (`needsMarker`) and their records,
 * then its member's final state.
 */
export function subjectItems(tableName: string, subject: SubjectBatch, now: number): TransactWriteItem[] {
  const items: TransactWriteItem[] = [];
  const loaded = subject.loadedMember;
  for (const { input, outcome, effects } of subject.inputs) {
    if (needsMarker(loaded, outcome)) items.push(markerPut(tableName, input, effects, now));
    items.push(...recordItems(tableName, input, outcome));
  }
  const lastInput = subject.inputs.at(-1);
  const last = lastInput?.outcome.member ?? null;
  if (lastInput && last && loaded && last !== loaded) {
    const key = storeKeys.member(subject.key.corpId, last.userId);
    items.push(statePut(tableName, key, last, loaded.version, lastInput.input.at));
  }
  return items;
}

/**
 * Whether one of a member's inputs left its member as it found it: the member remembers that
 * input (applied before, or twice in the batch). Such a subject goes one input at a time, where the
 * input is a duplicate and any side effects a crash left pending are carried out.
 */
export function remembersAnInput(subject: SubjectBatch): boolean {
  let member = subject.loadedMember;
  if (member === null) return false;
  for (const { outcome } of subject.inputs) {
    if (outcome.member === member) return true;
    member = outcome.member;
  }
  return false;
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
  return `write failed (${error instanceof Error ? error.name : String(error)})`;
}
