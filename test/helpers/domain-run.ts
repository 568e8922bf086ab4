import type { Classifier } from '../../shared/domain/classification.js';
import type { Decision, Violation } from '../../shared/domain/decisions.js';
import type { Policy } from '../../shared/domain/policy.js';
import type { CorpState, EngineInput, MemberState } from '../../shared/domain/types.js';
import { type CorpView, corpView, type MemberView, memberView } from '../../shared/domain/views.js';
import { testClassifier } from './domain-classifier.js';
import { CORP_ID, MEMBER_ID } from './domain-inputs.js';
import { DEFAULT_POLICY } from './domain-policy.js';
import { InMemoryEngine, type PendingTimer } from './in-memory-engine.js';

export type { PendingTimer } from './in-memory-engine.js';

/** One input decided, with the states before and after it: what property tests look at. */
export interface DecidedInput {
  readonly input: EngineInput;
  readonly memberBefore: MemberState | null;
  readonly memberAfter: MemberState | null;
  readonly corpBefore: CorpState;
  readonly corpAfter: CorpState;
  readonly decisions: readonly Decision[];
}

export interface RunOptions {
  readonly policy?: Policy;
  readonly classifier?: Classifier;
  readonly corpId?: string;
  /** Fire the timers due by each input's time before deciding it, as the scheduler would. */
  readonly fireTimers?: boolean;
  /** Called after each input is decided, timers included. */
  readonly observe?: (decided: DecidedInput) => void;
  /**
   * `confirm-at-once`: a reviewer confirms every case as soon as it opens (enterprise blocks
   * included), at the time of the input that opened it, so the published rules can be checked under
   * a policy that holds text detections for review.
   */
  readonly review?: 'confirm-at-once';
}

/** Who confirms cases under `review: 'confirm-at-once'`. */
export const AUTO_REVIEWER = 'reviewer-auto';

/**
 * The in-memory engine seen from one corp, for the domain tests: it collects every decision,
 * fires timers only when asked (or before each input with `fireTimers`) and shows the views.
 */
export class DomainRun {
  readonly classifier: Classifier;
  readonly corpId: string;
  readonly fireTimers: boolean;
  readonly review: RunOptions['review'];
  /** Every decision so far, in order. */
  readonly decisions: Decision[] = [];
  /** The latest time an input or `advanceTo` reached. */
  now = 0;
  readonly #engine: InMemoryEngine;

  constructor(options: RunOptions = {}) {
    this.classifier = options.classifier ?? testClassifier;
    this.corpId = options.corpId ?? CORP_ID;
    this.fireTimers = options.fireTimers ?? false;
    this.review = options.review;
    const { observe } = options;
    this.#engine = new InMemoryEngine(
      { policy: options.policy ?? DEFAULT_POLICY, classifier: this.classifier },
      (input, outcome, memberBefore, corpBefore) => {
        this.decisions.push(...outcome.decisions);
        this.now = Math.max(this.now, input.at);
        observe?.({
          input,
          memberBefore,
          memberAfter: outcome.member,
          corpBefore,
          corpAfter: outcome.corp,
          decisions: outcome.decisions,
        });
        if (this.review === 'confirm-at-once') this.#confirmOpened(input, outcome.decisions);
      },
    );
  }

  /** The policy the run decides with; assigning it changes the policy for the inputs after. */
  get policy(): Policy {
    return this.#engine.context.policy;
  }

  set policy(policy: Policy) {
    this.#engine.context = { ...this.#engine.context, policy };
  }

  /** The corp's state. */
  get corp(): CorpState {
    return this.#engine.corp(this.corpId);
  }

  /** Decides each input in turn; returns the decisions they (and the timers they let fire) made. */
  apply(...inputs: readonly EngineInput[]): Decision[] {
    const made: Decision[] = [];
    for (const input of inputs) {
      if (this.fireTimers) made.push(...this.advanceTo(input.at));
      made.push(...this.decideOne(input));
    }
    return made;
  }

  /** Fires every pending timer due by `at`, in time order; returns what they (and reviewers) decided. */
  advanceTo(at: number): Decision[] {
    const from = this.decisions.length;
    this.#engine.fireDue(at);
    this.now = Math.max(this.now, at);
    return this.decisions.slice(from);
  }

  /** Decides one input against the current states, without firing timers first (reviewers included). */
  decideOne(input: EngineInput): Decision[] {
    const from = this.decisions.length;
    this.#engine.decideOne(input);
    return this.decisions.slice(from);
  }

  /** The reviewer's confirmation of each case `decisions` opened, decided right after the input. */
  #confirmOpened(input: EngineInput, decisions: readonly Decision[]): void {
    for (const decision of decisions) {
      if (decision.type !== 'case.opened') continue;
      const { id, corpId, userId } = decision.case;
      this.#engine.decideOne({
        type: 'case.reviewed',
        id: `${input.id}.confirm.${id}`,
        corpId,
        userId,
        at: input.at,
        caseId: id,
        decision: 'confirm',
        reviewer: AUTO_REVIEWER,
        reason: 'confirmed at once',
      });
    }
  }

  /** The member's state (the initial one for a member the run has not seen). */
  member(userId: string = MEMBER_ID): MemberState {
    return this.#engine.member(this.corpId, userId);
  }

  /** The members the run has seen. */
  memberIds(): string[] {
    return this.#engine.memberIds(this.corpId);
  }

  /** The member's status as the admin API shows it, at `at` (the run's latest time by default). */
  view(userId: string = MEMBER_ID, at: number = this.now): MemberView {
    return memberView(this.member(userId), at);
  }

  /** The corp's status at `at` (the run's latest time by default). */
  corpView(at: number = this.now): CorpView {
    return corpView(this.corp, this.policy, at);
  }

  /** The timers scheduled and not yet fired or cancelled, in time order. */
  pendingTimers(): PendingTimer[] {
    return this.#engine.pendingTimers();
  }

  /** Every violation recorded so far. */
  violations(): Violation[] {
    return violationsIn(this.decisions);
  }
}

/** Starts a run for one corp and decides `inputs` in order. */
export function run(inputs: readonly EngineInput[] = [], options: RunOptions = {}): DomainRun {
  const domainRun = new DomainRun(options);
  domainRun.apply(...inputs);
  return domainRun;
}

/** The decisions of one type. */
export function decisionsOfType<T extends Decision['type']>(
  decisions: readonly Decision[],
  type: T,
): Extract<Decision, { type: T }>[] {
  return decisions.filter((decision): decision is Extract<Decision, { type: T }> => decision.type === type);
}

/**
 * The violations recorded among `decisions`, as the store reads them back: one held for review is
 * `pending` until its case is decided, then `standing` with the penalty and strikes its confirmation
 * brought, or `void` once overturned.
 */
export function violationsIn(decisions: readonly Decision[]): Violation[] {
  const confirmed = new Map<string, Extract<Decision, { type: 'violation.confirmed' }>>();
  const overturned = new Set<string>();
  for (const decision of decisions) {
    if (decision.type === 'violation.confirmed') confirmed.set(decision.cause.id, decision);
    else if (decision.type === 'violation.voided' && decision.cause.kind === 'case-decision')
      overturned.add(decision.cause.id);
  }
  return decisionsOfType(decisions, 'violation.recorded').map(({ violation }) => {
    if (violation.caseId === undefined) return violation;
    const confirmation = confirmed.get(violation.caseId);
    if (confirmation)
      return {
        ...violation,
        strikes: confirmation.strikes,
        penalty: confirmation.penalty,
        status: 'standing' as const,
      };
    return {
      ...violation,
      status: overturned.has(violation.caseId) ? ('void' as const) : ('pending' as const),
    };
  });
}

/** `value`, failing the test when it is undefined (instead of a non-null assertion). */
export function defined<T>(value: T | undefined, what = 'value'): T {
  if (value === undefined) throw new Error(`expected a ${what}`);
  return value;
}
