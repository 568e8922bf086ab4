import { readFileSync } from 'node:fs';
import type { DecideContext, Outcome } from '../shared/domain/decide.js';
import type { DomainEvent } from '../shared/domain/events.js';
import { parsePolicySet } from '../shared/domain/policy.js';
import type { EngineCommand, EngineInput } from '../shared/domain/types.js';
import { InMemoryEngine } from '../test/helpers/in-memory-engine.js';
import { pairedRatio, type Timing, timingFromSamples } from './measure.js';
import { ROUND_EVENTS, START_AT } from './policy-constants.js';
import { memberText } from './policy-measure.js';
import { INDUCING, PLAIN, R3 } from './policy-texts.js';
import { Random } from './random.js';
import { StreamGenerator } from './stream-generator.js';

/** Events of the cases comparison: both engines decide all of them, round by round. */
export const CASES_EVENTS = 300_000;
/** Rounds and members of the violation-heavy comparison: every fourth message a detection. */
const HEAVY_ROUNDS = 20;
const HEAVY_MEMBERS = 2_000;
/** How long after a case opens its reviewer decides it. */
const REVIEW_DELAY_MS = 2 * 3_600_000;
/** One case in this many is overturned (a measured precision of 0.9), the rest confirmed. */
const OVERTURN_EVERY = 10;

/** The faithful policy as shipped: every category acts at once, as WeCom publishes the rules. */
export function faithfulPolicy() {
  const url = new URL('../policies/wecom-faithful.json', import.meta.url);
  return parsePolicySet(JSON.parse(readFileSync(url, 'utf8'))).base;
}

/** The cost of human review: decide under the default policy with reviewers, beside the faithful policy. */
export interface CasesMeasurement {
  readonly withCases: Timing;
  readonly faithful: Timing;
  readonly ratio: number;
  /** The same on a stream where a quarter of the messages are detections (the worst case for review). */
  readonly heavy: {
    readonly withCases: Timing;
    readonly faithful: Timing;
    readonly ratio: number;
    readonly opened: number;
  };
  readonly opened: number;
  readonly decided: number;
  readonly overdue: number;
}

/**
 * A reviewer who decides every case `REVIEW_DELAY_MS` after it opened: the commands wait in a
 * queue (cases open in time order, so it stays sorted) until the stream passes their time.
 */
class BenchReviewer {
  readonly #queue: EngineCommand[] = [];
  #head = 0;
  opened = 0;
  decided = 0;
  overdue = 0;

  readonly observe = (input: EngineInput, outcome: Outcome): void => {
    for (const decision of outcome.decisions) {
      if (decision.type === 'case.opened') {
        const c = decision.case;
        this.opened++;
        this.#queue.push({
          type: 'case.reviewed',
          id: `review-${c.id}`,
          corpId: c.corpId,
          userId: c.userId,
          at: input.at + REVIEW_DELAY_MS,
          caseId: c.id,
          decision: this.opened % OVERTURN_EVERY === 0 ? 'overturn' : 'confirm',
          reviewer: 'bench-reviewer',
          reason: 'benchmark',
        });
      } else if (decision.type === 'case.decided') this.decided++;
      else if (decision.type === 'case.overdue') this.overdue++;
    }
  };

  /** The next review due by `at`, taken off the queue, or undefined. */
  due(at: number): EngineCommand | undefined {
    const next = this.#queue[this.#head];
    if (next === undefined || next.at > at) return undefined;
    this.#head++;
    return next;
  }
}

/** Decides the events in order, each preceded by the reviews and timers due by its time. */
function runReviewed(engine: InMemoryEngine, reviewer: BenchReviewer, events: readonly DomainEvent[]): void {
  for (const event of events) {
    for (let review = reviewer.due(event.at); review; review = reviewer.due(event.at)) {
      engine.fireDue(review.at);
      engine.decideOne(review);
    }
    engine.fireDue(event.at);
    engine.decideOne(event);
  }
}

/**
 * The same stream decided by two engines round by round, order alternating: the default policy
 * (text detections open cases, a reviewer decides each two hours later, reviews counted in its
 * time) and the faithful policy (today's behaviour: everything acts). Per stream event, so the
 * reviews' own inputs are a cost of the cases, not extra inputs to divide by.
 */
export function measureCases(defaultContext: DecideContext): CasesMeasurement {
  const stream = new StreamGenerator(0x5eed_ca5e, 'case', CASES_EVENTS);
  const main = compare(defaultContext, () =>
    stream.done
      ? null
      : stream.next(ROUND_EVENTS).map((event) => JSON.parse(JSON.stringify(event)) as DomainEvent),
  );
  const heavyStream = violationHeavyStream();
  let round = 0;
  const heavy = compare(defaultContext, () => (round++ < HEAVY_ROUNDS ? heavyStream(ROUND_EVENTS) : null));
  return {
    withCases: main.withCases,
    faithful: main.faithful,
    ratio: main.ratio,
    opened: main.reviewer.opened,
    decided: main.reviewer.decided,
    overdue: main.reviewer.overdue,
    heavy: {
      withCases: heavy.withCases,
      faithful: heavy.faithful,
      ratio: heavy.ratio,
      opened: heavy.reviewer.opened,
    },
  };
}

/** Two engines deciding the same rounds, order alternating: the default policy with a reviewer, and the faithful one. */
function compare(defaultContext: DecideContext, nextRound: () => DomainEvent[] | null) {
  const reviewer = new BenchReviewer();
  const withCases = new InMemoryEngine(defaultContext, reviewer.observe);
  const faithful = new InMemoryEngine({ ...defaultContext, policy: faithfulPolicy() });
  const none = new BenchReviewer();
  const casesSamples: number[] = [];
  const faithfulSamples: number[] = [];
  for (let round = 0, events = nextRound(); events !== null; round++, events = nextRound()) {
    const batch = events;
    const time = (engine: InMemoryEngine, r: BenchReviewer) => {
      const start = process.hrtime.bigint();
      runReviewed(engine, r, batch);
      return Number(process.hrtime.bigint() - start) / batch.length;
    };
    if (round % 2 === 0) {
      casesSamples.push(time(withCases, reviewer));
      faithfulSamples.push(time(faithful, none));
    } else {
      faithfulSamples.push(time(faithful, none));
      casesSamples.push(time(withCases, reviewer));
    }
  }
  const a = timingFromSamples('e  decide with cases, per stream event', casesSamples, ROUND_EVENTS);
  const b = timingFromSamples('f  decide, faithful policy, per stream event', faithfulSamples, ROUND_EVENTS);
  return { withCases: a, faithful: b, ratio: pairedRatio(a, b), reviewer };
}

/**
 * Messages of 2,000 members to one customer each, one every 30 s of stream time, a quarter of them
 * detections (inducing sharing or rule-3 content), the rest plain: where review has the most to do.
 */
function violationHeavyStream(): (count: number) => DomainEvent[] {
  const random = new Random(0x5eed_4ea7);
  const corpId = `ww${random.hex(16)}`;
  let at = START_AT;
  return (count) =>
    Array.from({ length: count }, (): DomainEvent => {
      at += 30_000;
      const userId = `heavy-${random.int(HEAVY_MEMBERS)}`;
      const kind = random.int(8);
      const text =
        kind === 0
          ? (INDUCING[random.int(INDUCING.length)] as string)
          : kind === 1
            ? (R3[random.int(R3.length)] as string)
            : (PLAIN[random.int(PLAIN.length)] as string);
      return memberText(random, { corpId, userId, at, text });
    });
}
