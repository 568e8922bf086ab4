import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** One alarm: fires when `metric` reaches `threshold` in one evaluation period. */
export interface AlarmSpec {
  /** What the alarm means and what to do about it; shown in the notification. */
  readonly description: string;
  readonly metric: IMetric;
  /** @default 1 */
  readonly threshold?: number;
}

/**
 * The operators' alarm topic and the alarms that notify it, both on ALARM and back to OK. Subscribe
 * to the topic (e-mail, chat, paging) after deploying; its ARN is a stack output.
 */
export class Alarms extends Construct {
  public readonly topic: Topic;
  public readonly alarms: Alarm[] = [];
  readonly #action: SnsAction;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);

    // A customer managed key, not alias/aws/sns: the AWS managed key's policy cannot be changed to let
    // CloudWatch alarms use it, and an alarm publishing to a topic encrypted with it fails silently.
    const key = new Key(this, 'TopicKey', {
      description: 'Encrypts the WeCom enforcement alarm topic',
      enableKeyRotation: true,
      // Notifications are transient: nothing outlives the stack encrypted under this key.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // Only alarms of this account and region may use the key, as only they may publish to the topic:
    // without the conditions, any account's alarm aimed at this topic would pass the key policy.
    const alarmsOfThisAccount = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: {
        'aws:SourceArn': stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: '*',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    };
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: alarmsOfThisAccount,
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: 'WeCom enforcement alarms',
      masterKey: key,
      enforceSSL: true,
    });
    // The topic policy replaces SNS's default one, so CloudWatch alarms of this account are let in here.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: alarmsOfThisAccount,
      }),
    );
    this.#action = new SnsAction(this.topic);
  }

  /** Adds an alarm on `spec.metric` ≥ `spec.threshold`, notifying the topic when it fires and when it clears. */
  public add(id: string, spec: AlarmSpec): Alarm {
    const alarm = new Alarm(this, id, {
      alarmDescription: spec.description,
      metric: spec.metric,
      threshold: spec.threshold ?? 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No data is no trouble: idle queues and functions publish nothing.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.#action);
    alarm.addOkAction(this.#action);
    this.alarms.push(alarm);
    return alarm;
  }
}
