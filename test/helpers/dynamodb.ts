import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, inject } from 'vitest';
import { LOCAL_AWS } from '../../local/local-queue.js';
import { createPenaltyTable } from '../../shared/adapters/penalty-table.js';

/** A fresh penalty table in the run's shared DynamoDB Local, with the real client. */
export interface TestTable {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/**
 * Creates a penalty table (as the stateful stack defines it) in the DynamoDB Local that the global
 * setup started, for the test file that calls it; dropped after the file's tests.
 */
export function usePenaltyTable(): TestTable {
  const table = {
    client: new DynamoDBClient({ ...LOCAL_AWS, endpoint: inject('dynamoDbEndpoint'), maxAttempts: 3 }),
    tableName: `penalties-${randomUUID().slice(0, 8)}`,
  };
  beforeAll(async () => {
    await createPenaltyTable(table.client, table.tableName);
  });
  afterAll(async () => {
    await table.client.send(new DeleteTableCommand({ TableName: table.tableName })).catch(() => undefined);
    table.client.destroy();
  });
  return table;
}
