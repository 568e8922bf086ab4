import { NestedStack, type NestedStackProps, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { CASES_INDEX, STANDING_INDEX, SWEEP_INDEX } from '../../shared/adapters/index.js';

/** Attribute holding the epoch second after which DynamoDB may delete an item (input markers). */
export const TTL_ATTRIBUTE = 'expiresAt';

/** What the table can take at once from its first day: writes for about 2,000 inputs/s, reads the on-demand default. */
export const WARM_THROUGHPUT = { writeUnitsPerSecond: 20_000, readUnitsPerSecond: 12_000 } as const;

/**
 * The stateful part of the engine, in a stack of its own: the single penalty table (member and
 * corp state, violations, audit entries, appeals, cases, input markers), retained, deletion-protected and
 * restorable to any point of 35 days, whatever happens to the stateless resources. The table must
 * be exactly what `createPenaltyTable` (local mode and tests) creates.
 *
 * It is a nested stack of the app's one top-level stack, so that a plain `npx cdk deploy` deploys
 * the whole engine (CONTRACT §1): the CDK CLI asks for stack names, or `--all`, as soon as an app
 * has two top-level stacks.
 */
export class StateStack extends NestedStack {
  public readonly table: TableV2;

  constructor(scope: Construct, id: string, props: NestedStackProps = {}) {
    super(scope, id, props);

    this.table = new TableV2(this, 'PenaltyTable', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billing: Billing.onDemand(),
      // A new on-demand table takes about 4,000 write units/s at once and doubles its peak over time.
      // Warmed, it takes a corp's busiest burst from the first day (README, "Scale"), at a one-time charge.
      warmThroughput: WARM_THROUGHPUT,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      globalSecondaryIndexes: [
        {
          indexName: SWEEP_INDEX.name,
          partitionKey: { name: SWEEP_INDEX.partitionKey, type: AttributeType.STRING },
          sortKey: { name: SWEEP_INDEX.sortKey, type: AttributeType.NUMBER },
          // The sweep needs the item's key only (it reloads the member or the marker by it); keys-only
          // keeps the index's writes, on every state change with a timer, as small as they can be.
          projectionType: ProjectionType.KEYS_ONLY,
        },
        {
          indexName: CASES_INDEX.name,
          partitionKey: { name: CASES_INDEX.partitionKey, type: AttributeType.STRING },
          sortKey: { name: CASES_INDEX.sortKey, type: AttributeType.NUMBER },
          // The reviewers' list shows the whole case (evidence, quoted text, decision), so the index
          // keeps all of it: a keys-only index would cost one more read per listed case. Only case
          // items carry `caseList`, so the copies are few.
          projectionType: ProjectionType.ALL,
        },
        {
          indexName: STANDING_INDEX.name,
          partitionKey: { name: STANDING_INDEX.partitionKey, type: AttributeType.STRING },
          sortKey: { name: STANDING_INDEX.sortKey, type: AttributeType.NUMBER },
          // The console's members by standing. Keys only: member states are written at every input,
          // and a projected state would rewrite the index entry (up to 9 KB) each time; keys are
          // written only when a member's standing moves, and the rare list reads the states it names
          // with one BatchGetItem.
          projectionType: ProjectionType.KEYS_ONLY,
        },
      ],
      // The penalty history is the product: 35 days of point-in-time restore, no deletion by a stray
      // `cdk destroy` or stack replacement, and the table outlives the stack that created it.
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
