import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { memberStanding } from '../domain/index.js';
import type { ListIndex } from './list-page.js';
import { decodeMemberState } from './member-state-codec.js';
import { appealListOf, CASES_INDEX, STANDING_INDEX, standingListOf } from './penalty-table.js';

/** Where an item goes in a list index, and what must still hold of it for the write to apply. */
interface Listing {
  readonly list: string;
  readonly at: number;
  /** The attribute that must be unchanged since the scan read it (`version`, `status`). */
  readonly unchanged: { readonly name: string; readonly value: AttributeValue };
}

/**
 * Gives the member states stored before the standing index their index attributes (as their next
 * write would), so that members already not in good standing are listed at once. Each update only
 * if the state is still the version read (a state written meanwhile carries its own attributes).
 * Returns how many members it indexed.
 */
export function backfillStandingIndex(
  client: DynamoDBClient,
  tableName: string,
  at: number,
): Promise<number> {
  return backfillList(client, tableName, STANDING_INDEX, {
    filter: 'sk = :sk AND begins_with(pk, :prefix)',
    values: { ':sk': { S: 'STATE' }, ':prefix': { S: 'MEMBER#' } },
    listing: (item) => {
      const state = decodeMemberState(item.state);
      const version = item.version;
      if (!state || !version?.N) return null;
      const standing = memberStanding(state, at);
      return standing
        ? {
            list: standingListOf(state.corpId, standing.standing),
            at: standing.since,
            unchanged: { name: 'version', value: version },
          }
        : null;
    },
  });
}

/**
 * Gives the appeal owner items stored before the appeal lists their list attributes (as their
 * next write would), so that the appeals already filed are listed at once. Each update only if the
 * appeal's status is still the one read. Returns how many appeals it listed.
 */
export function backfillAppealLists(client: DynamoDBClient, tableName: string): Promise<number> {
  return backfillList(client, tableName, CASES_INDEX, {
    filter: 'begins_with(pk, :prefix) AND attribute_exists(appeal)',
    values: { ':prefix': { S: 'APPEAL#' } },
    listing: (item) => {
      const corpId = item.corpId?.S;
      const status = item.status;
      const stored = item.appeal?.S;
      if (!corpId || !status?.S || !stored) return null;
      const { filedAt } = JSON.parse(stored) as { filedAt: number };
      return {
        list: appealListOf(corpId, status.S),
        at: filedAt,
        unchanged: { name: 'status', value: status },
      };
    },
  });
}

/**
 * One scan of the table for the items `filter` selects that are not in `index` yet; each one
 * `listing` places gets the index's attributes, only if the attribute it names is still what the
 * scan read. Returns how many items it listed.
 */
async function backfillList(
  client: DynamoDBClient,
  tableName: string,
  index: ListIndex,
  select: {
    readonly filter: string;
    readonly values: Record<string, AttributeValue>;
    readonly listing: (item: Record<string, AttributeValue>) => Listing | null;
  },
): Promise<number> {
  let listed = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: `${select.filter} AND attribute_not_exists(#list)`,
        ExpressionAttributeNames: { '#list': index.partitionKey },
        ExpressionAttributeValues: select.values,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      if (!item.pk || !item.sk) continue;
      const listing = select.listing(item);
      if (!listing) continue;
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { pk: item.pk, sk: item.sk },
            UpdateExpression: 'SET #list = :list, #at = :at',
            ConditionExpression: '#unchanged = :unchanged',
            ExpressionAttributeNames: {
              '#list': index.partitionKey,
              '#at': index.sortKey,
              '#unchanged': listing.unchanged.name,
            },
            ExpressionAttributeValues: {
              ':list': { S: listing.list },
              ':at': { N: String(listing.at) },
              ':unchanged': listing.unchanged.value,
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
