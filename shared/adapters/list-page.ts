import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';

/** A sparse list index of the table: its name, and the attributes of its list and its order. */
export interface ListIndex {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

/** Where a page starts: after the item of this table key, at this sort value of the index. */
export interface ListPosition {
  readonly at: number;
  readonly key: { readonly pk: string; readonly sk: string };
}

/**
 * One page of a list of a sparse index (the cases, appeals and standing lists), in index order:
 * at most `limit` items after `after`, and whether more follow (one more item is asked for, so
 * that `more` is false exactly when nothing follows).
 */
export async function queryListPage(
  client: DynamoDBClient,
  tableName: string,
  index: ListIndex,
  list: string,
  page: { readonly limit: number; readonly after?: ListPosition | undefined },
): Promise<{ items: Record<string, AttributeValue>[]; more: boolean }> {
  const { after } = page;
  const result = await client.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: index.name,
      KeyConditionExpression: '#list = :list',
      ExpressionAttributeNames: { '#list': index.partitionKey },
      ExpressionAttributeValues: { ':list': { S: list } },
      ScanIndexForward: true,
      Limit: page.limit + 1,
      ...(after === undefined
        ? {}
        : {
            ExclusiveStartKey: {
              [index.partitionKey]: { S: list },
              [index.sortKey]: { N: String(after.at) },
              pk: { S: after.key.pk },
              sk: { S: after.key.sk },
            },
          }),
    }),
  );
  const items = result.Items ?? [];
  return { items: items.slice(0, page.limit), more: items.length > page.limit };
}
