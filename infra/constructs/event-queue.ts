import { Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { DeduplicationScope, FifoThroughputLimit, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config/constants.js';
import type { WecomFunction } from './wecom-function.js';

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

/**
 * The FIFO queue of normalized WeCom events and its FIFO dead-letter queue.
 * Functions get the queue URL and their permissions only through its `connect...` methods.
 */
export class EventQueue extends Construct {
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: EventQueueProps = {}) {
    super(scope, id);
    const stackName = Stack.of(this).stackName;
    const retentionPeriod = Duration.days(14);

    // Explicit names: CloudFormation's generated FIFO names can exceed SQS's 80-character limit.
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      queueName: `${stackName}-events-dlq.fifo`,
      fifo: true,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod,
    });

    this.queue = new Queue(this, 'Queue', {
      queueName: `${stackName}-events.fifo`,
      fifo: true,
      // Ingest sets MessageDeduplicationId to the event's own identity, so WeCom retries and replays
      // collapse even when their bodies differ. Later senders must do the same: EventBridge Scheduler
      // timers cannot compute a body hash per delivery, so they need their own dedupe id (or this flag).
      contentBasedDeduplication: false,
      // High-throughput FIFO: ordering and dedup per member (message group) are all the engine needs.
      deduplicationScope: DeduplicationScope.MESSAGE_GROUP,
      fifoThroughputLimit: FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: props.visibilityTimeout ?? Duration.seconds(6 * 30),
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
}
