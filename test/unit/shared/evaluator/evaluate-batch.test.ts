import { describe, expect, it } from 'vitest';
import { initialCorpState, initialMemberState } from '../../../../shared/domain/initial-state.js';
import { DEFAULT_POLICY_SET } from '../../../../shared/domain/policy.js';
import type {
  BatchCommit,
  BatchCommitResult,
  BatchPenaltyStore,
  LoadedState,
  PenaltyStore,
  PendingEffects,
  SideEffects,
  StateKey,
} from '../../../../shared/domain/ports.js';
import type { CorpState, EngineInput } from '../../../../shared/domain/types.js';
import { evaluateBatch, isBatchPenaltyStore } from '../../../../shared/evaluator/evaluate-batch.js';
import { TERMS, testClassifier } from '../../../helpers/domain-classifier.js';
import { aContactAdded, aMessage, CORP_ID, DAY, T0 } from '../../../helpers/domain-inputs.js';

/** A store on fresh states that records what it is asked, and commits a batch as told. */
class FakeStore implements BatchPenaltyStore {
  readonly calls: string[] = [];
  readonly batches: BatchCommit[] = [];
  readonly cleared: string[][] = [];
  loadFails = false;
  commitBatchAs: (batch: BatchCommit) => BatchCommitResult = (batch) => ({
    committed: batch.subjects.length,
    transactions: 1,
  });

  async load(corpId: string, userId: string | null): Promise<LoadedState> {
    this.calls.push(`load ${userId}`);
    return {
      member: userId === null ? null : initialMemberState(corpId, userId),
      corp: initialCorpState(corpId),
    };
  }
  async commit(input: EngineInput): Promise<'applied'> {
    this.calls.push(`commit ${input.id}`);
    return 'applied';
  }
  async pendingEffects(): Promise<null> {
    return null;
  }
  async clearEffects(_corpId: string, inputId: string): Promise<void> {
    this.calls.push(`clear ${inputId}`);
  }
  async loadMany(keys: readonly StateKey[]): Promise<LoadedState[]> {
    this.calls.push('loadMany');
    if (this.loadFails) throw new Error('table unreachable');
    const corps = new Map<string, CorpState>();
    return keys.map(({ corpId, userId }) => {
      const corp = corps.get(corpId) ?? initialCorpState(corpId);
      corps.set(corpId, corp);
      return { member: userId === null ? null : initialMemberState(corpId, userId), corp };
    });
  }
  async commitBatch(batch: BatchCommit): Promise<BatchCommitResult> {
    this.calls.push('commitBatch');
    this.batches.push(batch);
    return this.commitBatchAs(batch);
  }
  async clearEffectsMany(inputs: readonly { corpId: string; inputId: string }[]): Promise<void> {
    this.calls.push('clearEffectsMany');
    this.cleared.push(inputs.map((i) => i.inputId));
  }
}

/** Side effects recorded by input id, in the order carried out; failing for the ids in `failFor`. */
class OrderedEffects implements SideEffects {
  readonly carried: string[] = [];
  constructor(private readonly failFor: ReadonlySet<string> = new Set()) {}
  async carryOut(effects: PendingEffects): Promise<void> {
    if (this.failFor.has(effects.inputId)) throw new Error('scheduler unavailable');
    this.carried.push(effects.inputId);
  }
}

function deps(store: PenaltyStore, effects: SideEffects = new OrderedEffects()) {
  return { store, effects, policies: DEFAULT_POLICY_SET, classifier: testClassifier };
}

const add = (userId: string, at = T0) => aContactAdded({ userId, at });
const inducing = (userId: string, at = T0) =>
  aMessage({ userId, at, text: `please ${TERMS['inducing-sharing']}` });

describe('evaluateBatch', () => {
  it('decides each member’s inputs in order on the state before, and the corp through its members one after the other', async () => {
    // Prepare: two members' adds, interleaved as a queue hands them over
    const inputs = [add('a', T0), add('b', T0 + 1), add('a', T0 + 2), add('a', T0 + 3)];
    const store = new FakeStore();

    // Act
    const evaluation = await evaluateBatch(inputs, deps(store));

    // Assess
    expect(store.calls).toEqual(['loadMany', 'commitBatch']);
    const [a, b] = store.batches[0]?.subjects ?? [];
    expect(a?.inputs.map((i) => i.input.id)).toEqual([inputs[0]?.id, inputs[2]?.id, inputs[3]?.id]);
    expect(a?.inputs.map((i) => i.outcome.member?.version)).toEqual([1, 2, 3]);
    expect(a?.corpAfter.addsToday).toMatchObject({ total: 3, topUserId: 'a', topCount: 3 });
    expect(b?.key).toEqual({ corpId: CORP_ID, userId: 'b' });
    expect(b?.corpAfter.addsToday).toMatchObject({ total: 4, topUserId: 'a' });
    expect(evaluation).toMatchObject({ batched: 4, transactions: 1, oneByOne: 0 });
    expect(evaluation.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
  });

  it('evaluates one by one, in order, the members from the transaction that did not go through, never those before', async () => {
    // Prepare: the store commits the first member, then a transaction is cancelled
    const inputs = [add('a'), add('b', T0 + 1), add('c', T0 + 2), add('b', T0 + 3)];
    const store = new FakeStore();
    store.commitBatchAs = () => ({
      committed: 1,
      transactions: 1,
      stopped: { reason: 'transaction cancelled' },
    });

    // Act
    const evaluation = await evaluateBatch(inputs, deps(store));

    // Assess
    const oneByOne = store.calls.filter((c) => c.startsWith('commit '));
    expect(oneByOne).not.toContain(`commit ${inputs[0]?.id}`);
    expect(oneByOne.filter((c) => c !== `commit ${inputs[2]?.id}`)).toEqual([
      `commit ${inputs[1]?.id}`,
      `commit ${inputs[3]?.id}`,
    ]);
    expect(oneByOne).toContain(`commit ${inputs[2]?.id}`);
    expect(evaluation).toMatchObject({ batched: 1, oneByOne: 3, fallbacks: ['transaction cancelled'] });
    expect(evaluation.results.every((r) => r.status === 'applied')).toBe(true);
  });

  it('evaluates every input one by one when the read fails, or the store takes no batches', async () => {
    // Prepare
    const inputs = [add('a'), add('b', T0 + 1)];
    const failing = new FakeStore();
    failing.loadFails = true;
    const plain = new FakeStore();
    const single: PenaltyStore = {
      load: plain.load.bind(plain),
      commit: plain.commit.bind(plain),
      pendingEffects: plain.pendingEffects.bind(plain),
      clearEffects: plain.clearEffects.bind(plain),
    };

    // Act
    const afterFailedRead = await evaluateBatch(inputs, deps(failing));
    const withoutBatches = await evaluateBatch(inputs, deps(single));

    // Assess
    expect(isBatchPenaltyStore(single)).toBe(false);
    expect(afterFailedRead).toMatchObject({ batched: 0, oneByOne: 2, fallbacks: ['load failed: Error'] });
    expect(failing.calls.filter((c) => c.startsWith('commit '))).toHaveLength(2);
    expect(withoutBatches).toMatchObject({ batched: 0, oneByOne: 2 });
    expect(plain.calls.filter((c) => c.startsWith('commit '))).toHaveLength(2);
  });

  it('carries out a member’s side effects in order and clears every outbox in one call', async () => {
    // Prepare
    const inputs = [inducing('a', T0), inducing('b', T0), inducing('a', T0 + 3 * DAY)];
    const store = new FakeStore();
    const effects = new OrderedEffects();

    // Act
    const evaluation = await evaluateBatch(inputs, deps(store, effects));

    // Assess
    expect(effects.carried.indexOf(inputs[0]?.id ?? '')).toBeLessThan(
      effects.carried.indexOf(inputs[2]?.id ?? ''),
    );
    expect(store.cleared).toHaveLength(1);
    expect([...(store.cleared[0] ?? [])].sort()).toEqual(inputs.map((i) => i.id).sort());
    expect(evaluation.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
  });

  it('fails the input whose side effects fail and skips its member’s rest, leaving their outboxes pending', async () => {
    // Prepare
    const inputs = [inducing('a', T0), inducing('b', T0), inducing('a', T0 + 3 * DAY)];
    const store = new FakeStore();
    const effects = new OrderedEffects(new Set([inputs[0]?.id ?? '']));

    // Act
    const evaluation = await evaluateBatch(inputs, deps(store, effects));

    // Assess
    expect(evaluation.results.map((r) => r.status)).toEqual(['failed', 'applied', 'skipped']);
    expect(effects.carried).toEqual([inputs[1]?.id]);
    expect(store.cleared).toEqual([[inputs[1]?.id]]);
  });
});
