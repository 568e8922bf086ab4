import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';

/** One batch received from the queue, as Lambda's SQS event source hands it to a function. */
export interface ReceivedBatch {
  readonly records: SQSRecord[];
  /** Receipt handles by message id, to delete what the function did not report failed. */
  readonly receipts: ReadonlyMap<string, string>;
}

/**
 * Receives up to `max` messages the way Lambda's SQS event source does: with their system
 * attributes (MessageGroupId, ApproximateReceiveCount, ...), shaped as SQS event records.
 */
export async function receiveBatch(
  client: SQSClient,
  queueUrl: string,
  options: { max?: number; waitSeconds?: number; queueArn?: string } = {},
): Promise<ReceivedBatch> {
  const result = await client.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: options.max ?? 10,
      WaitTimeSeconds: options.waitSeconds ?? 0,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    }),
  );
  const messages = result.Messages ?? [];
  const receipts = new Map<string, string>();
  const records = messages.map((message) => {
    if (message.MessageId && message.ReceiptHandle) receipts.set(message.MessageId, message.ReceiptHandle);
    return toSqsRecord(message, options.queueArn ?? queueUrl);
  });
  return { records, receipts };
}

/** Deletes every record of the batch that the function's partial batch response does not list. */
export async function acknowledge(
  client: SQSClient,
  queueUrl: string,
  batch: ReceivedBatch,
  response: SQSBatchResponse | undefined,
): Promise<number> {
  const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
  const entries = batch.records
    .filter((record) => !failed.has(record.messageId))
    .flatMap((record, index) => {
      const handle = batch.receipts.get(record.messageId);
      return handle ? [{ Id: String(index), ReceiptHandle: handle }] : [];
    });
  for (let i = 0; i < entries.length; i += 10) {
    await client.send(
      new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries.slice(i, i + 10) }),
    );
  }
  return entries.length;
}

function toSqsRecord(message: Message, eventSourceARN: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      ...(attributes.MessageGroupId ? { MessageGroupId: attributes.MessageGroupId } : {}),
      ...(attributes.MessageDeduplicationId
        ? { MessageDeduplicationId: attributes.MessageDeduplicationId }
        : {}),
      ...(attributes.SequenceNumber ? { SequenceNumber: attributes.SequenceNumber } : {}),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        {
          dataType: value.DataType ?? 'String',
          ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
        },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN,
    awsRegion: 'us-east-1',
  };
}
