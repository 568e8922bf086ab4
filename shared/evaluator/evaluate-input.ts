import type {
  Classifier,
  CorpState,
  Decision,
  EngineInput,
  PenaltyStore,
  PendingEffects,
  PolicySet,
  SideEffects,
} from '../domain/index.js';
import { decide, isAfterCommitEffect } from '../domain/index.js';
import { ConcurrentUpdateError } from './errors.js';

/** What evaluating an input depends on. */
export interface EvaluatorDependencies {
  readonly store: PenaltyStore;
  readonly effects: SideEffects;
  readonly policies: PolicySet;
  readonly classifier: Classifier;
  /** Load-decide-commit rounds before giving up on a state that keeps changing. */
  readonly maxAttempts?: number;
}

/** The evaluation of one input: applied now, or already applied before (a redelivery). */
export interface Evaluation {
  readonly status: 'applied' | 'duplicate';
  readonly decisions: readonly Decision[];
  /** The corp's state after an applied input: what corp-wide metrics (a category's precision) read. */
  readonly corp?: CorpState;
}

/**
 * Applies one input exactly once in effect: load the state, decide, commit state, records, and
 * (if it decided anything) the input's marker with its pending side effects, all at once, then
 * carry the effects out and clear them. A redelivered input is found in its member's state (or
 * by its marker) and only finishes effects a crash left pending; a concurrent change of the state
 * makes it decide again on the new state.
 */
export async function evaluateInput(input: EngineInput, deps: EvaluatorDependencies): Promise<Evaluation> {
  const policy = deps.policies.forCorp(input.corpId);
  const userId = 'userId' in input && input.userId !== undefined ? input.userId : null;
  const attempts = deps.maxAttempts ?? 8;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const loaded = await deps.store.load(input.corpId, userId);
    const outcome = decide(loaded, input, { policy, classifier: deps.classifier });
    const effects = effectsOf(input, outcome.decisions);
    const result = await deps.store.commit(input, loaded, outcome, effects);
    if (result === 'applied') {
      if (effects) {
        await deps.effects.carryOut(effects);
        await deps.store.clearEffects(input.corpId, input.id);
      }
      return { status: 'applied', decisions: outcome.decisions, corp: outcome.corp };
    }
    if (result === 'duplicate') {
      const pending = await deps.store.pendingEffects(input.corpId, input.id);
      if (pending) {
        await deps.effects.carryOut(pending);
        await deps.store.clearEffects(input.corpId, input.id);
      }
      return { status: 'duplicate', decisions: [] };
    }
    // A conflict: someone committed in between. Back off a little, then decide on the new state.
    await new Promise((wait) => setTimeout(wait, Math.random() * 10 * attempt));
  }
  throw new ConcurrentUpdateError(`state of ${input.corpId}/${userId ?? '(corp)'} kept changing`);
}

/**
 * The decisions of an input that leave the store, in order, or null when there are none. A
 * penalty applied for a violation carries that violation's explanation, so that what is published
 * says why.
 */
export function effectsOf(input: EngineInput, decisions: readonly Decision[]): PendingEffects | null {
  const explanations = new Map<
    string,
    Extract<Decision, { type: 'violation.recorded' }>['violation']['explanation']
  >();
  for (const decision of decisions) {
    if (decision.type === 'violation.recorded')
      explanations.set(decision.violation.id, decision.violation.explanation);
  }
  const effects: Decision[] = [];
  for (const decision of decisions) {
    if (!isAfterCommitEffect(decision)) continue;
    if (decision.type === 'penalty.applied' && decision.reason.violationId !== null) {
      const explanation = explanations.get(decision.reason.violationId);
      effects.push(explanation ? { ...decision, explanation } : decision);
    } else {
      effects.push(decision);
    }
  }
  return effects.length === 0
    ? null
    : { corpId: input.corpId, inputId: input.id, at: input.at, decisions: effects };
}
