import type { Decision } from '../../shared/domain/decisions.js';
import type { PendingEffects, SideEffects } from '../../shared/domain/ports.js';

/**
 * Side effects recorded instead of sent, keyed the way the real adapters are idempotent:
 * a schedule by its name (EventBridge Scheduler answers ConflictException to a second create),
 * an outbound event by its penalty and subject. It can be told to fail, as a crash would.
 */
export class RecordingSideEffects implements SideEffects {
  readonly schedules = new Map<string, number>();
  readonly cancelled = new Set<string>();
  readonly events = new Map<string, Decision>();
  calls = 0;
  #failures = 0;

  /** The next `times` calls fail before doing anything. */
  failNext(times = 1): void {
    this.#failures = times;
  }

  async carryOut({ decisions }: PendingEffects): Promise<void> {
    this.calls += 1;
    if (this.#failures > 0) {
      this.#failures -= 1;
      throw new Error('side effects unavailable (simulated crash)');
    }
    for (const decision of decisions) {
      if (decision.type === 'schedule.create') this.schedules.set(decision.name, decision.at);
      else if (decision.type === 'schedule.cancel') this.cancelled.add(decision.name);
      else if (decision.type === 'penalty.applied' || decision.type === 'penalty.lifted') {
        this.events.set(`${decision.type}:${decision.penaltyId}:${decision.subject.kind}`, decision);
      } else if (decision.type === 'quota.changed') this.events.set(`quota:${decision.corpId}`, decision);
    }
  }
}
