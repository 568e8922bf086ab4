import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { MemberState } from '../domain/index.js';
import { memberStanding } from '../domain/index.js';
import { appealListOf, CASES_INDEX, STANDING_INDEX, standingListOf } from './penalty-table.js';

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

/**
 * Gives the appeal owner items stored before the appeal lists their list attributes (as their
 * next write would), so that the appeals already filed are listed at once. One scan; each update
 * only if the appeal's status is still the one read. Returns how many appeals it listed.
 */
export async function backfillAppealLists(client: DynamoDBClient, tableName: string): Promise<number> {
  let listed = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression:
          'begins_with(pk, :appeal) AND attribute_exists(appeal) AND attribute_not_exists(#list)',
        ExpressionAttributeNames: { '#list': CASES_INDEX.partitionKey },
        ExpressionAttributeValues: { ':appeal': { S: 'APPEAL#' } },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      const corpId = item.corpId?.S;
      const status = item.status?.S;
      const stored = item.appeal?.S;
      if (!corpId || !status || !stored || !item.pk || !item.sk) continue;
      const { filedAt } = JSON.parse(stored) as { filedAt: number };
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { pk: item.pk, sk: item.sk },
            UpdateExpression: 'SET #list = :list, #at = :at',
            ConditionExpression: '#status = :status',
            ExpressionAttributeNames: {
              '#list': CASES_INDEX.partitionKey,
              '#at': CASES_INDEX.sortKey,
              '#status': 'status',
            },
            ExpressionAttributeValues: {
              ':list': { S: appealListOf(corpId, status) },
              ':at': { N: String(filedAt) },
              ':status': { S: status },
            },
          }),
        );
        listed += 1;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return listed;
}
