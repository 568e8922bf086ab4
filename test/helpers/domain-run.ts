import type { Classifier } from '../../shared/domain/classification.js';
import { decide } from '../../shared/domain/decide.js';
import type { Decision, Violation } from '../../shared/domain/decisions.js';
import { initialCorpState, initialMemberState } from '../../shared/domain/initial-state.js';
import type { Policy } from '../../shared/domain/policy.js';
import type { CorpState, EngineCommand, EngineInput, MemberState } from '../../shared/domain/types.js';
import { type CorpView, corpView, type MemberView, memberView } from '../../shared/domain/views.js';
import { testClassifier } from './domain-classifier.js';
import { CORP_ID, MEMBER_ID } from './domain-inputs.js';
import { DEFAULT_POLICY } from './domain-policy.js';

type TimerInput = Extract<EngineCommand, { type: 'timer.fired' }>;

/** A `schedule.create` decision not yet carried out or cancelled. */
export interface PendingTimer {
  readonly name: string;
  readonly at: number;
  readonly input: TimerInput;
}

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
}

/**
 * The shell of the engine for one corp, in memory: it folds `decide` over inputs, keeps each
 * member's state and the corp's, collects every decision and carries out the schedules.
 */
export class DomainRun {
  policy: Policy;
  readonly classifier: Classifier;
  readonly corpId: string;
  readonly fireTimers: boolean;
  readonly observe: ((decided: DecidedInput) => void) | undefined;
  corp: CorpState;
  /** Every decision so far, in order. */
  readonly decisions: Decision[] = [];
  /** The latest time an input or `advanceTo` reached. */
  now = 0;
  readonly #members = new Map<string, MemberState>();
  readonly #timers = new Map<string, PendingTimer>();

  constructor(options: RunOptions = {}) {
    this.policy = options.policy ?? DEFAULT_POLICY;
    this.classifier = options.classifier ?? testClassifier;
    this.corpId = options.corpId ?? CORP_ID;
    this.fireTimers = options.fireTimers ?? false;
    this.observe = options.observe;
    this.corp = initialCorpState(this.corpId);
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

  /** Fires every pending timer due by `at`, in time order; returns what they decided. */
  advanceTo(at: number): Decision[] {
    const made: Decision[] = [];
    for (;;) {
      const due = [...this.#timers.values()]
        .filter((timer) => timer.at <= at)
        .sort((a, b) => a.at - b.at || a.name.localeCompare(b.name))[0];
      if (!due) break;
      this.#timers.delete(due.name);
      made.push(...this.decideOne(due.input));
    }
    this.now = Math.max(this.now, at);
    return made;
  }

  /** Decides one input against the current states, without firing timers first. */
  decideOne(input: EngineInput): Decision[] {
    const userId = 'userId' in input ? input.userId : undefined;
    const member = userId === undefined ? null : this.member(userId);
    const outcome = decide({ member, corp: this.corp }, input, {
      policy: this.policy,
      classifier: this.classifier,
    });
    if (userId !== undefined && outcome.member) this.#members.set(userId, outcome.member);
    const corpBefore = this.corp;
    this.corp = outcome.corp;
    for (const decision of outcome.decisions) {
      if (decision.type === 'schedule.create') {
        if (decision.input.type !== 'timer.fired')
          throw new Error(`unexpected scheduled input ${decision.name}`);
        this.#timers.set(decision.name, { name: decision.name, at: decision.at, input: decision.input });
      } else if (decision.type === 'schedule.cancel') {
        this.#timers.delete(decision.name);
      }
    }
    this.decisions.push(...outcome.decisions);
    this.now = Math.max(this.now, input.at);
    this.observe?.({
      input,
      memberBefore: member,
      memberAfter: outcome.member,
      corpBefore,
      corpAfter: outcome.corp,
      decisions: outcome.decisions,
    });
    return [...outcome.decisions];
  }

  /** The member's state (the initial one for a member the run has not seen). */
  member(userId: string = MEMBER_ID): MemberState {
    return this.#members.get(userId) ?? initialMemberState(this.corpId, userId);
  }

  /** The members the run has seen. */
  memberIds(): string[] {
    return [...this.#members.keys()];
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
    return [...this.#timers.values()].sort((a, b) => a.at - b.at || a.name.localeCompare(b.name));
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

/** The violations recorded among `decisions`. */
export function violationsIn(decisions: readonly Decision[]): Violation[] {
  return decisionsOfType(decisions, 'violation.recorded').map((decision) => decision.violation);
}

/** `value`, failing the test when it is undefined (instead of a non-null assertion). */
export function defined<T>(value: T | undefined, what = 'value'): T {
  if (value === undefined) throw new Error(`expected a ${what}`);
  return value;
}
