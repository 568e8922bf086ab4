import type {
  BatchPenaltyStore,
  Classifier,
  EngineInput,
  PendingEffects,
  SideEffects,
} from '../../shared/domain/index.js';
import { DEFAULT_POLICY_SET } from '../../shared/domain/policy.js';

import { evaluateBatch } from '../../shared/evaluator/evaluate-batch.js';
import type { ConflictCounts } from './transaction-conflicts.js';

/** What a run of concurrent evaluators over one FIFO stream did. */
export interface FifoRun {
  /** Inputs applied (each counted once: a redelivery that finds its marker is a duplicate). */
  readonly applied: number;
  readonly duplicates: number;
  /** Inputs that failed `maxReceives` times (the queue would move them to its dead-letter queue). */
  readonly deadLettered: number;
  /** Evaluations that failed and went back to the queue, by the error's name. */
  readonly failures: ReadonlyMap<string, number>;
  /** Batches taken, and those the fast path left (wholly or partly) to one-by-one evaluation. */
  readonly batches: number;
  readonly batchesWithFallback: number;
  /** Why the fast path left inputs to one-by-one evaluation, and how often. */
  readonly fallbackReasons: ReadonlyMap<string, number>;
  /** TransactWriteItems sent, and those DynamoDB cancelled for a conflict with another transaction. */
  readonly transactions: number;
  readonly transactionConflicts: number;
  readonly elapsedMs: number;
}

/** Options of `runFifoEvaluators`. */
export interface FifoRunOptions {
  /** Every member's inputs, each member's in order (its FIFO group). */
  readonly inputs: readonly EngineInput[];
  /** Evaluators running at once (the event source mapping's maximum concurrency). */
  readonly evaluators: number;
  /** The store each evaluator uses (one per evaluator, as one per Lambda environment). */
  readonly storeFor: (evaluator: number) => BatchPenaltyStore;
  readonly classifier: Classifier;
  /** Messages per batch (the event source's batch size; 10 by default). */
  readonly batchSize?: number;
  /** Most messages of one group in a batch (SQS hands out a group's in order; 3 by default). */
  readonly perGroup?: number;
  /** Where the evaluators carry out side effects (counted, not sent, by default). */
  readonly effects?: SideEffects;
  /** Receives of an input before it is dead-lettered (the queue's maxReceiveCount; 5 by default). */
  readonly maxReceives?: number;
}

/** Side effects counted, not sent. */
class CountedEffects implements SideEffects {
  carried = 0;
  async carryOut(effects: PendingEffects): Promise<void> {
    this.carried += effects.decisions.length;
  }
}

/**
 * Concurrent evaluators taking batches off one FIFO queue, as SQS and the event source mapping
 * hand them out: a batch holds the next messages of groups no other batch holds (a member's group
 * is locked while a batch of it is in flight), up to `perGroup` of one group; what failed or was
 * skipped goes back to the front of its group, to be taken again (the visibility timeout, without
 * the wait). Each evaluator runs `evaluateBatch` on its own store, as a Lambda environment would.
 */
export async function runFifoEvaluators(options: FifoRunOptions, counts: ConflictCounts): Promise<FifoRun> {
  const batchSize = options.batchSize ?? 10;
  const perGroup = options.perGroup ?? 3;
  const groups = new Map<string, EngineInput[]>();
  for (const input of options.inputs) {
    const key = `${input.corpId}/${'userId' in input ? (input.userId ?? '') : ''}`;
    const group = groups.get(key) ?? [];
    group.push(input);
    groups.set(key, group);
  }
  const maxReceives = options.maxReceives ?? 5;
  const receives = new Map<EngineInput, number>();
  let deadLettered = 0;
  const locked = new Set<string>();
  const failures = new Map<string, number>();
  const fallbackReasons = new Map<string, number>();
  const effects = options.effects ?? new CountedEffects();
  let applied = 0;
  let duplicates = 0;
  let batches = 0;
  let batchesWithFallback = 0;
  const sentBefore = counts.transactions;
  const conflictsBefore = counts.transactionConflicts;

  const take = (): { key: string; inputs: EngineInput[] }[] => {
    const taken: { key: string; inputs: EngineInput[] }[] = [];
    let size = 0;
    for (const [key, group] of groups) {
      if (size >= batchSize) break;
      if (locked.has(key) || group.length === 0) continue;
      const inputs = group.splice(0, Math.min(perGroup, batchSize - size));
      locked.add(key);
      taken.push({ key, inputs });
      size += inputs.length;
    }
    return taken;
  };
  const pending = () => [...groups.values()].some((group) => group.length > 0);

  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.evaluators }, async (_, e) => {
      const deps = {
        store: options.storeFor(e),
        effects,
        policies: DEFAULT_POLICY_SET,
        classifier: options.classifier,
      };
      while (pending() || locked.size > 0) {
        const taken = take();
        if (taken.length === 0) {
          // Every remaining group is in another batch: wait for one to come back.
          await new Promise((resolve) => setTimeout(resolve, 1));
          continue;
        }
        batches += 1;
        const batch = taken.flatMap((t) => t.inputs);
        const evaluation = await evaluateBatch(batch, deps);
        if (evaluation.oneByOne > 0) batchesWithFallback += 1;
        for (const reason of evaluation.fallbacks)
          fallbackReasons.set(reason, (fallbackReasons.get(reason) ?? 0) + 1);
        let at = 0;
        for (const { key, inputs } of taken) {
          const back: EngineInput[] = [];
          for (const input of inputs) {
            const result = evaluation.results[at++];
            if (result?.status === 'applied') applied += 1;
            else if (result?.status === 'duplicate') duplicates += 1;
            else {
              if (result?.status === 'failed') {
                const name = result.error instanceof Error ? result.error.name : String(result.error);
                failures.set(name, (failures.get(name) ?? 0) + 1);
              }
              const received = (receives.get(input) ?? 0) + 1;
              receives.set(input, received);
              if (received < maxReceives) back.push(input);
              else deadLettered += 1;
            }
          }
          groups.get(key)?.unshift(...back);
          locked.delete(key);
        }
      }
    }),
  );
  return {
    applied,
    duplicates,
    deadLettered,
    failures,
    batches,
    batchesWithFallback,
    fallbackReasons,
    transactions: counts.transactions - sentBefore,
    transactionConflicts: counts.transactionConflicts - conflictsBefore,
    elapsedMs: performance.now() - started,
  };
}
