import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { buildConsole } from '../console/build.js';
import {
  addMissingIndexes,
  backfillAppealLists,
  backfillStandingIndex,
  createPenaltyTable,
  DynamoDbParkedInputs,
  DynamoDbPenaltyStore,
  SqsCommandQueue,
} from '../shared/adapters/index.js';
import { createAdminDependencies, createAdminHandler } from '../shared/admin/index.js';
import { defaultClassifier } from '../shared/classifier/index.js';
import { ENV, loadPolicySet } from '../shared/config/index.js';
import { consoleAssetsFromBuild } from '../shared/console/index.js';
import { DecisionEffects } from '../shared/evaluator/index.js';
import type { CallbackRoute } from '../shared/ingest/index.js';
import type { LocalConfig } from './config.js';
import { type EvaluatorThread, startEvaluatorThread } from './evaluator-thread.js';
import { LOCAL_MACHINE, localPerson } from './local-callers.js';
import { LocalClock } from './local-clock.js';
import { type LocalDynamoDb, startLocalDynamoDb } from './local-dynamodb.js';
import { LocalOutbound } from './local-outbound.js';
import {
  LOCAL_AWS,
  LOCAL_DLQ_NAME,
  LOCAL_QUEUE_NAME,
  type LocalQueue,
  type QueuedMessage,
  startLocalQueue,
} from './local-queue.js';
import { LocalTimers, startTimerLoop } from './local-timers.js';
import { type ClockMove, type HttpLambda, type LocalServer, startLocalServer } from './server.js';

/** The table local mode keeps its state in, inside DynamoDB Local under DATA_DIR. */
export const LOCAL_TABLE_NAME = 'wecom-enforcement';
/**
 * The local SQS event source: four pollers; on a busy queue a short batch is topped up after 10 ms. Measured with
 * `npm run bench -- e2e` (README, Benchmarks): on 2 cores the batches fill and DynamoDB Local's
 * work per callback falls, while a lone callback is still evaluated within tens of ms.
 */
const EVALUATOR_POLLER = { concurrency: 4, batchSize: 10, batchWindowMs: 10 } as const;
/** What was still queued when local mode stopped, put back on the queue at the next start. */
const QUEUE_SNAPSHOT = 'queue-snapshot.json';

/** A running local mode. */
export interface LocalMode {
  readonly url: string;
  readonly server: LocalServer;
  readonly clock: LocalClock;
  readonly queue: LocalQueue;
  readonly db: LocalDynamoDb;
  /** The evaluator, on a thread of its own. */
  readonly evaluator: EvaluatorThread;
  readonly timers: LocalTimers;
  readonly outbound: LocalOutbound;
  /** Messages put back on the queue from the previous run's snapshot. */
  readonly restored: number;
  /** Stops taking callbacks, finishes the work in progress, keeps what is left, stops the servers. */
  stop(): Promise<void>;
}

/**
 * Starts the whole pipeline on this machine: DynamoDB Local (data under DATA_DIR), the SQS queue
 * (fauxqs) with Lambda's event source in front of the evaluator handler, the local scheduler
 * driven by the local clock, the callback routes and the admin API behind the local server.
 * The handlers and the engine are the ones deployed; only the adapters are local.
 */
// About 100 lines on purpose: the start order (store and queue, table, clock, scheduler, evaluator,
// console and handlers, server)
// and the stop of whatever already started, when a later step fails, read best in one place.
export async function startLocalMode(config: LocalConfig): Promise<LocalMode> {
  const dataDir = resolve(config.dataDir);
  await mkdir(dataDir, { recursive: true });
  // The store (a JVM, the slowest start) and the queue (a thread) start side by side.
  const { db, queue } = await startStoreAndQueue(join(dataDir, 'dynamodb'));
  let evaluator: Promise<EvaluatorThread> | undefined;
  try {
    await ensureTable(db);
    const restored = await restoreQueue(queue, join(dataDir, QUEUE_SNAPSHOT));
    configureHandlers(config, queue, db);

    const logger = new Logger({ serviceName: 'local-mode' });
    // The config's POLICY_FILE, not the process's: a caller may start local mode with its own config.
    const policies = loadPolicySet(config.policyFile ? { POLICY_FILE: config.policyFile } : {});
    const clock = new LocalClock();
    const store = new DynamoDbPenaltyStore({ client: db.client, tableName: LOCAL_TABLE_NAME });
    const parked = new DynamoDbParkedInputs({ client: db.client, tableName: LOCAL_TABLE_NAME });
    const commands = new SqsCommandQueue({ client: queue.client, queueUrl: queue.queueUrl });
    const timers = new LocalTimers({ client: db.client, tableName: LOCAL_TABLE_NAME, clock, commands });
    const outbound = new LocalOutbound({ file: join(dataDir, 'outbound-events.jsonl') });
    const effects = new DecisionEffects({ timers, outbound });
    const onError = (error: unknown) => logger.error('local mode', { error: error as Error });
    // The evaluator's thread loads its modules while this one builds the console and loads the callbacks.
    evaluator = startEvaluatorThread(
      {
        dynamoDbEndpoint: db.endpoint,
        queueEndpoint: queue.endpoint,
        queueUrl: queue.queueUrl,
        dlqUrl: queue.dlqUrl,
        tableName: LOCAL_TABLE_NAME,
        policyFile: config.policyFile,
        poller: EVALUATOR_POLLER,
      },
      clock,
      outbound,
      onError,
    );
    const [evaluatorThread, consoleAssets, callbacks] = await Promise.all([
      evaluator,
      // The console is built in memory at each start (esbuild, well under a second): no build step to forget.
      buildConsole().then(consoleAssetsFromBuild),
      loadCallbacks(),
    ]);
    const timerLoop = startTimerLoop(timers, clock, 1000, onError);
    const admin = createAdminHandler(
      createAdminDependencies({
        effects,
        store,
        parked,
        policies,
        classifier: defaultClassifier,
        now: () => clock.now(),
      }),
      new Logger({ serviceName: 'admin-api' }),
      new Metrics({ serviceName: 'admin-api' }),
      {
        assets: async () => consoleAssets,
        config: { corpId: config.corpId, api: '/admin', auth: { kind: 'token' } },
      },
    );

    const moveClock = async (move: ClockMove): Promise<number> => {
      if ('advanceMs' in move) clock.advance(move.advanceMs);
      else clock.set(move.set);
      // Evaluate what is queued first (a callback just delivered may schedule a timer that is due
      // by the new time), then fire what is due and evaluate it; repeat until nothing more is due.
      for (;;) {
        await evaluatorThread.drain();
        const fired = await timers.fireDue();
        if (fired === 0) return clock.now();
      }
    };
    const server = await startLocalServer({
      port: config.port,
      callbacks,
      queue,
      admin: {
        callers: [
          { token: config.adminToken, authorizer: LOCAL_MACHINE },
          { token: config.reviewerToken, authorizer: localPerson('local-reviewer', 'reviewer') },
          { token: config.viewerToken, authorizer: localPerson('local-viewer', 'viewer') },
        ],
        handler: admin as unknown as HttpLambda,
      },
      local: {
        drain: () => evaluatorThread.drain(),
        moveClock,
        events: () => outbound.recent(),
        timers: () => timers.pending(),
        evaluator: () => evaluatorThread.counts(),
      },
    });

    const localQueue = queue;
    let stopped: Promise<void> | undefined;
    const stop = () => {
      stopped ??= (async () => {
        await server.close();
        await timerLoop.stop();
        // Finish what is queued, within a bound; what is left (a record still failing) is kept.
        await Promise.race([evaluatorThread.drain(), new Promise((wait) => setTimeout(wait, 5_000))]);
        await evaluatorThread.stop();
        await saveQueue(localQueue, join(dataDir, QUEUE_SNAPSHOT));
        await localQueue.stop();
        await db.stop();
      })();
      return stopped;
    };
    return {
      url: server.url,
      server,
      clock,
      queue,
      db,
      evaluator: evaluatorThread,
      timers,
      outbound,
      restored,
      stop,
    };
  } catch (error) {
    // A thread still starting is stopped once it has started.
    await evaluator?.then((thread) => thread.stop()).catch(() => undefined);
    await queue.stop().catch(() => undefined);
    await db.stop().catch(() => undefined);
    throw error;
  }
}

/** DynamoDB Local and the local queue, started at once; if one fails, the other is stopped. */
async function startStoreAndQueue(dataDir: string): Promise<{ db: LocalDynamoDb; queue: LocalQueue }> {
  const [db, queue] = await Promise.allSettled([startLocalDynamoDb({ dataDir }), startLocalQueue()]);
  if (db.status === 'fulfilled' && queue.status === 'fulfilled') return { db: db.value, queue: queue.value };
  if (db.status === 'fulfilled') await db.value.stop().catch(() => undefined);
  if (queue.status === 'fulfilled') await queue.value.stop().catch(() => undefined);
  throw db.status === 'rejected' ? db.reason : (queue as PromiseRejectedResult).reason;
}

/** The callback handlers, imported once the environment they read at module scope is set. */
async function loadCallbacks(): Promise<Record<CallbackRoute, HttpLambda>> {
  const [contact, message, status] = await Promise.all([
    import('../functions/contact-callback/handler.js'),
    import('../functions/message-callback/handler.js'),
    import('../functions/wechat-status-callback/handler.js'),
  ]);
  return { contact: contact.handler, message: message.handler, 'wechat-status': status.handler };
}

/**
 * Creates the penalty table on the first start; later starts find it under DATA_DIR, and add the
 * indexes a table made by an older version lacks.
 */
async function ensureTable(db: LocalDynamoDb): Promise<void> {
  try {
    await db.client.send(new DescribeTableCommand({ TableName: LOCAL_TABLE_NAME }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await createPenaltyTable(db.client, LOCAL_TABLE_NAME);
    return;
  }
  // A table of a version before the console's lists: the members already not in good standing and
  // the appeals already filed are listed at once, not from their next write.
  if ((await addMissingIndexes(db.client, LOCAL_TABLE_NAME)).length > 0) {
    await backfillStandingIndex(db.client, LOCAL_TABLE_NAME, Date.now());
    await backfillAppealLists(db.client, LOCAL_TABLE_NAME);
  }
}

/** The callback handlers read their configuration at module scope, as on Lambda: set it first. */
function configureHandlers(config: LocalConfig, queue: LocalQueue, db: LocalDynamoDb): void {
  Object.assign(process.env, {
    [ENV.corpId]: config.corpId,
    [ENV.token]: config.token,
    [ENV.encodingAesKey]: config.encodingAesKey,
    [ENV.eventQueueUrl]: queue.queueUrl,
    [ENV.tableName]: LOCAL_TABLE_NAME,
    AWS_ENDPOINT_URL_SQS: queue.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    AWS_REGION: process.env.AWS_REGION ?? LOCAL_AWS.region,
    AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    // CloudWatch embedded-metric lines are for Lambda; locally they would only fill the terminal.
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    POWERTOOLS_METRICS_NAMESPACE: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'WecomEnforcement',
  });
  delete process.env[ENV.secretArn];
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
}

interface QueueSnapshot {
  readonly queue: readonly QueuedMessage[];
  readonly deadLetterQueue: readonly QueuedMessage[];
}

/** Writes what is still on the queue and its DLQ (fauxqs keeps them in memory only). */
async function saveQueue(queue: LocalQueue, file: string): Promise<void> {
  const snapshot: QueueSnapshot = {
    queue: await queue.list(LOCAL_QUEUE_NAME),
    deadLetterQueue: await queue.list(LOCAL_DLQ_NAME),
  };
  if (snapshot.queue.length === 0 && snapshot.deadLetterQueue.length === 0) return;
  await writeFile(`${file}.tmp`, JSON.stringify(snapshot));
  await rename(`${file}.tmp`, file);
}

/** Puts the previous run's leftovers back, each in its group with its deduplication id. */
async function restoreQueue(queue: LocalQueue, file: string): Promise<number> {
  if (!existsSync(file)) return 0;
  const snapshot = JSON.parse(await readFile(file, 'utf8')) as QueueSnapshot;
  const put = async (queueUrl: string, messages: readonly QueuedMessage[]) => {
    for (let i = 0; i < messages.length; i += 10) {
      await queue.client.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: messages.slice(i, i + 10).map((message, index) => ({
            Id: String(index),
            MessageBody: message.body,
            MessageGroupId: message.groupId ?? 'restored',
            ...(message.deduplicationId ? { MessageDeduplicationId: message.deduplicationId } : {}),
          })),
        }),
      );
    }
  };
  await put(queue.queueUrl, snapshot.queue);
  await put(queue.dlqUrl, snapshot.deadLetterQueue);
  await rename(file, `${file}.restored`);
  return snapshot.queue.length + snapshot.deadLetterQueue.length;
}
