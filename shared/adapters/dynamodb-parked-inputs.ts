import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { Decision, ParkedInput, ParkedInputs, ParkedResolution, ParkedStatus } from '../domain/index.js';
import { storeKeys } from './penalty-table.js';

/** Options of {@link DynamoDbParkedInputs}. */
export interface DynamoDbParkedInputsOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/**
 * Parked inputs are rare (an input that fails five times over is a bug or an outage), so one
 * partition holds them all, sorted by id; a resolved one stays 90 days as a record, then expires.
 */
const PARKED_PK = 'PARKED';
const RESOLVED_TTL_SECONDS = 90 * 24 * 3600;

/** Parked inputs in the penalty table: `PARKED` / `<id>`, with an audit entry on the member when resolved. */
export class DynamoDbParkedInputs implements ParkedInputs {
  readonly #options: DynamoDbParkedInputsOptions;

  constructor(options: DynamoDbParkedInputsOptions) {
    this.#options = options;
  }

  async park(input: Omit<ParkedInput, 'status' | 'resolution'>): Promise<void> {
    try {
      await this.#options.client.send(
        new PutItemCommand({
          TableName: this.#options.tableName,
          Item: {
            ...key(input.id),
            id: { S: input.id },
            corpId: { S: input.corpId },
            ...(input.userId === null ? {} : { userId: { S: input.userId } }),
            inputId: { S: input.inputId },
            inputType: { S: input.inputType },
            body: { S: input.body },
            reason: { S: input.reason },
            receives: { N: String(input.receives) },
            at: { N: String(input.at) },
            status: { S: 'parked' },
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      // Parked already (a redelivery of the same input): one item, as it was.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async list(limit: number): Promise<ParkedInput[]> {
    const found: ParkedInput[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.#options.client.send(
        new QueryCommand({
          TableName: this.#options.tableName,
          KeyConditionExpression: 'pk = :pk',
          FilterExpression: '#status = :parked',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':pk': { S: PARKED_PK }, ':parked': { S: 'parked' } },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      found.push(...(page.Items ?? []).map(parkedOf));
      start = page.LastEvaluatedKey;
    } while (start && found.length < limit);
    return found.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id)).slice(0, limit);
  }

  async get(id: string): Promise<ParkedInput | null> {
    const { Item } = await this.#options.client.send(
      new GetItemCommand({ TableName: this.#options.tableName, Key: key(id), ConsistentRead: true }),
    );
    return Item ? parkedOf(Item) : null;
  }

  async failedAgain(id: string, reason: string, at: number): Promise<void> {
    await this.#options.client.send(
      new UpdateItemCommand({
        TableName: this.#options.tableName,
        Key: key(id),
        UpdateExpression: 'SET reason = :reason, failedAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':reason': { S: reason }, ':at': { N: String(at) } },
      }),
    );
  }

  async resolve(
    id: string,
    status: Exclude<ParkedStatus, 'parked'>,
    resolution: ParkedResolution,
  ): Promise<boolean> {
    const parked = await this.get(id);
    if (!parked || parked.status !== 'parked') return false;
    const update = {
      Update: {
        TableName: this.#options.tableName,
        Key: key(id),
        UpdateExpression: 'SET #status = :status, resolution = :resolution, expiresAt = :expires',
        ConditionExpression: '#status = :parked',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': { S: status },
          ':parked': { S: 'parked' },
          ':resolution': {
            S: JSON.stringify({ at: resolution.at, by: resolution.by, note: resolution.note }),
          },
          ':expires': { N: String(Math.floor(resolution.at / 1000) + RESOLVED_TTL_SECONDS) },
        },
      },
    };
    const audit = auditEntry(parked, status, resolution);
    try {
      await this.#options.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            update,
            ...(audit ? [{ Put: { TableName: this.#options.tableName, Item: audit } }] : []),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }
}

function key(id: string): Record<string, AttributeValue> {
  return { pk: { S: PARKED_PK }, sk: { S: id } };
}

/** The member's audit entry of a person's decision on a parked input (none for a corp's input). */
function auditEntry(
  parked: ParkedInput,
  status: Exclude<ParkedStatus, 'parked'>,
  resolution: ParkedResolution,
): Record<string, AttributeValue> | null {
  if (parked.userId === null) return null;
  const entry: Decision = {
    type: 'audit',
    subject: { kind: 'member', corpId: parked.corpId, userId: parked.userId },
    at: resolution.at,
    change: `parked input ${parked.inputId} (${parked.inputType}) ${status} by ${resolution.by}${
      resolution.note === '' ? '' : `: ${resolution.note}`
    }`,
    cause: { kind: 'parked-input', id: parked.id, inputId: parked.inputId },
    policyVersion: resolution.policyVersion ?? '',
  };
  const audit = storeKeys.audit(
    storeKeys.member(parked.corpId, parked.userId).pk,
    resolution.at,
    `parked-${parked.id}`,
    0,
  );
  return { pk: { S: audit.pk }, sk: { S: audit.sk }, entry: { S: JSON.stringify(entry) } };
}

function parkedOf(item: Record<string, AttributeValue>): ParkedInput {
  const resolution = item.resolution?.S;
  return {
    id: item.id?.S ?? '',
    corpId: item.corpId?.S ?? '',
    userId: item.userId?.S ?? null,
    inputId: item.inputId?.S ?? '',
    inputType: item.inputType?.S ?? '',
    body: item.body?.S ?? '',
    reason: item.reason?.S ?? '',
    receives: Number(item.receives?.N ?? '0'),
    at: Number(item.at?.N ?? '0'),
    status: (item.status?.S ?? 'parked') as ParkedStatus,
    ...(resolution ? { resolution: JSON.parse(resolution) as ParkedInput['resolution'] & object } : {}),
  };
}
