import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_AWS } from '../../../../local/local-queue.js';
import faithfulPolicy from '../../../../policies/wecom-faithful.json' with { type: 'json' };
import { DynamoDbPenaltyStore } from '../../../../shared/adapters/dynamodb-penalty-store.js';
import { parsePolicySet } from '../../../../shared/domain/policy.js';
import { evaluateInput } from '../../../../shared/evaluator/evaluate-input.js';
import { TERMS, testClassifier } from '../../../helpers/domain-classifier.js';
import { aContactAdded, aMessage, MINUTE, T0 } from '../../../helpers/domain-inputs.js';
import { usePenaltyTable } from '../../../helpers/dynamodb.js';
import { RecordingSideEffects } from '../../../helpers/recording-side-effects.js';

const FAITHFUL = parsePolicySet(faithfulPolicy);
const table = usePenaltyTable();

/** A client of its own that records each request's command and the keys a BatchGetItem asks for. */
let counted: DynamoDBClient;
const requests: { command: string; keys: string[] }[] = [];
let store: DynamoDbPenaltyStore;

beforeAll(() => {
  counted = new DynamoDBClient({ ...LOCAL_AWS, endpoint: inject('dynamoDbEndpoint'), maxAttempts: 1 });
  counted.middlewareStack.add(
    (next, context) => (args) => {
      const input = args.input as { RequestItems?: Record<string, { Keys?: { pk?: { S?: string } }[] }> };
      const keys = Object.values(input.RequestItems ?? {}).flatMap((request) =>
        (request.Keys ?? []).map((key) => String(key.pk?.S)),
      );
      requests.push({ command: String(context.commandName).replace(/Command$/, ''), keys });
      return next(args);
    },
    { step: 'initialize', name: 'recordRequests' },
  );
  store = new DynamoDbPenaltyStore({ client: counted, tableName: table.tableName });
});

afterAll(() => counted?.destroy());

describe("the store's member read (the admin API's member views)", () => {
  it("gives the member's state as load does, from one read of the member's item alone", async () => {
    // Prepare: a member with a strike and a contact, so both the member's and the corp's items exist.
    const deps = {
      store,
      effects: new RecordingSideEffects(),
      policies: FAITHFUL,
      classifier: testClassifier,
    };
    await evaluateInput(aContactAdded({ corpId: 'ww-read', userId: 'li', at: T0 }), deps);
    await evaluateInput(
      aMessage({
        corpId: 'ww-read',
        userId: 'li',
        at: T0 + MINUTE,
        text: `please ${TERMS['inducing-sharing']}`,
      }),
      deps,
    );
    const loaded = await store.load('ww-read', 'li');
    requests.length = 0;

    // Act
    const member = await store.member('ww-read', 'li');

    // Assess
    expect(loaded.member?.strikes).toBe(1);
    expect(member).toEqual(loaded.member);
    expect(requests).toEqual([{ command: 'BatchGetItem', keys: [expect.stringContaining('li')] }]);
  });

  it('gives a member it holds nothing for the fresh state load gives', async () => {
    // Act
    const member = await store.member('ww-read', 'nobody');

    // Assess
    expect(member).toEqual((await store.load('ww-read', 'nobody')).member);
    expect(member.strikes).toBe(0);
  });
});
