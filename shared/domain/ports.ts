import type { Outcome } from './decide.js';
import type { Decision, Violation } from './decisions.js';
import type { DomainEvent } from './events.js';
import type { TimerCommand } from './timers.js';
import type { CorpAppeal, CorpState, EngineInput, MemberAppeal, MemberState } from './types.js';

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
  readonly corpId: string;
  readonly inputId: string;
  /** The input's own time (event time), which outbound events carry. */
  readonly at: number;
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
    effects: PendingEffects | null,
  ): Promise<CommitResult>;
  /** The side effects an applied input left pending (a crash between commit and carrying them out). */
  pendingEffects(corpId: string, inputId: string): Promise<PendingEffects | null>;
  /** Marks the input's side effects done. */
  clearEffects(corpId: string, inputId: string): Promise<void>;
}

/**
 * Carries out the decisions that leave the store: schedules created and cancelled, outbound
 * events published. Idempotent: carrying out the same effects twice (a redelivery after a crash)
 * creates no second schedule, and outbound events carry ids their consumers can dedupe on.
 */
export interface SideEffects {
  carryOut(effects: PendingEffects): Promise<void>;
}

/** Who an appeal belongs to: the corp, and the member for a member appeal (null: the enterprise's). */
export interface AppealOwner {
  readonly corpId: string;
  readonly userId: string | null;
  /** The appeal as last recorded, kept after its owner's state has let a decided appeal go. */
  readonly appeal: MemberAppeal | CorpAppeal | null;
}

/** What the admin API reads besides the states: violation records and appeal owners. */
export interface StateReader {
  load(corpId: string, userId: string | null): Promise<LoadedState>;
  /** The member's violation records with their explanation, newest first. */
  violations(corpId: string, userId: string): Promise<Violation[]>;
  appealOwner(appealId: string): Promise<AppealOwner | null>;
}

/** What the periodic sweep finds: members with a timer due, and side effects left pending. */
export interface SweepIndex {
  /** Members whose earliest pending timer is due at or before `at`, earliest first. */
  dueMembers(at: number, limit: number): Promise<{ corpId: string; userId: string }[]>;
  /** Inputs whose side effects were still pending at `before` (wall time of the commit). */
  pendingEffectsBefore(before: number, limit: number): Promise<{ corpId: string; inputId: string }[]>;
}

/**
 * One-time timers (EventBridge Scheduler on AWS, the local scheduler in local mode). Both calls
 * are idempotent: creating a timer that exists, or cancelling one that is gone, succeeds.
 */
export interface Timers {
  /** Fires `input` onto the event queue at `at` (ms); a timer already due is queued at once. */
  create(name: string, at: number, input: TimerCommand): Promise<void>;
  cancel(name: string): Promise<void>;
}

/** Publishes the outbound events of an input's effects (`penalty.applied`, `penalty.lifted`, `quota.changed`). */
export interface OutboundEvents {
  publish(effects: PendingEffects): Promise<void>;
}
