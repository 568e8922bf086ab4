import type {
  BatchCommitResult,
  BatchPenaltyStore,
  CorpState,
  DecidedInput,
  EngineInput,
  LoadedState,
  PenaltyStore,
  Policy,
  StateKey,
  SubjectBatch,
} from '../domain/index.js';
import { decide } from '../domain/index.js';
import { type Evaluation, type EvaluatorDependencies, effectsOf, evaluateInput } from './evaluate-input.js';

/**
 * What became of one input of a batch: evaluated (applied, or a duplicate), failed (the error
 * evaluating it threw), or skipped: not finished because an earlier input of its member failed, so
 * that a member's inputs are never taken out of order.
 */
export type BatchResult =
  | Evaluation
  | { readonly status: 'failed'; readonly error: unknown }
  | { readonly status: 'skipped' };

/** The evaluation of a batch: a result per input, in the inputs' order, and how it was done. */
export interface BatchEvaluation {
  readonly results: readonly BatchResult[];
  /** Inputs committed on the fast path, and the transactions that committed them. */
  readonly batched: number;
  readonly transactions: number;
  /** Inputs evaluated one by one (evaluateInput), and why the fast path left them. */
  readonly oneByOne: number;
  readonly fallbacks: readonly string[];
}

/** Whether the store can evaluate a batch at once (load many, commit many, clear many). */
export function isBatchPenaltyStore(store: PenaltyStore): store is BatchPenaltyStore {
  const candidate = store as Partial<BatchPenaltyStore>;
  return (
    typeof candidate.loadMany === 'function' &&
    typeof candidate.commitBatch === 'function' &&
    typeof candidate.clearEffectsMany === 'function'
  );
}

/** A member's inputs in a batch (or a corp's corp-wide ones), by their index in the batch, in order. */
interface Subject {
  readonly key: StateKey;
  readonly indexes: number[];
}

/**
 * Evaluates a batch of inputs (an SQS batch) as one unit, with the guarantees of `evaluateInput`
 * for each input:
 *
 * 1. every member's and corp's state in one read (`loadMany`);
 * 2. every input decided in memory, in its member's order, each member's and corp's state threaded
 *    from one input to the next (a corp's through its members one after the other);
 * 3. the whole in as few transactions as fit (`commitBatch`): the marker of every input that
 *    decided anything (which must not exist), one final state per member under the version loaded
 *    (remembering its inputs), one update per corp (counters' deltas, and its decisions under the
 *    version loaded); a member whose state is its only write goes on its own once they are in;
 * 4. the side effects of every input, in order per member, then every outbox cleared at once.
 *
 * The store commits a prefix of the members: a member that remembers one of its inputs (applied
 * before), or a transaction that is cancelled (a state changed meanwhile, a conflict) or fails,
 * leaves that member and every member after it to `evaluateInput`, one input at a time, which
 * finds the duplicates, finishes their pending effects and decides again on the state as it is.
 * Members after a failed transaction are never committed by the batch (their corp's state was
 * threaded through the failed one), a member written on its own whose write failed goes one by
 * one too (the store says which), and members committed are never handed to `evaluateInput`, so
 * no input is applied twice; even where a failure leaves it unknown whether a write went through,
 * `evaluateInput` finds the inputs the member remembers and the markers of what did. The same goes
 * for a failed read: every input is then evaluated one by one.
 */
// About 80 lines: the batch's failure rules (above) are one sequence of read, decide, commit and
// fall back; kept in one function so that sequence can be checked against the comment.
export async function evaluateBatch(
  inputs: readonly EngineInput[],
  deps: EvaluatorDependencies,
): Promise<BatchEvaluation> {
  const results: (BatchResult | undefined)[] = inputs.map(() => undefined);
  const subjects = subjectsOf(inputs);
  const fallbacks: string[] = [];
  const { store } = deps;
  if (!isBatchPenaltyStore(store)) {
    if (inputs.length > 0) fallbacks.push('the store does not take batches');
    await oneByOne(subjects, inputs, deps, results);
    return summary(results, 0, 0, fallbacks);
  }

  let loaded: LoadedState[];
  try {
    loaded = await store.loadMany(subjects.map((subject) => subject.key));
  } catch (error) {
    fallbacks.push(`load failed: ${errorName(error)}`);
    await oneByOne(subjects, inputs, deps, results);
    return summary(results, 0, 0, fallbacks);
  }

  // Decide every input in memory; a subject whose decision throws is left to evaluateInput, and the
  // corp goes on from the state before it.
  const loadedCorps = new Map<string, CorpState>();
  const corps = new Map<string, CorpState>();
  const policies = new Map<string, Policy>();
  const decided: SubjectBatch[] = [];
  const decidedSubjects: Subject[] = [];
  const leftOver: Subject[] = [];
  for (const [index, subject] of subjects.entries()) {
    const { corpId } = subject.key;
    const state = loaded[index] as LoadedState;
    if (!loadedCorps.has(corpId)) loadedCorps.set(corpId, state.corp);
    let policy = policies.get(corpId);
    if (!policy) {
      policy = deps.policies.forCorp(corpId);
      policies.set(corpId, policy);
    }
    let member = state.member;
    let corp = corps.get(corpId) ?? (loadedCorps.get(corpId) as CorpState);
    const decidedInputs: DecidedInput[] = [];
    try {
      for (const at of subject.indexes) {
        const input = inputs[at] as EngineInput;
        const outcome = decide({ member, corp }, input, { policy, classifier: deps.classifier });
        decidedInputs.push({ input, outcome, effects: effectsOf(input, outcome.decisions) });
        member = outcome.member;
        corp = outcome.corp;
      }
    } catch (error) {
      fallbacks.push(`decide failed: ${errorName(error)}`);
      leftOver.push(subject);
      continue;
    }
    corps.set(corpId, corp);
    decided.push({ key: subject.key, loadedMember: state.member, inputs: decidedInputs, corpAfter: corp });
    decidedSubjects.push(subject);
  }

  let commit: BatchCommitResult;
  try {
    commit =
      decided.length === 0
        ? { committed: 0, transactions: 0 }
        : await store.commitBatch({ corps: loadedCorps, subjects: decided });
  } catch (error) {
    // Whether anything went through is unknown: evaluateInput finds the markers of what did.
    commit = { committed: 0, transactions: 0, stopped: { reason: `commit failed: ${errorName(error)}` } };
  }
  if (commit.stopped) fallbacks.push(commit.stopped.reason);
  const uncommitted = new Set(commit.uncommitted ?? []);
  if (uncommitted.size > 0) fallbacks.push(`${uncommitted.size} member write(s) failed`);
  const applied = (_: unknown, i: number) => i < commit.committed && !uncommitted.has(i);
  leftOver.push(...decidedSubjects.filter((subject, i) => !applied(subject, i)));
  const committed = decided.filter(applied);
  const batched = committed.reduce((sum, subject) => sum + subject.inputs.length, 0);

  await Promise.all([
    finishCommitted(store, deps, committed, decidedSubjects.filter(applied), results),
    oneByOne(leftOver, inputs, deps, results),
  ]);
  return summary(results, batched, commit.transactions, fallbacks);
}

/**
 * Carries out the side effects of the committed inputs, in order per member (members at once),
 * then clears every outbox carried out in one request. An input whose effects fail is failed (its
 * effects stay pending for its redelivery or the sweep) and its member's later inputs skipped.
 */
async function finishCommitted(
  store: BatchPenaltyStore,
  deps: EvaluatorDependencies,
  committed: readonly SubjectBatch[],
  subjects: readonly Subject[],
  results: (BatchResult | undefined)[],
): Promise<void> {
  const carried: { corpId: string; inputId: string; at: number }[] = [];
  await Promise.all(
    committed.map(async (subject, s) => {
      const indexes = (subjects[s] as Subject).indexes;
      for (const [i, { input, outcome, effects }] of subject.inputs.entries()) {
        const at = indexes[i] as number;
        if (effects) {
          try {
            await deps.effects.carryOut(effects);
          } catch (error) {
            results[at] = { status: 'failed', error };
            for (const later of indexes.slice(i + 1)) results[later] = { status: 'skipped' };
            return;
          }
          carried.push({ corpId: input.corpId, inputId: input.id, at });
        }
        results[at] = { status: 'applied', decisions: outcome.decisions, corp: outcome.corp };
      }
    }),
  );
  if (carried.length === 0) return;
  try {
    await store.clearEffectsMany(carried.map(({ corpId, inputId }) => ({ corpId, inputId })));
  } catch (error) {
    // As evaluateInput would: the input fails, and its redelivery finds the effects still pending.
    for (const { at } of carried) results[at] = { status: 'failed', error };
  }
}

/** Each subject's inputs through evaluateInput, in order, subjects at once; a failure skips the member's rest. */
async function oneByOne(
  subjects: readonly Subject[],
  inputs: readonly EngineInput[],
  deps: EvaluatorDependencies,
  results: (BatchResult | undefined)[],
): Promise<void> {
  await Promise.all(
    subjects.map(async ({ indexes }) => {
      for (const [i, at] of indexes.entries()) {
        try {
          results[at] = await evaluateInput(inputs[at] as EngineInput, deps);
        } catch (error) {
          results[at] = { status: 'failed', error };
          for (const later of indexes.slice(i + 1)) results[later] = { status: 'skipped' };
          return;
        }
      }
    }),
  );
}

/** The batch's subjects: corps in order of first appearance, each corp's members (and corp-wide inputs) likewise. */
function subjectsOf(inputs: readonly EngineInput[]): Subject[] {
  const byCorp = new Map<string, Map<string | null, Subject>>();
  for (const [index, input] of inputs.entries()) {
    const userId = 'userId' in input && input.userId !== undefined ? input.userId : null;
    let corp = byCorp.get(input.corpId);
    if (!corp) {
      corp = new Map();
      byCorp.set(input.corpId, corp);
    }
    const subject = corp.get(userId);
    if (subject) subject.indexes.push(index);
    else corp.set(userId, { key: { corpId: input.corpId, userId }, indexes: [index] });
  }
  return [...byCorp.values()].flatMap((corp) => [...corp.values()]);
}

function summary(
  results: readonly (BatchResult | undefined)[],
  batched: number,
  transactions: number,
  fallbacks: readonly string[],
): BatchEvaluation {
  const complete = results.map((result) => result ?? ({ status: 'skipped' } as const));
  return { results: complete, batched, transactions, oneByOne: complete.length - batched, fallbacks };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : String(error);
}
