import { startLocalDynamoDb } from '../local/local-dynamodb.js';
import { DynamoDbPenaltyStore } from '../shared/adapters/dynamodb-penalty-store.js';
import { createPenaltyTable } from '../shared/adapters/penalty-table.js';
import { type FifoRun, runFifoEvaluators } from '../test/helpers/fifo-evaluators.js';
import { applyTransactionConflicts } from '../test/helpers/transaction-conflicts.js';
import { PRECLASSIFIED } from './policy-texts.js';
import { StreamGenerator } from './stream-generator.js';
import type { BenchSection } from './types.js';

/** Inputs of the one corp per round, and rounds (the first is the slots' ramp-up). */
const ROUND = 2_000;
const ROUNDS = 3;

/** A layout under test: how many counter slots a corp may get, with how many evaluators at once. */
interface Design {
  readonly name: string;
  readonly maxCounterShards: number;
  readonly evaluators: number;
}

const DESIGNS: readonly Design[] = [
  { name: 'one counter item (before slots)', maxCounterShards: 1, evaluators: 50 },
  { name: 'counter slots', maxCounterShards: 64, evaluators: 50 },
  { name: 'counter slots', maxCounterShards: 64, evaluators: 64 },
];

/**
 * `npm run bench -- contention`: one corp's policy stream (every member of the stream moved into one
 * corp) through concurrent evaluators taking batches of 10 off a FIFO queue, on DynamoDB Local with
 * DynamoDB's transaction-conflict rule applied on the client (DynamoDB Local runs transactions one
 * at a time and never reports a conflict). Each layout on a table of its own; per round: inputs/s,
 * transactions cancelled by a conflict, batches left to one-by-one evaluation, inputs given up
 * (ConcurrentUpdateError, received again) and dead-lettered (5 receives), read units per input.
 */
export const contention: BenchSection = {
  name: 'contention',
  description: `one corp, ${ROUNDS} × ${ROUND} inputs through 50–64 evaluators with DynamoDB's conflict rule: one counter item vs counter slots`,
  run: async () => {
    const db = await startLocalDynamoDb();
    try {
      const counts = applyTransactionConflicts(db.client);
      console.log(
        `contention: one corp, ${ROUNDS} rounds of ${ROUND} inputs of the policy stream, batches of ≤ 10, ` +
          `DynamoDB Local with DynamoDB's transaction-conflict rule; per round:`,
      );
      let reference: FifoRun | undefined;
      for (const [index, design] of DESIGNS.entries()) {
        const tableName = `contention-${index}`;
        await createPenaltyTable(db.client, tableName);
        const reads = { units: 0 };
        const onCapacity = (operation: string, units: number) => {
          if (operation === 'load') reads.units += units;
        };
        const stores = Array.from(
          { length: design.evaluators },
          () =>
            new DynamoDbPenaltyStore({
              client: db.client,
              tableName,
              maxCounterShards: design.maxCounterShards,
              onCapacity,
            }),
        );
        const stream = new StreamGenerator(0x5eed_c0de, 'busy', ROUND * ROUNDS);
        for (let round = 1; round <= ROUNDS; round++) {
          reads.units = 0;
          const inputs = stream.next(ROUND).map((event) => ({ ...event, corpId: 'wwbusycorp0000001' }));
          const run = await runFifoEvaluators(
            {
              inputs,
              evaluators: design.evaluators,
              storeFor: (e) => stores[e] as DynamoDbPenaltyStore,
              classifier: PRECLASSIFIED,
            },
            counts,
          );
          const rate = (run.applied / run.elapsedMs) * 1000;
          if (index === 0 && round === ROUNDS) reference = run;
          const ratio =
            reference && index > 0
              ? `  = ${(rate / ((reference.applied / reference.elapsedMs) * 1000)).toFixed(2)} × one item's`
              : '';
          const givenUp = run.failures.get('ConcurrentUpdateError') ?? 0;
          console.log(
            `  ${`${design.name}, ${design.evaluators} evaluators`.padEnd(40)} round ${round}: ` +
              `${rate.toFixed(0).padStart(4)} inputs/s${ratio}; ` +
              `conflicts ${pct(run.transactionConflicts, run.transactions)} of ${run.transactions} transactions ` +
              `(${((1000 * run.transactionConflicts) / ROUND).toFixed(1)} per 1,000 inputs), ` +
              `batches one by one ${pct(run.batchesWithFallback, run.batches)}, ` +
              `given up ${givenUp} (${pct(givenUp, ROUND)} of inputs), dead-lettered ${run.deadLettered}, ` +
              `read units per input ${(reads.units / ROUND).toFixed(2)}`,
          );
        }
      }
      console.log(
        '  (the window of a conflict is DynamoDB Local’s request time, about that of a transaction on the service; ' +
          'the slots ramp up in round 1: a corp starts with one and doubles at a conflict)',
      );
      console.log(
        '  (conflicts per 1,000 inputs compare designs; the share of transactions does not, since a member whose ' +
          'state is its only write goes as a single write, not in a transaction)',
      );
    } finally {
      await db.stop();
    }
  },
};

function pct(part: number, whole: number): string {
  return whole === 0 ? '0 %' : `${((100 * part) / whole).toFixed(1)} %`;
}
