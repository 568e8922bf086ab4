import { Worker } from 'node:worker_threads';
import type { OutboundEvents, PendingEffects } from '../shared/domain/index.js';
import type { LocalClock } from './local-clock.js';
import type { QueuePollerOptions } from './queue-poller.js';
import { ThreadChannel } from './thread-channel.js';

/** What the evaluator's thread is started with (worker data: plain values and the clock's memory). */
export interface EvaluatorThreadData {
  readonly dynamoDbEndpoint: string;
  readonly queueEndpoint: string;
  readonly queueUrl: string;
  readonly dlqUrl: string;
  readonly tableName: string;
  readonly policyFile: string | undefined;
  /** The local clock's shared memory (`LocalClock.buffer`). */
  readonly clock: SharedArrayBuffer;
  readonly poller: Pick<QueuePollerOptions, 'concurrency' | 'batchSize' | 'batchWindowMs' | 'retryDelayMs'>;
}

/** What the evaluator's thread has done since it started. */
export interface EvaluatorCounts {
  /** Records evaluated (not reported failed). */
  readonly processed: number;
  /** Records reported failed, each receive counted. */
  readonly failed: number;
  /** Batches handed to the evaluator, by their number of records (index 1 = batches of one). */
  readonly batches: readonly number[];
}

/** Local mode's evaluator, running on a thread of its own. */
export interface EvaluatorThread {
  /** Resolves once every queued message is evaluated; answers how many were meanwhile. */
  drain(): Promise<number>;
  counts(): Promise<EvaluatorCounts>;
  /** Stops taking batches, waits for those in progress, and ends the thread. */
  stop(): Promise<void>;
}

/**
 * Starts the evaluator (the SQS event source and the deployed queue consumer handler,
 * `evaluator-worker.ts`) on a worker thread, so that evaluating never holds up the HTTP event
 * loop that answers WeCom's callbacks, as on AWS where they are separate functions. The clock is
 * shared memory; the outbound events the evaluator publishes come back to `outbound`, on this
 * thread. Resolves once the thread is polling the queue.
 */
export async function startEvaluatorThread(
  data: Omit<EvaluatorThreadData, 'clock'>,
  clock: LocalClock,
  outbound: OutboundEvents,
  onError: (error: unknown) => void,
): Promise<EvaluatorThread> {
  const worker = new Worker(new URL('./evaluator-worker.mjs', import.meta.url), {
    workerData: { ...data, clock: clock.buffer } satisfies EvaluatorThreadData,
  });
  const channel = new ThreadChannel(worker, {
    publish: (effects) => outbound.publish(effects as PendingEffects),
  });
  await new Promise<void>((resolve, reject) => {
    const failed = (error: Error) => {
      settle();
      reject(error);
    };
    const exited = (code: number) =>
      failed(new Error(`the evaluator thread exited (code ${code}) before it was ready`));
    const ready = (message: unknown) => {
      if ((message as { ready?: boolean }).ready !== true) return;
      settle();
      resolve();
    };
    const settle = () => {
      worker.off('message', ready);
      worker.off('error', failed);
      worker.off('exit', exited);
    };
    worker.on('message', ready);
    worker.on('error', failed);
    worker.on('exit', exited);
  });
  worker.on('error', (error) => {
    channel.close(error);
    onError(error);
  });
  worker.once('exit', (code) => channel.close(new Error(`the evaluator thread exited (code ${code})`)));
  let stopped: Promise<void> | undefined;
  return {
    drain: () => channel.call<number>('drain'),
    counts: () => channel.call<EvaluatorCounts>('counts'),
    stop: () => {
      stopped ??= (async () => {
        await channel.call('stop').catch(() => undefined);
        await worker.terminate();
      })();
      return stopped;
    },
  };
}
