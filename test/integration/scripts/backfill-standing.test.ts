import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { backfillStanding } from '../../../scripts/backfill-standing.js';
import { DynamoDbPenaltyStore } from '../../../shared/adapters/dynamodb-penalty-store.js';
import { storeKeys, toKey } from '../../../shared/adapters/penalty-table.js';
import { DEFAULT_POLICY_SET } from '../../../shared/domain/policy.js';
import { evaluateInput } from '../../../shared/evaluator/evaluate-input.js';
import { testClassifier } from '../../helpers/domain-classifier.js';
import { aReport, CORP_ID, T0 } from '../../helpers/domain-inputs.js';
import { usePenaltyTable } from '../../helpers/dynamodb.js';
import { RecordingSideEffects } from '../../helpers/recording-side-effects.js';

const table = usePenaltyTable();
const saved = { ...process.env };

beforeEach(() => {
  // The script takes the shell's credentials, as an operator's run would.
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'us-east-1',
  });
});
afterEach(() => {
  process.env = { ...saved };
});

describe('npm run backfill-standing', () => {
  it('lists a member blocked before the upgrade once it has run, and says how many it indexed', async () => {
    // Prepare: a member blocked for good (rule 3) whose state an older version wrote
    const store = new DynamoDbPenaltyStore(table);
    const deps = {
      store,
      effects: new RecordingSideEffects(),
      policies: DEFAULT_POLICY_SET,
      classifier: testClassifier,
    };
    await evaluateInput(aReport('gambling', { userId: 'blocked-long-ago', at: T0 }), deps);
    await table.client.send(
      new UpdateItemCommand({
        TableName: table.tableName,
        Key: toKey(storeKeys.member(CORP_ID, 'blocked-long-ago')),
        UpdateExpression: 'REMOVE standing, standingAt',
      }),
    );
    const before = await store.membersByStanding(CORP_ID, 'blocked', { limit: 10, cursor: null });
    const lines: string[] = [];

    // Act
    const indexed = await backfillStanding(
      ['--table', table.tableName, '--endpoint', inject('dynamoDbEndpoint')],
      (line) => lines.push(line),
    );
    const after = await store.membersByStanding(CORP_ID, 'blocked', { limit: 10, cursor: null });

    // Assess
    expect(before.members).toEqual([]);
    expect(indexed).toBe(1);
    expect(lines).toEqual([`indexed 1 members not in good standing in ${table.tableName}`]);
    expect(after.members.map((m) => m.userId)).toEqual(['blocked-long-ago']);
  });

  it('refuses to run without a table, printing its usage', async () => {
    // Act
    const run = backfillStanding([]);

    // Assess
    await expect(run).rejects.toThrow(/^usage: npm run backfill-standing -- --table <TableName>/);
  });
});
