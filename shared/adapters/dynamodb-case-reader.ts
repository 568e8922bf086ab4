import { type AttributeValue, type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { Case, CasePage, CasePageRequest, CaseStatus, ReviewDecision } from '../domain/index.js';
import { isCaseId } from '../domain/index.js';
import { InvalidCursorError } from '../errors.js';
import { queryListPage } from './list-page.js';
import { decodePageCursor, encodePageCursor } from './page-cursor.js';
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
    const { items, more } = await queryListPage(client, tableName, CASES_INDEX, list, {
      limit: page.limit,
      after: after && { at: after.openedAt, key: storeKeys.case(after.caseId) },
    });
    const shown = items.flatMap(caseOf);
    const last = shown.at(-1);
    return { cases: shown, next: more && last ? encodeCaseCursor(last.openedAt, last.id) : null };
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

/** The cursor after a case: when it opened and its id (the list is the request's own). */
function encodeCaseCursor(openedAt: number, caseId: string): string {
  return encodePageCursor({ openedAt, caseId });
}

/** The position a case cursor names; InvalidCursorError for anything this reader did not give out. */
function decodeCaseCursor(cursor: string): { openedAt: number; caseId: string } {
  const { openedAt, caseId } = decodePageCursor(cursor, 512);
  if (!Number.isSafeInteger(openedAt) || typeof caseId !== 'string' || !isCaseId(caseId)) {
    throw new InvalidCursorError();
  }
  return { openedAt: openedAt as number, caseId };
}
