import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import type {
  AppealPage,
  AppealPageRequest,
  AppealStatus,
  CorpAppeal,
  MemberAppeal,
} from '../domain/index.js';
import { InvalidCursorError } from '../errors.js';
import { MalformedCursorError } from './errors.js';
import { appealListOf, CASES_INDEX, storeKeys, toKey } from './penalty-table.js';

/** What an appeal id a cursor names may be (an input's id: printable, bounded). */
const APPEAL_ID = /^[^\p{Cc}]{1,256}$/u;

/** Options of the DynamoDB appeal reader. */
export interface DynamoDbAppealReaderOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/**
 * A corp's appeals of one status, oldest filed first, a page at a time, from their owner items
 * through the cases index (see appealListOf), which projects the appeal as last recorded: no
 * further read per appeal. (Eventually consistent on AWS, as the case lists are.)
 */
export class DynamoDbAppealReader {
  readonly #options: DynamoDbAppealReaderOptions;

  constructor(options: DynamoDbAppealReaderOptions) {
    this.#options = options;
  }

  async appeals(corpId: string, status: AppealStatus, page: AppealPageRequest): Promise<AppealPage> {
    const { client, tableName } = this.#options;
    const list = appealListOf(corpId, status);
    const after = page.cursor === null ? undefined : decodeAppealCursor(page.cursor, corpId);
    // One more than the page, so that `next` is null exactly when nothing follows.
    const result = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: CASES_INDEX.name,
        KeyConditionExpression: '#list = :list',
        ExpressionAttributeNames: { '#list': CASES_INDEX.partitionKey },
        ExpressionAttributeValues: { ':list': { S: list } },
        ScanIndexForward: true,
        Limit: page.limit + 1,
        ...(after === undefined
          ? {}
          : {
              ExclusiveStartKey: {
                [CASES_INDEX.partitionKey]: { S: list },
                [CASES_INDEX.sortKey]: { N: String(after.filedAt) },
                ...toKey(storeKeys.appeal(after.appealId)),
              },
            }),
      }),
    );
    const items = result.Items ?? [];
    const shown = items.slice(0, page.limit).flatMap(appealOf);
    const last = shown.at(-1);
    return {
      appeals: shown,
      next:
        items.length > page.limit && last
          ? encodeAppealCursor(corpId, last.appeal.filedAt, last.appeal.id)
          : null,
    };
  }
}

/** An appeal owner item with the appeal as last recorded (an item without one is not listed). */
function appealOf(item: Record<string, AttributeValue>): AppealPage['appeals'][number][] {
  const corpId = item.corpId?.S;
  const appeal = item.appeal?.S;
  if (!corpId || !appeal) return [];
  return [
    { corpId, userId: item.userId?.S ?? null, appeal: JSON.parse(appeal) as MemberAppeal | CorpAppeal },
  ];
}

/** The cursor after an appeal: its corp, when it was filed and its id, as base64url JSON. */
function encodeAppealCursor(corpId: string, filedAt: number, appealId: string): string {
  return Buffer.from(JSON.stringify({ v: 1, corpId, filedAt, appealId })).toString('base64url');
}

/** The position an appeal cursor names in the corp's lists; InvalidCursorError for anything else. */
function decodeAppealCursor(cursor: string, corpId: string): { filedAt: number; appealId: string } {
  let decoded: unknown;
  try {
    const bytes = Buffer.from(cursor, 'base64url');
    // Node decodes leniently: only the very text it would have encoded is a cursor.
    if (cursor.length > 1024 || bytes.toString('base64url') !== cursor)
      throw new MalformedCursorError('not base64url');
    decoded = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new InvalidCursorError({ cause: error });
  }
  const { v, filedAt, appealId, ...rest } = (decoded ?? {}) as {
    v?: unknown;
    corpId?: unknown;
    filedAt?: unknown;
    appealId?: unknown;
  };
  // Another corp's cursor is refused, not read as a position in this corp's list.
  if (
    v !== 1 ||
    rest.corpId !== corpId ||
    !Number.isSafeInteger(filedAt) ||
    typeof appealId !== 'string' ||
    !APPEAL_ID.test(appealId)
  ) {
    throw new InvalidCursorError();
  }
  return { filedAt: filedAt as number, appealId };
}
