import { CreateTableCommand, type DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';

/**
 * Sort-key prefix of violation records. (Records written before they were kept by time, under
 * `VIOLATION#<id>`, are not listed.)
 */
export const VIOLATION_PREFIX = 'VIOLATION-AT#';
/** The sort key of a violation record (what a page cursor may name). */
export const VIOLATION_SORT_KEY = /^VIOLATION-AT#\d{15}#[^\p{Cc}]{1,256}$/u;

/** Sort-key prefix of audit entries (a member's or a corp's, under its own partition). */
export const AUDIT_PREFIX = 'AUDIT#';
/** The sort key of an audit entry: its time, the input's id and the entry's index in the input. */
export const AUDIT_SORT_KEY = /^AUDIT#\d{15}#[^\p{Cc}]{1,300}#\d{1,4}$/u;

/** Keys of the single table: member and corp state, violations, audit entries, input markers. */
export const storeKeys = {
  member: (corpId: string, userId: string) => ({ pk: `MEMBER#${corpId}#${userId}`, sk: 'STATE' }),
  corp: (corpId: string) => ({ pk: `CORP#${corpId}`, sk: 'STATE' }),
  /** A violation record, under its time so that a member's are read newest first a page at a time. */
  violation: (corpId: string, userId: string, at: number, violationId: string) => ({
    pk: `MEMBER#${corpId}#${userId}`,
    sk: `${VIOLATION_PREFIX}${String(at).padStart(15, '0')}#${violationId}`,
  }),
  audit: (pk: string, at: number, inputId: string, index: number) => ({
    pk,
    sk: `${AUDIT_PREFIX}${String(at).padStart(15, '0')}#${inputId}#${index}`,
  }),
  input: (corpId: string, inputId: string) => ({ pk: `INPUT#${corpId}#${inputId}`, sk: 'INPUT' }),
  /** Where an appeal is found by its id alone: the corp and member it belongs to. */
  appeal: (appealId: string) => ({ pk: `APPEAL#${appealId}`, sk: 'APPEAL' }),
  /** A reviewer's case, found by its id; listed per corp and status through CASES_INDEX. */
  case: (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CASE' }),
} as const;

/**
 * The sparse index of cases (`caseList` = `<corpId>#<status>`, `caseAt` = when opened): a corp's
 * cases of one status, oldest first. A status change rewrites `caseList`, so the case moves list.
 */
export const CASES_INDEX = {
  name: 'cases',
  partitionKey: 'caseList',
  sortKey: 'caseAt',
} as const;

/** The `caseList` value of a corp's cases of one status. */
export function caseListOf(corpId: string, status: string): string {
  return `${corpId}#${status}`;
}

/**
 * The sparse index the sweep reads (`sweep`, `sweepAt`): member states with a timer pending, by the
 * time it is due, and input markers whose side effects are still pending, by their commit time,
 * each spread over shards (`TIMER#<n>`, `OUTBOX#<n>`, see sweep-partition.ts).
 */
export const SWEEP_INDEX = {
  name: 'sweep',
  partitionKey: 'sweep',
  sortKey: 'sweepAt',
} as const;

/** Creates the table as the stateful stack defines it (for local mode and tests). */
export async function createPenaltyTable(client: DynamoDBClient, tableName: string): Promise<void> {
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
            { AttributeName: CASES_INDEX.partitionKey, KeyType: 'HASH' },
            { AttributeName: CASES_INDEX.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    }),
  );
}

/** A table key as DynamoDB attribute values. */
export function toKey(key: { pk: string; sk: string }) {
  return { pk: { S: key.pk }, sk: { S: key.sk } };
}
