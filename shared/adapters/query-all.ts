import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';

/** A query of the penalty table, without the table's name. */
export type TableQuery = Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>;

/** Every item of a query, page after page, up to `limit` (each page at most `pageSize` items). */
export async function queryAll(
  client: DynamoDBClient,
  tableName: string,
  query: TableQuery,
  limit = Number.POSITIVE_INFINITY,
  pageSize = Number.POSITIVE_INFINITY,
): Promise<Record<string, AttributeValue>[]> {
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
