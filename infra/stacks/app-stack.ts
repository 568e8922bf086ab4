import { CfnOutput, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogField, AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, type HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { SECRET_KEYS } from '../../shared/config/constants.js';
import { CallbackIngest } from '../constructs/callback-ingest.js';
import { EventQueue } from '../constructs/event-queue.js';
import { WecomCredentials } from '../constructs/wecom-credentials.js';

/** Props of the {@link AppStack}. */
export interface AppStackProps extends StackProps {
  /** The corp (receive id) whose callbacks are accepted. @default - a placeholder, with a warning */
  readonly wecomCorpId?: string;
  /** Complete ARN of an existing WeCom credentials secret. @default - the stack creates one */
  readonly wecomSecretArn?: string;
}

/** Steady request rate and burst of the public stage; see the comment where they are applied. */
const THROTTLE = { rateLimit: 100, burstLimit: 200 } as const;

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
 * The stateless part of the engine: the public HTTP API, the callback functions behind it and the
 * event queue they feed. Stateful resources (tables) come from their own stack as typed props.
 */
export class AppStack extends Stack {
  /** The HTTP API; later stacks and constructs add their routes (admin API, ...) to it. */
  public readonly httpApi: HttpApi;
  /** The `$default` stage of {@link httpApi}, with access logging and throttling. */
  public readonly stage: HttpStage;
  public readonly eventQueue: EventQueue;
  public readonly credentials: WecomCredentials;
  public readonly callbacks: { readonly [K in keyof typeof CALLBACKS]: CallbackIngest };

  constructor(scope: Construct, id: string, props: AppStackProps = {}) {
    super(scope, id, props);

    this.eventQueue = new EventQueue(this, 'EventQueue');
    this.credentials = new WecomCredentials(this, 'WecomCredentials', {
      corpId: props.wecomCorpId,
      secretArn: props.wecomSecretArn,
    });

    // The default stage that HttpApi creates takes no access log settings, so the `$default` stage
    // is added by hand: same URL, but logged and throttled.
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'WeCom enforcement engine: WeCom callbacks',
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
      // Far above what one corp's callbacks need, far below the account limit (10,000 rps) that every
      // API of the account shares: a flood on this public URL is cut here, before it reaches Lambda and
      // the queue. WeCom redelivers what it could not deliver, so a throttled burst is not lost.
      throttle: THROTTLE,
    });

    const ingest = (key: keyof typeof CALLBACKS): CallbackIngest => {
      const { id, path, name } = CALLBACKS[key];
      return new CallbackIngest(this, id, {
        api: this.httpApi,
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
    new CfnOutput(this, 'EventQueueUrl', {
      description: 'FIFO queue of accepted WeCom events',
      value: this.eventQueue.queue.queueUrl,
    });
    new CfnOutput(this, 'EventDeadLetterQueueUrl', {
      description: 'Events that failed evaluation five times; inspect, then redrive',
      value: this.eventQueue.deadLetterQueue.queueUrl,
    });
  }
}
