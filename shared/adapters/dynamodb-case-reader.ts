import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import type { Case, CasePage, CasePageRequest, CaseStatus, ReviewDecision } from '../domain/index.js';
import { isCaseId } from '../domain/index.js';
import { InvalidCursorError } from '../errors.js';
import { MalformedCursorError } from './errors.js';
import { CASES_INDEX, caseListOf, storeKeys, toKey } from './penalty-table.js';

/** Options of the DynamoDB case reader. */
export interface DynamoDbCaseReaderOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/**
 * Reviewers' cases on the penalty table: one by its id, or a corp's cases of one status a page at a
 * time, oldest first, through the sparse `cases` index. (The index is eventually consistent on AWS:
 * a case decided a moment ago may still show in its old list for that moment.)
 */
export class DynamoDbCaseReader {
  readonly #options: DynamoDbCaseReaderOptions;

  constructor(options: DynamoDbCaseReaderOptions) {
    this.#options = options;
  }

  async cases(corpId: string, status: CaseStatus, page: CasePageRequest): Promise<CasePage> {
    const { client, tableName } = this.#options;
    const list = caseListOf(corpId, status);
    const after = page.cursor === null ? undefined : decodeCaseCursor(page.cursor);
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
                [CASES_INDEX.sortKey]: { N: String(after.openedAt) },
                ...toKey(storeKeys.case(after.caseId)),
              },
            }),
      }),
    );
    const items = result.Items ?? [];
    const shown = items.slice(0, page.limit).flatMap(caseOf);
    const last = shown.at(-1);
    return {
      cases: shown,
      next: items.length > page.limit && last ? encodeCaseCursor(last.openedAt, last.id) : null,
    };
  }

  async case(caseId: string): Promise<Case | null> {
    const { client, tableName } = this.#options;
    const result = await client.send(
      new GetItemCommand({ TableName: tableName, Key: toKey(storeKeys.case(caseId)), ConsistentRead: true }),
    );
    return result.Item ? (caseOf(result.Item)[0] ?? null) : null;
  }
}

/** A case as stored: the record written when it opened, with its status and decision as last changed. */
function caseOf(item: Record<string, AttributeValue>): Case[] {
  const record = item.case?.S;
  if (!record) return [];
  const opened = JSON.parse(record) as Case;
  const decision = item.decision?.S;
  return [
    {
      ...opened,
      status: (item.status?.S as CaseStatus | undefined) ?? opened.status,
      decision: decision ? (JSON.parse(decision) as ReviewDecision) : opened.decision,
    },
  ];
}

/** The cursor after a case: when it opened and its id, as base64url JSON (the list is the request's own). */
function encodeCaseCursor(openedAt: number, caseId: string): string {
  return Buffer.from(JSON.stringify({ v: 1, openedAt, caseId })).toString('base64url');
}

/** The position a case cursor names; InvalidCursorError for anything this reader did not give out. */
function decodeCaseCursor(cursor: string): { openedAt: number; caseId: string } {
  let decoded: unknown;
  try {
    const bytes = Buffer.from(cursor, 'base64url');
    // Node decodes leniently: only the very text it would have encoded is a cursor.
    if (cursor.length > 512 || bytes.toString('base64url') !== cursor)
      throw new MalformedCursorError('not base64url');
    decoded = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new InvalidCursorError({ cause: error });
  }
  const { v, openedAt, caseId } = (decoded ?? {}) as { v?: unknown; openedAt?: unknown; caseId?: unknown };
  if (v !== 1 || !Number.isSafeInteger(openedAt) || typeof caseId !== 'string' || !isCaseId(caseId)) {
    throw new InvalidCursorError();
  }
  return { openedAt: openedAt as number, caseId };
}
