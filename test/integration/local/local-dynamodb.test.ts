import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JavaMissingError, type LocalDynamoDb, startLocalDynamoDb } from '../../../local/local-dynamodb.js';
import { createPenaltyTable } from '../../../shared/adapters/penalty-table.js';

const TABLE = 'state';

async function createTable(db: LocalDynamoDb): Promise<void> {
  await createPenaltyTable(db.client, TABLE);
}

describe('DynamoDB Local (in memory)', () => {
  let db: LocalDynamoDb;

  beforeAll(async () => {
    db = await startLocalDynamoDb();
    await createTable(db);
  });

  afterAll(async () => {
    await db?.stop();
  });

  it('keeps a conditional write from overwriting a newer version', async () => {
    // Prepare: version 1 is stored
    const key = { pk: { S: 'CORP#ww1' }, sk: { S: 'MEMBER#zhangsan' } };
    await db.client.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: { ...key, version: { N: '1' } },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );

    // Act: two writers both read version 1; the first wins
    const write = (version: number) =>
      db.client.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: { ...key, version: { N: String(version) }, writer: { S: `w${version}` } },
          ConditionExpression: 'version = :read',
          ExpressionAttributeValues: { ':read': { N: '1' } },
        }),
      );
    await write(2);
    const second = write(2);

    // Assess
    await expect(second).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    const stored = await db.client.send(
      new GetItemCommand({ TableName: TABLE, Key: key, ConsistentRead: true }),
    );
    expect(stored.Item?.version?.N).toBe('2');
  });
});

describe('DynamoDB Local with a data directory', () => {
  it('keeps its tables and items across a restart', async () => {
    // Prepare
    const dataDir = mkdtempSync(join(tmpdir(), 'ddb-'));
    const first = await startLocalDynamoDb({ dataDir });
    const key = { pk: { S: 'CORP#ww1' }, sk: { S: 'CORP' } };
    try {
      await createTable(first);
      await first.client.send(
        new PutItemCommand({ TableName: TABLE, Item: { ...key, version: { N: '7' } } }),
      );
    } finally {
      await first.stop();
    }

    // Act
    const second = await startLocalDynamoDb({ dataDir });
    try {
      const stored = await second.client.send(new GetItemCommand({ TableName: TABLE, Key: key }));

      // Assess
      expect(stored.Item?.version?.N).toBe('7');
    } finally {
      await second.stop();
    }
  });
});

describe('without Java', () => {
  it('says in one line that Java is missing and how to install it', async () => {
    // Prepare: a PATH on which there is no java
    const path = process.env.PATH;
    process.env.PATH = mkdtempSync(join(tmpdir(), 'no-java-'));

    // Act
    const starting = startLocalDynamoDb();

    // Assess
    try {
      await expect(starting).rejects.toBeInstanceOf(JavaMissingError);
      await expect(starting).rejects.toThrow(/^[^\n]*apt-get install -y openjdk-17-jre-headless[^\n]*$/);
    } finally {
      process.env.PATH = path;
    }
  });
});
