import type {
  CreateTableCommandInput,
  DynamoDBClient,
  UpdateTimeToLiveCommandInput,
} from '@aws-sdk/client-dynamodb';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { StateStack, TTL_ATTRIBUTE } from '../../../../infra/stacks/state-stack.js';
import {
  CASES_INDEX,
  createPenaltyTable,
  STANDING_INDEX,
  SWEEP_INDEX,
} from '../../../../shared/adapters/penalty-table.js';
import { testAppContext } from '../test-app-context.js';

interface TableResource {
  readonly Type: string;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly Properties: Record<string, unknown> & {
    readonly Replicas: readonly Record<string, unknown>[];
  };
}

/** What `createPenaltyTable` (local mode and the DynamoDB Local tests) sends, recorded by a fake client. */
async function localTableDefinition(): Promise<{
  create: CreateTableCommandInput;
  ttl: UpdateTimeToLiveCommandInput;
}> {
  const inputs: unknown[] = [];
  const client = {
    send: async (command: { input: unknown }) => {
      inputs.push(command.input);
      return {};
    },
  } as unknown as DynamoDBClient;
  await createPenaltyTable(client, 'penalties');
  const [create, ttl] = inputs as [CreateTableCommandInput, UpdateTimeToLiveCommandInput];
  return { create, ttl };
}

const byName = (a: { AttributeName?: string }, b: { AttributeName?: string }): number =>
  String(a.AttributeName).localeCompare(String(b.AttributeName));

describe('StateStack', () => {
  let stack: StateStack;
  let template: Template;
  let table: TableResource;

  beforeAll(() => {
    // Prepare
    const app = new App({ context: testAppContext({ bundle: false }) });

    // Act
    stack = new StateStack(new Stack(app, 'TestParent'), 'State');
    template = Template.fromStack(stack);
    const tables = Object.values(template.findResources('AWS::DynamoDB::GlobalTable'));
    expect(tables).toHaveLength(1);
    table = tables[0] as TableResource;
  });

  it('holds the one penalty table and nothing else', () => {
    // Assess
    expect(Object.values(template.toJSON().Resources).map((r) => (r as { Type: string }).Type)).toEqual([
      'AWS::DynamoDB::GlobalTable',
    ]);
  });

  it('keys the table on pk and sk (strings) with on-demand billing, as createPenaltyTable does', async () => {
    // Prepare
    const { create } = await localTableDefinition();

    // Assess
    expect(table.Properties.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(table.Properties.KeySchema).toEqual(create.KeySchema);
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.Properties.BillingMode).toBe(create.BillingMode);
    expect([...(table.Properties.AttributeDefinitions as { AttributeName: string }[])].sort(byName)).toEqual(
      [...(create.AttributeDefinitions ?? [])].sort(byName),
    );
  });

  it('has the keys-only sweep index (sweep: S, sweepAt: N) and the whole-case cases index (caseList: S, caseAt: N), the keys-only standing index (standing: S, standingAt: N), as createPenaltyTable does', async () => {
    // Prepare
    const { create } = await localTableDefinition();

    // Assess
    expect(table.Properties.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: SWEEP_INDEX.name,
        KeySchema: [
          { AttributeName: SWEEP_INDEX.partitionKey, KeyType: 'HASH' },
          { AttributeName: SWEEP_INDEX.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
      {
        IndexName: CASES_INDEX.name,
        KeySchema: [
          { AttributeName: 'caseList', KeyType: 'HASH' },
          { AttributeName: 'caseAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: STANDING_INDEX.name,
        KeySchema: [
          { AttributeName: 'standing', KeyType: 'HASH' },
          { AttributeName: 'standingAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ]);
    expect(table.Properties.GlobalSecondaryIndexes).toEqual(create.GlobalSecondaryIndexes);
    expect(table.Properties.AttributeDefinitions).toEqual(
      expect.arrayContaining([
        { AttributeName: SWEEP_INDEX.partitionKey, AttributeType: 'S' },
        { AttributeName: SWEEP_INDEX.sortKey, AttributeType: 'N' },
        { AttributeName: 'caseList', AttributeType: 'S' },
        { AttributeName: 'caseAt', AttributeType: 'N' },
        { AttributeName: 'standing', AttributeType: 'S' },
        { AttributeName: 'standingAt', AttributeType: 'N' },
      ]),
    );
  });

  it('expires items on the expiresAt attribute, as createPenaltyTable does', async () => {
    // Prepare
    const { ttl } = await localTableDefinition();

    // Assess
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: TTL_ATTRIBUTE, Enabled: true });
    expect(ttl.TimeToLiveSpecification).toEqual({ AttributeName: TTL_ATTRIBUTE, Enabled: true });
  });

  it('keeps the data: point-in-time recovery, deletion protection, retained on delete and replace', () => {
    // Assess
    expect(table.Properties.Replicas).toHaveLength(1);
    expect(table.Properties.Replicas[0]).toMatchObject({
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
  });

  it('is warmed to take about 2,000 inputs a second from its first day', () => {
    // Assess
    expect(table.Properties.WarmThroughput).toEqual({
      WriteUnitsPerSecond: 20_000,
      ReadUnitsPerSecond: 12_000,
    });
  });

  it('exposes the table to the parent stack', () => {
    // Assess
    expect(stack.resolve(stack.table.tableArn)).toEqual({
      'Fn::GetAtt': [stack.getLogicalId(stack.table.node.defaultChild as CfnElement), 'Arn'],
    });
  });
});
