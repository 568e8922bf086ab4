import type { PenaltyStore, SideEffects, SweepIndex } from '../domain/index.js';
import { dueTimers, type TimerCommand } from '../domain/index.js';

/** What the periodic sweep reads and acts through. */
export interface SweepDependencies {
  readonly index: SweepIndex;
  readonly store: Pick<PenaltyStore, 'load' | 'pendingEffects' | 'clearEffects'>;
  readonly effects: SideEffects;
  /** Puts late timers on the event queue, each deduplicated by its id. */
  readonly commands: { send(commands: readonly TimerCommand[]): Promise<void> };
  /** Wall-clock time. */
  readonly now: () => number;
  /** How late a timer must be before the sweep fires it itself (Scheduler fires on time). */
  readonly timerGraceMs?: number;
  /** How old pending side effects must be before the sweep finishes them (the evaluator is on it first). */
  readonly effectsGraceMs?: number;
  /** Most members and outboxes handled per run; the next run continues. */
  readonly limit?: number;
}

/** What one sweep did. */
export interface SweepReport {
  /** Members found with a timer past due. */
  readonly dueMembers: number;
  /** Timers put on the queue. */
  readonly timersQueued: number;
  /** Inputs whose pending side effects were carried out. */
  readonly effectsFinished: number;
  /** Inputs whose side effects failed again (left for the next sweep). */
  readonly effectsFailed: number;
}

/**
 * Finds what a lost schedule or a crash left undone, so no member stays suspended forever:
 *  - members whose earliest timer is past due: their due timers are queued again, with the ids of
 *    the original schedules, so a timer that did fire is a duplicate and a stale one changes nothing;
 *  - inputs whose side effects are still pending some time after their commit: carried out and cleared.
 */
export async function sweep(deps: SweepDependencies): Promise<SweepReport> {
  const now = deps.now();
  const limit = deps.limit ?? 500;
  const members = await deps.index.dueMembers(now - (deps.timerGraceMs ?? 120_000), limit);
  const timers: TimerCommand[] = [];
  for (const { corpId, userId } of members) {
    const { member } = await deps.store.load(corpId, userId);
    if (member) timers.push(...dueTimers(member, now));
  }
  if (timers.length > 0) await deps.commands.send(timers);

  const outboxes = await deps.index.pendingEffectsBefore(now - (deps.effectsGraceMs ?? 300_000), limit);
  let effectsFinished = 0;
  let effectsFailed = 0;
  for (const { corpId, inputId } of outboxes) {
    const pending = await deps.store.pendingEffects(corpId, inputId);
    if (!pending) continue;
    try {
      await deps.effects.carryOut(pending);
      await deps.store.clearEffects(corpId, inputId);
      effectsFinished += 1;
    } catch {
      effectsFailed += 1;
    }
  }
  return { dueMembers: members.length, timersQueued: timers.length, effectsFinished, effectsFailed };
}
