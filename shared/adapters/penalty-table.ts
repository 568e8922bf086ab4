import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';

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
  /**
   * A corp's counter slot after the first (slot 0 is the corp item): a partition of its own, the
   * slot number first so that no corp id (printable ASCII, `#` included) can make two keys meet.
   */
  corpSlot: (corpId: string, slot: number) => ({ pk: `CORPSLOT#${slot}#${corpId}`, sk: 'STATE' }),
  /** How many counter slots a corp has: an item of its own, never in a transaction, so never busy. */
  corpSlots: (corpId: string) => ({ pk: `CORPSLOTS#${corpId}`, sk: 'STATE' }),
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
 * The `caseList` value of a corp's appeals of one status: appeal items share the cases index rather
 * than have one of their own (CloudFormation adds one index per update, and the standing index is
 * this release's; an index of their own would also be one more to grant and to create locally).
 * The reuse is sound because no appeal list can equal a case list: a case list starts with the corp
 * id, which is printable ASCII (CONTRACT §3), while an appeal list starts with `§` (U+00A7), outside
 * it; and within appeal lists the status (a fixed word without `#`) comes before the corp id, so
 * each (status, corp) has its own value. The case reader never reads an appeal item: it lists one
 * case list value at a time, and appeal items carry no `case` record besides.
 */
export function appealListOf(corpId: string, status: string): string {
  return `\u00a7appeal#${status}#${corpId}`;
}

/**
 * The sparse index of members not in good standing (`standing` = `<corpId>#<standing>`,
 * `standingAt` = when that standing began): a corp's members of one standing, longest first. The
 * member state item carries the two attributes while the member is not in good standing, written in
 * the same Put as the state, so a member back in good standing leaves the index with that write.
 * Keys only: a member's state is written at every input, and projecting it would rewrite the index
 * entry (up to the state's 9 KB) each time, where keys only are written when the standing moves;
 * the rare console list reads the states it names with one BatchGetItem instead.
 */
export const STANDING_INDEX = {
  name: 'standing',
  partitionKey: 'standing',
  sortKey: 'standingAt',
} as const;

/** The `standing` value of a corp's members of one standing. */
export function standingListOf(corpId: string, standing: string): string {
  return `${corpId}#${standing}`;
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

/** The standing index as CreateTable and UpdateTable take it. */
export const STANDING_INDEX_DEFINITION = {
  IndexName: STANDING_INDEX.name,
  KeySchema: [
    { AttributeName: STANDING_INDEX.partitionKey, KeyType: 'HASH' },
    { AttributeName: STANDING_INDEX.sortKey, KeyType: 'RANGE' },
  ],
  Projection: { ProjectionType: 'KEYS_ONLY' },
} as const satisfies GlobalSecondaryIndex;

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
        { AttributeName: STANDING_INDEX.partitionKey, AttributeType: 'S' },
        { AttributeName: STANDING_INDEX.sortKey, AttributeType: 'N' },
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
        STANDING_INDEX_DEFINITION,
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

/**
 * Adds to a table created before them the indexes `createPenaltyTable` now makes (the `standing`
 * index), and waits until they are active: local mode's table under an older DATA_DIR keeps working.
 * Returns the names of the indexes added. (Member states stored before carry no index attributes
 * until their next write: `backfillStandingIndex` gives them theirs.)
 */
export async function addMissingIndexes(client: DynamoDBClient, tableName: string): Promise<string[]> {
  const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const present = new Set((described.Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  if (present.has(STANDING_INDEX.name)) return [];
  await client.send(
    new UpdateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [
        { AttributeName: STANDING_INDEX.partitionKey, AttributeType: 'S' },
        { AttributeName: STANDING_INDEX.sortKey, AttributeType: 'N' },
      ],
      GlobalSecondaryIndexUpdates: [{ Create: STANDING_INDEX_DEFINITION }],
    }),
  );
  for (let attempt = 0; attempt < 100; attempt++) {
    const table = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const index = table.Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === STANDING_INDEX.name);
    if (index?.IndexStatus === 'ACTIVE') return [STANDING_INDEX.name];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`index ${STANDING_INDEX.name} of table ${tableName} did not become active`);
}

/** A table key as DynamoDB attribute values. */
export function toKey(key: { pk: string; sk: string }) {
  return { pk: { S: key.pk }, sk: { S: key.sk } };
}
