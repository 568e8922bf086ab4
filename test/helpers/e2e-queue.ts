import { SQSClient } from '@aws-sdk/client-sqs';

/** The SQS-protocol server of a running `npm start`, as `GET /local/queue` gives it. */
export interface LocalQueueEndpoint {
  readonly endpoint: string;
  readonly queueUrl: string;
  readonly dlqUrl: string;
  readonly client: SQSClient;
}

/**
 * The queue of the local mode serving `httpUrl`, with an SQS client on it: what a poisoned message
 * needs to reach the queue directly (ingest refuses bad input, so HTTP alone cannot queue one).
 */
export async function findLocalQueue(httpUrl: string): Promise<LocalQueueEndpoint> {
  const response = await fetch(`${httpUrl}/local/queue`);
  const { endpoint, queueUrl, dlqUrl } = (await response.json()) as Omit<LocalQueueEndpoint, 'client'>;
  const client = new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  return { endpoint, queueUrl, dlqUrl, client };
}
