import { createHash } from 'node:crypto';
import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { TimerCommand } from '../domain/index.js';
import { EntriesRefusedError } from './errors.js';
import { queueBody } from './queue-body.js';
import { messageGroupIdFor } from './sqs-event-queue.js';

/** SQS takes at most 10 entries per SendMessageBatch. */
const BATCH_SIZE = 10;

/** Options of the SQS FIFO command queue adapter. */
export interface SqsCommandQueueOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  /** Sends of an entry, counting the first, before one SQS keeps refusing is given up on (default 4). */
  readonly maxAttempts?: number;
  /** First back-off delay in ms; doubles per attempt, with full jitter. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
}

/** The FIFO deduplication id of a command: its id may be longer than 128 characters or hold ones SQS refuses. */
export function commandDeduplicationId(command: Pick<TimerCommand, 'id'>): string {
  return createHash('sha256').update(command.id).digest('hex');
}

/**
 * Puts timer commands on the FIFO event queue at once (a timer already due when it is decided):
 * each in its member's group, so it is evaluated in order with that member's callbacks, and
 * deduplicated by its id, so sending it again (a redelivery) queues nothing new.
 */
export class SqsCommandQueue {
  readonly #options: Required<SqsCommandQueueOptions>;

  constructor(options: SqsCommandQueueOptions) {
    this.#options = {
      ...options,
      maxAttempts: options.maxAttempts ?? 4,
      baseDelayMs: options.baseDelayMs ?? 50,
      maxDelayMs: options.maxDelayMs ?? 1_000,
    };
  }

  /**
   * Queues every command; entries SQS refuses for a fault of its own are re-sent with back-off, up
   * to `maxAttempts` sends (default 4). Rejects naming how many could not be queued, or with the
   * client's error when a request itself fails (the SDK has retried it already).
   */
  async send(commands: readonly TimerCommand[]): Promise<void> {
    const unique = new Map<string, TimerCommand>();
    for (const command of commands) unique.set(command.id, command);
    const entries = [...unique.values()].map(
      (command, index): SendMessageBatchRequestEntry => ({
        Id: String(index),
        MessageBody: queueBody(command),
        MessageGroupId: messageGroupIdFor(command),
        MessageDeduplicationId: commandDeduplicationId(command),
      }),
    );
    const batches: SendMessageBatchRequestEntry[][] = [];
    for (let i = 0; i < entries.length; i += BATCH_SIZE) batches.push(entries.slice(i, i + BATCH_SIZE));
    const refused = await Promise.all(batches.map((batch) => this.#sendBatch(batch)));
    const failed = refused.reduce((sum, batch) => sum + batch.count, 0);
    if (failed > 0) {
      const code = refused.find((batch) => batch.code !== undefined)?.code ?? 'unknown';
      throw new EntriesRefusedError(
        `SQS refused ${failed} of ${entries.length} timer commands (first error: ${code})`,
      );
    }
  }

  /**
   * Sends one batch, re-sending only the entries refused for a fault of SQS's own with back-off;
   * an entry refused as the sender's fault (a body SQS will never take) is not sent again. Answers
   * how many entries were refused in the end, and the first error code.
   */
  async #sendBatch(batch: SendMessageBatchRequestEntry[]): Promise<{ count: number; code?: string }> {
    let pending = batch;
    let refused = 0;
    let code: string | undefined;
    for (let attempt = 1; ; attempt++) {
      const result = await this.#options.client.send(
        new SendMessageBatchCommand({ QueueUrl: this.#options.queueUrl, Entries: pending }),
      );
      const failures = result.Failed ?? [];
      code ??= failures[0]?.Code;
      refused += failures.filter((failure) => failure.SenderFault).length;
      const retry = new Set(failures.filter((failure) => !failure.SenderFault).map((failure) => failure.Id));
      pending = pending.filter((entry) => retry.has(entry.Id));
      if (pending.length === 0) return { count: refused, code };
      if (attempt >= this.#options.maxAttempts) return { count: refused + pending.length, code };
      const ceiling = Math.min(this.#options.maxDelayMs, this.#options.baseDelayMs * 2 ** (attempt - 1));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
  }
}
