import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type {
  AppealPage,
  AppealPageRequest,
  AppealStatus,
  CorpAppeal,
  MemberAppeal,
} from '../domain/index.js';
import { InvalidCursorError } from '../errors.js';
import { queryListPage } from './list-page.js';
import { decodePageCursor, encodePageCursor } from './page-cursor.js';
import { appealListOf, CASES_INDEX, storeKeys } from './penalty-table.js';

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
    const { items, more } = await queryListPage(client, tableName, CASES_INDEX, list, {
      limit: page.limit,
      after: after && { at: after.filedAt, key: storeKeys.appeal(after.appealId) },
    });
    const shown = items.flatMap(appealOf);
    const last = shown.at(-1);
    return {
      appeals: shown,
      next: more && last ? encodeAppealCursor(corpId, last.appeal.filedAt, last.appeal.id) : null,
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

/** The cursor after an appeal: its corp, when it was filed and its id. */
function encodeAppealCursor(corpId: string, filedAt: number, appealId: string): string {
  return encodePageCursor({ corpId, filedAt, appealId });
}

/** The position an appeal cursor names in the corp's lists; InvalidCursorError for anything else. */
function decodeAppealCursor(cursor: string, corpId: string): { filedAt: number; appealId: string } {
  const fields = decodePageCursor(cursor, 1024);
  const { filedAt, appealId } = fields;
  // Another corp's cursor is refused, not read as a position in this corp's list.
  if (
    fields.corpId !== corpId ||
    !Number.isSafeInteger(filedAt) ||
    typeof appealId !== 'string' ||
    !APPEAL_ID.test(appealId)
  ) {
    throw new InvalidCursorError();
  }
  return { filedAt: filedAt as number, appealId };
}
