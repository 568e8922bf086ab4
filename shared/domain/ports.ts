import type { Outcome } from './decide.js';
import type { Decision } from './decisions.js';
import type { DomainEvent } from './events.js';
import type { CorpState, EngineInput, MemberState } from './types.js';

/** Durable hand-off of domain events to the evaluator (SQS FIFO on AWS, fauxqs locally). */
export interface EventQueue {
  /**
   * Queues every event, each in its member's ordered group and deduplicated by its id; resolves
   * only once all are stored, and rejects when that cannot be done in time.
   */
  send(events: readonly DomainEvent[]): Promise<void>;
}

/** A member's and its corp's state as loaded, with the versions a commit must still find. */
export interface LoadedState {
  /** Null for corp-wide inputs, which have no member. */
  readonly member: MemberState | null;
  readonly corp: CorpState;
}

/** What a commit found: applied, the input already applied before, or state changed meanwhile. */
export type CommitResult = 'applied' | 'duplicate' | 'conflict';

/** The decisions of an applied input that still have to be carried out outside the store. */
export interface PendingEffects {
  readonly inputId: string;
  readonly decisions: readonly Decision[];
}

/**
 * Member and corp state, violations, audit entries and the outbox of side effects. A commit is
 * atomic: the new states (if still at the versions loaded), the records, the input's "applied"
 * marker and its pending side effects, all or nothing.
 */
export interface PenaltyStore {
  load(corpId: string, userId: string | null): Promise<LoadedState>;
  commit(
    input: EngineInput,
    loaded: LoadedState,
    outcome: Outcome,
    effects: readonly Decision[],
  ): Promise<CommitResult>;
  /** The side effects an applied input left pending (a crash between commit and carrying them out). */
  pendingEffects(corpId: string, inputId: string): Promise<PendingEffects | null>;
  /** Marks the input's side effects done. */
  clearEffects(corpId: string, inputId: string): Promise<void>;
}

/** Carries out the decisions that leave the store: schedules, outbound events. Idempotent. */
export interface SideEffects {
  carryOut(decisions: readonly Decision[]): Promise<void>;
}
