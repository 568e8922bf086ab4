import type { OutboundEvents, PendingEffects, SideEffects, TimerCommand, Timers } from '../domain/index.js';
import { isOutboundDecision, isScheduleDecision } from '../domain/index.js';

/** The ports the side effects go through. */
export interface DecisionEffectsPorts {
  readonly timers: Timers;
  readonly outbound: OutboundEvents;
}

/**
 * SideEffects through the Timers and OutboundEvents ports: every schedule cancelled, then every
 * schedule created, then the outbound events published once. Cancels come first so that a schedule
 * replaced in the same input is gone before its successor is made. Both ports are idempotent, so
 * carrying out the same effects again after a failure (the caller keeps them pending) is safe.
 */
export class DecisionEffects implements SideEffects {
  readonly #ports: DecisionEffectsPorts;

  constructor(ports: DecisionEffectsPorts) {
    this.#ports = ports;
  }

  async carryOut(effects: PendingEffects): Promise<void> {
    const cancels: string[] = [];
    const creates: { name: string; at: number; input: TimerCommand }[] = [];
    for (const decision of effects.decisions.filter(isScheduleDecision)) {
      switch (decision.type) {
        case 'schedule.cancel':
          cancels.push(decision.name);
          break;
        case 'schedule.create': {
          const { name, at, input } = decision;
          // Checked before anything is done, so a bad decision leaves no half-done effects behind.
          if (input.type !== 'timer.fired')
            throw new Error(
              `input ${effects.inputId}: schedule ${name} carries a command of type ${input.type}; only timer.fired can be scheduled`,
            );
          creates.push({ name, at, input });
          break;
        }
        default: {
          // A type routed to a schedule in DECISION_ROUTES must be handled here before it compiles.
          const unhandled: never = decision;
          throw new Error(`no schedule handler for ${JSON.stringify(unhandled)}`);
        }
      }
    }
    await settleAll(cancels.map((name) => this.#ports.timers.cancel(name)));
    await settleAll(creates.map(({ name, at, input }) => this.#ports.timers.create(name, at, input)));
    if (effects.decisions.some(isOutboundDecision)) await this.#ports.outbound.publish(effects);
  }
}

/** Waits for every call to finish (none left running behind a retry), then throws the first failure. */
async function settleAll(calls: readonly Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(calls);
  for (const result of results) if (result.status === 'rejected') throw result.reason;
}
