import { randomBytes } from 'node:crypto';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startLocalDynamoDb } from '../local/local-dynamodb.js';
import { DynamoDbPenaltyStore } from '../shared/adapters/dynamodb-penalty-store.js';
import { createPenaltyTable } from '../shared/adapters/penalty-table.js';
import type { DomainEvent } from '../shared/domain/events.js';
import { DEFAULT_POLICY_SET } from '../shared/domain/policy.js';
import type { PendingEffects, SideEffects } from '../shared/domain/ports.js';
import { evaluateBatch } from '../shared/evaluator/evaluate-batch.js';
import { evaluateInput } from '../shared/evaluator/evaluate-input.js';
import { descendants, serverCpuMs } from './local-http.js';
import { PRECLASSIFIED } from './policy-texts.js';
import { StreamGenerator } from './stream-generator.js';
import type { BenchSection } from './types.js';

/** Events evaluated (after a warm-up), and how many members are evaluated at once. */
const EVENTS = 6_000;
const WARMUP = 1_000;
const CONCURRENCY = 16;
/** The batch case: batches as the SQS event source hands them over, and how many at once (the local poller's). */
const BATCH_SIZE = 10;
const BATCHES_AT_ONCE = 6;
/** Size of the floor's item, about a member state's mean (2.5 KB). */
const FLOOR_ITEM_BYTES = 2_500;

/** Side effects that are counted, not sent: the bench measures the store, not Scheduler. */
class CountedEffects implements SideEffects {
  carried = 0;
  async carryOut(effects: PendingEffects): Promise<void> {
    this.carried += effects.decisions.length;
  }
}

/**
 * `npm run bench -- evaluator`: the evaluator (load, decide, commit, effects) against DynamoDB
 * Local on the policy bench's event stream, input by input (`evaluateInput`, CONCURRENCY members
 * at once) and in batches (`evaluateBatch`, BATCH_SIZE events per batch as the SQS event source
 * takes them, BATCHES_AT_ONCE at once, on a table of its own after the same warm-up), beside the
 * floor of one consistent GetItem and one PutItem per event on the same server; DynamoDB requests
 * and capacity units per event from ReturnConsumedCapacity.
 */
export const evaluator: BenchSection = {
  name: 'evaluator',
  description: `events/s through the evaluator on DynamoDB Local, per input and in batches of ${BATCH_SIZE}, vs 1 read + 1 write per event; requests and capacity per event`,
  run: async () => {
    const db = await startLocalDynamoDb();
    try {
      const requests = new Map<string, number>();
      db.client.middlewareStack.add(
        (next, context) => (args) => {
          const name = String(context.commandName ?? 'unknown');
          requests.set(name, (requests.get(name) ?? 0) + 1);
          // Items written in transactions (DynamoDB charges each; DynamoDB Local reports one per transaction).
          const items = (args.input as { TransactItems?: unknown[] }).TransactItems?.length ?? 0;
          requests.set('transaction items', (requests.get('transaction items') ?? 0) + items);
          return next(args);
        },
        { step: 'initialize', name: 'countRequests' },
      );
      const capacity = { read: 0, write: 0 };
      const onCapacity = (operation: 'load' | 'commit' | 'effects', units: number) => {
        if (operation === 'load') capacity.read += units;
        else capacity.write += units;
      };
      await createPenaltyTable(db.client, 'bench');
      await createPenaltyTable(db.client, 'bench-batch');
      const effects = new CountedEffects();
      const common = { effects, policies: DEFAULT_POLICY_SET, classifier: PRECLASSIFIED, maxAttempts: 50 };
      const deps = {
        ...common,
        store: new DynamoDbPenaltyStore({ client: db.client, tableName: 'bench', onCapacity }),
      };
      const batchDeps = {
        ...common,
        store: new DynamoDbPenaltyStore({ client: db.client, tableName: 'bench-batch', onCapacity }),
      };
      const stream = new StreamGenerator(0x5eed_4444, 'eval', WARMUP + EVENTS);
      const warmup = stream.next(WARMUP);
      await runGroups(warmup, (event) => evaluateInput(event, deps).then(() => undefined));
      await runBatches(warmup, (batch) => evaluateBatch(batch, batchDeps).then(() => undefined));

      // The floor: the same number of events, each one consistent read and one write of an item the
      // size of a mean member state, on the same server and at the same concurrency.
      const payload = randomBytes(FLOOR_ITEM_BYTES / 2).toString('hex');
      const floorEvents = stream.next(EVENTS);
      const floor = async (event: DomainEvent) => {
        const key = { pk: { S: `FLOOR#${event.corpId}#${event.userId}` }, sk: { S: 'STATE' } };
        await db.client.send(new GetItemCommand({ TableName: 'bench', Key: key, ConsistentRead: true }));
        await db.client.send(
          new PutItemCommand({ TableName: 'bench', Item: { ...key, state: { S: payload } } }),
        );
      };
      await runGroups(floorEvents.slice(0, 500), floor);
      const floorStarted = performance.now();
      await runGroups(floorEvents, floor);
      const floorSeconds = (performance.now() - floorStarted) / 1000;

      // Per input, then in batches on the other table: the same events after the same warm-up.
      const counted = () => {
        const reads = (requests.get('BatchGetItemCommand') ?? 0) + (requests.get('GetItemCommand') ?? 0);
        const transactions = requests.get('TransactWriteItemsCommand') ?? 0;
        const updates = requests.get('UpdateItemCommand') ?? 0;
        const items = requests.get('transaction items') ?? 0;
        return { reads, transactions, updates, items, read: capacity.read, write: capacity.write };
      };
      /** CPU ms so far of this process (the evaluator) and of DynamoDB Local (its child JVM). */
      const cpu = () => {
        const own = process.cpuUsage();
        const jvm = descendants(process.pid).reduce((sum, pid) => sum + (serverCpuMs(pid) ?? 0), 0);
        return { node: (own.user + own.system) / 1000, jvm };
      };
      const cpuSince = (from: { node: number; jvm: number }) => {
        const now = cpu();
        return { node: now.node - from.node, jvm: now.jvm - from.jvm };
      };
      const reset = () => {
        requests.clear();
        capacity.read = 0;
        capacity.write = 0;
      };
      reset();
      let applied = 0;
      let duplicates = 0;
      const evalStarted = performance.now();
      const evalCpu = cpu();
      await runGroups(floorEvents, async (event) => {
        const result = await evaluateInput(event, deps);
        if (result.status === 'applied') applied++;
        else duplicates++;
      });
      const evalSeconds = (performance.now() - evalStarted) / 1000;
      const single = { ...counted(), cpu: cpuSince(evalCpu) };

      reset();
      const batchTally = { applied: 0, duplicates: 0, failed: 0, batches: 0, transactions: 0, oneByOne: 0 };
      const batchStarted = performance.now();
      const batchCpu = cpu();
      await runBatches(floorEvents, async (batch) => {
        const evaluation = await evaluateBatch(batch, batchDeps);
        batchTally.batches++;
        batchTally.transactions += evaluation.transactions;
        batchTally.oneByOne += evaluation.oneByOne;
        for (const result of evaluation.results) {
          if (result.status === 'applied') batchTally.applied++;
          else if (result.status === 'duplicate') batchTally.duplicates++;
          else batchTally.failed++;
        }
      });
      const batchSeconds = (performance.now() - batchStarted) / 1000;
      const batched = { ...counted(), cpu: cpuSince(batchCpu) };

      const per = (n: number) => (n / EVENTS).toFixed(3);
      const floorRate = EVENTS / floorSeconds;
      const evalRate = EVENTS / evalSeconds;
      const batchRate = EVENTS / batchSeconds;
      console.log(
        `evaluator: ${EVENTS} events of the policy stream, DynamoDB Local; per input ${CONCURRENCY} members at once, ` +
          `batches of ≤ ${BATCH_SIZE} (${(EVENTS / batchTally.batches).toFixed(1)} events on average) ${BATCHES_AT_ONCE} at once`,
      );
      console.log(
        `  floor (GetItem + PutItem ${FLOOR_ITEM_BYTES} B) ${floorRate.toFixed(0).padStart(6)} events/s`,
      );
      console.log(
        `  evaluateInput                      ${evalRate.toFixed(0).padStart(6)} events/s  ` +
          `= ${(evalRate / floorRate).toFixed(2)} × the floor  (${applied} applied, ${duplicates} duplicates)`,
      );
      console.log(
        `  evaluateBatch                      ${batchRate.toFixed(0).padStart(6)} events/s  ` +
          `= ${(batchRate / floorRate).toFixed(2)} × the floor, ${(batchRate / evalRate).toFixed(2)} × evaluateInput  ` +
          `(${batchTally.applied} applied, ${batchTally.duplicates} duplicates, ${batchTally.failed} failed; ` +
          `${batchTally.oneByOne} evaluated one by one)`,
      );
      console.log(
        `  requests per event, evaluateInput: reads ${per(single.reads)} (floor 1), transactions ${per(single.transactions)} ` +
          `(floor 1 write), effect clears ${per(single.updates)}, conflicts retried ${per(single.transactions - EVENTS + duplicates)}`,
      );
      console.log(
        `  requests per event, evaluateBatch: reads ${per(batched.reads)}, transactions ${per(batched.transactions)} ` +
          `(${per(batchTally.transactions)} batch commits, the rest one by one), outbox clears ${per(batched.updates)}`,
      );
      console.log(
        `  items written in transactions per event: evaluateInput ${per(single.items)}, evaluateBatch ${per(batched.items)} ` +
          `(DynamoDB charges each 2 WCU per KB)`,
      );
      console.log(
        `  capacity per event as DynamoDB Local reports it: evaluateInput ${per(single.read)} RCU, ${per(single.write)} WCU; ` +
          `evaluateBatch ${per(batched.read)} RCU, ${per(batched.write)} WCU ` +
          `(floor 1 RCU and 3 WCU for ${FLOOR_ITEM_BYTES} B; DynamoDB Local reports one item per transaction)`,
      );
      console.log(
        `  CPU per event: evaluateInput node ${per(single.cpu.node)} ms, DynamoDB Local ${per(single.cpu.jvm)} ms; ` +
          `evaluateBatch node ${per(batched.cpu.node)} ms, DynamoDB Local ${per(batched.cpu.jvm)} ms ` +
          `(from process.cpuUsage and /proc/<pid>/stat, 10 ms ticks)`,
      );
      console.log(`  side effects carried out: ${effects.carried} (counted, not sent)`);
    } finally {
      await db.stop();
    }
  },
};

/** Runs each member's events in order (its FIFO group), up to CONCURRENCY members at once. */
async function runGroups(events: readonly DomainEvent[], run: (event: DomainEvent) => Promise<void>) {
  const groups = new Map<string, DomainEvent[]>();
  for (const event of events) {
    const key = `${event.corpId}:${event.userId}`;
    const group = groups.get(key);
    if (group) group.push(event);
    else groups.set(key, [event]);
  }
  const queue = [...groups.values()];
  const worker = async () => {
    for (let group = queue.shift(); group; group = queue.shift()) {
      for (const event of group) await run(event);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

/**
 * Hands the events over in batches of up to BATCH_SIZE, BATCHES_AT_ONCE at once, the way SQS FIFO
 * does: in queue order, skipping the members that have a batch in flight (so each member's events
 * stay in order and in one batch at a time).
 */
async function runBatches(events: readonly DomainEvent[], run: (batch: DomainEvent[]) => Promise<void>) {
  const pending = [...events];
  const inFlight = new Set<string>();
  const group = (event: DomainEvent) => `${event.corpId}:${event.userId}`;
  const waiting: (() => void)[] = [];
  const take = (): DomainEvent[] => {
    const batch: DomainEvent[] = [];
    const taken = new Set<string>();
    for (let i = 0; i < pending.length && batch.length < BATCH_SIZE; ) {
      const event = pending[i] as DomainEvent;
      const key = group(event);
      if (inFlight.has(key) && !taken.has(key)) {
        i++;
        continue;
      }
      batch.push(event);
      taken.add(key);
      inFlight.add(key);
      pending.splice(i, 1);
    }
    return batch;
  };
  const worker = async () => {
    while (pending.length > 0) {
      const batch = take();
      if (batch.length === 0) {
        // Every member with events left has a batch in flight: wait for one to finish.
        await new Promise<void>((resolve) => waiting.push(resolve));
        continue;
      }
      try {
        await run(batch);
      } finally {
        for (const event of batch) inFlight.delete(group(event));
        for (const resolve of waiting.splice(0)) resolve();
      }
    }
  };
  await Promise.all(Array.from({ length: BATCHES_AT_ONCE }, worker));
}
