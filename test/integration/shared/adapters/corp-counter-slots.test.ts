import {
  type BatchGetItemCommandInput,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { LOCAL_AWS } from '../../../../local/local-queue.js';
import { DynamoDbPenaltyStore } from '../../../../shared/adapters/dynamodb-penalty-store.js';
import { storeKeys, toKey } from '../../../../shared/adapters/penalty-table.js';
import { DEFAULT_POLICY_SET } from '../../../../shared/domain/policy.js';
import { dayOf } from '../../../../shared/domain/zone-rule.js';
import { evaluateInput } from '../../../../shared/evaluator/evaluate-input.js';
import { testClassifier } from '../../../helpers/domain-classifier.js';
import { aContactAdded, MINUTE, T0 } from '../../../helpers/domain-inputs.js';
import { usePenaltyTable } from '../../../helpers/dynamodb.js';
import { RecordingSideEffects } from '../../../helpers/recording-side-effects.js';

const table = usePenaltyTable();
const DAY_OF_T0 = dayOf(T0, DEFAULT_POLICY_SET.base.timeZone);

/** A store on the test table whose slot draws are `draws`, in order (then the last again). */
function storeDrawing(draws: readonly number[], client = table.client) {
  let next = 0;
  const random = () => draws[Math.min(next++, draws.length - 1)] as number;
  return new DynamoDbPenaltyStore({ client, tableName: table.tableName, random });
}

function depsOf(store: DynamoDbPenaltyStore) {
  return {
    store,
    effects: new RecordingSideEffects(),
    policies: DEFAULT_POLICY_SET,
    classifier: testClassifier,
  };
}

async function item(key: { pk: string; sk: string }) {
  const { Item } = await table.client.send(
    new GetItemCommand({ TableName: table.tableName, Key: toKey(key), ConsistentRead: true }),
  );
  return Item;
}

/** The day's add counter an item holds (undefined for none). */
async function addsOn(key: { pk: string; sk: string }): Promise<number | undefined> {
  const n = (await item(key))?.[`n_a_${DAY_OF_T0}`]?.N;
  return n === undefined ? undefined : Number(n);
}

describe('corp counter slots', () => {
  it('loads a corp item stored before slots as it was, counts on in its first counter slot, and sums both', async () => {
    // Prepare: a corp item as the layout before slots left it: counters, top adder and list on it
    const corpId = 'wwc0ffee0000legacy';
    await table.client.send(
      new PutItemCommand({
        TableName: table.tableName,
        Item: {
          ...toKey(storeKeys.corp(corpId)),
          [`n_a_${DAY_OF_T0}`]: { N: '3' },
          [`n_f_${DAY_OF_T0}`]: { N: '1' },
          topDay: { N: String(DAY_OF_T0) },
          topCount: { N: '3' },
          topUser: { S: 'early' },
          addsDay: { N: String(DAY_OF_T0) },
          addsTop: { M: { early: { N: '3' } } },
        },
      }),
    );
    const store = storeDrawing([0.7]);
    const before = (await store.load(corpId, null)).corp;

    // Act
    await evaluateInput(aContactAdded({ corpId, userId: 'later', at: T0 + MINUTE }), depsOf(store));

    // Assess: loaded as stored; the add counted on the first counter slot (the corp item, with its
    // decisions, is not written), no slots item written
    expect(before).toMatchObject({
      daily: [DAY_OF_T0, 3],
      negativeFeedback: [DAY_OF_T0, 1],
      addsToday: {
        day: DAY_OF_T0,
        total: 3,
        topUserId: 'early',
        topCount: 3,
        members: [{ userId: 'early', count: 3 }],
      },
    });
    expect(await addsOn(storeKeys.corp(corpId))).toBe(3);
    expect(await addsOn(storeKeys.corpSlot(corpId, 1))).toBe(1);
    expect(await item(storeKeys.corpSlots(corpId))).toBeUndefined();
    const { corp } = await store.load(corpId, null);
    expect(corp.addsToday.total).toBe(4);
    expect(corp.addsToday.members).toEqual([
      { userId: 'early', count: 3 },
      { userId: 'later', count: 1 },
    ]);
  });

  it('spreads a corp whose evaluators met on its counter slot: twice the slots, another slot, and loads that sum them', async () => {
    // Prepare: a client on which the first transaction writing the first counter slot meets another (as
    // DynamoDB cancels it), recording each BatchGetItem's consistency
    const corpId = 'wwc0ffee000spread';
    const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: inject('dynamoDbEndpoint'), maxAttempts: 3 });
    const reads: boolean[] = [];
    let met = false;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'BatchGetItemCommand') {
          const input = args.input as BatchGetItemCommandInput;
          reads.push(input.RequestItems?.[table.tableName]?.ConsistentRead === true);
        }
        const items = (args.input as TransactWriteItemsCommandInput).TransactItems;
        const corpPk = storeKeys.corpSlot(corpId, 1).pk;
        if (!met && items?.some((i) => i.Update?.Key?.pk?.S === corpPk)) {
          met = true;
          throw new TransactionCanceledException({
            message: 'Transaction cancelled',
            $metadata: {},
            CancellationReasons: items.map((i) =>
              i.Update?.Key?.pk?.S === corpPk ? { Code: 'TransactionConflict' } : { Code: 'None' },
            ),
          });
        }
        return next(args);
      },
      { step: 'initialize', name: 'meetOnTheCorpItem' },
    );
    // Its first slot is 1; drawn again after the conflict, 0.99 (slot 2 of 2)
    const first = storeDrawing([0, 0.99], client);
    const second = storeDrawing([0], client);

    // Act: one add through the store that meets the conflict, then two through one on slot 1
    await evaluateInput(aContactAdded({ corpId, userId: 'first', at: T0 }), depsOf(first));
    await evaluateInput(aContactAdded({ corpId, userId: 'second', at: T0 + MINUTE }), depsOf(second));
    await evaluateInput(aContactAdded({ corpId, userId: 'second', at: T0 + 2 * MINUTE }), depsOf(second));

    // Assess: two slots; the first add on slot 2, the others on slot 1, none on the corp item; a load
    // sums them, and reads slot 2 eventually consistent after the consistent read of the rest
    expect((await item(storeKeys.corpSlots(corpId)))?.shards?.N).toBe('2');
    expect(await addsOn(storeKeys.corpSlot(corpId, 2))).toBe(1);
    expect(await addsOn(storeKeys.corpSlot(corpId, 1))).toBe(2);
    expect(await addsOn(storeKeys.corp(corpId))).toBeUndefined();
    reads.length = 0;
    const { corp } = await first.load(corpId, null);
    expect(corp.addsToday).toMatchObject({
      total: 3,
      topUserId: 'second',
      topCount: 2,
      members: [
        { userId: 'second', count: 2 },
        { userId: 'first', count: 1 },
      ],
    });
    expect(reads).toEqual([true, false]);
    client.destroy();
  });
});
