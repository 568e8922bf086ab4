import type { Case, CaseStatus } from './cases.js';
import type { Outcome } from './decide.js';
import type { Decision, Violation } from './decisions.js';
import type { DomainEvent } from './events.js';
import type { Standing } from './standing.js';
import type { TimerCommand } from './timers.js';
import type { AppealStatus, CorpAppeal, CorpState, EngineInput, MemberAppeal, MemberState } from './types.js';

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
 * atomic: the new states (if still at the versions loaded; a member's remembers its latest
 * inputs), the records, and for an input that decided anything its "applied" marker with its
 * pending side effects, all or nothing. An input its member remembers is a duplicate.
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

/** Which page of a member's violations to read. */
export interface ViolationPageRequest {
  readonly limit: number;
  readonly cursor: string | null;
}

/** A page of a member's violations, newest first, and the cursor of the next (null: none). */
export interface ViolationPage {
  readonly violations: readonly Violation[];
  readonly next: string | null;
}

/**
 * One of a member's audit entries as stored: a decision the routing table keeps in the audit trail
 * (a status change in words, a penalty applied or lifted, a case opened or decided, a timer), and
 * the time it was recorded at (the input's).
 */
export interface AuditEntry {
  readonly at: number;
  readonly decision: Decision;
}

/** Which page of a member's audit entries to read. */
export interface AuditPageRequest {
  readonly limit: number;
  readonly cursor: string | null;
}

/** A page of a member's audit entries, newest first, and the cursor of the next (null: none). */
export interface AuditPage {
  readonly entries: readonly AuditEntry[];
  readonly next: string | null;
}

/** Which page of a corp's members of one standing to read. */
export interface StandingPageRequest {
  readonly limit: number;
  readonly cursor: string | null;
}

/** A page of member states, longest in their standing first, and the cursor of the next (null: none). */
export interface StandingPage {
  readonly members: readonly MemberState[];
  readonly next: string | null;
}

/** Which page of a corp's appeals of one status to read. */
export interface AppealPageRequest {
  readonly limit: number;
  readonly cursor: string | null;
}

/** A page of appeals with their owners, oldest filed first, and the cursor of the next (null: none). */
export interface AppealPage {
  readonly appeals: readonly (AppealOwner & { readonly appeal: MemberAppeal | CorpAppeal })[];
  readonly next: string | null;
}

/** Which page of a corp's cases of one status to read. */
export interface CasePageRequest {
  readonly limit: number;
  readonly cursor: string | null;
}

/** A page of cases, oldest first, and the cursor of the next (null: none). */
export interface CasePage {
  readonly cases: readonly Case[];
  readonly next: string | null;
}

/** What the admin API reads besides the states: violation records, cases and appeal owners. */
export interface StateReader {
  load(corpId: string, userId: string | null): Promise<LoadedState>;
  /**
   * The member's state alone, as `load` gives it (a fresh member when it holds none), without the
   * corp's: what a member's view needs, in one read.
   */
  member(corpId: string, userId: string): Promise<MemberState>;
  /**
   * A page of the member's violation records with their explanation, newest first: at most
   * `limit`, after the opaque `cursor` of the previous page (null: from the newest). `next` is the
   * cursor of the following page, null after the last. A cursor that is not one this reader gave
   * for this member throws `InvalidCursorError`.
   */
  violations(corpId: string, userId: string, page: ViolationPageRequest): Promise<ViolationPage>;
  /**
   * A page of the member's audit entries, newest first, after the opaque `cursor` of the previous
   * page; a cursor this reader did not give for this very member throws `InvalidCursorError`.
   */
  audit(corpId: string, userId: string, page: AuditPageRequest): Promise<AuditPage>;
  /**
   * A page of the corp's members indexed under `standing` (as of their last write), longest in it
   * first, after the opaque `cursor` of the previous page; a cursor this reader did not give for
   * that list throws `InvalidCursorError`. The caller derives each member's standing now.
   */
  membersByStanding(corpId: string, standing: Standing, page: StandingPageRequest): Promise<StandingPage>;
  /**
   * A page of the corp's appeals of one status (as last recorded), oldest filed first, after the
   * opaque `cursor` of the previous page; a cursor this reader did not give for that corp throws
   * `InvalidCursorError`.
   */
  appeals(corpId: string, status: AppealStatus, page: AppealPageRequest): Promise<AppealPage>;
  /** One violation record by its id, or null. */
  violation(corpId: string, userId: string, violationId: string): Promise<Violation | null>;
  appealOwner(appealId: string): Promise<AppealOwner | null>;
  /**
   * A page of the corp's cases of one status, oldest first (by when they opened), after the opaque
   * `cursor` of the previous page; a cursor this reader did not give for that list throws
   * `InvalidCursorError`. A case's `status` and `decision` are as last changed.
   */
  cases(corpId: string, status: CaseStatus, page: CasePageRequest): Promise<CasePage>;
  /** One case by its id, or null. */
  case(caseId: string): Promise<Case | null>;
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

/** Whose state a batch loads: a member, or (userId null) a corp alone, for corp-wide inputs. */
export interface StateKey {
  readonly corpId: string;
  readonly userId: string | null;
}

/** One input of a batch, decided in memory on the state its predecessors left. */
export interface DecidedInput {
  readonly input: EngineInput;
  readonly outcome: Outcome;
  readonly effects: PendingEffects | null;
}

/**
 * One subject's share of a batch: a member's inputs (or a corp's corp-wide inputs), in their
 * order, decided one after the other on the state loaded. The member's new state is the last
 * outcome's; the corp's is `corpAfter`, threaded through the subjects of the same corp before it.
 */
export interface SubjectBatch {
  readonly key: StateKey;
  /** The member state loaded (the version the commit must still find); null for a corp alone. */
  readonly loadedMember: MemberState | null;
  readonly inputs: readonly DecidedInput[];
  readonly corpAfter: CorpState;
}

/** A batch decided in memory, for the store to commit in as few transactions as it can. */
export interface BatchCommit {
  /** Each corp's state as loaded, by corp id. */
  readonly corps: ReadonlyMap<string, CorpState>;
  /** In the order they were decided: a corp's subjects each continue from the one before. */
  readonly subjects: readonly SubjectBatch[];
}

/**
 * How far a batch commit went: the first `committed` subjects are applied, but for those in
 * `uncommitted`, and none after them.
 */
export interface BatchCommitResult {
  readonly committed: number;
  /** Subjects before `committed` whose own write failed (ones nothing else depended on), by index. */
  readonly uncommitted?: readonly number[];
  /** Transactions committed. */
  readonly transactions: number;
  /** Why it stopped before the last subject: a cancelled or failed transaction, or a subject it cannot take. */
  readonly stopped?: { readonly reason: string; readonly error?: unknown };
}

/**
 * A PenaltyStore that also evaluates a batch at once: every state in one read, the batch in as few
 * transactions as fit, and every outbox cleared at once.
 */
export interface BatchPenaltyStore extends PenaltyStore {
  /** The states of every key, in the order of the keys; a corp shared by keys is loaded once. */
  loadMany(keys: readonly StateKey[]): Promise<LoadedState[]>;
  /**
   * Commits the subjects in order, several per transaction, each transaction with the marker of
   * every input that decided anything (which must not exist), one state per member (at the version loaded) and one update per
   * corp; stops at the first transaction that does not go through, or a subject that cannot be
   * committed this way. Never throws for a transaction: what it did is in the result.
   */
  commitBatch(batch: BatchCommit): Promise<BatchCommitResult>;
  /** Marks the side effects of all these inputs done. */
  clearEffectsMany(inputs: readonly { readonly corpId: string; readonly inputId: string }[]): Promise<void>;
}

/** Where a parked input stands: waiting for a person, evaluated again, or dropped by a person. */
export type ParkedStatus = 'parked' | 'retried' | 'discarded';

/** An input that failed evaluation again and again, kept for a person to retry or discard. */
export interface ParkedInput {
  /** Stable for the input (its corp and id), so parking it twice keeps one item. */
  readonly id: string;
  readonly corpId: string;
  readonly userId: string | null;
  readonly inputId: string;
  readonly inputType: string;
  /** The queued message body, exactly as received. */
  readonly body: string;
  /** The last error's message (never payload text: errors name fields and ids). */
  readonly reason: string;
  readonly receives: number;
  /** When it was parked (ms). */
  readonly at: number;
  readonly status: ParkedStatus;
  /** Who resolved it and why, when it is no longer parked. */
  readonly resolution?: Omit<ParkedResolution, 'policyVersion'>;
}

/** Who resolved a parked input, when and why. */
export interface ParkedResolution {
  readonly at: number;
  readonly by: string;
  readonly note: string;
  /** The policy version in force, for the member's audit entry. */
  readonly policyVersion?: string;
}

/** The store of parked inputs (port): the evaluator parks, the admin API lists, retries, discards. */
export interface ParkedInputs {
  /** Stores the input as parked; parking one already parked (or resolved) changes nothing. */
  park(input: Omit<ParkedInput, 'status' | 'resolution'>): Promise<void>;
  /** Inputs still parked, oldest first, at most `limit`. */
  list(limit: number): Promise<ParkedInput[]>;
  get(id: string): Promise<ParkedInput | null>;
  /** Records a new failure of a retry; the input stays parked. */
  failedAgain(id: string, reason: string, at: number): Promise<void>;
  /**
   * Marks a parked input retried or discarded, with an audit entry on its member; false when it was
   * no longer parked (someone resolved it first).
   */
  resolve(
    id: string,
    status: Exclude<ParkedStatus, 'parked'>,
    resolution: ParkedResolution,
  ): Promise<boolean>;
}
