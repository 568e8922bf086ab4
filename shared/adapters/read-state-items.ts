import {
  type AttributeValue,
  BatchGetItemCommand,
  type ConsumedCapacity,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { StoreBatchError } from './errors.js';
import { toKey } from './penalty-table.js';

/** Keys per BatchGetItem (DynamoDB's limit). */
export const MAX_BATCH_GET_KEYS = 100;
/** BatchGetItem rounds for keys DynamoDB leaves unprocessed (throttling) before the load fails. */
const UNPROCESSED_KEY_ATTEMPTS = 5;

/**
 * Reads the keys (at most MAX_BATCH_GET_KEYS, all with sk STATE) into `found` by pk with one
 * BatchGetItem, asking again, after a jittered backoff, for what DynamoDB left unprocessed.
 */
export async function readStateItems(
  { client, tableName }: { readonly client: DynamoDBClient; readonly tableName: string },
  keys: readonly { pk: string; sk: string }[],
  found: Map<string, Record<string, AttributeValue>>,
  consistent: boolean,
  onConsumed: (consumed: readonly ConsumedCapacity[] | undefined) => void,
): Promise<void> {
  let pending: Record<string, AttributeValue>[] = keys.map(toKey);
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > UNPROCESSED_KEY_ATTEMPTS)
      throw new StoreBatchError(
        'DynamoDB kept keys of the batch unprocessed; the batch is evaluated input by input',
      );
    if (attempt > 1) await sleep(Math.random() * 20 * 2 ** attempt);
    const result = await client.send(
      new BatchGetItemCommand({
        RequestItems: { [tableName]: { Keys: pending, ConsistentRead: consistent } },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    onConsumed(result.ConsumedCapacity);
    for (const item of result.Responses?.[tableName] ?? []) {
      const pk = item.pk?.S;
      if (pk !== undefined) found.set(pk, item);
    }
    pending = result.UnprocessedKeys?.[tableName]?.Keys ?? [];
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
