import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_NOT_CONFIGURED } from '../../../../infra/constructs/wecom-credentials.js';
import { AppStack } from '../../../../infra/stacks/app-stack.js';
import { ENV, SECRET_KEYS } from '../../../../shared/config/constants.js';
import { testAppContext } from '../test-app-context.js';

const CORP_ID = 'wwtestcorp0001';

const CALLBACKS = [
  { key: 'contact', path: '/callbacks/contact', service: 'contact-callback', output: 'ContactCallbackUrl' },
  { key: 'message', path: '/callbacks/message', service: 'message-callback', output: 'MessageCallbackUrl' },
  {
    key: 'wechatStatus',
    path: '/callbacks/wechat-status',
    service: 'wechat-status-callback',
    output: 'WechatStatusCallbackUrl',
  },
] as const;

describe('AppStack', () => {
  let stack: AppStack;
  let template: Template;
  const logicalId = (element: CfnElement | undefined): string => {
    if (!element) throw new Error('construct has no CloudFormation element');
    return Stack.of(element).getLogicalId(element);
  };
  const queueId = (): string => logicalId(stack.eventQueue.queue.node.defaultChild as CfnElement);
  const deadLetterQueueId = (): string =>
    logicalId(stack.eventQueue.deadLetterQueue.node.defaultChild as CfnElement);
  const secretId = (): string => logicalId(stack.credentials.secret.node.defaultChild as CfnElement);
  const functionId = (key: (typeof CALLBACKS)[number]['key']): string =>
    logicalId(stack.callbacks[key].function.node.defaultChild as CfnElement);

  const fnRoleId = (key: (typeof CALLBACKS)[number]['key']): string => {
    const fn = template.findResources('AWS::Lambda::Function')[functionId(key)];
    const roleId: unknown = fn?.Properties.Role['Fn::GetAtt']?.[0];
    if (typeof roleId !== 'string') throw new Error(`function ${key} has no role`);
    return roleId;
  };

  beforeAll(() => {
    // Prepare
    const app = new App({ context: testAppContext() });

    // Act
    stack = new AppStack(app, 'TestApp', { wecomCorpId: CORP_ID });
    template = Template.fromStack(stack);
  });

  describe('event queue', () => {
    it('is a high-throughput FIFO queue with ingest-side dedup ids and SQS-managed encryption', () => {
      // Assess
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: Match.stringLikeRegexp('\\.fifo$'),
        FifoQueue: true,
        ContentBasedDeduplication: false,
        DeduplicationScope: 'messageGroup',
        FifoThroughputLimit: 'perMessageGroupId',
        SqsManagedSseEnabled: true,
        VisibilityTimeout: 180,
        MessageRetentionPeriod: 14 * 24 * 3600,
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterQueueId(), 'Arn'] },
          maxReceiveCount: 5,
        },
      });
    });

    it('parks poison messages in a FIFO dead-letter queue kept 14 days', () => {
      // Assess
      const dlq = template.findResources('AWS::SQS::Queue')[deadLetterQueueId()];
      expect(dlq?.Properties).toMatchObject({
        QueueName: expect.stringMatching(/\.fifo$/),
        FifoQueue: true,
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      expect(dlq?.Properties).not.toHaveProperty('RedrivePolicy');
    });

    it('refuses every request that does not use TLS, on both queues', () => {
      // Assess
      for (const id of [queueId(), deadLetterQueueId()]) {
        template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: id }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Effect: 'Deny',
                Action: 'sqs:*',
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              }),
            ]),
          },
        });
      }
    });
  });

  describe('HTTP API', () => {
    it('routes GET and POST of each callback path, and nothing else', () => {
      // Assess
      const routeKeys = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
        (route) => route.Properties.RouteKey,
      );
      expect(routeKeys.sort()).toEqual(
        CALLBACKS.flatMap(({ path }) => [`GET ${path}`, `POST ${path}`]).sort(),
      );
    });

    it('proxies each route pair to its own function with payload format 2.0', () => {
      // Assess
      const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
      const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
      for (const { key, path } of CALLBACKS) {
        const integrationIds = Object.entries(integrations)
          .filter(([, integration]) => {
            const uri = integration.Properties.IntegrationUri;
            return uri['Fn::GetAtt']?.[0] === functionId(key);
          })
          .map(([id]) => id);
        expect(integrationIds).toHaveLength(1);
        const [integrationId] = integrationIds;
        expect(integrations[integrationId ?? '']?.Properties).toMatchObject({
          IntegrationType: 'AWS_PROXY',
          PayloadFormatVersion: '2.0',
        });
        const targets = routes
          .filter((route) => String(route.Properties.RouteKey).endsWith(` ${path}`))
          .map((route) => route.Properties.Target);
        expect(targets).toEqual([
          { 'Fn::Join': ['', ['integrations/', { Ref: integrationId }]] },
          { 'Fn::Join': ['', ['integrations/', { Ref: integrationId }]] },
        ]);
      }
    });

    it('serves the $default stage with JSON access logs and throttling', () => {
      // Assess
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        AccessLogSettings: {
          DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AccessLogs'), 'Arn'] },
          Format: Match.serializedJson(
            Match.objectLike({ requestId: '$context.requestId', routeKey: '$context.routeKey' }),
          ),
        },
        DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        RetentionInDays: 30,
      });
    });

    it('keeps the query string (msg_signature, echostr) out of the access log', () => {
      // Assess
      const [stage] = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'));
      expect(stage?.Properties.AccessLogSettings.Format).not.toMatch(/querystring|rawQueryString/i);
    });
  });

  describe.each(CALLBACKS)('$path function', ({ key, service }) => {
    it('runs Node.js 24 on arm64 with a 6 s timeout and active tracing', () => {
      // Assess
      const fn = template.findResources('AWS::Lambda::Function')[functionId(key)];
      expect(fn?.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Timeout: 6,
        MemorySize: 512,
        TracingConfig: { Mode: 'Active' },
        Handler: 'index.handler',
      });
    });

    it('gets the corp id, the secret ARN (a reference) and the queue URL, never the token or key', () => {
      // Assess
      const fn = template.findResources('AWS::Lambda::Function')[functionId(key)];
      const variables = fn?.Properties.Environment.Variables;
      expect(variables).toEqual({
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: service,
        POWERTOOLS_METRICS_NAMESPACE: 'WecomEnforcement',
        [ENV.corpId]: CORP_ID,
        [ENV.secretArn]: { Ref: secretId() },
        [ENV.eventQueueUrl]: { Ref: queueId() },
      });
      expect(variables).not.toHaveProperty(ENV.token);
      expect(variables).not.toHaveProperty(ENV.encodingAesKey);
    });

    it('may send to the queue and read the secret, and may not consume the queue', () => {
      // Assess
      const role = fnRoleId(key);
      const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
        policy.Properties.Roles.some((r: { Ref: string }) => r.Ref === role),
      );
      expect(policies).toHaveLength(1);
      const statements: { Action: string | string[]; Resource: unknown }[] =
        policies[0]?.Properties.PolicyDocument.Statement ?? [];
      expect(statements).toContainEqual(
        expect.objectContaining({
          Action: 'sqs:SendMessage',
          Resource: { 'Fn::GetAtt': [queueId(), 'Arn'] },
        }),
      );
      expect(statements).toContainEqual(
        expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: { Ref: secretId() } }),
      );
      const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
      expect(actions).not.toContain('sqs:ReceiveMessage');
      expect(actions).not.toContain('sqs:DeleteMessage');
      expect(actions.filter((a) => a.startsWith('sqs:'))).toEqual(['sqs:SendMessage']);
      expect(actions.filter((a) => a.startsWith('secretsmanager:'))).toEqual([
        'secretsmanager:GetSecretValue',
      ]);
      expect(actions.filter((a) => a.startsWith('kms:'))).toEqual([]);
    });
  });

  describe('secrets', () => {
    it('creates the secret without any plaintext value in the template', () => {
      // Assess
      template.resourceCountIs('AWS::SecretsManager::Secret', 1);
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        SecretString: Match.absent(),
        GenerateSecretString: Match.objectLike({ GenerateStringKey: 'encodingAesKey' }),
      });
      const json = JSON.stringify(template.toJSON());
      const valuesOf = (key: string): (string | undefined)[] =>
        [...json.matchAll(new RegExp(`${key}\\\\*"\\s*:\\s*\\\\*"([^"\\\\]*)`, 'g'))].map((m) => m[1]);
      // The only values are the placeholders: the secret's template and the operator's put-secret-value hint.
      expect(valuesOf(SECRET_KEYS.encodingAesKey)).toEqual(['<EncodingAESKey>']);
      expect(new Set(valuesOf(SECRET_KEYS.token))).toEqual(new Set([TOKEN_NOT_CONFIGURED, '<Token>']));
      expect(json).not.toContain(ENV.token);
      expect(json).not.toContain(ENV.encodingAesKey);
    });
  });

  describe('outputs', () => {
    it('publishes the base URL, the three callback URLs, the secret ARN and the queue URL', () => {
      // Assess
      const outputs = template.findOutputs('*');
      expect(Object.keys(outputs)).toEqual(
        expect.arrayContaining([
          'ApiUrl',
          ...CALLBACKS.map(({ output }) => output),
          'WecomSecretArn',
          'SetWecomSecretCommand',
          'EventQueueUrl',
        ]),
      );
      expect(outputs.WecomSecretArn?.Value).toEqual({ Ref: secretId() });
      expect(outputs.EventQueueUrl?.Value).toEqual({ Ref: queueId() });
      for (const { output, path } of CALLBACKS) {
        const parts: unknown[] = outputs[output]?.Value['Fn::Join'][1];
        expect(parts.at(-1)).toMatch(new RegExp(`/${path.slice(1)}$`));
      }
    });
  });
});
