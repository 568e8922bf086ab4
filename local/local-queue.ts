import { Worker } from 'node:worker_threads';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';

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
  list(queueName?: string): Promise<QueuedMessage[]>;
  stop(): Promise<void>;
}

/** Local credentials and region: fauxqs checks neither, the SDK needs both. */
export const LOCAL_AWS = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;

/**
 * Starts fauxqs on a worker thread of this process, on 127.0.0.1 (port 0 picks a free one), and
 * creates the FIFO event queue and FIFO DLQ through the real SQS API, with the attributes the
 * deployed queue has.
 */
export async function startLocalQueue(options: { port?: number } = {}): Promise<LocalQueue> {
  const server = await startQueueServer(options.port ?? 0);
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
          // As deployed: timers from Scheduler carry no deduplication id, so the body is their id.
          ContentBasedDeduplication: 'true',
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
      list: (queueName = LOCAL_QUEUE_NAME) => server.call<QueuedMessage[]>('list', queueName),
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

/** The fauxqs worker: its address and a request/response channel to it. */
interface QueueServer {
  readonly address: string;
  call<T>(op: 'list', queueName: string): Promise<T>;
  stop(): Promise<void>;
}

type WorkerReply = { ready: string } | { id: number; result?: unknown; error?: string };

async function startQueueServer(port: number): Promise<QueueServer> {
  const worker = new Worker(new URL('./queue-server-worker.mjs', import.meta.url), { workerData: { port } });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  const address = await new Promise<string>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (reply: WorkerReply) => {
      if ('ready' in reply) {
        worker.off('error', reject);
        resolve(reply.ready);
        return;
      }
      const waiter = pending.get(reply.id);
      pending.delete(reply.id);
      if (reply.error !== undefined) waiter?.reject(new Error(`local queue: ${reply.error}`));
      else waiter?.resolve(reply.result);
    });
  });
  worker.on('error', (error) => {
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  });
  const send = <T>(op: string, queueName?: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, op, queueName });
    });
  return {
    address,
    call: <T>(op: 'list', queueName: string) => send<T>(op, queueName),
    stop: async () => {
      await send('stop');
      await worker.terminate();
    },
  };
}
