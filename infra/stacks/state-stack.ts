import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { SWEEP_INDEX } from '../../shared/adapters/dynamodb-penalty-store.js';

/** Attribute holding the epoch second after which DynamoDB may delete an item (input markers). */
export const TTL_ATTRIBUTE = 'expiresAt';

/**
 * The stateful part of the engine: the single penalty table (member and corp state, violations,
 * audit entries, appeals, input markers). It is kept apart from the stateless stack so that the
 * stateless one can be replaced, renamed or destroyed without touching the data; the table must be
 * exactly what `createPenaltyTable` (local mode and tests) creates.
 */
export class StateStack extends Stack {
  public readonly table: TableV2;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);

    this.table = new TableV2(this, 'PenaltyTable', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billing: Billing.onDemand(),
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
      ],
      // The penalty history is the product: 35 days of point-in-time restore, no deletion by a stray
      // `cdk destroy` or stack replacement, and the table outlives the stack that created it.
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new CfnOutput(this, 'PenaltyTableName', {
      description: 'DynamoDB table of member and corp state, violations, audit entries and appeals',
      value: this.table.tableName,
    });
  }
}
