import { App, type CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { EventQueue } from '../../../../infra/constructs/event-queue.js';
import { WecomFunction } from '../../../../infra/constructs/wecom-function.js';
import { ENV } from '../../../../shared/config/constants.js';
import { testAppContext } from '../test-app-context.js';

describe('EventQueue', () => {
  let eventQueue: EventQueue;
  let tuned: EventQueue;
  let sender: WecomFunction;
  let template: Template;
  const logicalId = (element: unknown): string => Stack.of(eventQueue).getLogicalId(element as CfnElement);

  beforeAll(() => {
    // Prepare
    const stack = new Stack(new App({ context: testAppContext({ bundle: false }) }), 'Test');
    sender = new WecomFunction(stack, 'Sender', {
      entry: 'test/unit/infra/fixtures/handler.ts',
      serviceName: 'sender',
    });

    // Act
    eventQueue = new EventQueue(stack, 'Events');
    tuned = new EventQueue(stack, 'Tuned', { visibilityTimeout: Duration.seconds(60), maxReceiveCount: 3 });
    eventQueue.connectSender(sender);
    template = Template.fromStack(stack);
  });

  it('makes a high-throughput FIFO queue deduplicating per message group, by content when the sender sets no id', () => {
    // Assess
    const queue = template.findResources('AWS::SQS::Queue')[logicalId(eventQueue.queue.node.defaultChild)];
    expect(queue?.Properties).toMatchObject({
      QueueName: 'Test-events.fifo',
      FifoQueue: true,
      ContentBasedDeduplication: true,
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 180,
      MessageRetentionPeriod: 1_209_600,
    });
  });

  it('redrives to a FIFO dead-letter queue after five receives', () => {
    // Assess
    const dlqId = logicalId(eventQueue.deadLetterQueue.node.defaultChild);
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'Test-events.fifo',
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 },
    });
    const dlq = template.findResources('AWS::SQS::Queue')[dlqId];
    expect(dlq?.Properties).toMatchObject({
      QueueName: 'Test-events-dlq.fifo',
      FifoQueue: true,
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1_209_600,
    });
  });

  it('holds messages of 1 MiB in the queue and its dead-letter queue, as escaped 256 KiB callbacks need', () => {
    // Assess
    for (const queue of [eventQueue.queue, eventQueue.deadLetterQueue]) {
      const resource = template.findResources('AWS::SQS::Queue')[logicalId(queue.node.defaultChild)];
      expect(resource?.Properties).toMatchObject({ MaximumMessageSize: 1_048_576 });
    }
  });

  it('takes the visibility timeout and the receive count from its props', () => {
    // Assess
    const queue = template.findResources('AWS::SQS::Queue')[logicalId(tuned.queue.node.defaultChild)];
    expect(queue?.Properties).toMatchObject({ VisibilityTimeout: 60, RedrivePolicy: { maxReceiveCount: 3 } });
  });

  it('gives a sender the queue URL and sqs:SendMessage on this queue, and nothing more', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          [ENV.eventQueueUrl]: { Ref: logicalId(eventQueue.queue.node.defaultChild) },
        }),
      },
    });
    const [policy] = Object.values(template.findResources('AWS::IAM::Policy'));
    const sqsStatements = (policy?.Properties.PolicyDocument.Statement as { Action: unknown }[]).filter((s) =>
      JSON.stringify(s.Action).includes('sqs:'),
    );
    expect(sqsStatements).toEqual([
      {
        Action: 'sqs:SendMessage',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [logicalId(eventQueue.queue.node.defaultChild), 'Arn'] },
      },
    ]);
  });
});

describe('EventQueue consumer', () => {
  let eventQueue: EventQueue;
  let consumer: WecomFunction;
  let stack: Stack;
  let template: Template;
  const logicalId = (element: unknown): string => stack.getLogicalId(element as CfnElement);
  const consumerFunction = (scope: Stack, id: string, timeout: Duration): WecomFunction =>
    new WecomFunction(scope, id, {
      entry: 'test/unit/infra/fixtures/handler.ts',
      serviceName: id.toLowerCase(),
      timeout,
    });

  beforeAll(() => {
    // Prepare
    stack = new Stack(new App({ context: testAppContext({ bundle: false }) }), 'Test');
    eventQueue = new EventQueue(stack, 'Events');
    consumer = consumerFunction(stack, 'Consumer', Duration.seconds(30));

    // Act
    eventQueue.connectConsumer(consumer);
    template = Template.fromStack(stack);
  });

  it('polls the queue in batches of 10 with per-record failure reports and bounded concurrency', () => {
    // Assess
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalId(eventQueue.queue.node.defaultChild), 'Arn'] },
      FunctionName: { Ref: logicalId(consumer.node.defaultChild) },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
      ScalingConfig: { MaximumConcurrency: 50 },
    });
  });

  it('gives the consumer the dead-letter queue URL and sqs:SendMessage on it, to park poison messages', () => {
    // Assess
    const dlqId = logicalId(eventQueue.deadLetterQueue.node.defaultChild);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENV.eventDeadLetterQueueUrl]: { Ref: dlqId } }) },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [dlqId, 'Arn'] } }),
        ]),
      },
    });
  });

  it('refuses a consumer whose timeout is more than a sixth of the visibility timeout', () => {
    // Prepare
    const slow = consumerFunction(stack, 'Slow', Duration.seconds(31));

    // Act / Assess
    expect(() => eventQueue.connectConsumer(slow)).toThrow(/at least 186 s/);
  });
});
