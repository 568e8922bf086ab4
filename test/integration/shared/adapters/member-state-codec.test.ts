import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDbPenaltyStore } from '../../../../shared/adapters/dynamodb-penalty-store.js';
import { decodeMemberState, encodeMemberState } from '../../../../shared/adapters/member-state-codec.js';
import { storeKeys, toKey } from '../../../../shared/adapters/penalty-table.js';
import { DEFAULT_POLICY_SET } from '../../../../shared/domain/policy.js';
import { evaluateInput } from '../../../../shared/evaluator/evaluate-input.js';
import { testClassifier } from '../../../helpers/domain-classifier.js';
import { aContactAdded, aMessage, MINUTE, T0 } from '../../../helpers/domain-inputs.js';
import { usePenaltyTable } from '../../../helpers/dynamodb.js';
import { itemBytes } from '../../../helpers/dynamodb-item-size.js';
import { RecordingSideEffects } from '../../../helpers/recording-side-effects.js';

const table = usePenaltyTable();

async function stored(corpId: string, userId: string) {
  const { Item } = await table.client.send(
    new GetItemCommand({
      TableName: table.tableName,
      Key: toKey(storeKeys.member(corpId, userId)),
      ConsistentRead: true,
    }),
  );
  return Item;
}

/** A store on the test table, and what evaluateInput needs around it. */
function storeOnTable() {
  const store = new DynamoDbPenaltyStore({ client: table.client, tableName: table.tableName });
  const deps = {
    store,
    effects: new RecordingSideEffects(),
    policies: DEFAULT_POLICY_SET,
    classifier: testClassifier,
  };
  return { store, deps };
}

describe('member state encoding', () => {
  it('stores a state with a history deflated, in a binary attribute that keeps the item under 1 KB', async () => {
    // Prepare: a member with 40 inputs of history (contacts and messages)
    const corpId = 'wwc0ffee00000codec';
    const { store, deps } = storeOnTable();
    for (let i = 0; i < 20; i++) {
      await evaluateInput(aContactAdded({ corpId, userId: 'busy', at: T0 + i * MINUTE }), deps);
      await evaluateInput(
        aMessage({ corpId, userId: 'busy', at: T0 + i * MINUTE + 1000, text: `hello ${i}` }),
        deps,
      );
    }

    // Act
    const item = await stored(corpId, 'busy');
    const { member } = await store.load(corpId, 'busy');

    // Assess: binary, under 1 KB as an item (1 write unit, 2 in a transaction) while its JSON is not
    expect(item?.state?.B).toBeInstanceOf(Uint8Array);
    expect(item?.state?.S).toBeUndefined();
    expect(Buffer.byteLength(JSON.stringify(member))).toBeGreaterThan(1024);
    expect(itemBytes(item ?? {})).toBeLessThan(1024);
    expect(decodeMemberState(item?.state)).toEqual(member);
    expect(member?.version).toBe(40);
  });

  it('loads a state stored before as JSON, and writes it deflated at its next change', async () => {
    // Prepare: a state as the store wrote it before (a string attribute)
    const corpId = 'wwc0ffee00000plain';
    const { store, deps } = storeOnTable();
    await evaluateInput(aContactAdded({ corpId, userId: 'older', at: T0 }), deps);
    const before = decodeMemberState((await stored(corpId, 'older'))?.state);
    await table.client.send(
      new PutItemCommand({
        TableName: table.tableName,
        Item: {
          ...toKey(storeKeys.member(corpId, 'older')),
          version: { N: '1' },
          state: { S: JSON.stringify(before) },
        },
      }),
    );

    // Act
    const loaded = (await store.load(corpId, 'older')).member;
    await evaluateInput(aContactAdded({ corpId, userId: 'older', at: T0 + MINUTE }), deps);

    // Assess
    expect(loaded).toEqual(before);
    const item = await stored(corpId, 'older');
    expect(item?.state?.B).toBeInstanceOf(Uint8Array);
    expect(decodeMemberState(item?.state)?.version).toBe(2);
  });

  it('reads no state from an item without one, and refuses a deflated state that is not one', () => {
    expect(decodeMemberState(undefined)).toBeNull();
    expect(() => decodeMemberState({ B: new Uint8Array([1, 2, 3, 4]) })).toThrow();
    const state = decodeMemberState(encodeMemberState({ corpId: 'c', userId: 'u' } as never));
    expect(state).toEqual({ corpId: 'c', userId: 'u' });
  });
});
