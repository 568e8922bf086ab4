import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { MemberState } from '../domain/index.js';
import { memberStanding } from '../domain/index.js';
import { STANDING_INDEX, standingListOf } from './penalty-table.js';

/**
 * Gives the member states stored before the standing index their index attributes (as their next
 * write would), so that members already not in good standing are listed at once. One scan of the
 * table; each update only if the state is still the version read (a state written meanwhile
 * carries its own attributes). Returns how many members it indexed.
 */
export async function backfillStandingIndex(
  client: DynamoDBClient,
  tableName: string,
  at: number,
): Promise<number> {
  let indexed = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'sk = :state AND begins_with(pk, :member) AND attribute_not_exists(#standing)',
        ExpressionAttributeNames: { '#standing': STANDING_INDEX.partitionKey },
        ExpressionAttributeValues: { ':state': { S: 'STATE' }, ':member': { S: 'MEMBER#' } },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      const stored = item.state?.S;
      const version = item.version?.N;
      if (!stored || version === undefined || !item.pk || !item.sk) continue;
      const state = JSON.parse(stored) as MemberState;
      const standing = memberStanding(state, at);
      if (!standing) continue;
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { pk: item.pk, sk: item.sk },
            UpdateExpression: 'SET #list = :list, #at = :at',
            ConditionExpression: 'version = :version',
            ExpressionAttributeNames: { '#list': STANDING_INDEX.partitionKey, '#at': STANDING_INDEX.sortKey },
            ExpressionAttributeValues: {
              ':list': { S: standingListOf(state.corpId, standing.standing) },
              ':at': { N: String(standing.since) },
              ':version': { N: version },
            },
          }),
        );
        indexed += 1;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return indexed;
}
