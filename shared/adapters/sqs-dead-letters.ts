import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';

/** Options of the dead-letter adapter. */
export interface SqsDeadLettersOptions {
  readonly client: SQSClient;
  /** The event queue's FIFO dead-letter queue. */
  readonly queueUrl: string;
}

/**
 * Moves a message that can never be evaluated (not JSON, not an input) to the event queue's
 * dead-letter queue at once, with the reason as a message attribute, so it is kept for a person
 * to look at and does not hold up its member's later messages for five receives.
 */
export class SqsDeadLetters {
  readonly #options: SqsDeadLettersOptions;

  constructor(options: SqsDeadLettersOptions) {
    this.#options = options;
  }

  async quarantine(
    record: Pick<SQSRecord, 'body' | 'messageId' | 'attributes'>,
    reason: string,
  ): Promise<void> {
    await this.#options.client.send(
      new SendMessageCommand({
        QueueUrl: this.#options.queueUrl,
        MessageBody: record.body,
        MessageGroupId: record.attributes.MessageGroupId ?? 'quarantine',
        // The source message's id: quarantining it again after a crash stores it once.
        MessageDeduplicationId: record.messageId,
        MessageAttributes: {
          reason: { DataType: 'String', StringValue: reason.slice(0, 1024) },
          sourceMessageId: { DataType: 'String', StringValue: record.messageId },
        },
      }),
    );
  }
}
