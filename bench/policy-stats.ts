import type { Decision } from '../shared/domain/decisions.js';
import type { MemberState } from '../shared/domain/types.js';
import type { EngineObserver, InMemoryEngine } from '../test/helpers/in-memory-engine.js';

/** What the policy benchmark's stream decided, for its notes. */
export interface PolicyStatsSummary {
  decisions: number;
  violations: number;
  violationsByCategory: Map<string, number>;
  memberPenalties: number;
  memberLifts: number;
  corpPenalties: number;
  corpsBlocked: number;
  penaltyKinds: string[];
}

/** Counts the decisions the in-memory engine makes, as its observer; nothing else is kept. */
export class PolicyStats {
  readonly #kinds = new Map<string, number>();
  readonly #counts = {
    decisions: 0,
    violations: 0,
    violationsByCategory: new Map<string, number>(),
    memberPenalties: 0,
    memberLifts: 0,
    corpPenalties: 0,
  };

  /** The observer to give the engine. */
  readonly observe: EngineObserver = (_input, outcome) => {
    if (outcome.decisions.length > 0) this.#count(outcome.decisions, outcome.member);
  };

  #count(decisions: readonly Decision[], member: MemberState | null): void {
    const s = this.#counts;
    s.decisions += decisions.length;
    for (const decision of decisions) {
      switch (decision.type) {
        case 'violation.recorded': {
          s.violations++;
          const { category } = decision.violation;
          s.violationsByCategory.set(category, (s.violationsByCategory.get(category) ?? 0) + 1);
          break;
        }
        case 'penalty.applied':
          if (decision.subject.kind === 'member') {
            s.memberPenalties++;
            const { rule } = decision.reason;
            const penalty = member?.penalties.find((p) => p.id === decision.penaltyId);
            const kind = `${rule} ${penalty?.kind ?? 'lifted at once'}${decision.until === null ? '' : ' (timed)'}`;
            this.#kinds.set(kind, (this.#kinds.get(kind) ?? 0) + 1);
          } else s.corpPenalties++;
          break;
        case 'penalty.lifted':
          if (decision.subject.kind === 'member') s.memberLifts++;
          break;
        default:
          break;
      }
    }
  }

  /** The counts so far, with the corps `engine` holds blocked now. */
  summary(engine: InMemoryEngine): PolicyStatsSummary {
    const penaltyKinds = [...this.#kinds.entries()]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([kind, n]) => `${kind} ${n}`);
    const corpsBlocked = engine.corps().filter((corp) => corp.account.status === 'blocked').length;
    return { ...this.#counts, penaltyKinds, corpsBlocked };
  }
}
