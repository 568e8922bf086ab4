import {
  type AttributeValue,
  type BatchGetItemCommandInput,
  type DynamoDBClient,
  GetItemCommand,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb';
import { itemBytes } from '../test/helpers/dynamodb-item-size.js';

/** Read and write units DynamoDB would charge, and requests by operation. */
export interface DynamoDbUnits {
  readUnits: number;
  writeUnits: number;
  readonly requests: Map<string, number>;
  /** Bytes of each item written (after the write), for the mean the units come from. */
  writtenBytes: number;
  itemsWritten: number;
}

/**
 * Counts, on a client of DynamoDB Local, the units the service would charge for what the client
 * sends (DynamoDB Local reports one unit per transaction): a write 1 unit per KB of the item as
 * written (read back after an update), twice in a transaction; a read 1 unit per 4 KB (at least
 * one, found or not), half when eventually consistent. Requests are counted by operation. Items
 * are read back through `sizer`, another client of the same server, so those reads are not counted.
 */
export function countDynamoDbUnits(
  client: DynamoDBClient,
  sizer: DynamoDBClient,
  tableName: string,
): DynamoDbUnits {
  const units: DynamoDbUnits = {
    readUnits: 0,
    writeUnits: 0,
    requests: new Map(),
    writtenBytes: 0,
    itemsWritten: 0,
  };
  const sizeOf = async (key: Record<string, AttributeValue>) => {
    const { Item } = await sizer.send(
      new GetItemCommand({
        TableName: tableName,
        Key: { pk: key.pk as AttributeValue, sk: key.sk as AttributeValue },
        ConsistentRead: true,
      }),
    );
    return Item ? itemBytes(Item) : 0;
  };
  const written = (bytes: number, factor: number) => {
    units.writeUnits += factor * Math.max(1, Math.ceil(bytes / 1024));
    units.writtenBytes += bytes;
    units.itemsWritten += 1;
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName).replace(/Command$/, '');
      const result = await next(args);
      units.requests.set(name, (units.requests.get(name) ?? 0) + 1);
      const output = result.output as unknown as Record<string, unknown>;
      if (name === 'TransactWriteItems') {
        for (const item of (args.input as TransactWriteItemsCommandInput).TransactItems ?? []) {
          if (item.Put?.Item) written(itemBytes(item.Put.Item), 2);
          else if (item.Update?.Key) written(await sizeOf(item.Update.Key), 2);
        }
      } else if (name === 'UpdateItem' || name === 'PutItem') {
        const input = args.input as {
          Key?: Record<string, AttributeValue>;
          Item?: Record<string, AttributeValue>;
        };
        written(input.Item ? itemBytes(input.Item) : await sizeOf(input.Key ?? {}), 1);
      } else if (name === 'BatchGetItem') {
        const request = (args.input as BatchGetItemCommandInput).RequestItems?.[tableName];
        const found =
          (output.Responses as Record<string, Record<string, AttributeValue>[]> | undefined)?.[tableName] ??
          [];
        const factor = request?.ConsistentRead ? 1 : 0.5;
        const missing = (request?.Keys?.length ?? 0) - found.length;
        units.readUnits += factor * missing;
        for (const item of found) units.readUnits += factor * Math.max(1, Math.ceil(itemBytes(item) / 4096));
      } else if (name === 'GetItem') {
        const item = output.Item as Record<string, AttributeValue> | undefined;
        const factor = (args.input as { ConsistentRead?: boolean }).ConsistentRead ? 1 : 0.5;
        units.readUnits += factor * Math.max(1, Math.ceil((item ? itemBytes(item) : 0) / 4096));
      }
      return result;
    },
    { step: 'initialize', name: 'countDynamoDbUnits' },
  );
  return units;
}
