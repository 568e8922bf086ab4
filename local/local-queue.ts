import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';

/** Names of the local queues; the deployed ones carry the same attributes (see infra/). */
export const LOCAL_QUEUE_NAME = 'wecom-events.fifo';
export const LOCAL_DLQ_NAME = 'wecom-events-dlq.fifo';

/** A queued message, as the debug listing shows it. */
export interface QueuedMessage {
  readonly messageId: string;
  readonly groupId: string | undefined;
  readonly deduplicationId: string | undefined;
  readonly body: string;
  readonly state: 'ready' | 'inflight' | 'delayed';
}

/** A running SQS-protocol server with the event queue and its dead-letter queue. */
export interface LocalQueue {
  /** The endpoint to give an SQS client (AWS_ENDPOINT_URL_SQS). */
  readonly endpoint: string;
  readonly queueUrl: string;
  readonly dlqUrl: string;
  readonly client: SQSClient;
  /** Every message of a queue without consuming it. */
  list(queueName?: string): QueuedMessage[];
  stop(): Promise<void>;
}

/** Local credentials and region: fauxqs checks neither, the SDK needs both. */
export const LOCAL_AWS = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;

/**
 * Starts fauxqs in this process on 127.0.0.1 (port 0 picks a free one) and creates the FIFO event
 * queue and FIFO DLQ through the real SQS API, with the attributes the deployed queue has.
 */
export async function startLocalQueue(options: { port?: number } = {}): Promise<LocalQueue> {
  const server = await startFauxqs({ port: options.port ?? 0, logger: false });
  const client = new SQSClient({ ...LOCAL_AWS, endpoint: server.address });
  try {
    const dlq = await client.send(
      new CreateQueueCommand({
        QueueName: LOCAL_DLQ_NAME,
        Attributes: { FifoQueue: 'true', MessageRetentionPeriod: '1209600' },
      }),
    );
    const dlqArn = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    const queue = await client.send(
      new CreateQueueCommand({
        QueueName: LOCAL_QUEUE_NAME,
        Attributes: {
          FifoQueue: 'true',
          ContentBasedDeduplication: 'false',
          DeduplicationScope: 'messageGroup',
          FifoThroughputLimit: 'perMessageGroupId',
          VisibilityTimeout: '180',
          MessageRetentionPeriod: '1209600',
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: dlqArn.Attributes?.QueueArn,
            maxReceiveCount: '5',
          }),
        },
      }),
    );
    if (!queue.QueueUrl || !dlq.QueueUrl) throw new Error('fauxqs did not return queue URLs');
    return {
      endpoint: server.address,
      queueUrl: queue.QueueUrl,
      dlqUrl: dlq.QueueUrl,
      client,
      list: (queueName = LOCAL_QUEUE_NAME) => listMessages(server, queueName),
      stop: async () => {
        client.destroy();
        await server.stop();
      },
    };
  } catch (error) {
    client.destroy();
    await server.stop();
    throw error;
  }
}

type Fauxqs = Awaited<ReturnType<typeof startFauxqs>>;

function listMessages(server: Fauxqs, queueName: string): QueuedMessage[] {
  const inspected = server.inspectQueue(queueName);
  if (!inspected) return [];
  const toQueued = (
    message: { messageId: string; body: string; messageGroupId?: string; messageDeduplicationId?: string },
    state: QueuedMessage['state'],
  ): QueuedMessage => ({
    messageId: message.messageId,
    groupId: message.messageGroupId,
    deduplicationId: message.messageDeduplicationId,
    body: message.body,
    state,
  });
  return [
    ...inspected.messages.ready.map((m) => toQueued(m, 'ready')),
    ...inspected.messages.delayed.map((m) => toQueued(m, 'delayed')),
    ...inspected.messages.inflight.map((entry) => toQueued(entry.message, 'inflight')),
  ];
}
