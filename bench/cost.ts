import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startLocalDynamoDb } from '../local/local-dynamodb.js';
import { LOCAL_AWS } from '../local/local-queue.js';
import { DynamoDbPenaltyStore } from '../shared/adapters/dynamodb-penalty-store.js';
import { outboundEntries } from '../shared/adapters/eventbridge-outbound.js';
import { createPenaltyTable } from '../shared/adapters/penalty-table.js';
import type { CallbackKeys } from '../shared/config/callback-keys.js';
import { isScheduleDecision, type PendingEffects, type SideEffects } from '../shared/domain/index.js';
import { type CallbackDependencies, processCallback } from '../shared/ingest/process-callback.js';
import { runFifoEvaluators } from '../test/helpers/fifo-evaluators.js';
import prices from './aws-prices.json' with { type: 'json' };
import {
  addExternalContactXml,
  archiveMessageJson,
  BENCH_AES,
  BENCH_KEYS,
  externalUserId,
  signedCallback,
} from './callback-fixtures.js';
import { countDynamoDbUnits } from './dynamodb-units.js';
import { timePerOp } from './measure.js';
import { PRECLASSIFIED } from './policy-texts.js';
import { seedStates } from './seed-states.js';
import { StreamGenerator } from './stream-generator.js';
import type { BenchSection } from './types.js';

/**
 * Events evaluated, by this many evaluators, after a history decided in memory and stored (so that
 * states have their size of a long stream), and a warm-up through the store.
 */
const EVENTS = 6_000;
const HISTORY = 300_000;
const WARMUP = 2_000;
const EVALUATORS = 8;
/** The functions' memory (infra: WecomFunction's 512 MB) and its CPU share: 1,769 MB is one vCPU. */
const MEMORY_GB = 0.5;
const CPU_SHARE_SCALE = 1769 / 512;
/** An access log line of the HTTP API as its format renders it (infra/stacks/app-stack.ts). */
const ACCESS_LOG_LINE = JSON.stringify({
  requestId: 'Jz7cKhY2oAMEVdQ=',
  ip: '203.0.113.17',
  requestTime: '05/Dec/2026:04:20:31 +0000',
  routeKey: 'POST /wecom/contact',
  status: '200',
  protocol: 'HTTP/1.1',
  responseLength: '7',
  responseLatency: '23',
  integrationStatus: '200',
  integrationLatency: '21',
  integrationError: '-',
  error: '-',
});

/** Side effects counted as the AWS requests they would make, not sent. */
class CountedEffects implements SideEffects {
  events = 0;
  putEvents = 0;
  schedules = 0;
  async carryOut(effects: PendingEffects): Promise<void> {
    const entries = outboundEntries(effects, 'bus').length;
    this.events += entries;
    this.putEvents += Math.ceil(entries / 10);
    this.schedules += effects.decisions.filter(isScheduleDecision).length;
  }
}

interface Line {
  readonly service: string;
  readonly what: string;
  readonly usd: number;
  readonly floorUsd: number;
}

/**
 * `npm run bench -- cost`: what a million callbacks cost on AWS, service by service, from what the
 * code does on the policy bench's stream (DynamoDB units from the real items' sizes, transactions
 * counted twice; requests; side effects) and the CPU it takes here, priced from `aws-prices.json`
 * (dated, kept as data), beside the floor: the same requests everywhere but DynamoDB, which gets
 * one 1 KB non-transactional write and one consistent read per event.
 */
export const cost: BenchSection = {
  name: 'cost',
  description: 'USD per million callbacks by service, from measured units and CPU, beside the floor',
  run: async () => {
    const usd = prices.usd;
    const assumed = prices.assumed;
    const db = await startLocalDynamoDb();
    const plain = new DynamoDBClient({ ...LOCAL_AWS, endpoint: db.endpoint, maxAttempts: 1 });
    try {
      // DynamoDB units and requests, on a counting client; CPU on a plain one (no counting work).
      await createPenaltyTable(db.client, 'cost-units');
      await createPenaltyTable(plain, 'cost-cpu');
      const units = countDynamoDbUnits(db.client, plain, 'cost-units');
      const effects = new CountedEffects();
      let stateBytes = 0;
      const pass = async (client: DynamoDBClient, tableName: string, measure: boolean) => {
        const store = new DynamoDbPenaltyStore({ client, tableName });
        const stream = new StreamGenerator(0x5eed_0c05, 'cost', HISTORY + WARMUP + EVENTS);
        stateBytes = await seedStates([{ client: plain, tableName }], stream, HISTORY);
        const fifo = (inputs: ReturnType<StreamGenerator['next']>) =>
          runFifoEvaluators(
            { inputs, evaluators: EVALUATORS, storeFor: () => store, classifier: PRECLASSIFIED, effects },
            { transactions: 0, transactionConflicts: 0, writes: 0, writeConflicts: 0, metOn: new Map() },
          );
        await fifo(stream.next(WARMUP));
        if (measure) {
          units.readUnits = 0;
          units.writeUnits = 0;
          units.writtenBytes = 0;
          units.itemsWritten = 0;
          units.requests.clear();
          Object.assign(effects, { events: 0, putEvents: 0, schedules: 0 });
        }
        const before = process.cpuUsage();
        const run = await fifo(stream.next(EVENTS));
        const cpu = process.cpuUsage(before);
        return { run, cpuMs: (cpu.user + cpu.system) / 1000 };
      };
      const { run } = await pass(db.client, 'cost-units', true);
      const { cpuMs, run: cpuRun } = await pass(plain, 'cost-cpu', false);
      const ingestNs = await ingestCpuNs();

      const million = 1_000_000;
      const perEvent = (n: number) => n / EVENTS;
      const batches = run.batches;
      const batchesPerMillion = perEvent(batches) * million;
      const request = (name: string) => units.requests.get(name) ?? 0;
      const lines: Line[] = [];
      const add = (service: string, what: string, usdValue: number, floorUsd = usdValue) =>
        lines.push({ service, what, usd: usdValue, floorUsd });

      add('API Gateway', `${fmt(million)} requests (HTTP API)`, usd.apiGatewayHttpApiPerMillionRequests);
      // Lambda: billed per ms of the handler; CPU here scaled to the 512 MB share, plus the waits.
      const ingestMs = (ingestNs / 1e6) * CPU_SHARE_SCALE + assumed.latencyMs.SendMessage;
      const ingestGbS = million * MEMORY_GB * (Math.ceil(ingestMs) / 1000);
      add(
        'Lambda, callbacks',
        `${fmt(million)} invocations × ${Math.ceil(ingestMs)} ms billed (CPU ${(ingestNs / 1e3).toFixed(0)} µs here)`,
        usd.lambdaPerMillionRequests + ingestGbS * usd.lambdaArm64PerGbSecond,
      );
      const waitsPerBatch =
        (request('BatchGetItem') * assumed.latencyMs.BatchGetItem +
          request('GetItem') * assumed.latencyMs.GetItem +
          request('TransactWriteItems') * assumed.latencyMs.TransactWriteItems +
          request('UpdateItem') * assumed.latencyMs.UpdateItem +
          effects.putEvents * assumed.latencyMs.PutEvents +
          effects.schedules * assumed.latencyMs.CreateSchedule) /
        batches;
      const cpuPerBatch = (cpuMs / cpuRun.batches) * CPU_SHARE_SCALE;
      const evaluatorMs = Math.ceil(cpuPerBatch + waitsPerBatch);
      add(
        'Lambda, evaluator',
        `${fmt(batchesPerMillion)} invocations (${(EVENTS / batches).toFixed(1)} inputs each) × ${evaluatorMs} ms billed`,
        (batchesPerMillion / million) * usd.lambdaPerMillionRequests +
          batchesPerMillion * MEMORY_GB * (evaluatorMs / 1000) * usd.lambdaArm64PerGbSecond,
      );
      const timerSends = perEvent(effects.schedules) * million;
      const sqsRequests = million + 2 * batchesPerMillion + timerSends;
      add(
        'SQS FIFO',
        `${fmt(sqsRequests)} requests (a send per callback and fired timer, a receive and a delete per batch)`,
        (sqsRequests / million) * usd.sqsFifoPerMillionRequests,
      );
      const wru = perEvent(units.writeUnits) * million;
      const rru = perEvent(units.readUnits) * million;
      add(
        'DynamoDB',
        `${fmt(wru)} write units (${perEvent(units.writeUnits).toFixed(2)}/input), ${fmt(rru)} read units ` +
          `(${perEvent(units.readUnits).toFixed(2)}/input)`,
        (wru / million) * usd.dynamoDbOnDemandPerMillionWriteUnits +
          (rru / million) * usd.dynamoDbOnDemandPerMillionReadUnits,
        usd.dynamoDbOnDemandPerMillionWriteUnits + usd.dynamoDbOnDemandPerMillionReadUnits,
      );
      const events = perEvent(effects.events) * million;
      add(
        'EventBridge',
        `${fmt(events)} events published`,
        (events / million) * usd.eventBridgeCustomEventsPerMillion,
      );
      add(
        'Scheduler',
        `${fmt(timerSends)} timers fired`,
        (timerSends / million) * usd.schedulerPerMillionInvocations,
      );
      const invocations = million + batchesPerMillion;
      const logBytes =
        million * Buffer.byteLength(ACCESS_LOG_LINE) +
        invocations * (assumed.lambdaPlatformLogBytesPerInvocation + assumed.metricsLogBytesPerInvocation);
      add(
        'CloudWatch Logs',
        `${(logBytes / 2 ** 30).toFixed(2)} GB (access log lines, Lambda's own lines and metrics per invocation)`,
        (logBytes / 2 ** 30) * usd.cloudWatchLogsPerGbIngested,
      );
      const traces = invocations * assumed.xraySampledShare;
      add(
        'X-Ray',
        `${fmt(traces)} traces (default sampling)`,
        (traces / million) * usd.xrayPerMillionTracesRecorded,
      );

      const total = lines.reduce((sum, line) => sum + line.usd, 0);
      const floor = lines.reduce((sum, line) => sum + line.floorUsd, 0);
      console.log(
        `cost: USD per million callbacks, prices of ${prices.date} (${prices.region}, bench/aws-prices.json); ` +
          `${EVENTS} events of the policy stream after a history of ${HISTORY} (member states ${(stateBytes / 1024).toFixed(2)} KB ` +
          `on average) and ${WARMUP} of warm-up, ${EVALUATORS} evaluators, DynamoDB Local`,
      );
      for (const line of [...lines].sort((a, b) => b.usd - a.usd)) {
        console.log(
          `  ${line.service.padEnd(18)} ${line.usd.toFixed(3).padStart(7)}  ${pct(line.usd, total).padStart(6)}  ` +
            `floor ${line.floorUsd.toFixed(3).padStart(7)}  ${line.what}`,
        );
      }
      console.log(
        `  ${'total'.padEnd(18)} ${total.toFixed(3).padStart(7)}  = ${(total / floor).toFixed(2)} × the floor ` +
          `(${floor.toFixed(3)}: one 1 KB write and one read per event, every other request as is; target ≤ 2×)`,
      );
      console.log(
        `  DynamoDB write units per input ${perEvent(units.writeUnits).toFixed(2)} (target ≤ 2): ` +
          `${perEvent(units.itemsWritten).toFixed(2)} items written per input, ${(units.writtenBytes / units.itemsWritten / 1024).toFixed(2)} KB mean; ` +
          `requests per input: ${[...units.requests].map(([name, n]) => `${name} ${perEvent(n).toFixed(3)}`).join(', ')}`,
      );
      console.log(
        `  assumed, not measured: request latencies (${Object.entries(assumed.latencyMs)
          .map(([k, v]) => `${k} ${v} ms`)
          .join(', ')}), ${assumed.lambdaPlatformLogBytesPerInvocation} B of Lambda's own log lines and ` +
          `${assumed.metricsLogBytesPerInvocation} B of metrics per invocation, X-Ray sampling ${assumed.xraySampledShare}`,
      );
    } finally {
      plain.destroy();
      await db.stop();
    }
  },
};

/** CPU of processCallback per callback, the mean of the contact and message routes (ns). */
async function ingestCpuNs(): Promise<number> {
  const contact = signedCallback(addExternalContactXml(externalUserId(1)), 'xml');
  const message = signedCallback(archiveMessageJson(), 'json');
  const keys: CallbackKeys = { corpId: BENCH_KEYS.corpId, token: BENCH_KEYS.token, aes: BENCH_AES };
  const resolved = Promise.resolve(keys);
  const deps: CallbackDependencies = { keys: () => resolved, queue: { send: () => Promise.resolve() } };
  const post = (c: typeof contact) => ({ method: 'POST', rawQueryString: c.rawQueryString, body: c.body });
  const timings = await timePerOp([
    { name: 'contact', run: () => processCallback('contact', post(contact), deps) },
    { name: 'message', run: () => processCallback('message', post(message), deps) },
  ]);
  return timings.reduce((sum, t) => sum + t.medianNs, 0) / timings.length;
}

function fmt(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0);
}

function pct(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(1)} %`;
}
