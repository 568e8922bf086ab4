import {
  type DynamoDBClient,
  TransactionCanceledException,
  TransactionConflictException,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { itemKey } from '../../shared/adapters/batch-transactions.js';

/** What the conflict rule did: transactions and single writes checked, and those it cancelled. */
export interface ConflictCounts {
  transactions: number;
  transactionConflicts: number;
  writes: number;
  writeConflicts: number;
  /** The items transactions met on, by the kind of item (its partition key up to the first `#`). */
  readonly metOn: Map<string, number>;
}

/**
 * DynamoDB's rule for transactions that meet on an item, which DynamoDB Local does not apply (it
 * runs transactions one at a time, so they never conflict): a TransactWriteItems that touches an
 * item another transaction in flight touches is cancelled with `TransactionConflict` for that item,
 * and a single write (PutItem, UpdateItem, DeleteItem) of such an item fails with
 * TransactionConflictException. Reads are not affected (they see the last committed item). Added as
 * a middleware on the real client, before its retries, so the code under test sees what the service
 * would send it; the service's window is its own transaction's duration, here the local server's.
 */
export function applyTransactionConflicts(client: DynamoDBClient): ConflictCounts {
  const counts: ConflictCounts = {
    transactions: 0,
    transactionConflicts: 0,
    writes: 0,
    writeConflicts: 0,
    metOn: new Map(),
  };
  const held = new Map<string, number>();
  const hold = (keys: readonly string[]) => {
    for (const key of keys) held.set(key, (held.get(key) ?? 0) + 1);
  };
  const release = (keys: readonly string[]) => {
    for (const key of keys) {
      const left = (held.get(key) ?? 1) - 1;
      if (left === 0) held.delete(key);
      else held.set(key, left);
    }
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as {
        TransactItems?: TransactWriteItem[];
        TableName?: string;
        Key?: TransactWriteItem['ConditionCheck'] extends infer C
          ? C extends { Key?: infer K }
            ? K
            : never
          : never;
        Item?: Record<string, unknown>;
      };
      if (context.commandName === 'TransactWriteItemsCommand' && input.TransactItems) {
        counts.transactions += 1;
        const keys = input.TransactItems.map(itemKey);
        if (keys.some((key) => held.has(key))) {
          counts.transactionConflicts += 1;
          for (const key of keys) {
            if (!held.has(key)) continue;
            const kind = key.slice(0, key.indexOf('#'));
            counts.metOn.set(kind, (counts.metOn.get(kind) ?? 0) + 1);
          }
          throw new TransactionCanceledException({
            message: 'Transaction cancelled, please refer cancellation reasons for specific reasons',
            $metadata: { httpStatusCode: 400 },
            CancellationReasons: keys.map((key) =>
              held.has(key)
                ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }
                : { Code: 'None' },
            ),
          });
        }
        hold(keys);
        try {
          return await next(args);
        } finally {
          release(keys);
        }
      }
      const single = ['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand'].includes(
        String(context.commandName),
      );
      if (single) {
        counts.writes += 1;
        const key = itemKey(
          context.commandName === 'PutItemCommand'
            ? ({ Put: { Item: input.Item } } as TransactWriteItem)
            : ({ Update: { Key: input.Key } } as TransactWriteItem),
        );
        if (held.has(key)) {
          counts.writeConflicts += 1;
          throw new TransactionConflictException({
            message: 'Transaction is ongoing for the item',
            $metadata: { httpStatusCode: 400 },
          });
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'applyTransactionConflicts' },
  );
  return counts;
}
