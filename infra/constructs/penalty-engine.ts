import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Metric, type MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Schedule, ScheduleExpression, ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CASES_INDEX, MAX_COUNTER_SHARDS, STANDING_INDEX, SWEEP_INDEX } from '../../shared/adapters/index.js';
import { ENV } from '../../shared/config/index.js';
import type { EventQueue } from './event-queue.js';
import { metricsNamespaceOf, WecomFunction } from './wecom-function.js';

/** The evaluator's timeout; the event queue's visibility timeout must be six times this. */
export const EVALUATOR_TIMEOUT = Duration.seconds(30);

/** Powertools service name of the evaluator: its metrics carry it as their `service` dimension. */
export const EVALUATOR_SERVICE = 'penalty-evaluator';

/**
 * Metrics the evaluator publishes (shared/evaluator/queue-consumer.ts): records it left for SQS to
 * redeliver, inputs it parked because they can never be evaluated, and reviewer cases that went past
 * their review deadline (the review-deadline timer is an input like any other).
 */
export const EVALUATOR_METRICS = {
  failedRecords: 'FailedRecords',
  parkedInputs: 'ParkedInputs',
  overdueCases: 'OverdueCases',
} as const;

/** How often the sweep runs: timers Scheduler missed and side effects left pending are caught up this late at worst. */
export const SWEEP_INTERVAL = Duration.minutes(15);

/** The DynamoDB actions evaluating an input needs; TransactWriteItems is authorized per item as these. */
export const ENGINE_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:ConditionCheckItem',
] as const;

/** Props of the {@link PenaltyEngine}. */
export interface PenaltyEngineProps {
  /** The penalty table, from the stateful stack. */
  readonly table: ITableV2;
  /** The FIFO queue of events and commands the evaluator consumes and the timers are delivered to. */
  readonly eventQueue: EventQueue;
  /** Handler file of the evaluator, relative to the repository root. */
  readonly evaluatorEntry: string;
  /** Handler file of the sweep, relative to the repository root. */
  readonly sweepEntry: string;
}

/**
 * The policy engine on AWS: the evaluator consuming the event queue, the EventBridge Scheduler group
 * of its one-time timers with the role Scheduler delivers them with and their dead-letter queue, the
 * outbound EventBridge bus, and the periodic sweep. {@link grantEngine} gives any function (the
 * evaluator, the sweep, the admin API) exactly what carrying out the engine's decisions needs.
 */
export class PenaltyEngine extends Construct {
  public readonly evaluator: WecomFunction;
  public readonly sweep: WecomFunction;
  /** One-time timers (`at(...)`) the evaluator creates; nothing else lives in this group. */
  public readonly scheduleGroup: ScheduleGroup;
  /** What Scheduler assumes to deliver a fired timer to the event queue (or to the timer DLQ). */
  public readonly schedulerRole: Role;
  /** Standard queue of timers Scheduler could not deliver after its retries. */
  public readonly timerDeadLetterQueue: Queue;
  /** Outbound events (`penalty.applied`, `penalty.lifted`, `quota.changed`). */
  public readonly eventBus: EventBus;
  /** The rate schedule that runs {@link sweep}. */
  public readonly sweepSchedule: Schedule;

  readonly #table: ITableV2;
  readonly #eventQueue: EventQueue;

  // One constructor of about 100 lines: the evaluator, its grants, the scheduler group and role,
  // and the sweep are wired together, each grant beside the environment variable it serves.
  constructor(scope: Construct, id: string, props: PenaltyEngineProps) {
    super(scope, id);
    this.#table = props.table;
    this.#eventQueue = props.eventQueue;
    const stack = Stack.of(this);
    const stackName = stack.stackName;

    // Named, not generated: the group's name is part of the ARN that the functions' scheduler
    // permissions are scoped to, and of the schedule names an operator looks up. It carries the stack
    // name, hence the stage. Not retained (Scheduler's default would keep it, under this fixed name,
    // and the next deploy of the stage would fail on it): it holds nothing but one-time timers, all
    // derived from the retained table, whose sweep index queues again every timer whose schedule is gone.
    this.scheduleGroup = new ScheduleGroup(this, 'TimerGroup', {
      scheduleGroupName: `${stackName}-timers`,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // Scheduler's DLQ must be a standard queue, even for a FIFO target.
    this.timerDeadLetterQueue = new Queue(this, 'TimerDeadLetterQueue', {
      queueName: `${stackName}-timers-dlq`,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.timerDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue: the DeadLetterConfig of every timer schedule, set by the ' +
        'evaluator when it creates the schedule, so no CloudFormation redrive policy names it.',
    });

    this.schedulerRole = new Role(this, 'SchedulerRole', {
      description: 'Assumed by EventBridge Scheduler to deliver fired penalty timers to the event queue',
      // Only for schedules of this account's timer group (confused-deputy protection).
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': this.scheduleGroup.scheduleGroupArn,
          },
        },
      }),
    });
    // Both queues use SQS-managed encryption, so sending needs no KMS permission.
    this.schedulerRole.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['sqs:SendMessage'],
        resources: [props.eventQueue.queue.queueArn, this.timerDeadLetterQueue.queueArn],
      }),
    );

    this.eventBus = new EventBus(this, 'OutboundBus', { eventBusName: `${stackName}-outbound` });

    this.evaluator = new WecomFunction(this, 'Evaluator', {
      entry: props.evaluatorEntry,
      serviceName: EVALUATOR_SERVICE,
      description: 'Applies the penalty policy to every queued WeCom event, fired timer and admin command',
      timeout: EVALUATOR_TIMEOUT,
      memorySize: 512,
      carriesClassifier: true,
    });
    // Fewer evaluators than a busy corp's counter slots (shared/adapters/corp-item.ts), so that each
    // finds one of its own: `npm run bench -- contention` (one corp, after the slots' ramp-up)
    // measured 0.9–4.9 % of transactions cancelled with 50 evaluators on 64 slots, 3.5–19 % with 64,
    // and 96 % with 50 when every count was on the corp item. Raise both together.
    props.eventQueue.connectConsumer(this.evaluator, {
      batchSize: 10,
      maxConcurrency: Math.floor(MAX_COUNTER_SHARDS * 0.8),
    });
    this.grantEngine(this.evaluator);

    this.sweep = new WecomFunction(this, 'Sweep', {
      entry: props.sweepEntry,
      serviceName: 'sweep',
      description: 'Catches up timers that are due and side effects left pending',
      timeout: Duration.minutes(5),
      memorySize: 512,
      carriesClassifier: true,
    });
    this.grantEngine(this.sweep);
    // In the default group, not the timer group: the functions may delete any schedule of that one.
    // An own role rather than the one LambdaInvoke would add at the stack's root: same trust, kept here.
    const sweepInvoker = new Role(this, 'SweepSchedulerRole', {
      description: 'Assumed by EventBridge Scheduler to invoke the penalty sweep',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': stack.formatArn({
              service: 'scheduler',
              resource: 'schedule-group',
              resourceName: 'default',
            }),
          },
        },
      }),
    });
    this.sweepSchedule = new Schedule(this, 'SweepSchedule', {
      description: 'Runs the penalty sweep',
      schedule: ScheduleExpression.rate(SWEEP_INTERVAL),
      // A missed run is made up by the next one, so a late invocation is dropped rather than stacked.
      target: new LambdaInvoke(this.sweep, {
        role: sweepInvoker,
        retryAttempts: 3,
        maxEventAge: Duration.minutes(10),
      }),
    });
    Validations.of(sweepInvoker).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagResource(stack, `${this.sweep.functionArn}:*`)}]`,
      reason:
        'LambdaInvoke grants lambda:InvokeFunction on the sweep function and on its qualified ARNs ' +
        '(versions and aliases) of that one function only, with grantInvoke.',
    });
  }

  /** One of the evaluator's own metrics ({@link EVALUATOR_METRICS}), summed unless `options` says otherwise. */
  public metricEvaluator(name: keyof typeof EVALUATOR_METRICS, options: MetricOptions = {}): Metric {
    return new Metric({
      namespace: metricsNamespaceOf(this),
      metricName: EVALUATOR_METRICS[name],
      dimensionsMap: { service: EVALUATOR_SERVICE },
      statistic: 'Sum',
      ...options,
    });
  }

  /**
   * Lets `fn` query the cases index (a corp's cases of one status, CASES_INDEX): the reviewers' lists.
   * Not part of {@link grantEngine}: evaluating never lists cases, it reads one by its key.
   */
  public grantCaseLists(fn: WecomFunction): void {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${this.#table.tableArn}/index/${CASES_INDEX.name}`],
      }),
    );
  }

  /**
   * Lets `fn` query the standing index (a corp's members of one standing, STANDING_INDEX): the
   * console's member lists. Not part of {@link grantEngine}: evaluating never lists members.
   */
  public grantStandingLists(fn: WecomFunction): void {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${this.#table.tableArn}/index/${STANDING_INDEX.name}`],
      }),
    );
  }

  /**
   * Gives `fn` what carrying out the engine's decisions needs, and the names and ARNs to do it with
   * (TABLE_NAME, EVENT_QUEUE_URL, EVENT_QUEUE_ARN, SCHEDULE_GROUP, SCHEDULER_ROLE_ARN, TIMER_DLQ_ARN,
   * EVENT_BUS_NAME): reading and conditionally writing the table, querying the sweep index, sending to
   * the event queue, creating and deleting schedules of the timer group only, passing the Scheduler
   * role to Scheduler only, and publishing on the outbound bus. Nothing else: no DeleteItem, no Scan.
   */
  public grantEngine(fn: WecomFunction): void {
    const stack = Stack.of(this);
    const table = this.#table;
    fn.addEnvironment(ENV.tableName, table.tableName);
    this.#eventQueue.connectSender(fn);
    fn.addEnvironment(ENV.eventQueueArn, this.#eventQueue.queue.queueArn);
    fn.addEnvironment(ENV.scheduleGroup, this.scheduleGroup.scheduleGroupName);
    fn.addEnvironment(ENV.schedulerRoleArn, this.schedulerRole.roleArn);
    fn.addEnvironment(ENV.timerDeadLetterArn, this.timerDeadLetterQueue.queueArn);
    fn.addEnvironment(ENV.eventBusName, this.eventBus.eventBusName);

    fn.addToRolePolicy(
      new PolicyStatement({ actions: [...ENGINE_TABLE_ACTIONS], resources: [table.tableArn] }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${table.tableArn}/index/${SWEEP_INDEX.name}`],
      }),
    );
    const timerSchedules = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.scheduleGroup.scheduleGroupName}/*`,
    });
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
        resources: [timerSchedules],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['events:PutEvents'], resources: [this.eventBus.eventBusArn] }),
    );
    const role = fn.role;
    if (role) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagResource(stack, timerSchedules)}]`,
        reason:
          'Timer schedules are created and deleted at run time under names derived from each penalty, so ' +
          'they cannot be listed in advance; the wildcard covers the schedules of the engine’s own timer ' +
          'group only, which holds nothing but those timers (the sweep schedule lives in another group).',
      });
    }
  }
}

/**
 * A resource as cdk-nag spells it in an IAM5 finding id: the resolved value with `Fn::Join` flattened
 * and each `Ref` or `Fn::GetAtt` written `<Name>` or `<LogicalId.Attribute>`.
 */
export function nagResource(stack: Stack, value: string): string {
  const flatten = (node: unknown): string => {
    if (typeof node === 'string') return node;
    if (typeof node === 'object' && node !== null) {
      if ('Fn::Join' in node) {
        const [delimiter, parts] = node['Fn::Join'] as [string, unknown[]];
        return parts.map(flatten).join(delimiter);
      }
      if ('Ref' in node) return `<${String(node.Ref)}>`;
      if ('Fn::GetAtt' in node) {
        const [resource, attribute] = node['Fn::GetAtt'] as [string, string];
        return `<${resource}.${attribute}>`;
      }
    }
    return JSON.stringify(node);
  };
  return flatten(stack.resolve(value));
}
