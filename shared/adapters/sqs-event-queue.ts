import { createHash } from 'node:crypto';
import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { DomainEvent, EventQueue } from '../domain/index.js';
import { EventRefusedByQueueError, QueueUnavailableError } from '../errors.js';
import { queueBody } from './queue-body.js';

/** SQS takes at most 10 entries per SendMessageBatch. */
const BATCH_SIZE = 10;
/** MessageGroupId: 1–128 characters of ASCII letters, digits and punctuation. */
const GROUP_ID = /^[\x21-\x7e]{1,128}$/;

/** Options of the SQS FIFO event queue adapter. */
export interface SqsEventQueueOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  /** Total time allowed for all attempts, in ms (WeCom waits 5 s for the answer). */
  readonly budgetMs: number;
  /** First back-off delay in ms; doubles per attempt, with full jitter. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
}

/** The member an event belongs to, as the FIFO group that keeps that member's events in order. */
export function messageGroupIdFor(event: Pick<DomainEvent, 'corpId' | 'userId'>): string {
  const group = `${event.corpId}:${event.userId}`;
  if (GROUP_ID.test(group)) return group;
  return `${event.corpId.slice(0, 60)}:h-${createHash('sha256').update(event.userId).digest('hex').slice(0, 40)}`;
}

/** EventQueue on an SQS FIFO queue: one message per event, grouped by member, deduplicated by event id. */
export class SqsEventQueue implements EventQueue {
  readonly #options: Required<SqsEventQueueOptions>;

  constructor(options: SqsEventQueueOptions) {
    this.#options = { baseDelayMs: 50, maxDelayMs: 800, ...options };
  }

  async send(events: readonly DomainEvent[]): Promise<void> {
    const deadline = Date.now() + this.#options.budgetMs;
    const unique = new Map<string, DomainEvent>();
    for (const event of events) unique.set(event.id, event);
    const entries = [...unique.values()].map(
      (event, index): SendMessageBatchRequestEntry => ({
        Id: String(index),
        MessageBody: queueBody(event),
        MessageGroupId: messageGroupIdFor(event),
        MessageDeduplicationId: event.id,
      }),
    );
    const batches: SendMessageBatchRequestEntry[][] = [];
    for (let i = 0; i < entries.length; i += BATCH_SIZE) batches.push(entries.slice(i, i + BATCH_SIZE));
    await Promise.all(batches.map((batch) => this.#sendBatch(batch, deadline)));
  }

  /**
   * Sends one batch, re-sending only the entries that failed for a fault of SQS's own, with back-off,
   * until the deadline. An entry refused for its content (a sender fault) fails at once: sending the
   * same body again cannot help, and answering 503 would have WeCom deliver it forever.
   */
  async #sendBatch(batch: SendMessageBatchRequestEntry[], deadline: number): Promise<void> {
    let pending = batch;
    let lastError: unknown;
    for (let attempt = 0; ; attempt++) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new QueueUnavailableError({ cause: lastError });
      try {
        const result = await this.#options.client.send(
          new SendMessageBatchCommand({ QueueUrl: this.#options.queueUrl, Entries: pending }),
          { abortSignal: AbortSignal.timeout(remaining) },
        );
        const failures = result.Failed ?? [];
        const refused = failures.find((failure) => failure.SenderFault);
        if (refused) throw new EventRefusedByQueueError(refused.Code ?? 'unknown', refused.Message ?? '');
        const failed = new Set(failures.map((failure) => failure.Id));
        if (failed.size === 0) return;
        lastError = new Error(`SQS refused ${failed.size} of ${pending.length} entries`);
        pending = pending.filter((entry) => failed.has(entry.Id));
      } catch (error) {
        if (error instanceof EventRefusedByQueueError) throw error;
        lastError = error;
      }
      const ceiling = Math.min(this.#options.maxDelayMs, this.#options.baseDelayMs * 2 ** attempt);
      const delay = Math.random() * ceiling;
      if (Date.now() + delay >= deadline) throw new QueueUnavailableError({ cause: lastError });
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
