import type { TestProject } from 'vitest/node';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../local/local-dynamodb.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Endpoint of the DynamoDB Local that every test file shares (one per test run). */
    dynamoDbEndpoint: string;
  }
}

let db: LocalDynamoDb | undefined;

/** Starts DynamoDB Local once per test run; test files create their own tables in it. */
export async function setup(project: TestProject): Promise<void> {
  db = await startLocalDynamoDb({ startTimeoutMs: 60_000 });
  project.provide('dynamoDbEndpoint', db.endpoint);
}

export async function teardown(): Promise<void> {
  await db?.stop();
}
