import { type DecideContext, decide, type Outcome } from '../../shared/domain/decide.js';
import type { Decision } from '../../shared/domain/decisions.js';
import { initialCorpState, initialMemberState } from '../../shared/domain/initial-state.js';
import type { CorpState, EngineCommand, EngineInput, MemberState } from '../../shared/domain/types.js';

type TimerInput = Extract<EngineCommand, { type: 'timer.fired' }>;

/** A `schedule.create` decision not yet carried out or cancelled. */
export interface PendingTimer {
  readonly name: string;
  readonly at: number;
  readonly input: TimerInput;
}

/**
 * Called after each input is decided, with the states it was decided against. Positional rather
 * than one object so the benchmark's hot loop allocates nothing for it.
 */
export type EngineObserver = (
  input: EngineInput,
  outcome: Outcome,
  memberBefore: MemberState | null,
  corpBefore: CorpState,
) => void;

interface Timer extends PendingTimer {
  cancelled: boolean;
}

interface CorpSlot {
  corp: CorpState;
  readonly members: Map<string, MemberState>;
}

/**
 * The shell of the engine in memory, for tests and the policy benchmark alike: it folds `decide`
 * over inputs, keeps each corp's state and its members', and carries out the schedules with a
 * timer heap (fired in time order, ties by name) as the scheduler would.
 */
export class InMemoryEngine {
  context: DecideContext;
  readonly #observe: EngineObserver | undefined;
  readonly #corps = new Map<string, CorpSlot>();
  readonly #heap: Timer[] = [];
  readonly #timers = new Map<string, Timer>();

  constructor(context: DecideContext, observe?: EngineObserver) {
    this.context = context;
    this.#observe = observe;
  }

  /** Fires every pending timer due by `at`, in time order; returns how many inputs that decided. */
  fireDue(at: number, made?: Decision[]): number {
    let fired = 0;
    const heap = this.#heap;
    while (heap.length > 0 && (heap[0] as Timer).at <= at) {
      const timer = heapPop(heap);
      if (timer.cancelled) continue;
      this.#timers.delete(timer.name);
      const decisions = this.decideOne(timer.input);
      if (made) made.push(...decisions);
      fired++;
    }
    return fired;
  }

  /** Decides each input in order, firing the timers due by its time first; returns the inputs decided. */
  run(inputs: readonly EngineInput[]): number {
    let decided = 0;
    for (const input of inputs) {
      decided += this.fireDue(input.at) + 1;
      this.decideOne(input);
    }
    return decided;
  }

  /** Decides one input against the current states, without firing timers first. */
  decideOne(input: EngineInput): readonly Decision[] {
    const userId = 'userId' in input ? input.userId : undefined;
    const slot = this.#slot(input.corpId);
    const member =
      userId === undefined ? null : (slot.members.get(userId) ?? initialMemberState(input.corpId, userId));
    const corpBefore = slot.corp;
    const outcome = decide({ member, corp: corpBefore }, input, this.context);
    if (userId !== undefined && outcome.member) slot.members.set(userId, outcome.member);
    slot.corp = outcome.corp;
    const { decisions } = outcome;
    for (const decision of decisions) {
      if (decision.type === 'schedule.create') this.#schedule(decision.name, decision.at, decision.input);
      else if (decision.type === 'schedule.cancel') this.#cancel(decision.name);
    }
    this.#observe?.(input, outcome, member, corpBefore);
    return decisions;
  }

  /** Keeps an outcome decided outside the engine (states only; its schedules are not carried out). */
  keep(corpId: string, userId: string | undefined, outcome: Outcome): void {
    const slot = this.#slot(corpId);
    if (userId !== undefined && outcome.member) slot.members.set(userId, outcome.member);
    slot.corp = outcome.corp;
  }

  /** The member's state (the initial one for a member the engine has not seen). */
  member(corpId: string, userId: string): MemberState {
    return this.#corps.get(corpId)?.members.get(userId) ?? initialMemberState(corpId, userId);
  }

  /** The member's state if the engine has one. */
  storedMember(corpId: string, userId: string): MemberState | undefined {
    return this.#corps.get(corpId)?.members.get(userId);
  }

  /** The corp's state (the initial one for a corp the engine has not seen). */
  corp(corpId: string): CorpState {
    return this.#corps.get(corpId)?.corp ?? initialCorpState(corpId);
  }

  /** Every member state kept, corp by corp in the order they were first seen. */
  members(): MemberState[] {
    return [...this.#corps.values()].flatMap((slot) => [...slot.members.values()]);
  }

  /** The ids of the members of `corpId` the engine has seen. */
  memberIds(corpId: string): string[] {
    return [...(this.#corps.get(corpId)?.members.keys() ?? [])];
  }

  /** Every corp state kept. */
  corps(): CorpState[] {
    return [...this.#corps.values()].map((slot) => slot.corp);
  }

  /** The timers scheduled and not yet fired or cancelled, in time order. */
  pendingTimers(): PendingTimer[] {
    return [...this.#timers.values()].sort(byTime).map(({ name, at, input }) => ({ name, at, input }));
  }

  #slot(corpId: string): CorpSlot {
    let slot = this.#corps.get(corpId);
    if (!slot) {
      slot = { corp: initialCorpState(corpId), members: new Map() };
      this.#corps.set(corpId, slot);
    }
    return slot;
  }

  #schedule(name: string, at: number, input: EngineInput): void {
    if (input.type !== 'timer.fired') throw new Error(`unexpected scheduled input ${name}`);
    this.#cancel(name);
    const timer: Timer = { name, at, input, cancelled: false };
    this.#timers.set(name, timer);
    heapPush(this.#heap, timer);
  }

  #cancel(name: string): void {
    const timer = this.#timers.get(name);
    if (!timer) return;
    timer.cancelled = true;
    this.#timers.delete(name);
  }
}

function byTime(a: PendingTimer, b: PendingTimer): number {
  return a.at - b.at || a.name.localeCompare(b.name);
}

function heapPush(heap: Timer[], timer: Timer): void {
  heap.push(timer);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (byTime(heap[parent] as Timer, timer) <= 0) break;
    heap[i] = heap[parent] as Timer;
    i = parent;
  }
  heap[i] = timer;
}

function heapPop(heap: Timer[]): Timer {
  const top = heap[0] as Timer;
  const last = heap.pop() as Timer;
  if (heap.length === 0) return top;
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= heap.length) break;
    const right = left + 1;
    const child = right < heap.length && byTime(heap[right] as Timer, heap[left] as Timer) < 0 ? right : left;
    if (byTime(heap[child] as Timer, last) >= 0) break;
    heap[i] = heap[child] as Timer;
    i = child;
  }
  heap[i] = last;
  return top;
}
