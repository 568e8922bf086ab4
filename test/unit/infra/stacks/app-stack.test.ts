import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLASSIFIER_IMAGE } from '../../../../infra/constructs/bundle-files.js';
import { EVALUATOR_TIMEOUT } from '../../../../infra/constructs/penalty-engine.js';
import { TOKEN_NOT_CONFIGURED } from '../../../../infra/constructs/wecom-credentials.js';
import { WecomFunction } from '../../../../infra/constructs/wecom-function.js';
import { AppStack } from '../../../../infra/stacks/app-stack.js';
import { ENV, SECRET_KEYS } from '../../../../shared/config/constants.js';
import { CALLBACK_RESPONSES_METRIC } from '../../../../shared/http/count-responses.js';
import { permissionsOfRole, roleOfFunction } from '../iam-statements.js';
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
  let app: App;
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
    app = new App({ context: testAppContext() });

    // Act
    stack = new AppStack(app, 'TestApp', { wecomCorpId: CORP_ID });
    template = Template.fromStack(stack);
  });

  describe('event queue', () => {
    it('is a high-throughput FIFO queue, content-deduplicated for timers, with SQS-managed encryption', () => {
      // Assess
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: Match.stringLikeRegexp('\\.fifo$'),
        FifoQueue: true,
        ContentBasedDeduplication: true,
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

    it("stays invisible for at least six times the evaluator's timeout", () => {
      // Assess
      const queue = template.findResources('AWS::SQS::Queue')[queueId()];
      const evaluator =
        template.findResources('AWS::Lambda::Function')[
          logicalId(stack.engine.evaluator.node.defaultChild as CfnElement)
        ];
      expect(evaluator?.Properties.Timeout).toBe(EVALUATOR_TIMEOUT.toSeconds());
      expect(queue?.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * evaluator?.Properties.Timeout);
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
    it('routes GET and POST of each callback path, every method under /admin/, and the console, and nothing else', () => {
      // Assess
      const routeKeys = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
        (route) => route.Properties.RouteKey,
      );
      expect(routeKeys.sort()).toEqual(
        [
          ...CALLBACKS.flatMap(({ path }) => [`GET ${path}`, `POST ${path}`]),
          'ANY /admin/{proxy+}',
          'ANY /console/api/{proxy+}',
          'GET /console',
          'GET /console/{proxy+}',
        ].sort(),
      );
    });

    it('authorizes the admin routes with IAM, and leaves the callbacks to the WeCom signature', () => {
      // Assess
      const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
      const authorization = Object.fromEntries(
        routes.map((route) => [route.Properties.RouteKey, route.Properties.AuthorizationType ?? 'NONE']),
      );
      expect(authorization['ANY /admin/{proxy+}']).toBe('AWS_IAM');
      for (const { path } of CALLBACKS) {
        expect(authorization[`GET ${path}`]).toBe('NONE');
        expect(authorization[`POST ${path}`]).toBe('NONE');
      }
    });

    it("puts the console's API behind the console's JWT authorizer, leaves its page and files open, keeps /admin/ on IAM", () => {
      // Assess
      const routes = Object.fromEntries(
        Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((route) => [
          route.Properties.RouteKey,
          route.Properties,
        ]),
      );
      const [authorizerId] = Object.keys(template.findResources('AWS::ApiGatewayV2::Authorizer'));
      expect(routes['ANY /console/api/{proxy+}']).toMatchObject({
        AuthorizationType: 'JWT',
        AuthorizerId: { Ref: authorizerId },
      });
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        JwtConfiguration: {
          Audience: [{ Ref: logicalId(stack.operatorConsole.client.node.defaultChild as CfnElement) }],
        },
      });
      for (const key of ['GET /console', 'GET /console/{proxy+}'])
        expect(routes[key]?.AuthorizationType ?? 'NONE').toBe('NONE');
      expect(routes['ANY /admin/{proxy+}']).toMatchObject({ AuthorizationType: 'AWS_IAM' });
      expect(routes['ANY /admin/{proxy+}']).not.toHaveProperty('AuthorizerId');
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

    it('throttles each route by itself: WeCom deliveries high, URL verification, admin and console low', () => {
      // Assess
      const [stage] = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'));
      expect(stage?.Properties.RouteSettings).toEqual({
        ...Object.fromEntries(
          CALLBACKS.flatMap(({ path }) => [
            [`POST ${path}`, { ThrottlingRateLimit: 2_500, ThrottlingBurstLimit: 5_000 }],
            [`GET ${path}`, { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 }],
          ]),
        ),
        'ANY /admin/{proxy+}': { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 },
        'ANY /console/api/{proxy+}': { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 },
        'GET /console': { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 },
        'GET /console/{proxy+}': { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 },
      });
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
        DefaultRouteSettings: { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 },
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
        POWERTOOLS_METRICS_NAMESPACE: 'TestApp',
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

  describe('penalty engine', () => {
    const engineFunctions = () =>
      [
        ['penalty-evaluator', stack.engine.evaluator],
        ['sweep', stack.engine.sweep],
        ['admin-api', stack.adminApi.function],
      ] as const;
    const fnId = (fn: { node: { defaultChild?: unknown } }): string =>
      logicalId(fn.node.defaultChild as CfnElement);

    it('consumes the event queue with per-record failure reports', () => {
      // Assess
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [queueId(), 'Arn'] },
        FunctionName: { Ref: fnId(stack.engine.evaluator) },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    });

    it('gives the evaluator, the sweep and the admin API the engine wiring, the table from the state stack', () => {
      // Assess
      const functions = template.findResources('AWS::Lambda::Function');
      for (const [service, fn] of engineFunctions()) {
        const variables = functions[fnId(fn)]?.Properties.Environment.Variables;
        expect(variables.POWERTOOLS_SERVICE_NAME, service).toBe(service);
        // The table's name, as an output of the nested state stack.
        expect(variables[ENV.tableName], service).toEqual({
          'Fn::GetAtt': [
            expect.stringMatching(/^State/),
            expect.stringMatching(/^Outputs\..*PenaltyTable.*Ref$/),
          ],
        });
        expect(variables, service).toMatchObject({
          [ENV.eventQueueUrl]: { Ref: queueId() },
          [ENV.eventQueueArn]: { 'Fn::GetAtt': [queueId(), 'Arn'] },
          [ENV.scheduleGroup]: 'TestApp-timers',
          [ENV.schedulerRoleArn]: {
            'Fn::GetAtt': [logicalId(stack.engine.schedulerRole.node.defaultChild as CfnElement), 'Arn'],
          },
          [ENV.timerDeadLetterArn]: {
            'Fn::GetAtt': [
              logicalId(stack.engine.timerDeadLetterQueue.node.defaultChild as CfnElement),
              'Arn',
            ],
          },
          [ENV.eventBusName]: { Ref: logicalId(stack.engine.eventBus.node.defaultChild as CfnElement) },
        });
        expect(variables, service).not.toHaveProperty(ENV.secretArn);
      }
    });

    it('lets each of them pass only the Scheduler role, only to Scheduler', () => {
      // Assess
      const schedulerRoleArn = {
        'Fn::GetAtt': [logicalId(stack.engine.schedulerRole.node.defaultChild as CfnElement), 'Arn'],
      };
      for (const [service, fn] of engineFunctions()) {
        const passRole = permissionsOfRole(template, roleOfFunction(template, fnId(fn))).filter((p) =>
          p.action.startsWith('iam:'),
        );
        expect(passRole, service).toEqual([
          {
            action: 'iam:PassRole',
            resource: schedulerRoleArn,
            condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
          },
        ]);
      }
    });

    it('lets each of them create and delete schedules of the timer group only', () => {
      // Assess
      for (const [service, fn] of engineFunctions()) {
        const resources = permissionsOfRole(template, roleOfFunction(template, fnId(fn)))
          .filter((p) => p.action.startsWith('scheduler:'))
          .map((p) => JSON.stringify(p.resource));
        expect(resources, service).toHaveLength(2);
        for (const resource of resources) expect(resource, service).toMatch(/:schedule\/TestApp-timers\/\*"/);
      }
    });

    it('lets Scheduler deliver timers to the event queue and the timer DLQ, and do nothing else', () => {
      // Assess
      const roleId = logicalId(stack.engine.schedulerRole.node.defaultChild as CfnElement);
      const role = template.findResources('AWS::IAM::Role')[roleId];
      expect(role?.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        expect.objectContaining({
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: {
            StringEquals: expect.objectContaining({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }),
          },
        }),
      ]);
      const permissions = permissionsOfRole(template, roleId);
      expect(permissions.map((p) => p.action)).toEqual(['sqs:SendMessage', 'sqs:SendMessage']);
      expect(permissions.map((p) => p.resource)).toEqual(
        expect.arrayContaining([
          { 'Fn::GetAtt': [queueId(), 'Arn'] },
          {
            'Fn::GetAtt': [
              logicalId(stack.engine.timerDeadLetterQueue.node.defaultChild as CfnElement),
              'Arn',
            ],
          },
        ]),
      );
    });

    it('runs the sweep every 15 minutes', () => {
      // Assess
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'rate(15 minutes)',
        Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId(stack.engine.sweep), 'Arn'] } }),
      });
    });
  });

  describe('alarms', () => {
    type AlarmResource = {
      Properties: Record<string, unknown> & { Dimensions?: { Name: string; Value: unknown }[] };
    };
    const alarms = (): AlarmResource[] =>
      Object.values(template.findResources('AWS::CloudWatch::Alarm')) as AlarmResource[];
    const topicRef = () => ({ Ref: logicalId(stack.alarms.topic.node.defaultChild as CfnElement) });
    const alarmOn = (metricName: string, dimension: unknown): AlarmResource | undefined =>
      alarms().find(
        (alarm) =>
          alarm.Properties.MetricName === metricName &&
          JSON.stringify(alarm.Properties.Dimensions ?? []).includes(JSON.stringify(dimension)),
      );

    it('notifies the alarm topic from every alarm, when it fires and when it clears', () => {
      // Assess
      expect(alarms().length).toBeGreaterThanOrEqual(6);
      for (const alarm of alarms()) {
        expect(alarm.Properties.AlarmActions).toEqual([topicRef()]);
        expect(alarm.Properties.OKActions).toEqual([topicRef()]);
        expect(alarm.Properties.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
      }
    });

    it.each([
      ['the event dead-letter queue', () => stack.eventQueue.deadLetterQueue],
      ['the timer dead-letter queue', () => stack.engine.timerDeadLetterQueue],
    ])('fires on the first message in %s', (_name, queueOf) => {
      // Assess
      const alarm = alarmOn('ApproximateNumberOfMessagesVisible', {
        'Fn::GetAtt': [logicalId(queueOf().node.defaultChild as CfnElement), 'QueueName'],
      });
      expect(alarm?.Properties).toMatchObject({ Namespace: 'AWS/SQS', Threshold: 1, Statistic: 'Maximum' });
    });

    it('fires on any evaluator error over 5 minutes', () => {
      // Assess
      const alarm = alarmOn('Errors', {
        Ref: logicalId(stack.engine.evaluator.node.defaultChild as CfnElement),
      });
      expect(alarm?.Properties).toMatchObject({
        Namespace: 'AWS/Lambda',
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        EvaluationPeriods: 1,
      });
    });

    it.each([
      ['FailedRecords', 'records the evaluator left for redelivery'],
      ['ParkedInputs', 'inputs the evaluator parked'],
      ['OverdueCases', 'reviewer cases past their review deadline'],
    ])('fires on the first of %s (%s) over 5 minutes', (metricName) => {
      // Assess
      const alarm = alarmOn(metricName, { Name: 'service', Value: 'penalty-evaluator' });
      expect(alarm?.Properties).toMatchObject({
        Namespace: stack.stackName,
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [topicRef()],
      });
      expect(alarm?.Properties.Dimensions).toEqual([{ Name: 'service', Value: 'penalty-evaluator' }]);
    });

    it('fires when any reviewer case goes overdue, and stays quiet while no case is overdue (no data)', () => {
      // Assess
      const alarm = alarmOn('OverdueCases', { Name: 'service', Value: 'penalty-evaluator' });
      expect(alarm?.Properties).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
      expect(alarm?.Properties.AlarmDescription).toMatch(/status=expired/);
    });

    it('counts every 429 in the access log and fires on the first over 5 minutes', () => {
      // Assess: the filter reads the stage's access log, whose status is a string.
      const [filter] = Object.values(template.findResources('AWS::Logs::MetricFilter')) as {
        Properties: Record<string, unknown>;
      }[];
      expect(filter?.Properties).toMatchObject({
        FilterPattern: '{ $.status = "429" }',
        LogGroupName: { Ref: expect.stringMatching(/^AccessLogs/) },
        MetricTransformations: [
          { MetricNamespace: stack.stackName, MetricName: 'ThrottledRequests', MetricValue: '1' },
        ],
      });
      const alarm = alarmOn('ThrottledRequests', []);
      expect(alarm?.Properties).toMatchObject({
        Namespace: stack.stackName,
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        AlarmActions: [topicRef()],
      });
      expect(alarm?.Properties.AlarmDescription).toMatch(/WeCom may not deliver a throttled event again/);
    });

    it('fires when the oldest queued event has waited 15 minutes', () => {
      // Assess
      const alarm = alarmOn('ApproximateAgeOfOldestMessage', { 'Fn::GetAtt': [queueId(), 'QueueName'] });
      expect(alarm?.Properties).toMatchObject({ Namespace: 'AWS/SQS', Threshold: 900 });
    });

    it('fires when Scheduler can deliver neither a timer nor its dead letter', () => {
      // Assess
      const alarm = alarmOn('InvocationsFailedToBeSentToDeadLetterCount', {
        Name: 'ScheduleGroup',
        Value: 'TestApp-timers',
      });
      expect(alarm?.Properties).toMatchObject({ Namespace: 'AWS/Scheduler', Threshold: 1 });
    });

    it.each(CALLBACKS)('fires when $path answers 503', ({ service }) => {
      // Assess
      const alarm = alarms().find(
        (a) =>
          a.Properties.MetricName === CALLBACK_RESPONSES_METRIC &&
          JSON.stringify(a.Properties.Dimensions).includes(`"${service}"`),
      );
      expect(alarm?.Properties).toMatchObject({
        Namespace: 'TestApp',
        Statistic: 'Sum',
        Threshold: 1,
      });
      expect(alarm?.Properties.Dimensions).toEqual(
        expect.arrayContaining([
          { Name: 'service', Value: service },
          { Name: 'status', Value: '503' },
        ]),
      );
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
      expect(json).not.toContain('ADMIN_TOKEN');
    });
  });

  describe('outputs', () => {
    it('publishes the callback and admin URLs, the secret ARN, the queues, the bus and the alarm topic', () => {
      // Assess
      const outputs = template.findOutputs('*');
      expect(Object.keys(outputs)).toEqual(
        expect.arrayContaining([
          'ApiUrl',
          ...CALLBACKS.map(({ output }) => output),
          'WecomSecretArn',
          'SetWecomSecretCommand',
          'EventQueueUrl',
          'AdminApiUrl',
          'AlarmTopicArn',
          'TimerDeadLetterQueueUrl',
          'EventBusName',
          'ConsoleUrl',
          'ConsoleUserPoolId',
        ]),
      );
      expect(outputs.AlarmTopicArn?.Value).toEqual({
        Ref: logicalId(stack.alarms.topic.node.defaultChild as CfnElement),
      });
      const adminUrl: unknown[] = outputs.AdminApiUrl?.Value['Fn::Join'][1];
      expect(adminUrl.at(-1)).toMatch(/\/admin\/$/);
      const consoleUrl: unknown[] = outputs.ConsoleUrl?.Value['Fn::Join'][1];
      expect(consoleUrl.at(-1)).toMatch(/\/console\/$/);
      expect(outputs.ConsoleUserPoolId?.Value).toEqual({
        Ref: logicalId(stack.operatorConsole.userPool.node.defaultChild as CfnElement),
      });
      expect(outputs.ConsoleUserPoolId?.Description).toMatch(/admin-create-user.*admin-add-user-to-group/);
      expect(outputs.WecomSecretArn?.Value).toEqual({ Ref: secretId() });
      expect(outputs.EventQueueUrl?.Value).toEqual({ Ref: queueId() });
      for (const { output, path } of CALLBACKS) {
        const parts: unknown[] = outputs[output]?.Value['Fn::Join'][1];
        expect(parts.at(-1)).toMatch(new RegExp(`/${path.slice(1)}$`));
      }
    });
  });

  describe('bundles', () => {
    it("puts the classifier's image beside every handler that reads it, and beside no other", () => {
      // Prepare: every function's bundled code, as CDK staged it.
      const functions = stack.node
        .findAll()
        .filter((child): child is WecomFunction => child instanceof WecomFunction);
      const image = readFileSync(CLASSIFIER_IMAGE.source);

      // Act
      const carried = functions.map((fn) => {
        const code = fn.node.findChild('Code');
        if (!(code instanceof Asset)) throw new Error('expected the bundled code to be an asset');
        const dir = join(app.outdir, code.assetPath);
        const reads = readFileSync(join(dir, 'index.mjs'), 'utf8').includes(CLASSIFIER_IMAGE.bundled);
        const file = join(dir, CLASSIFIER_IMAGE.bundled);
        return { name: fn.node.path, reads, equal: existsSync(file) && readFileSync(file).equals(image) };
      });

      // Assess: the evaluator, the sweep and the admin API read it; the callbacks do not.
      expect(carried.filter((fn) => fn.reads).map((fn) => fn.name.split('/')[1])).toEqual(
        expect.arrayContaining(['PenaltyEngine', 'AdminApi']),
      );
      expect(carried.filter((fn) => fn.reads)).toHaveLength(3);
      for (const fn of carried) expect(fn, fn.name).toEqual({ ...fn, equal: fn.reads });
    });
  });

  describe('console', () => {
    const variablesOf = (fn: CfnElement | undefined): Record<string, unknown> =>
      template.findResources('AWS::Lambda::Function')[logicalId(fn)]?.Properties.Environment.Variables;

    it('gives the admin function the Cognito domain, the client id and the corp, and no other function', () => {
      // Assess
      const admin = variablesOf(stack.adminApi.function.node.defaultChild as CfnElement);
      expect(Object.keys(admin)).toEqual(
        expect.arrayContaining(['CONSOLE_AUTH_DOMAIN', 'CONSOLE_CLIENT_ID', ENV.corpId]),
      );
      expect(admin[ENV.corpId]).toBe(CORP_ID);
      const others = Object.entries(template.findResources('AWS::Lambda::Function'))
        .filter(([id]) => id !== logicalId(stack.adminApi.function.node.defaultChild as CfnElement))
        .flatMap(([, fn]) => Object.keys(fn.Properties.Environment?.Variables ?? {}));
      expect(others.filter((name) => name.startsWith('CONSOLE_'))).toEqual([]);
    });

    it("bundles the console's files beside the admin handler, as its manifest names them", () => {
      // Prepare
      const code = stack.adminApi.function.node.findChild('Code');
      if (!(code instanceof Asset)) throw new Error('expected the bundled code to be an asset');
      const dir = join(app.outdir, code.assetPath, 'console');

      // Act
      const manifest: unknown = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));

      // Assess
      expect(manifest).toEqual({
        script: expect.stringMatching(/\.js$/),
        style: expect.stringMatching(/\.css$/),
      });
      const { script, style } = manifest as { script: string; style: string };
      expect(readdirSync(dir).sort()).toEqual(['manifest.json', script, style].sort());
    });
  });
});
