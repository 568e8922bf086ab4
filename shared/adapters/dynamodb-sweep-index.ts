import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SweepIndex } from '../domain/index.js';
import { SWEEP_INDEX } from './penalty-table.js';
import { queryAll } from './query-all.js';
import { SWEEP_KINDS, type SweepKind, sweepPartitions } from './sweep-partition.js';

/** Options of the DynamoDB sweep index. */
export interface DynamoDbSweepIndexOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Most items per page of a sweep index query (default: DynamoDB's 1 MB page; small in tests). */
  readonly sweepPageSize?: number;
}

/**
 * What the periodic sweep finds on the penalty table's sparse index (SWEEP_INDEX): members with a
 * timer due and inputs whose side effects are still pending, each kind spread over shards.
 */
export class DynamoDbSweepIndex implements SweepIndex {
  readonly #options: DynamoDbSweepIndexOptions;

  constructor(options: DynamoDbSweepIndexOptions) {
    this.#options = options;
  }

  async dueMembers(at: number, limit: number): Promise<{ corpId: string; userId: string }[]> {
    const items = await this.#querySweep(SWEEP_KINDS.timers, at, limit);
    return items.flatMap((item) => {
      const pk = item.pk?.S ?? '';
      // MEMBER#<corpId>#<userId>: a corp id (ww + hex) has no '#', a user id may.
      const match = /^MEMBER#([^#]+)#(.+)$/s.exec(pk);
      return match?.[1] && match[2] ? [{ corpId: match[1], userId: match[2] }] : [];
    });
  }

  async pendingEffectsBefore(before: number, limit: number): Promise<{ corpId: string; inputId: string }[]> {
    const items = await this.#querySweep(SWEEP_KINDS.outbox, before, limit);
    return items.flatMap((item) => {
      const match = /^INPUT#([^#]+)#(.+)$/s.exec(item.pk?.S ?? '');
      return match?.[1] && match[2] ? [{ corpId: match[1], inputId: match[2] }] : [];
    });
  }

  /**
   * The `limit` earliest items of a kind due at or before `upTo`: every shard (and the legacy
   * unsharded partition) queried in parallel, each page after page up to `limit`, then merged.
   */
  async #querySweep(kind: SweepKind, upTo: number, limit: number): Promise<Record<string, AttributeValue>[]> {
    const shards = await Promise.all(
      sweepPartitions(kind).map((partition) =>
        queryAll(
          this.#options.client,
          this.#options.tableName,
          {
            IndexName: SWEEP_INDEX.name,
            KeyConditionExpression: '#p = :p AND #s <= :upTo',
            ExpressionAttributeNames: { '#p': SWEEP_INDEX.partitionKey, '#s': SWEEP_INDEX.sortKey },
            ExpressionAttributeValues: { ':p': { S: partition }, ':upTo': { N: String(upTo) } },
          },
          limit,
          this.#options.sweepPageSize,
        ),
      ),
    );
    const sweepAt = (item: Record<string, AttributeValue>) => Number(item[SWEEP_INDEX.sortKey]?.N ?? 0);
    return shards
      .flat()
      .sort((a, b) => sweepAt(a) - sweepAt(b))
      .slice(0, limit);
  }
}
