import { CfnOutput, Duration, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogField, AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, type HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { FilterPattern, LogGroup, MetricFilter, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { SECRET_KEYS } from '../../shared/config/index.js';
import { CALLBACK_RESPONSES_METRIC } from '../../shared/http/index.js';
import { ADMIN_PATH, AdminApi } from '../constructs/admin-api.js';
import { Alarms } from '../constructs/alarms.js';
import { CallbackIngest } from '../constructs/callback-ingest.js';
import { EventQueue } from '../constructs/event-queue.js';
import { OperatorConsole } from '../constructs/operator-console.js';
import { EVALUATOR_TIMEOUT, PenaltyEngine } from '../constructs/penalty-engine.js';
import { WecomCredentials } from '../constructs/wecom-credentials.js';
import { metricsNamespaceOf } from '../constructs/wecom-function.js';
import { StateStack } from './state-stack.js';

/** Handler files of the engine's functions, relative to the repository root. */
export const ENGINE_ENTRIES = {
  evaluator: 'functions/penalty-evaluator/handler.ts',
  sweep: 'functions/sweep/handler.ts',
  adminApi: 'functions/admin-api/handler.ts',
} as const;

/** Period of every alarm's metric. */
const ALARM_PERIOD = Duration.minutes(5);
/** The metric counting requests the HTTP API throttled (429), from its access log. */
export const THROTTLED_METRIC = 'ThrottledRequests';

/** Props of the {@link AppStack}. */
export interface AppStackProps extends StackProps {
  /** The stage (`-c stage=...`), output for operators; the names derive from the stack name. @default - no output */
  readonly stage?: string;
  /** An existing penalty table. @default - a nested {@link StateStack} creates it */
  readonly table?: ITableV2;
  /** The corp (receive id) whose callbacks are accepted. @default - a placeholder, with a warning */
  readonly wecomCorpId?: string;
  /** Complete ARN of an existing WeCom credentials secret. @default - the stack creates one */
  readonly wecomSecretArn?: string;
}

/**
 * Default throttling of a route of the public stage that sets none of its own; every route of the engine
 * sets its own (CALLBACK_THROTTLE, ADMIN_THROTTLE), so this only bounds a route added without one.
 */
const DEFAULT_ROUTE_THROTTLE = { rateLimit: 10, burstLimit: 20 } as const;

/** The three WeCom callback endpoints (CONTRACT §3): construct id, route path, and function folder. */
const CALLBACKS = {
  contact: { id: 'ContactCallback', path: '/callbacks/contact', name: 'contact-callback' },
  message: { id: 'MessageCallback', path: '/callbacks/message', name: 'message-callback' },
  wechatStatus: {
    id: 'WechatStatusCallback',
    path: '/callbacks/wechat-status',
    name: 'wechat-status-callback',
  },
} as const;

/**
 * The stateless part of the engine: the public HTTP API with the callback functions and the admin API
 * behind it, the event queue they feed, the penalty engine consuming it (evaluator, timers, sweep,
 * outbound bus), and the alarms. The table lives in the nested stateful stack (or is given).
 */
export class AppStack extends Stack {
  /** The HTTP API; later stacks and constructs add their routes (admin API, ...) to it. */
  public readonly httpApi: HttpApi;
  /** The `$default` stage of {@link httpApi}, with access logging and throttling. */
  public readonly stage: HttpStage;
  public readonly eventQueue: EventQueue;
  public readonly credentials: WecomCredentials;
  public readonly callbacks: { readonly [K in keyof typeof CALLBACKS]: CallbackIngest };
  public readonly engine: PenaltyEngine;
  public readonly adminApi: AdminApi;
  public readonly operatorConsole: OperatorConsole;
  public readonly alarms: Alarms;
  /** The nested stateful stack holding the table, unless an existing table was given. */
  public readonly stateStack?: StateStack;
  public readonly table: ITableV2;

  // The whole app is wired here, construct by construct, each a few lines: reading it top to
  // bottom is reading the architecture diagram, so it stays one constructor (about 150 lines).
  constructor(scope: Construct, id: string, props: AppStackProps = {}) {
    super(scope, id, props);

    if (props.table) {
      this.table = props.table;
    } else {
      this.stateStack = new StateStack(this, 'State', {
        description: 'WeCom enforcement engine: the penalty table (stateful, retained)',
      });
      this.table = this.stateStack.table;
    }

    // Six times the evaluator's timeout, as AWS advises for a Lambda event source: a batch retried after
    // throttling or an error never overlaps the one still running.
    this.eventQueue = new EventQueue(this, 'EventQueue', {
      visibilityTimeout: Duration.seconds(6 * EVALUATOR_TIMEOUT.toSeconds()),
    });
    this.credentials = new WecomCredentials(this, 'WecomCredentials', {
      corpId: props.wecomCorpId,
      secretArn: props.wecomSecretArn,
    });

    // The default stage that HttpApi creates takes no access log settings, so the `$default` stage
    // is added by hand: same URL, but logged and throttled.
    this.httpApi = new HttpApi(this, 'HttpApi', {
      // Named after the stack (hence the stage), to tell the stages' APIs apart in the console.
      apiName: this.stackName,
      description: 'WeCom enforcement engine: WeCom callbacks and the admin API',
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // No query string: it carries msg_signature, nonce and echostr, which have no business in logs.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: AccessLogField.contextRequestId(),
            ip: AccessLogField.contextIdentitySourceIp(),
            requestTime: AccessLogField.contextRequestTime(),
            routeKey: '$context.routeKey',
            status: AccessLogField.contextStatus(),
            protocol: AccessLogField.contextProtocol(),
            responseLength: AccessLogField.contextResponseLength(),
            responseLatency: AccessLogField.contextResponseLatency(),
            integrationStatus: AccessLogField.contextIntegrationStatus(),
            integrationLatency: AccessLogField.contextIntegrationLatency(),
            integrationError: '$context.integrationErrorMessage',
            error: AccessLogField.contextErrorMessage(),
          }),
        ),
      },
      // Each route has its own limits, far below the account limit (10,000 rps) that every API of the
      // account shares: a flood on one route is cut there, before it reaches Lambda and the queue, and
      // leaves the other routes' limits alone. See README, "Throttling".
      throttle: DEFAULT_ROUTE_THROTTLE,
    });

    const ingest = (key: keyof typeof CALLBACKS): CallbackIngest => {
      const { id, path, name } = CALLBACKS[key];
      return new CallbackIngest(this, id, {
        api: this.httpApi,
        stage: this.stage,
        path,
        entry: `functions/${name}/handler.ts`,
        serviceName: name,
        credentials: this.credentials,
        eventQueue: this.eventQueue,
      });
    };
    this.callbacks = {
      contact: ingest('contact'),
      message: ingest('message'),
      wechatStatus: ingest('wechatStatus'),
    };

    this.engine = new PenaltyEngine(this, 'PenaltyEngine', {
      table: this.table,
      eventQueue: this.eventQueue,
      evaluatorEntry: ENGINE_ENTRIES.evaluator,
      sweepEntry: ENGINE_ENTRIES.sweep,
    });
    this.adminApi = new AdminApi(this, 'AdminApi', {
      api: this.httpApi,
      stage: this.stage,
      entry: ENGINE_ENTRIES.adminApi,
      engine: this.engine,
    });
    this.operatorConsole = new OperatorConsole(this, 'Console', {
      api: this.httpApi,
      stage: this.stage,
      adminFunction: this.adminApi.function,
      corpId: this.credentials.corpId,
    });
    // API Gateway has no metric of its own for a 429 (HTTP APIs count 4xx together), and a throttled
    // WeCom delivery may never come again: the access log's status is counted instead.
    const throttled = new MetricFilter(this, 'ThrottledRequestsFilter', {
      logGroup: accessLogs,
      filterPattern: FilterPattern.stringValue('$.status', '=', '429'),
      metricNamespace: metricsNamespaceOf(this),
      metricName: THROTTLED_METRIC,
      metricValue: '1',
    });
    this.alarms = this.createAlarms(throttled.metric({ period: ALARM_PERIOD, statistic: 'Sum' }));

    if (props.stage !== undefined)
      new CfnOutput(this, 'Stage', {
        description:
          'Stage of this deployment: every resource is tagged stage=<Stage> and project=wecom-enforcement',
        value: props.stage,
      });
    new CfnOutput(this, 'ApiUrl', { description: 'Callback base URL', value: this.stage.url });
    for (const { id, path } of Object.values(CALLBACKS)) {
      new CfnOutput(this, `${id}Url`, {
        description: `Callback URL to configure in the WeCom admin console for ${path}`,
        value: `${this.stage.url}${path.slice(1)}`,
      });
    }
    new CfnOutput(this, 'WecomSecretArn', {
      description: 'Secrets Manager secret holding the WeCom callback Token and EncodingAESKey',
      value: this.credentials.secret.secretArn,
    });
    if (this.credentials.secretCreated) {
      new CfnOutput(this, 'SetWecomSecretCommand', {
        description: 'Run once after the first deploy, with the values from the WeCom admin console',
        value: Fn.join('', [
          'aws secretsmanager put-secret-value --secret-id ',
          this.credentials.secret.secretArn,
          ` --secret-string '{"${SECRET_KEYS.token}":"<Token>","${SECRET_KEYS.encodingAesKey}":"<EncodingAESKey>"}'`,
        ]),
      });
    }
    new CfnOutput(this, 'PenaltyTableName', {
      description: 'DynamoDB table of member and corp state, violations, audit entries and appeals',
      value: this.table.tableName,
    });
    new CfnOutput(this, 'EventQueueUrl', {
      description: 'FIFO queue of accepted WeCom events',
      value: this.eventQueue.queue.queueUrl,
    });
    new CfnOutput(this, 'EventDeadLetterQueueUrl', {
      description: 'Events that failed evaluation five times; inspect, then redrive',
      value: this.eventQueue.deadLetterQueue.queueUrl,
    });
    new CfnOutput(this, 'AdminApiUrl', {
      description: 'Admin API base URL (IAM authorization: sign requests with SigV4, service execute-api)',
      value: `${this.stage.url}${ADMIN_PATH.slice(1)}/`,
    });
    new CfnOutput(this, 'ConsoleUrl', {
      description:
        'Operator console: sign in with a user of the ConsoleUserPoolId pool (TOTP set up at the first sign-in)',
      value: this.operatorConsole.url,
    });
    new CfnOutput(this, 'ConsoleUserPoolId', {
      description:
        'Cognito user pool of the console operators: aws cognito-idp admin-create-user --user-pool-id <this> ' +
        '--username <name> --user-attributes Name=email,Value=<address>, then admin-add-user-to-group with ' +
        '--group-name viewer, reviewer or admin (README, "Console on AWS")',
      value: this.operatorConsole.userPool.userPoolId,
    });
    new CfnOutput(this, 'TimerDeadLetterQueueUrl', {
      description:
        'Penalty timers EventBridge Scheduler could not deliver; inspect, then resend to the event queue',
      value: this.engine.timerDeadLetterQueue.queueUrl,
    });
    new CfnOutput(this, 'EventBusName', {
      description: 'EventBridge bus of the outbound events (penalty.applied, penalty.lifted, quota.changed)',
      value: this.engine.eventBus.eventBusName,
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      description: 'SNS topic of the alarms: subscribe the on-call address to it',
      value: this.alarms.topic.topicArn,
    });
  }

  /**
   * Alarms on every dead-letter queue, on the functions' errors, on the evaluator's failed records and
   * parked inputs, on the event queue's lag and on 503s.
   */
  private createAlarms(throttled: Metric): Alarms {
    const alarms = new Alarms(this, 'Alarms');
    const { eventQueue, engine } = this;
    alarms.add('EventDeadLetters', {
      description:
        'Events or commands are in the event dead-letter queue: they failed evaluation five times or could ' +
        'never be evaluated. Inspect them (the reason is a message attribute), fix, then redrive.',
      metric: eventQueue.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: ALARM_PERIOD,
        statistic: 'Maximum',
      }),
    });
    alarms.add('TimerDeadLetters', {
      description:
        'Penalty timers are in the timer dead-letter queue: EventBridge Scheduler could not deliver them to ' +
        'the event queue. Inspect them, fix the cause, then send their bodies to the event queue.',
      metric: engine.timerDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: ALARM_PERIOD,
        statistic: 'Maximum',
      }),
    });
    alarms.add('TimersLost', {
      description:
        'EventBridge Scheduler could deliver neither a penalty timer nor its dead letter: the timer is lost ' +
        'until the sweep catches it up. Check the Scheduler role and both queues.',
      metric: engine.scheduleGroup.metricFailedToBeSentToDLQ(undefined, { period: ALARM_PERIOD }),
    });
    alarms.add('EvaluatorErrors', {
      description:
        'The penalty evaluator failed a whole invocation (not one record): check its logs; the batch is retried.',
      metric: engine.evaluator.metricErrors({ period: ALARM_PERIOD, statistic: 'Sum' }),
    });
    // The evaluator reports failed records to SQS instead of failing the invocation, so its Errors stay 0
    // while records fail: FailedRecords is what shows a failing evaluation.
    alarms.add('EvaluatorFailedRecords', {
      description:
        'The penalty evaluator left records for SQS to redeliver (FailedRecords): check its logs. After five ' +
        'failed receives a record goes to the event dead-letter queue.',
      metric: engine.metricEvaluator('failedRecords', { period: ALARM_PERIOD }),
    });
    alarms.add('EvaluatorParkedInputs', {
      description:
        'The penalty evaluator parked inputs (ParkedInputs): they were set aside, not evaluated. Find ' +
        'which and why in its logs, fix the cause, then resend them.',
      metric: engine.metricEvaluator('parkedInputs', { period: ALARM_PERIOD }),
    });
    // A case past `enforcement.reviewWithin` stays open with its provisional measure on the member:
    // someone has to decide it. The review-deadline timer is evaluated by the evaluator, which counts it.
    alarms.add('OverdueCases', {
      description:
        'A reviewer case went past its review deadline (OverdueCases): its member stays under the provisional ' +
        'measure until someone decides it. List them with GET /admin/corps/{corpId}/cases?status=expired.',
      metric: engine.metricEvaluator('overdueCases', { period: ALARM_PERIOD }),
    });
    alarms.add('EventQueueAge', {
      description:
        'The oldest queued event has waited 15 minutes: the evaluator is failing, throttled or too slow.',
      metric: eventQueue.queue.metricApproximateAgeOfOldestMessage({
        period: ALARM_PERIOD,
        statistic: 'Maximum',
      }),
      threshold: Duration.minutes(15).toSeconds(),
    });
    alarms.add('SweepErrors', {
      description: 'The sweep failed: due timers and pending side effects wait for its next run.',
      metric: engine.sweep.metricErrors({ period: ALARM_PERIOD, statistic: 'Sum' }),
    });
    alarms.add('AdminApiErrors', {
      description: 'The admin API function failed with an unhandled error: check its logs.',
      metric: this.adminApi.function.metricErrors({ period: ALARM_PERIOD, statistic: 'Sum' }),
    });
    for (const { id, path, name } of Object.values(CALLBACKS)) {
      alarms.add(`${id}Unavailable`, {
        description:
          `${path} answered 503: the event queue or the secret could not be reached in time. WeCom ` +
          'retries, but gives up after a few attempts.',
        metric: new Metric({
          namespace: metricsNamespaceOf(this),
          metricName: CALLBACK_RESPONSES_METRIC,
          dimensionsMap: { service: name, status: '503' },
          period: ALARM_PERIOD,
          statistic: 'Sum',
        }),
      });
    }
    alarms.add('ThrottledRequests', {
      description:
        'A route of the HTTP API answered 429 (ThrottledRequests, from its access log): requests came faster ' +
        'than its throttle. WeCom may not deliver a throttled event again. Find the route in the access log; ' +
        'README, "Scale", says what to raise.',
      metric: throttled,
    });
    return alarms;
  }
}
