import { Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { DeduplicationScope, FifoThroughputLimit, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config/index.js';
import type { WecomFunction } from './wecom-function.js';

/** SQS's largest message (1 MiB): the size a queued event is checked against. */
export const MAX_MESSAGE_BYTES = 1_048_576;

/** Props of an {@link EventQueue}. */
export interface EventQueueProps {
  /**
   * How long a received message stays invisible; six times the consumer's timeout, as AWS advises for
   * Lambda event sources, so a retried batch never overlaps the one still running.
   * @default 180 s (a 30 s consumer)
   */
  readonly visibilityTimeout?: Duration;
  /** @default 5: a poison message is parked after five failed evaluations instead of blocking its group. */
  readonly maxReceiveCount?: number;
}

/** How the consumer polls the queue; see {@link EventQueue.connectConsumer}. */
export interface EventQueueConsumerOptions {
  /** @default 10: a FIFO queue delivers at most 10 messages per batch. */
  readonly batchSize?: number;
  /** Most concurrent batches; FIFO ordering per member holds whatever the value. @default 50 */
  readonly maxConcurrency?: number;
}

/**
 * The FIFO queue of normalized WeCom events and its FIFO dead-letter queue.
 * Functions get the queue URL and their permissions only through its `connect...` methods.
 */
export class EventQueue extends Construct {
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;
  /** Visibility timeout of {@link queue}: a consumer's timeout may be a sixth of it at most. */
  public readonly visibilityTimeout: Duration;

  constructor(scope: Construct, id: string, props: EventQueueProps = {}) {
    super(scope, id);
    const stackName = Stack.of(this).stackName;
    const retentionPeriod = Duration.days(14);
    this.visibilityTimeout = props.visibilityTimeout ?? Duration.seconds(6 * 30);

    // Explicit names: CloudFormation's generated FIFO names can exceed SQS's 80-character limit.
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      queueName: `${stackName}-events-dlq.fifo`,
      fifo: true,
      maxMessageSizeBytes: MAX_MESSAGE_BYTES,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod,
    });

    this.queue = new Queue(this, 'Queue', {
      queueName: `${stackName}-events.fifo`,
      fifo: true,
      // A 256 KiB callback queued as escaped ASCII (see queueBody) takes up to three times its size.
      maxMessageSizeBytes: MAX_MESSAGE_BYTES,
      // EventBridge Scheduler cannot set a MessageDeduplicationId on a timer it delivers, and SQS refuses
      // a FIFO message with neither an id nor this flag. An explicit id still wins: ingest sets it to
      // the event's own identity, so WeCom retries and replays collapse even when their bodies differ.
      contentBasedDeduplication: true,
      // High-throughput FIFO: ordering and dedup per member (message group) are all the engine needs.
      deduplicationScope: DeduplicationScope.MESSAGE_GROUP,
      fifoThroughputLimit: FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: this.visibilityTimeout,
      retentionPeriod,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });
  }

  /** Gives `fn` the queue URL in EVENT_QUEUE_URL and permission to send to it, and nothing else. */
  public connectSender(fn: WecomFunction): void {
    fn.addEnvironment(ENV.eventQueueUrl, this.queue.queueUrl);
    // Not grantSendMessages: senders need neither GetQueueAttributes nor GetQueueUrl, and SQS-managed
    // encryption needs no KMS grant. sqs:SendMessage also covers SendMessageBatch.
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }),
    );
  }

  /**
   * Makes `fn` the consumer of the queue: batches with per-record failure reports (only the records
   * reported failed come back, and after `maxReceiveCount` receives they are parked in the dead-letter
   * queue), and the dead-letter queue's URL in EVENT_DLQ_URL with sqs:SendMessage on it, so that a
   * message that can never be evaluated is parked at once instead of holding up its member for five
   * receives. Refuses a consumer whose timeout exceeds a sixth of the visibility timeout.
   */
  public connectConsumer(fn: WecomFunction, options: EventQueueConsumerOptions = {}): SqsEventSource {
    const timeout = fn.timeout?.toSeconds() ?? 3;
    if (6 * timeout > this.visibilityTimeout.toSeconds()) {
      throw new Error(
        `${fn.node.path}: a ${timeout} s consumer needs a visibility timeout of at least ${6 * timeout} s ` +
          `(6 × its timeout), not ${this.visibilityTimeout.toSeconds()} s`,
      );
    }
    const source = new SqsEventSource(this.queue, {
      batchSize: options.batchSize ?? 10,
      maxConcurrency: options.maxConcurrency ?? 50,
      reportBatchItemFailures: true,
    });
    fn.addEventSource(source);
    fn.addEnvironment(ENV.eventDeadLetterQueueUrl, this.deadLetterQueue.queueUrl);
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }),
    );
    return source;
  }
}
