import { type AttributeValue, BatchGetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { MemberState, Standing, StandingPage, StandingPageRequest } from '../domain/index.js';
import { InvalidCursorError } from '../errors.js';
import { queryListPage } from './list-page.js';
import { decodeMemberState } from './member-state-codec.js';
import { decodePageCursor, encodePageCursor } from './page-cursor.js';
import { STANDING_INDEX, standingListOf } from './penalty-table.js';

/** Options of the DynamoDB standing reader. */
export interface DynamoDbStandingReaderOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/** The keys of a member state item: what a standing cursor may name. */
const MEMBER_PK = /^MEMBER#[^\p{Cc}]{1,600}$/u;

/**
 * A corp's members of one standing, a page at a time, through the sparse keys-only `standing`
 * index, then their states in one BatchGetItem (the index is eventually consistent on AWS: a member
 * whose standing moved a moment ago may still be listed under the old one for that moment).
 */
export class DynamoDbStandingReader {
  readonly #options: DynamoDbStandingReaderOptions;

  constructor(options: DynamoDbStandingReaderOptions) {
    this.#options = options;
  }

  async membersByStanding(
    corpId: string,
    standing: Standing,
    page: StandingPageRequest,
  ): Promise<StandingPage> {
    const { client, tableName } = this.#options;
    const list = standingListOf(corpId, standing);
    const after = page.cursor === null ? undefined : decodeStandingCursor(page.cursor, corpId);
    const { items: keys, more } = await queryListPage(client, tableName, STANDING_INDEX, list, {
      limit: page.limit,
      after: after && { at: after.at, key: { pk: after.pk, sk: 'STATE' } },
    });
    const states = await this.#states(keys.map((k) => k.pk?.S ?? '').filter((pk) => pk !== ''));
    const last = keys.at(-1);
    const lastAt = Number(last?.[STANDING_INDEX.sortKey]?.N);
    return {
      members: keys.flatMap((k) => {
        const state = states.get(k.pk?.S ?? '');
        return state ? [state] : [];
      }),
      next: more && last?.pk?.S ? encodeStandingCursor(lastAt, last.pk.S) : null,
    };
  }

  /** The member states of these partition keys, by key (up to 200: two BatchGetItem requests at most). */
  async #states(pks: readonly string[]): Promise<Map<string, MemberState>> {
    const { client, tableName } = this.#options;
    const found = new Map<string, MemberState>();
    for (let i = 0; i < pks.length; i += 100) {
      let pending: Record<string, AttributeValue>[] = pks
        .slice(i, i + 100)
        .map((pk) => ({ pk: { S: pk }, sk: { S: 'STATE' } }));
      // What DynamoDB leaves unprocessed is asked for again (a listing is never short of a member).
      for (let attempt = 0; pending.length > 0 && attempt < 5; attempt++) {
        const result = await client.send(
          new BatchGetItemCommand({
            RequestItems: {
              [tableName]: {
                Keys: pending,
                ProjectionExpression: 'pk, #state',
                ExpressionAttributeNames: { '#state': 'state' },
              },
            },
          }),
        );
        for (const item of result.Responses?.[tableName] ?? []) {
          const state = decodeMemberState(item.state);
          if (item.pk?.S && state) found.set(item.pk.S, state);
        }
        pending = result.UnprocessedKeys?.[tableName]?.Keys ?? [];
      }
    }
    return found;
  }
}

/** The cursor after a listed member: its index sort key and partition key. */
function encodeStandingCursor(at: number, pk: string): string {
  return encodePageCursor({ at, pk });
}

/** The position a standing cursor names; InvalidCursorError for anything this reader did not give out. */
function decodeStandingCursor(cursor: string, corpId: string): { at: number; pk: string } {
  const { at, pk } = decodePageCursor(cursor);
  // Only a member of the corp asked for: another corp's cursor is refused, not read into its list.
  if (
    !Number.isSafeInteger(at) ||
    typeof pk !== 'string' ||
    !MEMBER_PK.test(pk) ||
    !pk.startsWith(`MEMBER#${corpId}#`)
  ) {
    throw new InvalidCursorError();
  }
  return { at: at as number, pk };
}
