import { randomUUID } from 'node:crypto';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_AWS } from '../../../../local/local-queue.js';
import { DynamoDbPenaltyStore } from '../../../../shared/adapters/dynamodb-penalty-store.js';
import { backfillStandingIndex } from '../../../../shared/adapters/list-backfill.js';
import {
  addMissingIndexes,
  CASES_INDEX,
  SWEEP_INDEX,
  storeKeys,
  toKey,
} from '../../../../shared/adapters/penalty-table.js';
import { DEFAULT_POLICY_SET } from '../../../../shared/domain/policy.js';
import { evaluateInput } from '../../../../shared/evaluator/evaluate-input.js';
import { testClassifier } from '../../../helpers/domain-classifier.js';
import { aContactAdded, aReport, CORP_ID, HOUR, T0 } from '../../../helpers/domain-inputs.js';
import { RecordingSideEffects } from '../../../helpers/recording-side-effects.js';

const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: inject('dynamoDbEndpoint'), maxAttempts: 3 });
const tableName = `penalties-old-${randomUUID().slice(0, 8)}`;

afterAll(async () => {
  await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
  client.destroy();
});

/** The table as versions before the standing index created it (local mode's DATA_DIR keeps it). */
async function createOlderTable(): Promise<void> {
  const index = (name: string, hash: string, range: string) => ({
    IndexName: name,
    KeySchema: [
      { AttributeName: hash, KeyType: 'HASH' as const },
      { AttributeName: range, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  });
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: SWEEP_INDEX.partitionKey, AttributeType: 'S' },
        { AttributeName: SWEEP_INDEX.sortKey, AttributeType: 'N' },
        { AttributeName: CASES_INDEX.partitionKey, AttributeType: 'S' },
        { AttributeName: CASES_INDEX.sortKey, AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        index(SWEEP_INDEX.name, SWEEP_INDEX.partitionKey, SWEEP_INDEX.sortKey),
        index(CASES_INDEX.name, CASES_INDEX.partitionKey, CASES_INDEX.sortKey),
      ],
    }),
  );
}

describe('a penalty table made by an older version', () => {
  it('gains the standing index on start, once, and lists members by standing from then on', async () => {
    // Prepare
    await createOlderTable();
    const store = new DynamoDbPenaltyStore({ client, tableName });

    // Act
    const added = await addMissingIndexes(client, tableName);
    const again = await addMissingIndexes(client, tableName);
    await evaluateInput(aReport('harassing-marketing', { userId: 'after-upgrade', at: T0 }), {
      store,
      effects: new RecordingSideEffects(),
      policies: DEFAULT_POLICY_SET,
      classifier: testClassifier,
    });
    const page = await store.membersByStanding(CORP_ID, 'suspended', { limit: 10, cursor: null });

    // Assess
    expect(added).toEqual(['standing']);
    expect(again).toEqual([]);
    const table = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(table.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual([
      'cases',
      'standing',
      'sweep',
    ]);
    expect(page.members.map((m) => m.userId)).toEqual(['after-upgrade']);
  });

  it('backfills the members stored before the index, once, leaving members in good standing out', async () => {
    // Prepare: a suspended member and a good one whose states an older version wrote (no index attributes)
    const store = new DynamoDbPenaltyStore({ client, tableName });
    const deps = {
      store,
      effects: new RecordingSideEffects(),
      policies: DEFAULT_POLICY_SET,
      classifier: testClassifier,
    };
    await evaluateInput(aReport('harassing-marketing', { userId: 'before-upgrade', at: T0 }), deps);
    await evaluateInput(aContactAdded({ userId: 'good', at: T0 }), deps);
    for (const userId of ['before-upgrade', 'after-upgrade']) {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: toKey(storeKeys.member(CORP_ID, userId)),
          UpdateExpression: 'REMOVE standing, standingAt',
        }),
      );
    }
    const before = await store.membersByStanding(CORP_ID, 'suspended', { limit: 10, cursor: null });

    // Act
    const indexed = await backfillStandingIndex(client, tableName, T0 + HOUR);
    const again = await backfillStandingIndex(client, tableName, T0 + HOUR);
    const after = await store.membersByStanding(CORP_ID, 'suspended', { limit: 10, cursor: null });

    // Assess
    expect(before.members).toEqual([]);
    expect([indexed, again]).toEqual([2, 0]);
    expect(after.members.map((m) => m.userId).sort()).toEqual(['after-upgrade', 'before-upgrade']);
  });
});
