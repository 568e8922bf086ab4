import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import type {
  AppealOwner,
  AppealPage,
  AppealPageRequest,
  AppealStatus,
  AuditEntry,
  AuditPage,
  AuditPageRequest,
  Case,
  CasePage,
  CasePageRequest,
  CaseStatus,
  CorpAppeal,
  Decision,
  MemberAppeal,
  Standing,
  StandingPage,
  StandingPageRequest,
  StateReader,
  Violation,
  ViolationPage,
  ViolationPageRequest,
} from '../domain/index.js';
import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor.js';
import { DynamoDbAppealReader } from './dynamodb-appeal-reader.js';
import { DynamoDbCaseReader } from './dynamodb-case-reader.js';
import { DynamoDbStandingReader } from './dynamodb-standing-reader.js';
import { AUDIT_PREFIX, storeKeys, toKey, VIOLATION_PREFIX } from './penalty-table.js';
import { queryAll } from './query-all.js';
import { decodeCursor, encodeCursor } from './violation-cursor.js';

/** Options of the DynamoDB state reader. */
export interface DynamoDbStateReaderOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/**
 * What the admin API reads on the penalty table besides the states (which the store loads):
 * a member's violation records a page at a time, newest first, an appeal's owner, and cases.
 */
export class DynamoDbStateReader implements Omit<StateReader, 'load' | 'member'> {
  readonly #options: DynamoDbStateReaderOptions;
  readonly #cases: DynamoDbCaseReader;
  readonly #standings: DynamoDbStandingReader;
  readonly #appeals: DynamoDbAppealReader;

  constructor(options: DynamoDbStateReaderOptions) {
    this.#options = options;
    this.#cases = new DynamoDbCaseReader(options);
    this.#standings = new DynamoDbStandingReader(options);
    this.#appeals = new DynamoDbAppealReader(options);
  }

  appeals(corpId: string, status: AppealStatus, page: AppealPageRequest): Promise<AppealPage> {
    return this.#appeals.appeals(corpId, status, page);
  }

  membersByStanding(corpId: string, standing: Standing, page: StandingPageRequest): Promise<StandingPage> {
    return this.#standings.membersByStanding(corpId, standing, page);
  }

  cases(corpId: string, status: CaseStatus, page: CasePageRequest): Promise<CasePage> {
    return this.#cases.cases(corpId, status, page);
  }

  case(caseId: string): Promise<Case | null> {
    return this.#cases.case(caseId);
  }

  async violations(corpId: string, userId: string, page: ViolationPageRequest): Promise<ViolationPage> {
    const { pk } = storeKeys.member(corpId, userId);
    const after = page.cursor === null ? undefined : decodeCursor(page.cursor);
    const { items, last } = await this.#newestFirst(pk, VIOLATION_PREFIX, page.limit, after);
    return { violations: items.flatMap(violationOf), next: last === undefined ? null : encodeCursor(last) };
  }

  async audit(corpId: string, userId: string, page: AuditPageRequest): Promise<AuditPage> {
    const { pk } = storeKeys.member(corpId, userId);
    const after = page.cursor === null ? undefined : decodeAuditCursor(pk, page.cursor);
    const { items, last } = await this.#newestFirst(pk, AUDIT_PREFIX, page.limit, after);
    return {
      entries: items.flatMap(auditEntryOf),
      next: last === undefined ? null : encodeAuditCursor(pk, last),
    };
  }

  /**
   * A page of a member's records of one kind (sort-key prefix), newest first, after the sort key
   * `after`: the items, and the sort key of the last one when more follow (one more than the page is
   * asked for, so that it is undefined exactly when nothing follows).
   */
  async #newestFirst(
    pk: string,
    prefix: string,
    limit: number,
    after: string | undefined,
  ): Promise<{ items: Record<string, AttributeValue>[]; last: string | undefined }> {
    const { client, tableName } = this.#options;
    const result = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': { S: pk }, ':prefix': { S: prefix } },
        ScanIndexForward: false,
        Limit: limit + 1,
        ConsistentRead: true,
        ...(after === undefined ? {} : { ExclusiveStartKey: { pk: { S: pk }, sk: { S: after } } }),
      }),
    );
    const items = (result.Items ?? []).slice(0, limit);
    const more = (result.Items ?? []).length > limit;
    return { items, last: more ? items.at(-1)?.sk?.S : undefined };
  }

  async violation(corpId: string, userId: string, violationId: string): Promise<Violation | null> {
    // Records are keyed by time; one by its id is a filtered read of the member's (a rare need:
    // a report's retry).
    const items = await queryAll(this.#options.client, this.#options.tableName, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: 'violationId = :id',
      ExpressionAttributeValues: {
        ':pk': { S: storeKeys.member(corpId, userId).pk },
        ':prefix': { S: VIOLATION_PREFIX },
        ':id': { S: violationId },
      },
      ConsistentRead: true,
    });
    return items.flatMap(violationOf)[0] ?? null;
  }

  async appealOwner(appealId: string): Promise<AppealOwner | null> {
    const { client, tableName } = this.#options;
    const result = await client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: toKey(storeKeys.appeal(appealId)),
        ConsistentRead: true,
      }),
    );
    const corpId = result.Item?.corpId?.S;
    if (!corpId) return null;
    const appeal = result.Item?.appeal?.S;
    return {
      corpId,
      userId: result.Item?.userId?.S ?? null,
      appeal: appeal ? (JSON.parse(appeal) as MemberAppeal | CorpAppeal) : null,
    };
  }
}

/** An audit entry as stored: the decision as JSON, at the time its sort key carries. */
function auditEntryOf(item: Record<string, AttributeValue>): AuditEntry[] {
  const entry = item.entry?.S;
  const at = Number(item.sk?.S?.slice(AUDIT_PREFIX.length, AUDIT_PREFIX.length + 15));
  return entry && Number.isSafeInteger(at) ? [{ at, decision: JSON.parse(entry) as Decision }] : [];
}

/** The statuses a violation record is read back with, besides `standing` (which older records leave unset). */
const READ_STATUSES: ReadonlySet<string> = new Set(['void', 'pending', 'shadow']);

/**
 * A violation record as stored, with its status: void once an appeal or a reviewer voided it,
 * pending while its case is undecided, shadow for what would have applied; a reviewer's
 * confirmation brings the penalty and strike count it applied.
 */
function violationOf(item: Record<string, AttributeValue>): Violation[] {
  const violation = item.violation?.S;
  if (!violation) return [];
  const record = JSON.parse(violation) as Violation;
  const confirmed = item.confirmed?.S;
  const status = item.status?.S;
  const applied = confirmed ? (JSON.parse(confirmed) as Pick<Violation, 'strikes' | 'penalty'>) : null;
  const read: Violation = applied
    ? { ...record, strikes: applied.strikes, penalty: applied.penalty }
    : record;
  // A confirmed record still says how it was first written (`enforcement: review`): its status says
  // it stands now. Any other standing record leaves the status unset, as it always has.
  const readStatus =
    status !== undefined && READ_STATUSES.has(status)
      ? (status as Violation['status'])
      : applied
        ? 'standing'
        : undefined;
  return [readStatus === undefined ? read : { ...read, status: readStatus }];
}
