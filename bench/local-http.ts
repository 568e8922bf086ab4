import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
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
interface CallbackFeed {
  readonly callbacks: readonly SignedCallback[];
  next: number;
}

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
      const timestamp = String(1718000000 + Math.floor(i / RATE));
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
      const queued = await queuedExternalUserIds(server.url);
      const stored = callbacks.slice(0, feed.next).filter((_, i) => queued.has(externalUserId(i))).length;

      for (const [index, { shape, health, contact }] of runs.entries()) {
        const figures = latencyFigures(health, contact);
        const notes = [`status codes: contact ${contact.statusCodes}; health ${health.statusCodes}`];
        if (index === 0) {
          figures.push({
            name: 'contact events stored in the local queue',
            value: stored,
            unit: '',
            digits: 0,
            reference: { name: `${feed.next} callbacks sent in all`, value: feed.next },
          });
          notes.push(
            `autocannon paces each connection per second: it sends its ${RATE / shape.connections} requests back to back at`,
            `  the top of every second, so the server takes bursts of ${shape.connections} concurrent requests, not one every ${1000 / RATE} ms;`,
            '  latency = request written → response read; the server is a child process (node --import tsx',
            '  local/main.ts, PORT=0) with its SQS server (fauxqs) inside, as npm start runs it',
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

interface RunningServer {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Starts local/main.ts in a child process on a free port of 127.0.0.1 with the bench keys. */
async function startServer(): Promise<RunningServer> {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['--import', 'tsx', '--disable-warning=NodeVersionSupportWarning', 'local/main.ts'],
    {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: '0',
        WECOM_CORP_ID: BENCH_KEYS.corpId,
        WECOM_TOKEN: BENCH_KEYS.token,
        WECOM_ENCODING_AES_KEY: BENCH_KEYS.encodingAesKey,
        POWERTOOLS_LOG_LEVEL: 'WARN',
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
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('local server has no pid');
  return {
    url,
    pid,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
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
          requests: [
            {
              setupRequest: (request) => {
                const callback = feed.callbacks[feed.next];
                if (!callback) throw new Error('ran out of pre-built callbacks');
                feed.next += 1;
                return {
                  ...request,
                  method: 'POST',
                  path: `/callbacks/contact?${callback.rawQueryString}`,
                  headers: { ...request.headers, 'content-type': 'text/xml' },
                  body: callback.body,
                };
              },
            },
          ],
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
  const sent =
    Object.values(result.statusCodeStats).reduce((sum, stat) => sum + stat.count, 0) + result.errors;
  return {
    okLatencies,
    sent,
    non2xx: result.non2xx,
    errors: result.errors,
    ratePerSecond: sent / result.duration,
    serverCpuMs: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined,
    statusCodes:
      Object.entries(result.statusCodeStats)
        .map(([code, stat]) => `${code}×${stat.count}`)
        .join(' ') + (result.errors > 0 ? ` errors×${result.errors} (timeouts ${result.timeouts})` : ''),
  };
}

/** user + system CPU time of a process in ms, from /proc (Linux); undefined elsewhere. */
function serverCpuMs(pid: number): number | undefined {
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

/** The ExternalUserIDs of the contact events in the local queue, read through GET /local/queue. */
async function queuedExternalUserIds(url: string): Promise<Set<string>> {
  const response = await fetch(`${url}/local/queue`);
  if (!response.ok) throw new Error(`GET /local/queue answered ${response.status}`);
  const listing = (await response.json()) as { queue: { body: string }[] };
  const ids = new Set<string>();
  for (const message of listing.queue) {
    const event = JSON.parse(message.body) as { type?: string; externalUserId?: string };
    if (event.type === 'contact.added' && event.externalUserId) ids.add(event.externalUserId);
  }
  return ids;
}
