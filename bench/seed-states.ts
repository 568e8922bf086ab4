import { BatchWriteItemCommand, type DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { corpWrites } from '../shared/adapters/corp-item.js';
import { storeKeys } from '../shared/adapters/penalty-table.js';
import { statePut } from '../shared/adapters/transaction-items.js';
import { DEFAULT_POLICY_SET, initialCorpState } from '../shared/domain/index.js';
import { InMemoryEngine } from '../test/helpers/in-memory-engine.js';
import { PRECLASSIFIED } from './policy-texts.js';
import type { StreamGenerator } from './stream-generator.js';

/** BatchWriteItem's limit. */
const BATCH_WRITE_ITEMS = 25;

/**
 * Gives a table the states `history` events of `stream` leave, decided in memory (the policy
 * bench's engine) and written as the store writes them, so that what is measured after it reads
 * and rewrites states with a history (the mean member state of a long stream is about 2.4 KB),
 * not fresh ones. Returns the states' mean size in bytes, as stored (the JSON).
 */
export async function seedStates(
  clients: readonly { client: DynamoDBClient; tableName: string }[],
  stream: StreamGenerator,
  history: number,
): Promise<number> {
  const policy = DEFAULT_POLICY_SET.base;
  const engine = new InMemoryEngine({ policy, classifier: PRECLASSIFIED });
  for (let left = history; left > 0; left -= 10_000) engine.run(stream.next(Math.min(left, 10_000)));
  const members = engine.members();
  let bytes = 0;
  for (const { client, tableName } of clients) {
    bytes = 0;
    for (let i = 0; i < members.length; i += BATCH_WRITE_ITEMS) {
      const puts = members.slice(i, i + BATCH_WRITE_ITEMS).map((member) => {
        const put = statePut(
          tableName,
          storeKeys.member(member.corpId, member.userId),
          member,
          0,
          stream.lastAt,
        );
        bytes += Buffer.byteLength(JSON.stringify(member));
        return { PutRequest: { Item: put.Put?.Item ?? {} } };
      });
      let pending = { [tableName]: puts };
      while (Object.keys(pending).length > 0 && (pending[tableName]?.length ?? 0) > 0) {
        const result = await client.send(new BatchWriteItemCommand({ RequestItems: pending }));
        pending = (result.UnprocessedItems ?? {}) as typeof pending;
      }
    }
    for (const corp of engine.corps()) {
      const { items } = corpWrites(tableName, corp.corpId, initialCorpState(corp.corpId), corp, () => 0);
      for (const item of items) if (item.Update) await client.send(new UpdateItemCommand(item.Update));
    }
  }
  return members.length === 0 ? 0 : bytes / members.length;
}
