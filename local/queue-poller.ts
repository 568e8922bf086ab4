import {
  ChangeMessageVisibilityBatchCommand,
  GetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { localLambdaContext } from './api-gateway-event.js';
import { acknowledge, type ReceivedBatch, receiveBatch } from './sqs-event-source.js';

/** The queue consumer, as Lambda invokes it. */
export type QueueConsumer = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** Options of the local SQS event source. */
export interface QueuePollerOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  readonly handler: QueueConsumer;
  /** Batches taken at once, like Lambda's concurrent pollers; FIFO keeps each member's group in one. */
  readonly concurrency?: number;
  readonly batchSize?: number;
  /**
   * How long a batch that came back short waits for more before it is evaluated (0: not at all),
   * while the queue is busy: when the poller's previous receive brought more than one record. A
   * lone record on a quiet queue is evaluated at once. Lambda's pollers fill their batches from a
   * busy queue; locally the pollers are few and the queue is quick, so without a window most
   * batches would be of one record, each its own DynamoDB round trips. One more receive after the
   * window tops the batch up; FIFO holds, as a group with a record in flight is not received
   * again until that record is deleted.
   */
  readonly batchWindowMs?: number;
  /**
   * How long a failed record stays invisible before it is received again, per receive so far.
   * On AWS that is the queue's visibility timeout; locally it is short, so that a retry, and after
   * maxReceiveCount the move to the dead-letter queue, happen within a drain.
   */
  readonly retryDelayMs?: number;
  /** Function timeout given to the handler's context. */
  readonly timeoutMs?: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * Lambda's SQS event source for local mode: receives batches from the local queue, invokes the
 * evaluator handler with them, deletes the records it did not report failed, and leaves the
 * failed ones to be received again (and, after the queue's maxReceiveCount, moved by the queue to
 * its dead-letter queue).
 */
export class QueuePoller {
  readonly #options: Required<Omit<QueuePollerOptions, 'onError'>> & Pick<QueuePollerOptions, 'onError'>;
  #running = false;
  #workers: Promise<void>[] = [];
  #inFlight = 0;
  #processed = 0;
  #failed = 0;
  readonly #batchSizes: number[];
  /** Whether the last receive brought more than one record: the queue is busy, batches wait to fill. */
  #busy = false;

  constructor(options: QueuePollerOptions) {
    this.#options = {
      concurrency: 8,
      batchSize: 10,
      batchWindowMs: 0,
      retryDelayMs: 250,
      timeoutMs: 30_000,
      ...options,
    };
    this.#batchSizes = Array.from({ length: this.#options.batchSize + 1 }, () => 0);
  }

  /** Batches evaluated since start, by their number of records: index n counts the batches of n. */
  get batchSizes(): readonly number[] {
    return [...this.#batchSizes];
  }

  /** Records evaluated (not reported failed) since start. */
  get processed(): number {
    return this.#processed;
  }

  /** Records reported failed (each receive counts) since start. */
  get failed(): number {
    return this.#failed;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#workers = Array.from({ length: this.#options.concurrency }, () => this.#work());
  }

  /** Stops taking batches; resolves once the batches in progress are done. */
  async stop(): Promise<void> {
    this.#running = false;
    await Promise.all(this.#workers);
    this.#workers = [];
  }

  /**
   * Resolves once every message queued is evaluated: the queue has nothing visible, nothing in
   * flight, and no batch is being worked on. Records that keep failing end in the dead-letter
   * queue after maxReceiveCount receives. Returns the records evaluated meanwhile.
   */
  async drain(): Promise<number> {
    const before = this.#processed;
    const wasRunning = this.#running;
    if (!wasRunning) this.start();
    try {
      let emptyChecks = 0;
      // Twice empty in a row: a batch that failed may only just have become visible again.
      while (emptyChecks < 2) {
        await sleep(10);
        emptyChecks = this.#inFlight === 0 && (await this.#queueEmpty()) ? emptyChecks + 1 : 0;
      }
    } finally {
      if (!wasRunning) await this.stop();
    }
    return this.#processed - before;
  }

  /**
   * Takes one batch and evaluates it; waits up to `waitSeconds` for one to arrive (long polling, as
   * Lambda's pollers do). For tests and tools that step by hand, too.
   */
  async pollOnce(waitSeconds = 0): Promise<number> {
    const { client, queueUrl, batchSize, batchWindowMs } = this.#options;
    let batch = await receiveBatch(client, queueUrl, { max: batchSize, waitSeconds });
    if (batch.records.length === 0) return 0;
    // Counted from the moment the batch is received (no await in between): a drain waits for it.
    this.#inFlight += 1;
    const busy = this.#busy;
    this.#busy = batch.records.length > 1;
    try {
      if (busy && batch.records.length < batchSize && batchWindowMs > 0) {
        await sleep(batchWindowMs);
        const more = await receiveBatch(client, queueUrl, { max: batchSize - batch.records.length });
        batch = {
          records: [...batch.records, ...more.records],
          receipts: new Map([...batch.receipts, ...more.receipts]),
        };
      }
      this.#batchSizes[batch.records.length] = (this.#batchSizes[batch.records.length] ?? 0) + 1;
      await this.#evaluate(batch);
    } finally {
      this.#inFlight -= 1;
    }
    return batch.records.length;
  }

  async #work(): Promise<void> {
    while (this.#running) {
      try {
        const received = await this.pollOnce(1);
        if (received === 0) await sleep(5);
      } catch (error) {
        this.#options.onError?.(error);
        await sleep(200);
      }
    }
  }

  async #evaluate(batch: ReceivedBatch): Promise<void> {
    const { client, queueUrl, handler, timeoutMs } = this.#options;
    let response: SQSBatchResponse;
    try {
      response = await handler(
        { Records: batch.records },
        localLambdaContext('penalty-evaluator', timeoutMs),
      );
    } catch (error) {
      // A failed invocation fails the whole batch, as on Lambda.
      this.#options.onError?.(error);
      response = { batchItemFailures: batch.records.map((r) => ({ itemIdentifier: r.messageId })) };
    }
    const deleted = await acknowledge(client, queueUrl, batch, response);
    this.#processed += deleted;
    this.#failed += response.batchItemFailures.length;
    if (response.batchItemFailures.length === 0) return;
    const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    const entries = batch.records
      .filter((record) => failed.has(record.messageId))
      .map((record, index) => ({
        Id: String(index),
        ReceiptHandle: batch.receipts.get(record.messageId) ?? '',
        VisibilityTimeout: Math.ceil(
          (this.#options.retryDelayMs * Number(record.attributes.ApproximateReceiveCount ?? '1')) / 1000,
        ),
      }));
    await client.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
  }

  async #queueEmpty(): Promise<boolean> {
    const { Attributes: attributes = {} } = await this.#options.client.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.#options.queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return (
      Number(attributes.ApproximateNumberOfMessages ?? '0') === 0 &&
      Number(attributes.ApproximateNumberOfMessagesNotVisible ?? '0') === 0
    );
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
