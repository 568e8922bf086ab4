import { randomBytes } from 'node:crypto';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startLocalDynamoDb } from '../local/local-dynamodb.js';
import { createPenaltyTable, DynamoDbPenaltyStore } from '../shared/adapters/dynamodb-penalty-store.js';
import type { DomainEvent } from '../shared/domain/events.js';
import { DEFAULT_POLICY_SET } from '../shared/domain/policy.js';
import type { PendingEffects, SideEffects } from '../shared/domain/ports.js';
import { evaluateInput } from '../shared/evaluator/evaluate-input.js';
import { PRECLASSIFIED, StreamGenerator } from './policy.js';
import type { BenchSection } from './types.js';

/** Events evaluated (after a warm-up), and how many members are evaluated at once. */
const EVENTS = 6_000;
const WARMUP = 1_000;
const CONCURRENCY = 16;
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
 * Local on the policy bench's event stream, beside the floor of one consistent GetItem and one
 * PutItem per event on the same server, at the same concurrency; DynamoDB requests and capacity
 * units per event from ReturnConsumedCapacity.
 */
export const evaluator: BenchSection = {
  name: 'evaluator',
  description: `events/s through the evaluator on DynamoDB Local vs 1 read + 1 write per event; requests and capacity per event`,
  run: async () => {
    const db = await startLocalDynamoDb();
    try {
      const requests = new Map<string, number>();
      db.client.middlewareStack.add(
        (next, context) => (args) => {
          const name = String(context.commandName ?? 'unknown');
          requests.set(name, (requests.get(name) ?? 0) + 1);
          return next(args);
        },
        { step: 'initialize', name: 'countRequests' },
      );
      const capacity = { read: 0, write: 0 };
      await createPenaltyTable(db.client, 'bench');
      const store = new DynamoDbPenaltyStore({
        client: db.client,
        tableName: 'bench',
        onCapacity: (operation, units) => {
          if (operation === 'load') capacity.read += units;
          else capacity.write += units;
        },
      });
      const effects = new CountedEffects();
      const deps = {
        store,
        effects,
        policies: DEFAULT_POLICY_SET,
        classifier: PRECLASSIFIED,
        maxAttempts: 50,
      };
      const stream = new StreamGenerator(0x5eed_4444, 'eval', WARMUP + EVENTS);
      await runGroups(stream.next(WARMUP), (event) => evaluateInput(event, deps).then(() => undefined));

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

      requests.clear();
      capacity.read = 0;
      capacity.write = 0;
      let applied = 0;
      let duplicates = 0;
      const evalStarted = performance.now();
      await runGroups(floorEvents, async (event) => {
        const result = await evaluateInput(event, deps);
        if (result.status === 'applied') applied++;
        else duplicates++;
      });
      const evalSeconds = (performance.now() - evalStarted) / 1000;

      const per = (n: number) => (n / EVENTS).toFixed(3);
      const floorRate = EVENTS / floorSeconds;
      const evalRate = EVENTS / evalSeconds;
      const reads = (requests.get('BatchGetItemCommand') ?? 0) + (requests.get('GetItemCommand') ?? 0);
      const transactions = requests.get('TransactWriteItemsCommand') ?? 0;
      const otherWrites = requests.get('UpdateItemCommand') ?? 0;
      console.log(
        `evaluator: ${EVENTS} events of the policy stream (${CONCURRENCY} members at once), DynamoDB Local`,
      );
      console.log(
        `  floor (GetItem + PutItem ${FLOOR_ITEM_BYTES} B) ${floorRate.toFixed(0).padStart(6)} events/s`,
      );
      console.log(
        `  evaluateInput                      ${evalRate.toFixed(0).padStart(6)} events/s  ` +
          `= ${(evalRate / floorRate).toFixed(2)} × the floor  (${applied} applied, ${duplicates} duplicates)`,
      );
      console.log(
        `  requests per event: reads ${per(reads)} (floor 1), transactions ${per(transactions)} (floor 1 write), ` +
          `effect clears ${per(otherWrites)}, conflicts retried ${per(transactions - EVENTS + duplicates)}`,
      );
      console.log(
        `  capacity per event: ${per(capacity.read)} RCU (floor 1 for ${FLOOR_ITEM_BYTES} B), ` +
          `${per(capacity.write)} WCU (transactions cost 2 per KB; floor 3 for ${FLOOR_ITEM_BYTES} B)`,
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
