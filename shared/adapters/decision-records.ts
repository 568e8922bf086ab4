import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { EngineInput, Outcome } from '../domain/index.js';
import { type DecisionRecord, type DecisionStoredAs, routeOf } from '../domain/index.js';
import { appealListOf, CASES_INDEX, caseListOf, storeKeys, toKey } from './penalty-table.js';

/** The status a violation record is stored with: how it took effect. */
const VIOLATION_STATUS = { review: 'pending', shadow: 'shadow' } as const;

/** What a record builder knows besides its decision: the table, the input and its outcome. */
interface RecordContext {
  readonly tableName: string;
  readonly input: EngineInput;
  readonly outcome: Outcome;
  /** The next index of an audit entry of this input (entries of one input differ by it). */
  auditIndex: number;
}

/** Builds the item of one record kind from a decision the routing table stores as that kind, or null for none. */
type RecordBuilder<R extends DecisionRecord> = (
  decision: DecisionStoredAs<R>,
  context: RecordContext,
) => TransactWriteItem | null;

/**
 * One builder per record kind of DECISION_ROUTES. Each takes exactly the decisions routed to its
 * kind, so a decision type routed to a kind whose builder cannot read it fails to compile here.
 */
const RECORD_BUILDERS = {
  violation: ({ violation }, { tableName }) => ({
    Put: {
      TableName: tableName,
      Item: {
        ...toKey(storeKeys.violation(violation.corpId, violation.userId, violation.at, violation.id)),
        violationId: { S: violation.id },
        at: { N: String(violation.at) },
        status: { S: violation.enforcement ? VIOLATION_STATUS[violation.enforcement] : 'standing' },
        violation: { S: JSON.stringify(violation) },
      },
    },
  }),
  // A reviewer's confirmation stands the pending record, with the penalty and strike count it brought.
  'violation-confirm': (decision, context) =>
    markViolation(context, decision, 'standing', {
      confirmed: JSON.stringify({
        strikes: decision.strikes,
        penalty: decision.penalty,
        cause: decision.cause,
      }),
    }),
  case: ({ case: c }, { tableName }) => ({
    Put: {
      TableName: tableName,
      Item: {
        ...toKey(storeKeys.case(c.id)),
        corpId: { S: c.corpId },
        userId: { S: c.userId },
        status: { S: c.status },
        caseList: { S: caseListOf(c.corpId, c.status) },
        caseAt: { N: String(c.openedAt) },
        case: { S: JSON.stringify(c) },
      },
    },
  }),
  // A decided or overdue case moves to its status's list; a decision is kept beside the case.
  'case-status': (decision, { tableName }) => {
    const status = decision.type === 'case.decided' ? decision.status : 'expired';
    return {
      Update: {
        TableName: tableName,
        Key: toKey(storeKeys.case(decision.caseId)),
        UpdateExpression:
          decision.type === 'case.decided'
            ? 'SET #status = :status, caseList = :list, decision = :decision'
            : 'SET #status = :status, caseList = :list',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': { S: status },
          ':list': { S: caseListOf(decision.corpId, status) },
          ...(decision.type === 'case.decided'
            ? { ':decision': { S: JSON.stringify(decision.decision) } }
            : {}),
        },
      },
    };
  },
  'violation-void': (decision, context) =>
    markViolation(context, decision, 'void', { voidedBy: JSON.stringify(decision.cause) }),
  'appeal-owner': (decision, { tableName, outcome }) => {
    const { subject } = decision;
    const appeal =
      subject.kind === 'member'
        ? outcome.member?.appeals.find((a) => a.id === decision.appealId)
        : outcome.corp.appeals.find((a) => a.id === decision.appealId);
    return {
      Put: {
        TableName: tableName,
        Item: {
          ...toKey(storeKeys.appeal(decision.appealId)),
          corpId: { S: subject.corpId },
          ...(subject.kind === 'member' ? { userId: { S: subject.userId } } : {}),
          status: { S: decision.status },
          ...(appeal
            ? {
                appeal: { S: JSON.stringify(appeal) },
                // Listed per corp and status, oldest filed first, through the cases index.
                [CASES_INDEX.partitionKey]: { S: appealListOf(subject.corpId, decision.status) },
                [CASES_INDEX.sortKey]: { N: String(appeal.filedAt) },
              }
            : {}),
        },
      },
    };
  },
  audit: (decision, context) => {
    const { subject } = decision;
    const pk =
      subject.kind === 'member'
        ? storeKeys.member(subject.corpId, subject.userId).pk
        : storeKeys.corp(subject.corpId).pk;
    const { input } = context;
    return {
      Put: {
        TableName: context.tableName,
        Item: {
          ...toKey(storeKeys.audit(pk, input.at, input.id, context.auditIndex++)),
          entry: { S: JSON.stringify(decision) },
        },
      },
    };
  },
} satisfies { [R in DecisionRecord]: RecordBuilder<R> };

/**
 * The update of a member's violation record to `status`, with attributes of its own beside it (who
 * confirmed or voided it). A violation is marked only on a member's state: without one, null.
 */
function markViolation(
  { tableName, input, outcome }: RecordContext,
  violation: { readonly violationId: string; readonly violationAt: number },
  status: 'standing' | 'void',
  attributes: Readonly<Record<string, string>>,
): TransactWriteItem | null {
  if (!outcome.member) return null;
  const names = Object.keys(attributes);
  return {
    Update: {
      TableName: tableName,
      Key: toKey(
        storeKeys.violation(
          input.corpId,
          outcome.member.userId,
          violation.violationAt,
          violation.violationId,
        ),
      ),
      UpdateExpression: `SET #status = :status, ${names.map((_, i) => `#a${i} = :a${i}`).join(', ')}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: {
        '#status': 'status',
        ...Object.fromEntries(names.map((name, i) => [`#a${i}`, name])),
      },
      ExpressionAttributeValues: {
        ':status': { S: status },
        ...Object.fromEntries(names.map((name, i) => [`:a${i}`, { S: attributes[name] as string }])),
      },
    },
  };
}

/** The records an input's decisions leave besides the states: violations, appeal owners, audit entries. */
export function recordItems(tableName: string, input: EngineInput, outcome: Outcome): TransactWriteItem[] {
  const items: TransactWriteItem[] = [];
  const context: RecordContext = { tableName, input, outcome, auditIndex: 0 };
  for (const decision of outcome.decisions) {
    const record = routeOf(decision).record;
    if (record === null) continue;
    // The route named this decision's record kind, so its builder takes it: TypeScript cannot
    // correlate the two lookups on its own.
    const build = RECORD_BUILDERS[record] as RecordBuilder<DecisionRecord>;
    const item = build(decision as DecisionStoredAs<DecisionRecord>, context);
    if (item) items.push(item);
  }
  return items;
}
