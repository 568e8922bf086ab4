import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startLocalDynamoDb } from '../local/local-dynamodb.js';
import { type Feed as AutocannonFeed, feedRequests, sentCount, statusCodesText } from './autocannon-feed.js';
import { BENCH_KEYS, externalUserId, signedCallback } from './callback-fixtures.js';
import {
  BENCH_ADMIN_TOKEN,
  batchesBetween,
  corpCounters,
  descendants,
  drain,
  evaluatorBatches,
  queueDepths,
  type RunningServer,
  serverCpuMs,
  setClock,
  startServer,
} from './local-http.js';
import { type Figure, median, percentile, printTable } from './measure.js';
import type { BenchSection } from './types.js';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
/** Every enforcement mode `act`: the bench's violating messages are strikes, visible at once. */
const FAITHFUL_POLICY_FILE = fileURLToPath(new URL('../policies/wecom-faithful.json', import.meta.url));

/** Start-ups timed (fresh DATA_DIR each); the figure is their median. */
const STARTS = 3;
const START_TARGET_S = 10;
/** Callbacks of the throughput run, sent as fast as the server takes them over this many connections. */
const THROUGHPUT_CALLBACKS = 5_000;
const THROUGHPUT_CONNECTIONS = 10;
/** Callbacks sent (and drained) first, so that the run starts on warm code. */
const THROUGHPUT_WARMUP = 500;
const THROUGHPUT_TARGET = 500;
/** The latency runs: 200 req/s, autocannon-paced (bursts) and evenly paced. */
const RATE = 200;
const P99_BUDGET_MS = 20;
const BURST_SHAPE = { connections: 10, seconds: 10 } as const;
const PACED_SECONDS = 5;
/** Time to visible: single callbacks, one at a time, the admin API polled every POLL_GAP_MS. */
const PROBES = 50;
const POLL_GAP_MS = 2;
const PROBE_GAP_MS = 100;
const VISIBLE_LIMIT_MS = 10_000;
/** Set to a folder to write the pipeline child's CPU profile there (`node --cpu-prof`). */
const CPU_PROF_DIR = process.env.BENCH_E2E_CPU_PROF;

/** The event time of the first callback; the local clock is set to it, and every event is later. */
const T0 = Date.UTC(2026, 8, 1, 0, 0, 0);
/** Members the load is spread over (each its own FIFO group). */
const MEMBERS = 500;

type Kind = 'contact add' | 'message' | 'violating message' | 'complaint';

/** One signed callback, ready to send. */
interface BenchCallback {
  readonly kind: Kind;
  readonly path: string;
  readonly contentType: string;
  readonly body: string;
}

/** Where the next callback of a load run is taken from. */
type Feed = AutocannonFeed<BenchCallback>;

/** One load run: the latencies of the 2xx answers and what went wrong. */
interface LoadRun {
  readonly okLatencies: readonly number[];
  readonly sent: number;
  readonly failed: number;
  readonly seconds: number;
  readonly statusCodes: string;
}

/**
 * `npm run bench -- e2e`: the whole pipeline as `npm start` runs it (callbacks → SQS (fauxqs) →
 * the local SQS event source → the evaluator → DynamoDB Local, with the admin API): start-up,
 * end-to-end throughput, latency under load and the time from a callback to its effect in the
 * admin API, each beside a reference from the same run.
 */
export const e2e: BenchSection = {
  name: 'e2e',
  description: `npm start end to end: start-up, callbacks/s to drained, p99 at ${RATE} req/s, callback → admin API`,
  run: async () => {
    const server = await startUp();
    try {
      await setClock(server.url, T0);
      let index = 0;
      const take = (count: number): BenchCallback[] =>
        Array.from({ length: count }, () => benchCallback(index++));
      await throughput(server, take(THROUGHPUT_WARMUP), take(THROUGHPUT_CALLBACKS));
      const perRun = RATE * BURST_SHAPE.seconds + BURST_SHAPE.connections;
      await latency(server, take(RATE + perRun + RATE * PACED_SECONDS));
      await timeToVisible(server);
    } finally {
      await server.stop();
    }
    if (CPU_PROF_DIR) console.log(`  · CPU profile of the pipeline child written to ${CPU_PROF_DIR}`);
  },
};

// ---- 1. start-up ---------------------------------------------------------------------------------

/** Times STARTS start-ups beside the floor; returns the last server, running, for the other parts. */
async function startUp(): Promise<RunningServer> {
  const busyBefore = machineBusyMs();
  const startedAt = performance.now();
  const bare: number[] = [];
  const dynamo: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    bare.push(await bareTsxMs());
    dynamo.push(await dynamoDbLocalMs());
  }
  const starts: number[] = [];
  const ready: number[] = [];
  let server: RunningServer | undefined;
  for (let i = 0; i < STARTS; i++) {
    const last = i === STARTS - 1;
    const started = await startServer({
      // The published rules: a violating message is a strike at once, not a case for a reviewer.
      env: { POLICY_FILE: FAITHFUL_POLICY_FILE },
      ...(last && CPU_PROF_DIR ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`] } : {}),
    });
    starts.push(started.startMs);
    const readyIn = /ready in ([\d.]+) s/.exec(started.output())?.[1];
    if (readyIn) ready.push(Number(readyIn) * 1000);
    if (last) server = started;
    else await started.stop();
  }
  if (!server) throw new Error('no server started');
  const machineCores = (machineBusyMs() - busyBefore) / (performance.now() - startedAt);
  const floor = median(bare) + median(dynamo);
  printTable(
    `e2e 1: start-up, spawn → "listening on" (median of ${STARTS}, fresh DATA_DIR each)`,
    [
      { name: 'node --import tsx, an empty module: spawn → exit', value: median(bare), unit: 'ms' },
      { name: 'DynamoDB Local alone: spawn → first answer', value: median(dynamo), unit: 'ms' },
      {
        name: 'npm start: spawn → listening',
        value: median(starts) / 1000,
        unit: 's',
        reference: { name: `floor ${(floor / 1000).toFixed(2)} s`, value: floor / 1000 },
        target: { on: 'value', max: START_TARGET_S },
      },
      {
        name: `npm start's own "ready in" (startLocalMode alone)`,
        value: median(ready) / 1000,
        unit: 's',
        reference: { name: 'DynamoDB Local alone', value: median(dynamo) / 1000 },
      },
    ],
    [
      'floor = a node process with tsx (what loads before main.ts) + DynamoDB Local starting alone (the slowest',
      '  part, which local mode waits for): the ratio is how much local mode adds to what it cannot avoid',
      `starts: ${starts.map((ms) => (ms / 1000).toFixed(2)).join(', ')} s; node --import tsx local/main.ts as`,
      '  test/helpers/local-process.ts runs it (npm start adds npm and the tsx CLI in front)',
      `the machine was busy ${machineCores.toFixed(2)} cores on average meanwhile (every process, these included)`,
    ],
  );
  return server;
}

/** A node process with the tsx loader on an empty module: spawn → exit, in ms. */
async function bareTsxMs(): Promise<number> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', ''], {
      cwd: REPO_ROOT,
      stdio: 'ignore',
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`bare tsx exited ${code}`))));
  });
  return performance.now() - started;
}

/** DynamoDB Local started alone on a fresh data folder: spawn → first answer to ListTables, in ms. */
async function dynamoDbLocalMs(): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wecom-bench-ddb-'));
  try {
    const started = performance.now();
    const db = await startLocalDynamoDb({ dataDir });
    const ms = performance.now() - started;
    await db.stop();
    return ms;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---- 2. throughput -------------------------------------------------------------------------------

async function throughput(
  server: RunningServer,
  warmup: readonly BenchCallback[],
  callbacks: readonly BenchCallback[],
): Promise<void> {
  const connections = THROUGHPUT_CONNECTIONS;
  // Warm-up of both kinds, then the reference: the same server answering /health as fast as it can.
  await cannon(server.url, { connections, amount: warmup.length, feed: { callbacks: warmup, next: 0 } });
  await cannon(server.url, { connections, amount: warmup.length });
  const health = await cannon(server.url, { connections, amount: callbacks.length });
  await drain(server.url);
  const countersBefore = await corpCounters(server.url, BENCH_KEYS.corpId);
  const batchesBefore = await evaluatorBatches(server.url);

  const before = cpuSnapshot(server.pid);
  const started = performance.now();
  const sent = await cannon(server.url, {
    connections,
    amount: callbacks.length,
    feed: { callbacks, next: 0 },
  });
  const sendMs = performance.now() - started;
  const afterSend = cpuSnapshot(server.pid);
  const leftAfterSend = await drain(server.url);
  const totalMs = performance.now() - started;
  const after = cpuSnapshot(server.pid);

  const countersAfter = await corpCounters(server.url, BENCH_KEYS.corpId);
  const batches = batchesBetween(batchesBefore, await evaluatorBatches(server.url));
  const counters = {
    adds: countersAfter.adds - countersBefore.adds,
    negativeFeedback: countersAfter.negativeFeedback - countersBefore.negativeFeedback,
    violations: countersAfter.violations - countersBefore.violations,
  };
  const left = await queueDepths(server.url);
  const count = (kind: Kind) => callbacks.filter((callback) => callback.kind === kind).length;
  const n = callbacks.length;
  const ingestRate = n / (sendMs / 1000);
  const e2eRate = n / (totalMs / 1000);
  const healthRate = health.sent / health.seconds;
  const cpu = (from: CpuSnapshot, to: CpuSnapshot) => ({
    node: (to.node - from.node) / n,
    java: (to.java - from.java) / n,
    generator: (to.generator - from.generator) / n,
  });
  const all = cpu(before, after);
  const send = cpu(before, afterSend);
  const budget = 2_000 / THROUGHPUT_TARGET;
  printTable(
    `e2e 2: throughput, ${n} distinct callbacks as fast as taken (${connections} connections), then POST /local/drain`,
    [
      { name: `GET /health ×${health.sent} as fast as taken`, value: healthRate, unit: 'req/s' },
      {
        name: 'ingest: callbacks answered 200 (send phase)',
        value: ingestRate,
        unit: '/s',
        reference: { name: 'health req/s', value: healthRate },
      },
      {
        name: 'end to end: first send → drain returned',
        value: e2eRate,
        unit: '/s',
        reference: { name: 'ingest /s', value: ingestRate },
      },
      {
        name: 'end to end: time per callback',
        value: totalMs / n,
        unit: 'ms',
        reference: { name: 'ingest ms per callback', value: sendMs / n },
        target: {
          on: 'value',
          max: 1000 / THROUGHPUT_TARGET,
          unit: `ms (≥ ${THROUGHPUT_TARGET} callbacks/s)`,
        },
      },
      {
        name: 'evaluator alone: evaluated during the drain',
        value: leftAfterSend / ((totalMs - sendMs) / 1000),
        unit: '/s',
        reference: { name: 'ingest /s', value: ingestRate },
      },
      {
        name: 'left to evaluate when the last callback was answered',
        value: leftAfterSend,
        unit: '',
        digits: 0,
        reference: { name: `${n} sent`, value: n },
      },
      {
        name: 'batches evaluated: mean records per batch',
        value: batches.meanSize,
        unit: '',
        reference: { name: 'a full batch', value: 10 },
      },
      {
        name: 'CPU per callback: npm start (node: HTTP, fauxqs and evaluator threads)',
        value: all.node,
        unit: 'ms',
        reference: { name: `budget ${budget} ms = 2 cores / ${THROUGHPUT_TARGET}/s`, value: budget },
      },
      {
        name: 'CPU per callback: DynamoDB Local (JVM)',
        value: all.java,
        unit: 'ms',
        reference: { name: 'budget', value: budget },
      },
      {
        name: 'CPU per callback: load generator (autocannon)',
        value: all.generator,
        unit: 'ms',
        reference: { name: 'budget', value: budget },
      },
      {
        name: 'CPU per callback: all three',
        value: all.node + all.java + all.generator,
        unit: 'ms',
        reference: { name: 'budget', value: budget },
      },
      {
        name: 'contact adds counted by the corp (admin API)',
        value: counters.adds,
        unit: '',
        digits: 0,
        reference: { name: `${count('contact add')} sent`, value: count('contact add') },
      },
      {
        name: 'complaints counted by the corp',
        value: counters.negativeFeedback,
        unit: '',
        digits: 0,
        reference: { name: `${count('complaint')} sent`, value: count('complaint') },
      },
      {
        name: 'violations recorded for the corp',
        value: counters.violations,
        unit: '',
        digits: 0,
        reference: {
          name: `${count('violating message')} violating sent`,
          value: count('violating message'),
        },
      },
      {
        name: 'left on the queue + DLQ; non-2xx + errors',
        value: left.queue + left.deadLetterQueue + sent.failed,
        unit: '',
        digits: 0,
        reference: { name: `${n} sent`, value: n },
      },
    ],
    [
      `mix: ${count('contact add')} contact adds, ${count('message')} messages, ${count('violating message')} violating messages`,
      `  (inducing sharing), ${count('complaint')} complaints over ${MEMBERS} members; event times 1 s apart from the clock's time`,
      `${batches.batches} batches, ${(batches.full * 100).toFixed(0)} % of them full (GET /local/evaluator)`,
      `send phase ${(sendMs / 1000).toFixed(2)} s, drain ${((totalMs - sendMs) / 1000).toFixed(2)} s; status codes: ${sent.statusCodes}`,
      `other processes on this machine used ${otherCores(before, after).toFixed(2)} of its cores meanwhile (from /proc/stat)`,
      `DynamoDB Local's CPU per callback by thread (ms): ${javaThreadsLine(before, after, n)}`,
      `CPU during the send phase alone: npm start ${send.node.toFixed(2)} ms, DynamoDB Local ${send.java.toFixed(2)} ms,`,
      `  load generator ${send.generator.toFixed(2)} ms per callback; CPU from /proc/<pid>/stat (10 ms ticks)`,
      'the counters are the corp trust factors of GET /admin/corps/{corp}: every callback was evaluated;',
      `  the CPU budget is the target in CPU: 2 cores ÷ ${THROUGHPUT_TARGET} callbacks/s, what one callback may use here`,
    ],
  );
}

// ---- 3. latency ----------------------------------------------------------------------------------

async function latency(server: RunningServer, callbacks: readonly BenchCallback[]): Promise<void> {
  const feed: Feed = { callbacks, next: 0 };
  const { connections, seconds } = BURST_SHAPE;
  await drain(server.url);
  // Warm-up of both kinds, then each reference right before its run, on a drained pipeline.
  await cannon(server.url, { connections, amount: RATE, rate: RATE });
  await cannon(server.url, { connections, amount: RATE, rate: RATE, feed });
  await drain(server.url);
  const cpu0 = cpuSnapshot(server.pid);
  const burstHealth = await cannon(server.url, { connections, amount: RATE * seconds, rate: RATE });
  const cpu1 = cpuSnapshot(server.pid);
  const burst = await cannon(server.url, { connections, amount: RATE * seconds, rate: RATE, feed });
  const cpu2 = cpuSnapshot(server.pid);
  const burstBacklog = await drain(server.url);
  const cpu3 = cpuSnapshot(server.pid);
  const pacedHealth = await paced(server.url, RATE * PACED_SECONDS);
  const cpu4 = cpuSnapshot(server.pid);
  const paced200 = await paced(server.url, RATE * PACED_SECONDS, feed);
  const cpu5 = cpuSnapshot(server.pid);
  const pacedBacklog = await drain(server.url);
  const others = (a: CpuSnapshot, b: CpuSnapshot, c: CpuSnapshot, d: CpuSnapshot) =>
    `other processes used ${otherCores(a, b).toFixed(2)} cores during health, ${otherCores(c, d).toFixed(2)} during callbacks;` +
    ` npm start + DynamoDB Local used ${ourCores(c, d).toFixed(2)} cores during callbacks`;

  const shapes = [
    {
      title: `autocannon overallRate ${RATE}, ${connections} connections, ${seconds} s (bursts of ${connections} at the top of each second)`,
      health: burstHealth,
      callbacks: burst,
      backlog: burstBacklog,
      machine: others(cpu0, cpu1, cpu1, cpu2),
    },
    {
      title: `evenly paced: one request every ${1000 / RATE} ms, open loop, ${PACED_SECONDS} s`,
      health: pacedHealth,
      callbacks: paced200,
      backlog: pacedBacklog,
      machine: others(cpu3, cpu4, cpu4, cpu5),
    },
  ];
  for (const [i, shape] of shapes.entries()) {
    const ms = (run: LoadRun, p: number) => percentile(run.okLatencies, p);
    const figures: Figure[] = [
      { name: 'GET /health: p50', value: ms(shape.health, 50), unit: 'ms' },
      { name: 'GET /health: p99', value: ms(shape.health, 99), unit: 'ms' },
      {
        name: 'callbacks: p50',
        value: ms(shape.callbacks, 50),
        unit: 'ms',
        reference: { name: 'health p50', value: ms(shape.health, 50) },
      },
      {
        name: 'callbacks: p99',
        value: ms(shape.callbacks, 99),
        unit: 'ms',
        reference: { name: 'health p99', value: ms(shape.health, 99) },
        target: { on: 'value', max: P99_BUDGET_MS },
      },
      {
        name: 'callbacks: max',
        value: Math.max(...shape.callbacks.okLatencies),
        unit: 'ms',
        reference: { name: 'health max', value: Math.max(...shape.health.okLatencies) },
      },
      {
        name: 'callbacks: achieved rate',
        value: shape.callbacks.sent / shape.callbacks.seconds,
        unit: 'req/s',
        reference: { name: 'health', value: shape.health.sent / shape.health.seconds },
      },
      {
        name: 'callbacks: non-2xx + errors',
        value: shape.callbacks.failed,
        unit: '',
        digits: 0,
        reference: { name: `${shape.callbacks.sent} sent`, value: shape.callbacks.sent },
      },
      {
        name: 'evaluated after the run (in the drain)',
        value: shape.backlog,
        unit: '',
        digits: 0,
        reference: { name: `${shape.callbacks.sent} sent`, value: shape.callbacks.sent },
      },
    ];
    printTable(
      `e2e 3${i === 0 ? 'a' : 'b'}: latency at ${RATE} req/s, full pipeline, ${shape.title}`,
      figures,
      i === 0
        ? [
            'distinct signed callbacks of the same mix; the evaluator runs on its own thread of the server meanwhile;',
            '  GET /health in the same shape on the drained pipeline just before; latency = request written → response read',
            `status codes: callbacks ${shape.callbacks.statusCodes}; health ${shape.health.statusCodes}`,
            shape.machine,
          ]
        : [
            `status codes: callbacks ${shape.callbacks.statusCodes}; health ${shape.health.statusCodes}`,
            shape.machine,
          ],
    );
  }
}

// ---- 4. time to visible --------------------------------------------------------------------------

async function timeToVisible(server: RunningServer): Promise<void> {
  await drain(server.url);
  const visible: number[] = [];
  const answered: number[] = [];
  const polls: number[] = [];
  let pollCount = 0;
  const before = cpuSnapshot(server.pid);
  for (let k = 0; k < PROBES; k++) {
    const member = `bench-visible-${k}`;
    // A violation in the clock's day: one strike, as soon as it is evaluated.
    const callback = benchCallback(1_000_000 + k, {
      kind: 'violating message',
      member,
      at: T0 + 3_600_000 + k * 1000,
    });
    const memberPath = `/admin/corps/${BENCH_KEYS.corpId}/members/${member}`;
    const started = performance.now();
    const response = await fetch(`${server.url}${callback.path}`, {
      method: 'POST',
      headers: { 'content-type': callback.contentType },
      body: callback.body,
    });
    await response.text();
    if (response.status !== 200) throw new Error(`probe ${k} answered ${response.status}`);
    answered.push(performance.now() - started);
    for (;;) {
      const pollStarted = performance.now();
      const poll = await fetch(`${server.url}${memberPath}`, {
        headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` },
      });
      const view = (await poll.json()) as { strikes?: number };
      const now = performance.now();
      polls.push(now - pollStarted);
      pollCount += 1;
      if ((view.strikes ?? 0) >= 1) {
        visible.push(now - started);
        break;
      }
      if (now - started > VISIBLE_LIMIT_MS)
        throw new Error(`probe ${k} not visible after ${VISIBLE_LIMIT_MS} ms`);
      await sleep(POLL_GAP_MS);
    }
    await sleep(PROBE_GAP_MS);
  }
  const after = cpuSnapshot(server.pid);
  printTable(
    `e2e 4: time to visible, ${PROBES} violating messages one at a time, admin API polled every ${POLL_GAP_MS} ms`,
    [
      { name: 'admin API GET member: p50', value: percentile(polls, 50), unit: 'ms' },
      { name: 'admin API GET member: p99', value: percentile(polls, 99), unit: 'ms' },
      {
        name: 'callback answered 200: p50',
        value: percentile(answered, 50),
        unit: 'ms',
        reference: { name: 'admin p50', value: percentile(polls, 50) },
      },
      {
        name: 'callback → strike in the admin API: p50',
        value: percentile(visible, 50),
        unit: 'ms',
        reference: { name: 'admin p50', value: percentile(polls, 50) },
      },
      {
        name: 'callback → strike in the admin API: p99',
        value: percentile(visible, 99),
        unit: 'ms',
        reference: { name: 'admin p99', value: percentile(polls, 99) },
      },
      {
        name: 'callback → strike in the admin API: max',
        value: Math.max(...visible),
        unit: 'ms',
        reference: { name: 'admin max', value: Math.max(...polls) },
      },
    ],
    [
      'visible = callback sent → the first admin answer with strikes = 1 read (so it includes one admin',
      `  round trip, the reference); ${pollCount} polls in all; ${PROBE_GAP_MS} ms between probes; each probe a new member`,
      `the local SQS event source long-polls; it tops a short batch up after 10 ms only while the queue is busy;`,
      `  other processes used ${otherCores(before, after).toFixed(2)} cores meanwhile`,
    ],
  );
}

// ---- the load --------------------------------------------------------------------------------------

/**
 * The i-th callback of the mix: 3 in 5 contact adds, 2 in 5 messages (1 in 16 of them inducing
 * sharing, a violation), 1 in 50 a complaint about a contact the member added; member i mod
 * MEMBERS, event time T0 + i s, each with its own ids, nonce and timestamp.
 */
function benchCallback(
  i: number,
  override: { kind: Kind; member: string; at: number } | undefined = undefined,
): BenchCallback {
  const kind: Kind =
    override?.kind ??
    (i % 50 === 49
      ? 'complaint'
      : i % 5 < 3
        ? 'contact add'
        : i % 40 === 3
          ? 'violating message'
          : 'message');
  const member = override?.member ?? `bench-member-${String(i % MEMBERS).padStart(3, '0')}`;
  const at = override?.at ?? T0 + i * 1000;
  const timestamp = String(Math.floor(at / 1000));
  const nonce = String(2_000_000_000 + i);
  if (kind === 'contact add') {
    const xml =
      `<xml><ToUserName><![CDATA[${BENCH_KEYS.corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>` +
      `<CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[event]]></MsgType>` +
      '<Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[add_external_contact]]></ChangeType>' +
      `<UserID><![CDATA[${member}]]></UserID><ExternalUserID><![CDATA[${externalUserId(i)}]]></ExternalUserID>` +
      '<WelcomeCode><![CDATA[CALLBACKCODE2yQ0LW4Rm6vPqH1sT8nB3kZ]]></WelcomeCode></xml>';
    const sealed = signedCallback(xml, 'xml', timestamp, nonce);
    return {
      kind,
      path: `/callbacks/contact?${sealed.rawQueryString}`,
      contentType: 'text/xml',
      body: sealed.body,
    };
  }
  const record =
    kind === 'complaint'
      ? {
          type: 'complaint',
          id: `bench-complaint-${i}`,
          // The customer added MEMBERS callbacks earlier by the same member (when that was an add).
          from: externalUserId(i - MEMBERS),
          userId: member,
          reason: '频繁发送广告',
          time: at,
        }
      : {
          msgid: `bench-msg-${i}`,
          action: 'send',
          from: member,
          tolist: [externalUserId(i)],
          roomid: '',
          msgtime: at,
          msgtype: 'text',
          text: {
            content:
              kind === 'violating message'
                ? `亲，帮忙转发朋友圈，集赞送礼品（${i}）`
                : `您好，您的订单 ${i} 已发货，请留意物流信息。`,
          },
        };
  const sealed = signedCallback(JSON.stringify(record), 'json', timestamp, nonce);
  return {
    kind,
    path: `/callbacks/message?${sealed.rawQueryString}`,
    contentType: 'application/json',
    body: sealed.body,
  };
}

/** autocannon against the server: GET /health, or the callbacks of `feed` in order. */
async function cannon(
  url: string,
  options: { connections: number; amount: number; rate?: number; feed?: Feed },
): Promise<LoadRun> {
  const { feed } = options;
  const okLatencies: number[] = [];
  const started = performance.now();
  const instance = autocannon({
    url: `${url}/health`,
    connections: options.connections,
    amount: options.amount,
    timeout: 10,
    // Latencies are collected below, exactly; autocannon's own histogram is whole milliseconds.
    ...(options.rate ? { overallRate: options.rate, ignoreCoordinatedOmission: true } : {}),
    ...(feed ? { requests: feedRequests(feed, (callback) => callback) } : {}),
  });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) okLatencies.push(responseTime);
  });
  const limit = setTimeout(() => instance.stop(), 120_000);
  const result = await instance;
  clearTimeout(limit);
  const seconds = (performance.now() - started) / 1000;
  const sent = sentCount(result);
  return {
    okLatencies,
    sent,
    failed: result.non2xx + result.errors,
    seconds,
    statusCodes: statusCodesText(result),
  };
}

/**
 * An open-loop load at exactly RATE req/s: request i is sent at start + i / RATE whatever the
 * answers before it, over keep-alive connections (as many as are outstanding).
 */
async function paced(url: string, amount: number, feed?: Feed): Promise<LoadRun> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const { hostname, port } = new URL(url);
  const okLatencies: number[] = [];
  const codes = new Map<string, number>();
  let failed = 0;
  const one = (callback: BenchCallback | undefined) =>
    new Promise<void>((resolve) => {
      const sentAt = performance.now();
      const request = httpRequest(
        {
          agent,
          host: hostname,
          port,
          method: callback ? 'POST' : 'GET',
          path: callback ? callback.path : '/health',
          headers: callback ? { 'content-type': callback.contentType } : {},
        },
        (response) => {
          response.resume();
          response.once('end', () => {
            const status = response.statusCode ?? 0;
            codes.set(String(status), (codes.get(String(status)) ?? 0) + 1);
            if (status >= 200 && status < 300) okLatencies.push(performance.now() - sentAt);
            else failed += 1;
            resolve();
          });
        },
      );
      request.once('error', () => {
        failed += 1;
        codes.set('error', (codes.get('error') ?? 0) + 1);
        resolve();
      });
      request.end(callback?.body);
    });
  const pending: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < amount; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    let callback: BenchCallback | undefined;
    if (feed) {
      callback = feed.callbacks[feed.next];
      if (!callback) throw new Error('ran out of pre-built callbacks');
      feed.next += 1;
    }
    pending.push(one(callback));
  }
  await Promise.all(pending);
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return {
    okLatencies,
    sent: amount,
    failed,
    seconds,
    statusCodes: [...codes].map(([code, count]) => `${code}×${count}`).join(' '),
  };
}

// ---- CPU -----------------------------------------------------------------------------------------

/**
 * CPU ms so far of npm start (all its threads), of its descendants (DynamoDB Local), of this
 * process (the load generator), and of the whole machine (every process), with the wall time.
 */
interface CpuSnapshot {
  readonly node: number;
  readonly java: number;
  /** DynamoDB Local's CPU ms by kind of thread (SQLite, HTTP + JSON, JIT, GC, other). */
  readonly javaThreads: ReadonlyMap<string, number>;
  readonly generator: number;
  readonly machine: number;
  readonly at: number;
}

function cpuSnapshot(pid: number): CpuSnapshot {
  const usage = process.cpuUsage();
  return {
    node: serverCpuMs(pid) ?? Number.NaN,
    java: descendants(pid).reduce((sum, child) => sum + (serverCpuMs(child) ?? 0), 0),
    javaThreads: threadCpuMs(descendants(pid)),
    generator: (usage.user + usage.system) / 1000,
    machine: machineBusyMs(),
    at: performance.now(),
  };
}

/** Cores used on average between two snapshots by processes other than the bench and its server. */
function otherCores(from: CpuSnapshot, to: CpuSnapshot): number {
  const ours = to.node - from.node + (to.java - from.java) + (to.generator - from.generator);
  return Math.max(0, to.machine - from.machine - ours) / (to.at - from.at);
}

/** JVM thread names → what they do, for DynamoDB Local's CPU by thread. */
const JAVA_THREADS: readonly [RegExp, string][] = [
  [/^SQLiteQueue/, 'SQLite (one thread)'],
  [/^qtp/, 'HTTP + JSON (Jetty pool)'],
  [/CompilerThre/, 'JIT compilers'],
  [/^(GC |G1 )/, 'GC'],
];

/** CPU ms by kind of thread over the given processes, from /proc/<pid>/task/<tid>/stat (Linux). */
function threadCpuMs(pids: readonly number[]): Map<string, number> {
  const byKind = new Map<string, number>();
  for (const pid of pids) {
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const task of tasks) {
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      } catch {
        continue;
      }
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(fields[11]) + Number(fields[12])) * 10;
      const kind = JAVA_THREADS.find(([pattern]) => pattern.test(name))?.[1] ?? 'other';
      byKind.set(kind, (byKind.get(kind) ?? 0) + ms);
    }
  }
  return byKind;
}

/** Per-callback CPU ms by kind of JVM thread between two snapshots, as one line. */
function javaThreadsLine(from: CpuSnapshot, to: CpuSnapshot, callbacks: number): string {
  return [...to.javaThreads]
    .map(([kind, ms]) => [kind, (ms - (from.javaThreads.get(kind) ?? 0)) / callbacks] as const)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, ms]) => `${kind} ${ms.toFixed(2)}`)
    .join(', ');
}

/** Cores used on average between two snapshots by npm start and its DynamoDB Local. */
function ourCores(from: CpuSnapshot, to: CpuSnapshot): number {
  return (to.node - from.node + (to.java - from.java)) / (to.at - from.at);
}

/** Busy CPU ms of the whole machine since boot, from /proc/stat (all but idle and iowait); NaN elsewhere. */
function machineBusyMs(): number {
  try {
    const fields =
      readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
    return (total - (fields[3] ?? 0) - (fields[4] ?? 0)) * 10;
  } catch {
    return Number.NaN;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
