import { DOMAIN_EVENT_VERSION } from '../shared/domain/constants.js';
import { type DecideContext, decide } from '../shared/domain/decide.js';
import { type DomainEvent, domainEventSchema } from '../shared/domain/events.js';
import type { CorpState, MemberState } from '../shared/domain/types.js';
import { InMemoryEngine } from '../test/helpers/in-memory-engine.js';
import { type Timing, timingFromSamples } from './measure.js';
import {
  EVENTS,
  LOADED_EVENTS,
  LOADED_ROUNDS,
  OFFENDER_SENDS,
  PEAK_EVERY,
  ROUND_EVENTS,
  START_AT,
  WARMUP_EVENTS,
} from './policy-constants.js';
import { PolicyStats, type PolicyStatsSummary } from './policy-stats.js';
import { INDUCING } from './policy-texts.js';
import { Random } from './random.js';
import { StreamGenerator } from './stream-generator.js';

/** The million-event stream decided round by round beside JSON.parse of the same events. */
export interface StreamMeasurement {
  readonly parse: Timing;
  readonly decide: Timing;
  readonly parseSamples: readonly number[];
  readonly decideSamples: readonly number[];
  readonly parseNs: number;
  readonly decideNs: number;
  /** Inputs decided: the events and the timers they let fire. */
  readonly inputs: number;
  readonly jsonBytes: number;
  readonly peakMember: number;
  readonly peakMemberAt: string;
  /** Sizes (JSON length) of the stream's states, before the decoded-state measurement adds corps. */
  readonly memberSizes: readonly number[];
  readonly corpSizes: readonly number[];
  readonly mix: ReadonlyMap<string, number>;
  readonly lastAt: number;
}

/** Everything the policy section reports. */
export interface PolicyMeasurement extends StreamMeasurement {
  /** The member states at the end, and what the engine decided (the decoded-state stream's included). */
  readonly members: readonly MemberState[];
  readonly stats: PolicyStatsSummary;
  readonly loadedParse: Timing;
  readonly loadedDecide: Timing;
  readonly offender: OffenderMeasurement;
}

/** The largest state of the repeat offender and what it held then. */
export interface OffenderMeasurement {
  largest: number;
  largestAfter: number;
  violations: number;
  penalties: number;
}

/** Runs the policy benchmark's three measurements on the in-memory engine. */
export function measurePolicy(context: DecideContext): PolicyMeasurement {
  warmUp(context);
  const stats = new PolicyStats();
  const engine = new InMemoryEngine(context, stats.observe);
  const stream = measureStream(engine);
  const loaded = measureLoaded(engine);
  // The counts as of the end, the decoded-state stream's corps and members included.
  const end = { members: engine.members(), stats: stats.summary(engine) };
  return { ...stream, ...loaded, ...end, offender: repeatOffender(context) };
}

/**
 * Every generated event must be a valid domain event: the warm-up stream is checked in full (and
 * every 25th event of the measured one, untimed).
 */
function warmUp(context: DecideContext): void {
  const warmup = new InMemoryEngine(context);
  const warmupStream = new StreamGenerator(0x5eed_0001, 'warm', WARMUP_EVENTS);
  while (!warmupStream.done) {
    const events = reparse(warmupStream.next(ROUND_EVENTS));
    for (const event of events) checkEvent(event);
    warmup.run(events);
    parseAll(events.map((event) => JSON.stringify(event)));
  }
}

// One loop with its sums kept side by side: split up, its pieces would only pass them around.
function measureStream(engine: InMemoryEngine): StreamMeasurement {
  const stream = new StreamGenerator(0x5eed_2026, 'main', EVENTS);
  const parseSamples: number[] = [];
  const decideSamples: number[] = [];
  let parseNs = 0;
  let decideNs = 0;
  let inputs = 0;
  let jsonBytes = 0;
  let peakMember = 0;
  let peakMemberAt = '';
  for (let round = 0; !stream.done; round++) {
    const objects = stream.next(ROUND_EVENTS);
    // The inputs of both: each event's JSON, serialized once, and the objects JSON.parse makes of
    // it (as the evaluator gets them from a queue message), parsed once, both before any timing.
    const jsons = objects.map((event) => JSON.stringify(event));
    const events = jsons.map((json) => JSON.parse(json) as DomainEvent);
    for (let i = 0; i < events.length; i += 25) checkEvent(events[i]);
    for (const json of jsons) jsonBytes += json.length;
    const timeParse = () => {
      const start = process.hrtime.bigint();
      const sum = parseAll(jsons);
      const ns = Number(process.hrtime.bigint() - start);
      if (sum !== checksum(events)) throw new Error('JSON.parse read other events than decide');
      return ns;
    };
    const timeDecide = () => {
      const start = process.hrtime.bigint();
      const decided = engine.run(events);
      const ns = Number(process.hrtime.bigint() - start);
      inputs += decided;
      return { ns, decided };
    };
    // Alternate which goes first, so neither always runs on the other's garbage.
    let parsed: number;
    let decided: { ns: number; decided: number };
    if (round % 2 === 0) {
      parsed = timeParse();
      decided = timeDecide();
    } else {
      decided = timeDecide();
      parsed = timeParse();
    }
    parseNs += parsed;
    decideNs += decided.ns;
    parseSamples.push(parsed / events.length);
    decideSamples.push(decided.ns / decided.decided);
    // The largest state a member this round touched reached, at the end of every 10th round
    // (untimed; every round would cost more than the decisions themselves).
    if (round % PEAK_EVERY === PEAK_EVERY - 1) {
      const touched = new Map(events.map((event) => [`${event.corpId}/${event.userId}`, event]));
      for (const [key, { corpId, userId }] of touched) {
        const size = memberSize(engine, corpId, userId);
        if (size > peakMember) {
          peakMember = size;
          peakMemberAt = key;
        }
      }
    }
  }
  return {
    parse: timingFromSamples('b  JSON.parse of its JSON, per event', parseSamples, ROUND_EVENTS),
    decide: timingFromSamples('a  decide, per input (state fed back)', decideSamples, ROUND_EVENTS),
    parseSamples,
    decideSamples,
    parseNs,
    decideNs,
    inputs,
    jsonBytes,
    peakMember,
    peakMemberAt,
    memberSizes: engine.members().map((member) => JSON.stringify(member).length),
    corpSizes: engine.corps().map((corp) => JSON.stringify(corp).length),
    mix: stream.mix,
    lastAt: stream.lastAt,
  };
}

/**
 * The same decisions on state just decoded (hot in cache, as the evaluator has it after reading
 * the table), each decide timed alone beside a JSON.parse of its event timed the same way; on its
 * own stream (other corps), so the main stream's figures stay those of its million events.
 */
function measureLoaded(engine: InMemoryEngine): { loadedParse: Timing; loadedDecide: Timing } {
  const loadedDecide: number[] = [];
  const loadedParse: number[] = [];
  const loadedStream = new StreamGenerator(0x5eed_0002, 'load', LOADED_ROUNDS * LOADED_EVENTS);
  for (let round = 0; round < LOADED_ROUNDS; round++) {
    const objects = loadedStream.next(LOADED_EVENTS);
    let decideSum = 0;
    let parseSum = 0;
    for (const object of objects) {
      const json = JSON.stringify(object);
      const start = process.hrtime.bigint();
      const event = JSON.parse(json) as DomainEvent;
      parseSum += Number(process.hrtime.bigint() - start);
      decideSum += decideDecoded(engine, event);
    }
    loadedDecide.push(decideSum / objects.length);
    loadedParse.push(parseSum / objects.length);
  }
  return {
    loadedParse: timingFromSamples('d  JSON.parse of its JSON, timed alone', loadedParse, LOADED_EVENTS),
    loadedDecide: timingFromSamples(
      'c  decide on state just decoded, timed alone',
      loadedDecide,
      LOADED_EVENTS,
    ),
  };
}

/**
 * Decides one event on state just decoded from JSON, as the evaluator decodes it from the table,
 * and returns the nanoseconds of `decide` alone (the decode is not timed, schedules not carried out).
 */
function decideDecoded(engine: InMemoryEngine, event: DomainEvent): number {
  const member = JSON.parse(JSON.stringify(engine.member(event.corpId, event.userId))) as MemberState;
  const corp = JSON.parse(JSON.stringify(engine.corp(event.corpId))) as CorpState;
  const start = process.hrtime.bigint();
  const outcome = decide({ member, corp }, event, engine.context);
  const ns = Number(process.hrtime.bigint() - start);
  engine.keep(event.corpId, event.userId, outcome);
  return ns;
}

/**
 * The state a member reaches who keeps sending the same inducing-sharing text (rule 1: suspension,
 * longer suspension, ban, and on), one customer an hour, timers fired: a bound the stream's mix
 * may never reach, so it is checked apart.
 */
function repeatOffender(context: DecideContext): OffenderMeasurement {
  const engine = new InMemoryEngine(context);
  const random = new Random(0x0ff3_4de4);
  const corpId = `ww${random.hex(16)}`;
  const userId = 'repeat-offender';
  const text = INDUCING[1] as string;
  const result = { largest: 0, largestAfter: 0, violations: 0, penalties: 0 };
  for (let i = 0; i < OFFENDER_SENDS; i++) {
    const at = START_AT + i * 3_600_000;
    engine.run([memberText(random, { corpId, userId, at, text })]);
    const size = memberSize(engine, corpId, userId);
    if (size > result.largest) {
      const member = engine.members()[0];
      Object.assign(result, {
        largest: size,
        largestAfter: i + 1,
        violations: member?.violations.length ?? 0,
        penalties: member?.penalties.length ?? 0,
      });
    }
  }
  return result;
}

/** The JSON length of a member's state, 0 for a member not seen. */
function memberSize(engine: InMemoryEngine, corpId: string, userId: string): number {
  const member = engine.storedMember(corpId, userId);
  return member ? JSON.stringify(member).length : 0;
}

/** JSON.parse of each event's JSON, one call per event; returns a checksum of what it parsed. */
function parseAll(jsons: readonly string[]): number {
  let sum = 0;
  for (const json of jsons) sum = (sum + (JSON.parse(json) as { at: number }).at) % 1_000_000_007;
  return sum;
}

function checksum(events: readonly DomainEvent[]): number {
  let sum = 0;
  for (const event of events) sum = (sum + event.at) % 1_000_000_007;
  return sum;
}

function reparse(events: readonly DomainEvent[]): DomainEvent[] {
  return events.map((event) => JSON.parse(JSON.stringify(event)) as DomainEvent);
}

function checkEvent(event: DomainEvent | undefined): void {
  const result = domainEventSchema.safeParse(event);
  if (!result.success) {
    throw new Error(
      `synthetic event is not a domain event: ${JSON.stringify(event)}: ${result.error.message}`,
    );
  }
}

/** A member's text to one new customer, outside the stream generator (ids from `random`). */
export function memberText(
  random: Random,
  m: { readonly corpId: string; readonly userId: string; readonly at: number; readonly text: string },
): DomainEvent {
  return {
    v: DOMAIN_EVENT_VERSION,
    type: 'message.sent',
    corpId: m.corpId,
    userId: m.userId,
    at: m.at,
    msgId: `${random.hex(20)}_${Math.floor(m.at / 1000)}`,
    sender: m.userId,
    senderKind: 'member',
    recipients: [`wm${random.hex(30)}`],
    roomId: null,
    msgType: 'text',
    text: m.text,
    id: random.hex(40),
  };
}
