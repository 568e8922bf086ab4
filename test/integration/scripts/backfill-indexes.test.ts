import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { backfillIndexes } from '../../../scripts/backfill-indexes.js';
import { DynamoDbPenaltyStore } from '../../../shared/adapters/dynamodb-penalty-store.js';
import { storeKeys, toKey } from '../../../shared/adapters/penalty-table.js';
import { DEFAULT_POLICY_SET } from '../../../shared/domain/policy.js';
import { evaluateInput } from '../../../shared/evaluator/evaluate-input.js';
import { testClassifier } from '../../helpers/domain-classifier.js';
import { anAppeal, aReport, CORP_ID, HOUR, T0 } from '../../helpers/domain-inputs.js';
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

/** Takes the list attributes off an item, as a version before the console's lists stored it. */
function unlist(key: { pk: string; sk: string }, attributes: string): Promise<unknown> {
  return table.client.send(
    new UpdateItemCommand({
      TableName: table.tableName,
      Key: toKey(key),
      UpdateExpression: `REMOVE ${attributes}`,
    }),
  );
}

describe('npm run backfill-indexes', () => {
  it('lists a member blocked and the appeal filed before the upgrade once it has run, and says how many', async () => {
    // Prepare: a member blocked for good (rule 3) who appealed, stored by an older version
    const store = new DynamoDbPenaltyStore(table);
    const deps = {
      store,
      effects: new RecordingSideEffects(),
      policies: DEFAULT_POLICY_SET,
      classifier: testClassifier,
    };
    await evaluateInput(aReport('gambling', { userId: 'blocked-long-ago', at: T0 }), deps);
    const appeal = anAppeal({ userId: 'blocked-long-ago', at: T0 + HOUR });
    await evaluateInput(appeal, deps);
    await unlist(storeKeys.member(CORP_ID, 'blocked-long-ago'), 'standing, standingAt');
    await unlist(storeKeys.appeal(appeal.id), 'caseList, caseAt');
    const page = { limit: 10, cursor: null };
    const before = await Promise.all([
      store.membersByStanding(CORP_ID, 'blocked', page),
      store.appeals(CORP_ID, 'open', page),
    ]);
    const lines: string[] = [];

    // Act
    const listed = await backfillIndexes(
      ['--table', table.tableName, '--endpoint', inject('dynamoDbEndpoint')],
      (line) => lines.push(line),
    );
    const again = await backfillIndexes(
      ['--table', table.tableName, '--endpoint', inject('dynamoDbEndpoint')],
      () => {},
    );
    const [members, appeals] = await Promise.all([
      store.membersByStanding(CORP_ID, 'blocked', page),
      store.appeals(CORP_ID, 'open', page),
    ]);

    // Assess
    expect(before.map((p) => ('members' in p ? p.members : p.appeals))).toEqual([[], []]);
    expect([listed, again]).toEqual([
      { members: 1, appeals: 1 },
      { members: 0, appeals: 0 },
    ]);
    expect(lines).toEqual([`listed 1 members not in good standing and 1 appeals in ${table.tableName}`]);
    expect(members.members.map((m) => m.userId)).toEqual(['blocked-long-ago']);
    expect(appeals.appeals.map((a) => [a.userId, a.appeal.id, a.appeal.status])).toEqual([
      ['blocked-long-ago', appeal.id, 'open'],
    ]);
  });

  it('refuses to run without a table, printing its usage', async () => {
    // Act
    const run = backfillIndexes([]);

    // Assess
    await expect(run).rejects.toThrow(/^usage: npm run backfill-indexes -- --table <TableName>/);
  });
});
