import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { EventQueue } from '../../../../infra/constructs/event-queue.js';
import {
  ENGINE_TABLE_ACTIONS,
  EVALUATOR_TIMEOUT,
  PenaltyEngine,
} from '../../../../infra/constructs/penalty-engine.js';
import { WecomFunction } from '../../../../infra/constructs/wecom-function.js';
import { SWEEP_INDEX } from '../../../../shared/adapters/penalty-table.js';
import { ENV } from '../../../../shared/config/constants.js';
import { acknowledgements } from '../acknowledgements.js';
import { type Permission, permissionsOfRole, roleOfFunction } from '../iam-statements.js';
import { testAppContext } from '../test-app-context.js';

const FIXTURE_ENTRY = 'test/unit/infra/fixtures/handler.ts';

/** The Fn::Join CDK renders for `arn:<partition>:<service>:<region>:<account>:<rest>`. */
const arnJoin = (service: string, rest: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      `:${service}:`,
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      rest,
    ],
  ],
});

describe('PenaltyEngine', () => {
  let app: App;
  let stack: Stack;
  let table: TableV2;
  let eventQueue: EventQueue;
  let engine: PenaltyEngine;
  let probe: WecomFunction;
  let template: Template;
  const logicalId = (element: unknown): string => stack.getLogicalId(element as CfnElement);
  const ref = (element: unknown) => ({ Ref: logicalId(element) });
  const arnOf = (element: unknown) => ({ 'Fn::GetAtt': [logicalId(element), 'Arn'] });
  const permissionsOf = (fn: WecomFunction): Permission[] =>
    permissionsOfRole(template, roleOfFunction(template, logicalId(fn.node.defaultChild)));

  beforeAll(() => {
    // Prepare
    app = new App({ context: testAppContext({ bundle: false }) });
    stack = new Stack(app, 'Test');
    table = new TableV2(stack, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
    });
    eventQueue = new EventQueue(stack, 'Events');
    probe = new WecomFunction(stack, 'Probe', { entry: FIXTURE_ENTRY, serviceName: 'probe' });

    // Act
    engine = new PenaltyEngine(stack, 'Engine', {
      table,
      eventQueue,
      evaluatorEntry: FIXTURE_ENTRY,
      sweepEntry: FIXTURE_ENTRY,
    });
    engine.grantEngine(probe);
    template = Template.fromStack(stack);
  });

  describe('evaluator', () => {
    it('runs 30 s with 512 MB', () => {
      // Assess
      const fn =
        template.findResources('AWS::Lambda::Function')[logicalId(engine.evaluator.node.defaultChild)];
      expect(EVALUATOR_TIMEOUT.toSeconds()).toBe(30);
      expect(fn?.Properties).toMatchObject({
        Timeout: 30,
        MemorySize: 512,
        Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'penalty-evaluator' } },
      });
    });

    it('consumes the event queue in batches reporting per-record failures', () => {
      // Assess
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: arnOf(eventQueue.queue.node.defaultChild),
        FunctionName: ref(engine.evaluator.node.defaultChild),
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: 10,
        ScalingConfig: { MaximumConcurrency: 51 },
      });
    });

    it('may park a poison message in the event dead-letter queue', () => {
      // Assess
      expect(permissionsOf(engine.evaluator)).toContainEqual({
        action: 'sqs:SendMessage',
        resource: arnOf(eventQueue.deadLetterQueue.node.defaultChild),
      });
    });
  });

  describe('timers', () => {
    it('live in a dedicated, named schedule group', () => {
      // Assess
      template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
      template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'Test-timers' });
      expect(engine.scheduleGroup.scheduleGroupName).toBe('Test-timers');
    });

    it('fall back to a standard dead-letter queue, encrypted, TLS only, kept 14 days', () => {
      // Assess
      const dlqId = logicalId(engine.timerDeadLetterQueue.node.defaultChild);
      const dlq = template.findResources('AWS::SQS::Queue')[dlqId];
      expect(dlq?.Properties).toMatchObject({
        QueueName: 'Test-timers-dlq',
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      expect(dlq?.Properties).not.toHaveProperty('FifoQueue');
      expect(dlq?.Properties).not.toHaveProperty('RedrivePolicy');
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: dlqId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it('are delivered by a role only Scheduler may assume, for this account and this group', () => {
      // Assess
      const role =
        template.findResources('AWS::IAM::Role')[logicalId(engine.schedulerRole.node.defaultChild)];
      expect(role?.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: {
            StringEquals: {
              'aws:SourceAccount': { Ref: 'AWS::AccountId' },
              'aws:SourceArn': arnOf(engine.scheduleGroup.node.defaultChild),
            },
          },
        },
      ]);
      expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role?.Properties.Policies).toBeUndefined();
    });

    it('are delivered with sqs:SendMessage on the event queue and the timer DLQ, and nothing else', () => {
      // Assess
      const permissions = permissionsOfRole(template, logicalId(engine.schedulerRole.node.defaultChild));
      expect(permissions).toHaveLength(2);
      expect(permissions).toEqual(
        expect.arrayContaining([
          { action: 'sqs:SendMessage', resource: arnOf(eventQueue.queue.node.defaultChild) },
          { action: 'sqs:SendMessage', resource: arnOf(engine.timerDeadLetterQueue.node.defaultChild) },
        ]),
      );
    });
  });

  describe('sweep', () => {
    it('runs up to 5 minutes', () => {
      // Assess
      const fn = template.findResources('AWS::Lambda::Function')[logicalId(engine.sweep.node.defaultChild)];
      expect(fn?.Properties).toMatchObject({
        Timeout: 300,
        Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'sweep' } },
      });
    });

    it('is invoked every 15 minutes by a Scheduler rate schedule outside the timer group', () => {
      // Assess
      template.resourceCountIs('AWS::Scheduler::Schedule', 1);
      const [schedule] = Object.values(template.findResources('AWS::Scheduler::Schedule'));
      expect(schedule?.Properties).toMatchObject({
        ScheduleExpression: 'rate(15 minutes)',
        State: 'ENABLED',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: arnOf(engine.sweep.node.defaultChild),
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 600 },
        },
      });
      expect(schedule?.Properties).not.toHaveProperty('GroupName');
    });

    it('is invoked through a role that may invoke the sweep and nothing else', () => {
      // Assess
      const [schedule] = Object.values(template.findResources('AWS::Scheduler::Schedule'));
      const roleId: string = schedule?.Properties.Target.RoleArn['Fn::GetAtt'][0];
      const role = template.findResources('AWS::IAM::Role')[roleId];
      expect(role?.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        expect.objectContaining({
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: {
            StringEquals: {
              'aws:SourceAccount': { Ref: 'AWS::AccountId' },
              'aws:SourceArn': arnJoin('scheduler', ':schedule-group/default'),
            },
          },
        }),
      ]);
      const permissions = permissionsOfRole(template, roleId);
      const sweepArn = arnOf(engine.sweep.node.defaultChild);
      expect(permissions).toEqual([
        { action: 'lambda:InvokeFunction', resource: sweepArn },
        { action: 'lambda:InvokeFunction', resource: { 'Fn::Join': ['', [sweepArn, ':*']] } },
      ]);
    });
  });

  it('publishes outbound events on its own bus named after the stack', () => {
    // Assess
    template.resourceCountIs('AWS::Events::EventBus', 1);
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'Test-outbound' });
  });

  describe.each([
    ['the evaluator', () => engine.evaluator],
    ['the sweep', () => engine.sweep],
    ['any function given grantEngine', () => probe],
  ])('grantEngine on %s', (_name, fnOf) => {
    it('sets the names and ARNs the engine is wired from', () => {
      // Assess
      const fn = template.findResources('AWS::Lambda::Function')[logicalId(fnOf().node.defaultChild)];
      expect(fn?.Properties.Environment.Variables).toMatchObject({
        [ENV.tableName]: ref(table.node.defaultChild),
        [ENV.eventQueueUrl]: ref(eventQueue.queue.node.defaultChild),
        [ENV.eventQueueArn]: arnOf(eventQueue.queue.node.defaultChild),
        [ENV.scheduleGroup]: 'Test-timers',
        [ENV.schedulerRoleArn]: arnOf(engine.schedulerRole.node.defaultChild),
        [ENV.timerDeadLetterArn]: arnOf(engine.timerDeadLetterQueue.node.defaultChild),
        [ENV.eventBusName]: ref(engine.eventBus.node.defaultChild),
      });
    });

    it('allows reading and conditionally writing the table, and querying the sweep index only', () => {
      // Assess
      const dynamo = permissionsOf(fnOf()).filter((p) => p.action.startsWith('dynamodb:'));
      const tableArn = arnOf(table.node.defaultChild);
      expect(dynamo).toEqual(
        expect.arrayContaining([
          ...ENGINE_TABLE_ACTIONS.map((action) => ({ action, resource: tableArn })),
          {
            action: 'dynamodb:Query',
            resource: { 'Fn::Join': ['', [tableArn, `/index/${SWEEP_INDEX.name}`]] },
          },
        ]),
      );
      expect(dynamo).toHaveLength(ENGINE_TABLE_ACTIONS.length + 1);
      expect(ENGINE_TABLE_ACTIONS).toEqual([
        'dynamodb:GetItem',
        'dynamodb:BatchGetItem',
        'dynamodb:Query',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:ConditionCheckItem',
      ]);
    });

    it('allows creating and deleting schedules of the timer group only', () => {
      // Assess
      const scheduler = permissionsOf(fnOf()).filter((p) => p.action.startsWith('scheduler:'));
      const timerSchedules = arnJoin('scheduler', ':schedule/Test-timers/*');
      expect(scheduler).toEqual([
        { action: 'scheduler:CreateSchedule', resource: timerSchedules },
        { action: 'scheduler:DeleteSchedule', resource: timerSchedules },
      ]);
    });

    it('allows passing the Scheduler role, to Scheduler only, and no other role', () => {
      // Assess
      const passRole = permissionsOf(fnOf()).filter((p) => p.action.startsWith('iam:'));
      expect(passRole).toEqual([
        {
          action: 'iam:PassRole',
          resource: arnOf(engine.schedulerRole.node.defaultChild),
          condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        },
      ]);
    });

    it('allows sending to the event queue and publishing on the bus', () => {
      // Assess
      const permissions = permissionsOf(fnOf());
      expect(permissions).toContainEqual({
        action: 'sqs:SendMessage',
        resource: arnOf(eventQueue.queue.node.defaultChild),
      });
      expect(permissions.filter((p) => p.action.startsWith('events:'))).toEqual([
        { action: 'events:PutEvents', resource: arnOf(engine.eventBus.node.defaultChild) },
      ]);
    });

    it('grants no wildcard action and no resource wildcard beyond X-Ray and the timer schedules', () => {
      // Assess
      const permissions = permissionsOf(fnOf());
      expect(permissions.filter((p) => p.action.includes('*'))).toEqual([]);
      const wildcards = permissions
        .filter((p) => JSON.stringify(p.resource).includes('*'))
        .map((p) => p.action)
        .sort();
      expect(wildcards).toEqual([
        'scheduler:CreateSchedule',
        'scheduler:DeleteSchedule',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
    });

    it('acknowledges the timer-schedule wildcard on the function role, with a reason', () => {
      // Assess
      const role = fnOf().role;
      if (!role) throw new Error('function has no role');
      const ids = acknowledgements(role).map(([id]) => id);
      expect(ids).toContain(
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/Test-timers/*]',
      );
    });
  });

  it('leaves no cdk-nag finding unacknowledged, and gives every acknowledgement a reason', () => {
    // Act
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(app);

    // Assess
    expect(report.violations).toEqual([]);
    const acknowledged = stack.node.findAll().flatMap(acknowledgements);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledged) expect(reason.length, id).toBeGreaterThan(60);
  });
});
