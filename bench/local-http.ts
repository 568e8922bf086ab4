import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { type Feed, feedRequests, sentCount, statusCodesText } from './autocannon-feed.js';
import {
  addExternalContactXml,
  BENCH_KEYS,
  externalUserId,
  type SignedCallback,
  signedCallback,
} from './callback-fixtures.js';
import { type Figure, percentile, printTable } from './measure.js';
import type { BenchSection } from './types.js';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
/** The admin API's bearer token in every bench server (ADMIN_TOKEN). */
export const BENCH_ADMIN_TOKEN = 'bench-admin-token';
/** The event time of the first callback (CreateTime, s): the clock is set to it before the load. */
const FIRST_CREATE_TIME = 1718000000;
const RATE = 200;
const WARMUP = RATE;
const P99_BUDGET_MS = 20;
/**
 * The load shapes, all at RATE req/s. autocannon paces each connection per second: a connection
 * sends its share back to back at the top of every second, so `connections` is the size of the
 * burst the server takes at once. The first shape is the headline (autocannon's default of 10
 * connections); the second keeps the rate and shrinks the burst, which separates queueing inside
 * a burst from the cost of one callback.
 */
const SHAPES = [
  { connections: 10, seconds: 10 },
  { connections: 2, seconds: 5 },
] as const;
/** Hard bounds: a server that has not started is killed; a run is stopped 10 s after it should have ended. */
const START_LIMIT_MS = 30_000;
const RUN_GRACE_MS = 10_000;

/** The server's end of one load run: latencies of the 2xx answers and what went wrong. */
interface LoadRun {
  readonly okLatencies: readonly number[];
  readonly sent: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly ratePerSecond: number;
  readonly serverCpuMs: number | undefined;
  readonly statusCodes: string;
}

/** Where the next pre-built callback is taken from. */
type CallbackFeed = Feed<SignedCallback>;

/** Section 3: the local server under a fixed request rate, signed contact callbacks beside GET /health. */
export const localHttp: BenchSection = {
  name: 'http',
  description: `local server (npm start's local/main.ts) at ${RATE} req/s: POST /callbacks/contact vs GET /health`,
  run: async () => {
    // Every request is a different callback (its own ExternalUserID, nonce and timestamp), so each
    // one is a new event that the queue must really store.
    const needed = WARMUP + SHAPES.reduce((sum, shape) => sum + RATE * shape.seconds + shape.connections, 0);
    const callbacks: SignedCallback[] = [];
    for (let i = 0; i < needed; i++) {
      const timestamp = String(FIRST_CREATE_TIME + Math.floor(i / RATE));
      callbacks.push(
        signedCallback(
          addExternalContactXml(externalUserId(i), Number(timestamp)),
          'xml',
          timestamp,
          String(1e9 + i),
        ),
      );
    }
    const feed: CallbackFeed = { callbacks, next: 0 };
    const server = await startServer();
    try {
      // The corp's counters are read at the local clock's time: set it to the callbacks' day.
      await setClock(server.url, FIRST_CREATE_TIME * 1000);
      const [first] = SHAPES;
      await fire(server, 'health', WARMUP, first.connections);
      await fire(server, 'contact', WARMUP, first.connections, feed);
      const runs: { shape: (typeof SHAPES)[number]; health: LoadRun; contact: LoadRun }[] = [];
      for (const shape of SHAPES) {
        const amount = RATE * shape.seconds;
        const health = await fire(server, 'health', amount, shape.connections);
        const contact = await fire(server, 'contact', amount, shape.connections, feed);
        runs.push({ shape, health, contact });
      }
      // The evaluator takes the events off the queue as they come: after a drain, every stored
      // contact event is one add in the corp's counters, and nothing is left queued.
      await drain(server.url);
      const { adds: stored } = await corpCounters(server.url, BENCH_KEYS.corpId);
      const left = await queueDepths(server.url);

      for (const [index, { shape, health, contact }] of runs.entries()) {
        const figures = latencyFigures(health, contact);
        const notes = [`status codes: contact ${contact.statusCodes}; health ${health.statusCodes}`];
        if (index === 0) {
          figures.push(
            {
              name: 'contact events stored and evaluated (corp adds)',
              value: stored,
              unit: '',
              digits: 0,
              reference: { name: `${feed.next} callbacks sent in all`, value: feed.next },
            },
            {
              name: 'left on the queue + DLQ after a drain',
              value: left.queue + left.deadLetterQueue,
              unit: '',
              digits: 0,
              reference: { name: `${feed.next} callbacks sent in all`, value: feed.next },
            },
          );
          notes.push(
            `autocannon paces each connection per second: it sends its ${RATE / shape.connections} requests back to back at`,
            `  the top of every second, so the server takes bursts of ${shape.connections} concurrent requests, not one every ${1000 / RATE} ms;`,
            '  latency = request written → response read; the server is npm start in a child process (node',
            '  --import tsx local/main.ts, PORT=0, a fresh DATA_DIR): its SQS server (fauxqs), DynamoDB Local',
            '  and the evaluator run beside the routes, so the evaluator works in the same process meanwhile',
            `warm-up: ${WARMUP} requests of each kind first; server CPU from /proc/<pid>/stat (10 ms ticks)`,
          );
        }
        printTable(
          `http: local server, ${RATE} req/s for ${shape.seconds} s (${RATE * shape.seconds} requests), ` +
            `${shape.connections} connections = bursts of ${shape.connections}, 127.0.0.1`,
          figures,
          notes,
        );
      }
    } finally {
      await server.stop();
    }
  },
};

function latencyFigures(health: LoadRun, contact: LoadRun): Figure[] {
  const ms = (run: LoadRun, p: number) => percentile(run.okLatencies, p);
  const max = (run: LoadRun) => Math.max(...run.okLatencies);
  const figures: Figure[] = [
    { name: 'GET /health: p50', value: ms(health, 50), unit: 'ms' },
    { name: 'GET /health: p99', value: ms(health, 99), unit: 'ms' },
    { name: 'GET /health: max', value: max(health), unit: 'ms' },
    {
      name: 'POST /callbacks/contact: p50',
      value: ms(contact, 50),
      unit: 'ms',
      reference: { name: 'health p50', value: ms(health, 50) },
    },
    {
      name: 'POST /callbacks/contact: p99',
      value: ms(contact, 99),
      unit: 'ms',
      reference: { name: 'health p99', value: ms(health, 99) },
      target: { on: 'value', max: P99_BUDGET_MS },
    },
    {
      name: 'POST /callbacks/contact: max',
      value: max(contact),
      unit: 'ms',
      reference: { name: 'health max', value: max(health) },
    },
    {
      name: 'POST /callbacks/contact: achieved rate',
      value: contact.ratePerSecond,
      unit: 'req/s',
      reference: { name: `health ${health.ratePerSecond.toFixed(0)} req/s`, value: health.ratePerSecond },
    },
    {
      name: 'POST /callbacks/contact: non-2xx + errors',
      value: contact.non2xx + contact.errors,
      unit: '',
      digits: 0,
      reference: { name: `${contact.sent} sent`, value: contact.sent },
    },
    {
      name: 'GET /health: non-2xx + errors',
      value: health.non2xx + health.errors,
      unit: '',
      digits: 0,
      reference: { name: `${health.sent} sent`, value: health.sent },
    },
  ];
  if (contact.serverCpuMs !== undefined && health.serverCpuMs !== undefined) {
    figures.push({
      name: 'server CPU per contact callback',
      value: contact.serverCpuMs / contact.sent,
      unit: 'ms',
      reference: { name: 'per health request', value: health.serverCpuMs / health.sent },
    });
  }
  return figures;
}

/** A running `npm start` (local/main.ts) in a child process. */
export interface RunningServer {
  readonly url: string;
  readonly pid: number;
  /** Spawn → the `listening on` line, in ms. */
  readonly startMs: number;
  /** Everything it printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/** What a bench server is started with besides the bench keys. */
export interface ServerOptions {
  /** More environment variables (a DATA_DIR given here is kept; otherwise a fresh one is removed at stop). */
  readonly env?: Readonly<Record<string, string>>;
  /** Node options before the script, e.g. `--cpu-prof`. */
  readonly nodeArgs?: readonly string[];
}

/**
 * Starts local/main.ts (what `npm start` runs) in a child process on a free port of 127.0.0.1 with
 * the bench keys, the bench admin token and a fresh DATA_DIR, as test/helpers/local-process.ts does.
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const ownDataDir = options.env?.DATA_DIR === undefined;
  const dataDir = options.env?.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'wecom-bench-'));
  const removeDataDir = () => {
    if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const spawned = performance.now();
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--disable-warning=NodeVersionSupportWarning',
      ...(options.nodeArgs ?? []),
      'local/main.ts',
    ],
    {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        // Java's own settings reach DynamoDB Local (e.g. JAVA_TOOL_OPTIONS for a flight recording).
        ...(process.env.JAVA_HOME ? { JAVA_HOME: process.env.JAVA_HOME } : {}),
        ...(process.env.JAVA_TOOL_OPTIONS ? { JAVA_TOOL_OPTIONS: process.env.JAVA_TOOL_OPTIONS } : {}),
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        PORT: '0',
        WECOM_CORP_ID: BENCH_KEYS.corpId,
        WECOM_TOKEN: BENCH_KEYS.token,
        WECOM_ENCODING_AES_KEY: BENCH_KEYS.encodingAesKey,
        ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
        POWERTOOLS_LOG_LEVEL: 'WARN',
        ...options.env,
        DATA_DIR: dataDir,
      },
    },
  );
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`local server did not start in ${START_LIMIT_MS} ms:\n${output}`));
    }, START_LIMIT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`local server exited (${signal ?? code}) before listening:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    await exited;
    removeDataDir();
    throw error;
  });
  const startMs = performance.now() - spawned;
  const pid = child.pid;
  if (pid === undefined) throw new Error('local server has no pid');
  // Its DynamoDB Local, to be ended by pid should it outlive the server (a server killed at stop).
  const family = descendants(pid);
  return {
    url,
    pid,
    startMs,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      }
      for (const orphan of family) {
        if (!readProcFile(orphan, 'cmdline')?.includes(dataDir)) continue;
        process.kill(orphan, 'SIGKILL');
        while (readProcFile(orphan, 'cmdline')?.includes(dataDir))
          await new Promise((wait) => setTimeout(wait, 20));
      }
      removeDataDir();
    },
  };
}

/** Drives `amount` requests at RATE req/s: GET /health, or each a different signed contact callback. */
async function fire(
  server: RunningServer,
  kind: 'health' | 'contact',
  amount: number,
  connections: number,
  feed?: CallbackFeed,
): Promise<LoadRun> {
  const okLatencies: number[] = [];
  const cpuBefore = serverCpuMs(server.pid);
  const instance = autocannon({
    url: `${server.url}${kind === 'health' ? '/health' : '/callbacks/contact'}`,
    connections,
    overallRate: RATE,
    amount,
    timeout: 5,
    // Latencies are collected below, exactly; autocannon's own histogram is whole milliseconds.
    ignoreCoordinatedOmission: true,
    ...(kind === 'contact' && feed
      ? {
          requests: feedRequests(feed, (callback) => ({
            path: `/callbacks/contact?${callback.rawQueryString}`,
            contentType: 'text/xml',
            body: callback.body,
          })),
        }
      : {}),
  });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) okLatencies.push(responseTime);
  });
  const limit = setTimeout(() => instance.stop(), (amount / RATE) * 1000 + RUN_GRACE_MS);
  const result = await instance;
  clearTimeout(limit);
  const cpuAfter = serverCpuMs(server.pid);
  const sent = sentCount(result);
  return {
    okLatencies,
    sent,
    non2xx: result.non2xx,
    errors: result.errors,
    ratePerSecond: sent / result.duration,
    serverCpuMs: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined,
    statusCodes: statusCodesText(result),
  };
}

/** The pids of a process's descendants, from /proc/<pid>/task/<tid>/children (Linux; none elsewhere). */
export function descendants(pid: number): number[] {
  const found: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return found;
  }
  for (const task of tasks) {
    const children = readProcFile(pid, `task/${task}/children`) ?? '';
    for (const child of children.trim().split(/\s+/).filter(Boolean).map(Number)) {
      found.push(child, ...descendants(child));
    }
  }
  return found;
}

/** A file of /proc/<pid>/, or undefined when the process (or /proc) is not there. */
function readProcFile(pid: number, name: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${name}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** user + system CPU time of a process in ms, from /proc (Linux); undefined elsewhere. */
export function serverCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

/** Sets the local clock (POST /local/clock), which also fires what is due and drains. */
export async function setClock(url: string, at: number): Promise<void> {
  const response = await fetch(`${url}/local/clock`, {
    method: 'POST',
    body: JSON.stringify({ set: new Date(at).toISOString() }),
  });
  if (!response.ok)
    throw new Error(`POST /local/clock answered ${response.status}: ${await response.text()}`);
}

/** POST /local/drain: resolves once everything queued is evaluated, with how many were meanwhile. */
export async function drain(url: string): Promise<number> {
  const response = await fetch(`${url}/local/drain`, { method: 'POST' });
  if (!response.ok) throw new Error(`POST /local/drain answered ${response.status}`);
  return ((await response.json()) as { processed: number }).processed;
}

/** Messages still on the local queue and its dead-letter queue (GET /local/queue). */
export async function queueDepths(url: string): Promise<{ queue: number; deadLetterQueue: number }> {
  const response = await fetch(`${url}/local/queue`);
  if (!response.ok) throw new Error(`GET /local/queue answered ${response.status}`);
  const listing = (await response.json()) as { queue: unknown[]; deadLetterQueue: unknown[] };
  return { queue: listing.queue.length, deadLetterQueue: listing.deadLetterQueue.length };
}

/** Batches the local evaluator took since start, by size (GET /local/evaluator): index n counts those of n. */
export async function evaluatorBatches(url: string): Promise<readonly number[]> {
  const response = await fetch(`${url}/local/evaluator`);
  if (!response.ok) throw new Error(`GET /local/evaluator answered ${response.status}`);
  return ((await response.json()) as { batches: number[] }).batches;
}

/** Batches between two readings of evaluatorBatches: how many, and their mean size. */
export function batchesBetween(
  before: readonly number[],
  after: readonly number[],
): { readonly batches: number; readonly meanSize: number; readonly full: number } {
  let batches = 0;
  let records = 0;
  for (const [size, count] of after.entries()) {
    const taken = count - (before[size] ?? 0);
    batches += taken;
    records += taken * size;
  }
  const full = (after.at(-1) ?? 0) - (before.at(-1) ?? 0);
  return {
    batches,
    meanSize: batches === 0 ? 0 : records / batches,
    full: batches === 0 ? 0 : full / batches,
  };
}

/** The corp's evaluated counters, read through the admin API (its trust factors, at the local clock's day). */
export interface CorpCounters {
  /** Contact adds in the feedback window. */
  readonly adds: number;
  /** Blocks, deletions by customers and complaints in the feedback window. */
  readonly negativeFeedback: number;
  /** Violations in the compliance window. */
  readonly violations: number;
}

/** Reads {@link CorpCounters} from `GET /admin/corps/{corpId}`. */
export async function corpCounters(url: string, corpId: string): Promise<CorpCounters> {
  const response = await fetch(`${url}/admin/corps/${encodeURIComponent(corpId)}`, {
    headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` },
  });
  if (!response.ok) throw new Error(`GET /admin/corps/${corpId} answered ${response.status}`);
  const view = (await response.json()) as { trust: { factors: { name: string; detail: string }[] } };
  const detail = (name: string) => view.trust.factors.find((factor) => factor.name === name)?.detail ?? '';
  const feedback = /^(\d+) .* per (\d+) adds/.exec(detail('feedback'));
  const compliance = /^(\d+) violations/.exec(detail('compliance'));
  if (!feedback || !compliance) throw new Error(`unexpected trust factors: ${JSON.stringify(view.trust)}`);
  return {
    adds: Number(feedback[2]),
    negativeFeedback: Number(feedback[1]),
    violations: Number(compliance[1]),
  };
}
