import type { Classification, Classifier } from '../shared/domain/classification.js';
import { DOMAIN_EVENT_VERSION } from '../shared/domain/constants.js';
import { type DecideContext, decide } from '../shared/domain/decide.js';
import type { Decision } from '../shared/domain/decisions.js';
import { type DomainEvent, domainEventSchema } from '../shared/domain/events.js';
import { initialCorpState, initialMemberState } from '../shared/domain/initial-state.js';
import { DEFAULT_POLICY_SET } from '../shared/domain/policy.js';
import type { CorpState, EngineCommand, EngineInput, MemberState } from '../shared/domain/types.js';
import { DAY_MS } from '../shared/domain/windows.js';
import { type Figure, median, pairedRatio, percentile, printTable, timingFromSamples } from './measure.js';
import { Random } from './random.js';
import type { BenchSection } from './types.js';

/** The figures: one million events over 10,000 members. */
const EVENTS = 1_000_000;
const MEMBERS = 10_000;
/** Members per corp: ten corps of uneven size. */
const CORP_SIZES = [2800, 2000, 1500, 1100, 800, 600, 500, 350, 200, 150] as const;
/** The stream is cut into rounds; in each, JSON.parse and decide take the same events back to back. */
const ROUND_EVENTS = 10_000;
/** Rounds and events of the decoded-state measurement (each decide timed alone). */
const LOADED_ROUNDS = 20;
const LOADED_EVENTS = 5_000;
/** A separate stream (other corps, other seed) run untimed first, so the JIT is warm for round 1. */
const WARMUP_EVENTS = 100_000;
const SPAN_MS = 30 * DAY_MS;
const START_AT = Date.UTC(2026, 10, 1);
const STATE_BUDGET_BYTES = 8 * 1024;
const RATIO_TARGET = 2;
/** Every how many rounds the states of the members a round touched are measured. */
const PEAK_EVERY = 10;

/** Section 4: decide on a synthetic stream, beside JSON.parse of the same events, and state sizes. */
export const policy: BenchSection = {
  name: 'policy',
  description: `decide per event on ${EVENTS / 1e6}M synthetic events over ${MEMBERS / 1000}k members vs JSON.parse of each; state sizes`,
  run: async () => {
    const context: DecideContext = { policy: DEFAULT_POLICY_SET.base, classifier: PRECLASSIFIED };

    // Every generated event must be a valid domain event: the warm-up stream is checked in full,
    // and every 25th event of the measured one (untimed).
    const warmup = new Engine(context);
    const warmupStream = new StreamGenerator(0x5eed_0001, 'warm', WARMUP_EVENTS);
    while (!warmupStream.done) {
      const events = reparse(warmupStream.next(ROUND_EVENTS));
      for (const event of events) checkEvent(event);
      warmup.run(events);
      parseAll(events.map((event) => JSON.stringify(event)));
    }

    const engine = new Engine(context);
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
          const size = engine.memberSize(corpId, userId);
          if (size > peakMember) {
            peakMember = size;
            peakMemberAt = key;
          }
        }
      }
    }

    // Sizes of the million-event stream's states, before the next measurement adds other corps.
    const memberSizes = engine.memberSizes();
    const corpSizes = engine.corpSizes();

    // The same decisions on state just decoded (hot in cache, as the evaluator has it after reading
    // the table), each decide timed alone beside a JSON.parse of its event timed the same way.
    const loadedDecide: number[] = [];
    const loadedParse: number[] = [];
    // Its own stream (other corps), so the main stream's figures stay those of its million events.
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
        decideSum += engine.decideLoaded(event);
      }
      loadedDecide.push(decideSum / objects.length);
      loadedParse.push(parseSum / objects.length);
    }
    const loadedParseT = timingFromSamples(
      'd  JSON.parse of its JSON, timed alone',
      loadedParse,
      LOADED_EVENTS,
    );
    const loadedDecideT = timingFromSamples(
      'c  decide on state just decoded, timed alone',
      loadedDecide,
      LOADED_EVENTS,
    );

    const parseT = timingFromSamples('b  JSON.parse of its JSON, per event', parseSamples, ROUND_EVENTS);
    const decideT = timingFromSamples('a  decide, per input (state fed back)', decideSamples, ROUND_EVENTS);
    const largestMember = Math.max(...memberSizes);
    const meanMember = memberSizes.reduce((a, b) => a + b, 0) / memberSizes.length;
    const largestCorp = Math.max(...corpSizes);
    const offender = repeatOffender(context);
    const timers = inputs - EVENTS;
    const spread = (samples: readonly number[]) =>
      ((percentile(samples, 75) - percentile(samples, 25)) / median(samples)) * 100;
    const figures: Figure[] = [
      { name: parseT.name, value: parseT.medianNs, unit: 'ns' },
      {
        name: decideT.name,
        value: decideT.medianNs,
        unit: 'ns',
        reference: { name: 'JSON.parse b', value: parseT.medianNs, ratio: pairedRatio(decideT, parseT) },
        target: { on: 'ratio', max: RATIO_TARGET },
      },
      { name: loadedParseT.name, value: loadedParseT.medianNs, unit: 'ns' },
      {
        name: loadedDecideT.name,
        value: loadedDecideT.medianNs,
        unit: 'ns',
        reference: {
          name: 'JSON.parse d',
          value: loadedParseT.medianNs,
          ratio: pairedRatio(loadedDecideT, loadedParseT),
        },
        target: { on: 'ratio', max: RATIO_TARGET },
      },
      {
        name: 'a  decide calls per second, whole stream',
        value: (inputs / decideNs) * 1e9,
        unit: '/s',
        reference: { name: 'JSON.parse events/s', value: (EVENTS / parseNs) * 1e9 },
      },
      {
        name: 'largest member state after the stream',
        value: largestMember,
        unit: 'B',
        digits: 0,
        reference: { name: 'mean member state', value: meanMember },
        target: { on: 'value', max: STATE_BUDGET_BYTES },
      },
      { name: 'mean member state after the stream', value: meanMember, unit: 'B', digits: 0 },
      {
        name: `largest member state at every ${PEAK_EVERY}th round end`,
        value: peakMember,
        unit: 'B',
        digits: 0,
        reference: { name: 'mean member state', value: meanMember },
        target: { on: 'value', max: STATE_BUDGET_BYTES },
      },
      { name: 'largest corp state after the stream', value: largestCorp, unit: 'B', digits: 0 },
      {
        name: `largest state of a repeat offender (${OFFENDER_SENDS} sends)`,
        value: offender.largest,
        unit: 'B',
        digits: 0,
        reference: { name: 'mean member state', value: meanMember },
        target: { on: 'value', max: STATE_BUDGET_BYTES },
      },
    ];
    const s = engine.stats;
    const byCategory = [...s.violationsByCategory.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([category, n]) => `${category} ${n}`);
    const mix = [...stream.mix.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([type, n]) => `${type} ${((n / EVENTS) * 100).toFixed(n / EVENTS < 0.01 ? 2 : 1)} %`);
    printTable(
      `policy: decide on ${EVENTS.toLocaleString('en-US')} synthetic events, ${MEMBERS.toLocaleString('en-US')} members ` +
        `of ${CORP_SIZES.length} corps, ${((stream.lastAt - START_AT) / DAY_MS).toFixed(1)} days; ` +
        `median of ${decideSamples.length} rounds of ${ROUND_EVENTS.toLocaleString('en-US')}`,
      figures,
      [
        'ratios are medians of per-round ratios: each round times JSON.parse and decide on the same events',
        `  back to back (order alternating); rounds' interquartile range: decide ${spread(decideSamples).toFixed(0)} %, ` +
          `JSON.parse ${spread(parseSamples).toFixed(0)} % of the median`,
        `decide: the default policy (${context.policy.version}), a pre-classified Map classifier, member states in a`,
        '  Map and one corp state per corp, each outcome fed back; schedule.create/cancel kept in a timer heap',
        `  and fired as timer.fired inputs when the stream passes them (${timers.toLocaleString('en-US')} fired, counted as inputs);`,
        '  the decide times include that harness: two Map lookups, the timer check and a pass over the decisions',
        `JSON.parse: each event's own JSON (mean ${(jsonBytes / EVENTS).toFixed(0)} chars), one call per event, the result dropped`,
        ...wrap(
          `outputs: ${s.decisions.toLocaleString('en-US')} decisions; ${s.violations.toLocaleString('en-US')} violations:`,
          byCategory,
        ),
        ...wrap(
          `  ${s.memberPenalties.toLocaleString('en-US')} member penalties applied (${s.memberLifts.toLocaleString('en-US')} lifted):`,
          s.penaltyKinds,
        ),
        `  ${s.corpPenalties} enterprise/admin blocks (${s.corpsBlocked} of ${CORP_SIZES.length} corps blocked at the end)`,
        `  members at the end: ${engine.count((m) => m.penalties.some((p) => p.kind === 'block'))} account-blocked, ` +
          `${engine.count((m) => m.penalties.some((p) => p.kind === 'ban'))} interop-banned, ` +
          `${engine.count((m) => m.strikes > 0)} with strikes; most penalties held by one: ` +
          `${Math.max(...engine.members().map((m) => m.penalties.length))}`,
        `state size = JSON.stringify length; member states p50 ${percentile(memberSizes, 50).toFixed(0)} B, ` +
          `p99 ${percentile(memberSizes, 99).toFixed(0)} B;`,
        `  largest at a round end: ${peakMemberAt}`,
        ...wrap('stream (seeded, no Math.random):', mix),
        `repeat offender: one member sending an inducing-sharing text to one customer every hour, outside the stream;`,
        `  largest after ${offender.largestAfter} sends, holding ${offender.violations} violation summaries and ${offender.penalties} penalties`,
      ],
    );
  },
};

/** Sends of the repeat offender: beyond any cap on what member state keeps. */
const OFFENDER_SENDS = 200;

/**
 * The state a member reaches who keeps sending the same inducing-sharing text (rule 1: suspension,
 * longer suspension, ban, and on), one customer an hour, timers fired: a bound the stream's mix
 * may never reach, so it is checked apart.
 */
function repeatOffender(context: DecideContext): {
  largest: number;
  largestAfter: number;
  violations: number;
  penalties: number;
} {
  const engine = new Engine(context);
  const random = new Random(0x0ff3_4de4);
  const corpId = `ww${random.hex(16)}`;
  const userId = 'repeat-offender';
  const text = INDUCING[1] as string;
  const result = { largest: 0, largestAfter: 0, violations: 0, penalties: 0 };
  for (let i = 0; i < OFFENDER_SENDS; i++) {
    const at = START_AT + i * 3_600_000;
    engine.run([
      {
        v: DOMAIN_EVENT_VERSION,
        type: 'message.sent',
        corpId,
        userId,
        at,
        msgId: `${random.hex(20)}_${Math.floor(at / 1000)}`,
        sender: userId,
        senderKind: 'member',
        recipients: [`wm${random.hex(30)}`],
        roomId: null,
        msgType: 'text',
        text,
        id: random.hex(40),
      },
    ]);
    const size = engine.memberSize(corpId, userId);
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

// ---- the engine loop: states fed back, schedules fired ------------------------------------------

interface Timer {
  readonly at: number;
  readonly input: EngineCommand;
  cancelled: boolean;
}

interface Stats {
  decisions: number;
  violations: number;
  violationsByCategory: Map<string, number>;
  memberPenalties: number;
  memberLifts: number;
  corpPenalties: number;
  corpsBlocked: number;
  penaltyKinds: string[];
}

/** What an evaluator does per input: load the states, decide, store the outcome, carry out schedules. */
export class Engine {
  readonly #context: DecideContext;
  readonly #corps = new Map<string, { corp: CorpState; members: Map<string, MemberState> }>();
  readonly #timers: Timer[] = [];
  readonly #timersByName = new Map<string, Timer>();
  readonly #kinds = new Map<string, number>();
  readonly #stats = {
    decisions: 0,
    violations: 0,
    violationsByCategory: new Map<string, number>(),
    memberPenalties: 0,
    memberLifts: 0,
    corpPenalties: 0,
  };

  constructor(context: DecideContext) {
    this.#context = context;
  }

  /** Decides every event in order, firing due timers before each; returns the inputs decided. */
  run(events: readonly DomainEvent[]): number {
    let decided = 0;
    const timers = this.#timers;
    for (const event of events) {
      while (timers.length > 0 && (timers[0] as Timer).at <= event.at) {
        const timer = heapPop(timers);
        this.#timersByName.delete(timer.input.id);
        if (timer.cancelled) continue;
        this.#decide(timer.input, timer.input.corpId, (timer.input as { userId: string }).userId);
        decided++;
      }
      this.#decide(event, event.corpId, event.userId);
      decided++;
    }
    return decided;
  }

  /**
   * Decides one event on state just decoded from JSON, as the evaluator decodes it from the table,
   * and returns the nanoseconds of `decide` alone (the decode is not timed).
   */
  decideLoaded(event: DomainEvent): number {
    let slot = this.#corps.get(event.corpId);
    if (!slot) {
      slot = { corp: initialCorpState(event.corpId), members: new Map() };
      this.#corps.set(event.corpId, slot);
    }
    const stored = slot.members.get(event.userId) ?? initialMemberState(event.corpId, event.userId);
    const member = JSON.parse(JSON.stringify(stored)) as MemberState;
    const corp = JSON.parse(JSON.stringify(slot.corp)) as CorpState;
    const start = process.hrtime.bigint();
    const outcome = decide({ member, corp }, event, this.#context);
    const ns = Number(process.hrtime.bigint() - start);
    if (outcome.member) slot.members.set(event.userId, outcome.member);
    slot.corp = outcome.corp;
    return ns;
  }

  #decide(input: EngineInput, corpId: string, userId: string): void {
    let slot = this.#corps.get(corpId);
    if (!slot) {
      slot = { corp: initialCorpState(corpId), members: new Map() };
      this.#corps.set(corpId, slot);
    }
    const member = slot.members.get(userId) ?? initialMemberState(corpId, userId);
    const outcome = decide({ member, corp: slot.corp }, input, this.#context);
    if (outcome.member) slot.members.set(userId, outcome.member);
    slot.corp = outcome.corp;
    const { decisions } = outcome;
    if (decisions.length > 0) this.#carryOut(decisions, outcome.member);
  }

  #carryOut(decisions: readonly Decision[], member: MemberState | null): void {
    const s = this.#stats;
    s.decisions += decisions.length;
    for (const decision of decisions) {
      switch (decision.type) {
        case 'schedule.create': {
          const timer: Timer = { at: decision.at, input: decision.input, cancelled: false };
          const previous = this.#timersByName.get(decision.name);
          if (previous) previous.cancelled = true;
          this.#timersByName.set(decision.name, timer);
          heapPush(this.#timers, timer);
          break;
        }
        case 'schedule.cancel': {
          const timer = this.#timersByName.get(decision.name);
          if (timer) timer.cancelled = true;
          break;
        }
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

  get stats(): Stats {
    const penaltyKinds = [...this.#kinds.entries()]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([kind, n]) => `${kind} ${n}`);
    const corpsBlocked = [...this.#corps.values()].filter(
      (slot) => slot.corp.account.status === 'blocked',
    ).length;
    return { ...this.#stats, penaltyKinds, corpsBlocked };
  }

  memberSize(corpId: string, userId: string): number {
    const member = this.#corps.get(corpId)?.members.get(userId);
    return member ? JSON.stringify(member).length : 0;
  }

  members(): MemberState[] {
    return [...this.#corps.values()].flatMap((slot) => [...slot.members.values()]);
  }

  memberSizes(): number[] {
    return this.members().map((member) => JSON.stringify(member).length);
  }

  corps(): CorpState[] {
    return [...this.#corps.values()].map((slot) => slot.corp);
  }

  corpSizes(): number[] {
    return this.corps().map((corp) => JSON.stringify(corp).length);
  }

  count(predicate: (member: MemberState) => boolean): number {
    return this.members().filter(predicate).length;
  }
}

function heapPush(heap: Timer[], timer: Timer): void {
  heap.push(timer);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if ((heap[parent] as Timer).at <= timer.at) break;
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
    const child = right < heap.length && (heap[right] as Timer).at < (heap[left] as Timer).at ? right : left;
    if ((heap[child] as Timer).at >= last.at) break;
    heap[i] = heap[child] as Timer;
    i = child;
  }
  heap[i] = last;
  return top;
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

// ---- the pre-classified texts ------------------------------------------------------------------

const hit = (category: Classification[number]['category'], ...matchedTerms: string[]) => ({
  category,
  score: matchedTerms.length,
  matchedTerms,
});

/** Every text the stream uses, with the classification it was given beforehand. */
const TEXTS = {
  plain: [
    ['好的，收到', []],
    ['您好，请问有什么可以帮您？', []],
    ['明天下午三点在公司见，地址我发您', []],
    ['合同已经发到您的邮箱了，请查收', []],
    ['谢谢您的耐心等待，我们这边已经安排发货', []],
    ['OK, see you tomorrow at 10', []],
    ['发票下周一寄出，快递单号稍后发您', []],
    ['这个型号目前有现货，颜色有黑白两种', []],
  ],
  marketing: [
    ['限时优惠！全场五折，点击购买即可享受', [hit('marketing', '限时优惠', '全场五折', '点击购买')]],
    ['新品上市，扫码领取优惠券，包邮到家', [hit('marketing', '新品上市', '扫码领取', '优惠券', '包邮')]],
    [
      'Flash sale this weekend: buy now and get a free gift',
      [hit('marketing', 'flash sale', 'buy now', 'free gift')],
    ],
    ['双十一秒杀活动开始了，特价商品限时抢购', [hit('marketing', '秒杀', '特价', '限时抢购')]],
  ],
  inducingSharing: [
    [
      '转发朋友圈集满30个赞，即可免费领取优惠券',
      [hit('inducing-sharing', '转发朋友圈', '集满', '个赞'), hit('marketing', '优惠券', '领取')],
    ],
    ['分享到三个群并截图给我，就送您红包', [hit('inducing-sharing', '分享到', '个群', '截图')]],
  ],
  r3: [
    [
      '高额返利，稳赚不赔，加微信带你投资',
      [hit('fraud', '稳赚不赔', '高额返利'), hit('marketing', '加微信')],
    ],
    ['网上真人赌场，注册就送彩金', [hit('gambling', '赌场', '送彩金')]],
    ['代开发票，各类证件加急办理', [hit('illegal-trade', '代开发票', '证件办理')]],
  ],
  names: [
    ['张伟', []],
    ['李娜-销售部', []],
    ['Kevin Wang', []],
    ['王经理（大客户）', []],
  ],
  badNames: [['代开发票-王经理', [hit('illegal-trade', '代开发票')]]],
} as const satisfies Record<string, readonly (readonly [string, Classification])[]>;

const textsOf = (kind: keyof typeof TEXTS): readonly string[] => TEXTS[kind].map(([text]) => text);
const PLAIN = textsOf('plain');
const MARKETING = textsOf('marketing');
const INDUCING = textsOf('inducingSharing');
const R3 = textsOf('r3');
const NAMES = textsOf('names');
const BAD_NAMES = textsOf('badNames');

/** A classifier that only looks up: the classification of every text the stream sends, built beforehand. */
export const PRECLASSIFIED: Classifier = (() => {
  const table = new Map<string, Classification>(
    Object.values(TEXTS).flatMap((entries) => entries.map(([text, hits]) => [text, hits] as const)),
  );
  return {
    lexiconVersion: 'bench-preclassified',
    classify: (text) => {
      const hits = table.get(text);
      if (hits === undefined) throw new Error(`text not pre-classified: ${text}`);
      return hits;
    },
  };
})();

// ---- the synthetic stream ----------------------------------------------------------------------

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

interface Member {
  readonly corpId: string;
  readonly userId: string;
  /** The member's recent contacts and recent marketing recipients (external user ids), newest last. */
  readonly contacts: string[];
  readonly marketed: string[];
  readonly rooms: string[];
  banned: boolean;
}

/** A burst: a run of events of one member at its own cadence, merged into the stream by time. */
interface Burst {
  at: number;
  left: number;
  readonly member: Member;
  readonly kind: 'add-spree' | 'machine-adds' | 'mass-send' | 'unban';
  readonly gapMs: readonly [number, number];
  readonly text: string;
}

/** Relative weights of the steady stream; bursts add contact.added and message.sent on top. */
const MIX = [
  ['message.sent', 44],
  ['contact.added', 28.3],
  ['complaint.received', 8],
  ['contact.deleted-by-customer', 7],
  ['contact.half-added', 2.5],
  ['contact.deleted-by-member', 2.5],
  ['message.recalled', 0.3],
  ['member.profile-changed', 0.2],
  ['wechat.status-changed', 0.04],
] as const;
const MIX_TOTAL = MIX.reduce((sum, [, weight]) => sum + weight, 0);
/** Bursts started per steady event. */
const SPREE_RATE = 160 / EVENTS;
const MACHINE_RATE = 40 / EVENTS;
const MASS_SEND_RATE = 20 / EVENTS;

/**
 * Deterministic synthetic domain events, in time order, shaped as ingest normalizes them: a steady
 * stream over members picked with a skew (a few members are far busier than most), plus bursts of
 * adds over the daily limit, adds at machine cadence, mass sends of one text, and ban/unban pairs.
 */
export class StreamGenerator {
  readonly mix = new Map<string, number>();
  lastAt = START_AT;
  readonly #random: Random;
  readonly #members: Member[];
  readonly #bursts: Burst[] = [];
  readonly #total: number;
  #emitted = 0;
  #steadyAt = START_AT;

  constructor(seed: number, name: string, total: number) {
    this.#random = new Random(seed);
    this.#total = total;
    const r = this.#random;
    const corps = CORP_SIZES.map(() => `ww${r.hex(16)}`);
    this.#members = [];
    for (const [index, size] of CORP_SIZES.entries()) {
      for (let n = 0; n < size; n++) {
        this.#members.push({
          corpId: corps[index] as string,
          userId: `${name}-${String(this.#members.length).padStart(5, '0')}`,
          contacts: [],
          marketed: [],
          rooms: [`wr${r.hex(20)}`, `wr${r.hex(20)}`],
          banned: false,
        });
      }
    }
  }

  get done(): boolean {
    return this.#emitted >= this.#total;
  }

  /** The next `count` events (fewer at the end of the stream). */
  next(count: number): DomainEvent[] {
    const out: DomainEvent[] = [];
    while (out.length < count && this.#emitted < this.#total) {
      const event = this.#one();
      this.#emitted++;
      this.lastAt = event.at;
      this.mix.set(event.type, (this.mix.get(event.type) ?? 0) + 1);
      out.push(event);
    }
    return out;
  }

  #one(): DomainEvent {
    const r = this.#random;
    let burst: Burst | undefined;
    for (const candidate of this.#bursts) if (!burst || candidate.at < burst.at) burst = candidate;
    if (burst && burst.at <= this.#steadyAt) return this.#fromBurst(burst);
    const at = this.#steadyAt;
    this.#steadyAt += r.exponential(SPAN_MS / EVENTS);
    this.#maybeStartBurst(at);
    // Skewed activity: P(rank < k) = (k / N)^(1/1.6); ranks are scattered over the corps.
    const rank = Math.floor(MEMBERS * r.next() ** 1.6);
    const member = this.#members[(rank * 7919) % MEMBERS] as Member;
    let roll = r.next() * MIX_TOTAL;
    let type: (typeof MIX)[number][0] = 'message.sent';
    for (const [name, weight] of MIX) {
      roll -= weight;
      if (roll < 0) {
        type = name;
        break;
      }
    }
    return this.#steady(type, member, Math.floor(at));
  }

  #maybeStartBurst(at: number): void {
    const r = this.#random;
    const member = this.#members[r.int(MEMBERS)] as Member;
    if (r.chance(SPREE_RATE)) {
      this.#bursts.push({
        at,
        left: 40 + r.int(160),
        member,
        kind: 'add-spree',
        gapMs: [20_000, 300_000],
        text: '',
      });
    } else if (r.chance(MACHINE_RATE)) {
      this.#bursts.push({
        at,
        left: 22 + r.int(18),
        member,
        kind: 'machine-adds',
        gapMs: [1000, 2800],
        text: '',
      });
    } else if (r.chance(MASS_SEND_RATE)) {
      this.#bursts.push({
        at,
        left: 210 + r.int(110),
        member,
        kind: 'mass-send',
        gapMs: [50, 250],
        text: r.pick(MARKETING),
      });
    }
  }

  #fromBurst(burst: Burst): DomainEvent {
    const r = this.#random;
    const at = Math.floor(burst.at);
    const { member } = burst;
    burst.left--;
    burst.at += r.between(burst.gapMs[0], burst.gapMs[1]);
    if (burst.left <= 0) this.#bursts.splice(this.#bursts.indexOf(burst), 1);
    switch (burst.kind) {
      case 'add-spree':
      case 'machine-adds':
        return this.#contactAdded(member, at, false);
      case 'mass-send': {
        const recipient = this.#externalId();
        remember(member.marketed, recipient);
        return this.#message(member, at, 'member', [recipient], null, burst.text);
      }
      case 'unban':
        member.banned = false;
        return this.#wechat(member, at, 'unbanned');
    }
  }

  #steady(type: (typeof MIX)[number][0], member: Member, at: number): DomainEvent {
    const r = this.#random;
    const { corpId, userId } = member;
    const seconds = Math.floor(at / 1000) * 1000;
    switch (type) {
      case 'message.sent':
        return this.#steadyMessage(member, at);
      case 'contact.added':
        return this.#contactAdded(member, seconds, r.chance(0.3));
      case 'contact.half-added': {
        const viaContactMe = r.chance(0.5);
        return identified({
          v: DOMAIN_EVENT_VERSION,
          corpId,
          userId,
          at: seconds,
          externalUserId: this.#externalId(),
          type: 'contact.half-added',
          viaContactMe,
          ...(viaContactMe ? { state: `qr-${r.int(20)}` } : {}),
          id: r.hex(40),
        });
      }
      case 'contact.deleted-by-member':
        return identified({
          v: DOMAIN_EVENT_VERSION,
          corpId,
          userId,
          at: seconds,
          externalUserId: this.#counterpart(member, 0, 0.5),
          type: 'contact.deleted-by-member',
          ...(r.chance(0.2) ? { source: 'DELETE_BY_TRANSFER' } : {}),
          id: r.hex(40),
        });
      case 'contact.deleted-by-customer':
        return identified({
          v: DOMAIN_EVENT_VERSION,
          corpId,
          userId,
          at: seconds,
          externalUserId: this.#counterpart(member, 0.12, 0.1),
          type: 'contact.deleted-by-customer',
          id: r.hex(40),
        });
      case 'complaint.received':
        return identified({
          v: DOMAIN_EVENT_VERSION,
          type: 'complaint.received',
          corpId,
          userId,
          at,
          complaintId: `cp${r.hex(24)}`,
          externalUserId: this.#counterpart(member, 0.12, 0.2),
          reason: r.pick(['harassment', 'marketing', 'fraud', 'other']),
          id: r.hex(40),
        });
      case 'message.recalled':
        return identified({
          v: DOMAIN_EVENT_VERSION,
          type: 'message.recalled',
          corpId,
          userId,
          at,
          msgId: `${r.hex(20)}_external`,
          recallMsgId: `${r.hex(20)}_external`,
          id: r.hex(40),
        });
      case 'member.profile-changed': {
        const name = r.chance(0.01) ? r.pick(BAD_NAMES) : r.pick(NAMES);
        return identified({
          v: DOMAIN_EVENT_VERSION,
          type: 'member.profile-changed',
          corpId,
          userId,
          at: seconds,
          changes: r.chance(0.5) ? { Name: name } : { Alias: name },
          id: r.hex(40),
        });
      }
      case 'wechat.status-changed': {
        if (member.banned) return this.#steadyMessage(member, at);
        member.banned = true;
        // Most bans are lifted by WeChat after a while: the unban comes as a one-event burst.
        if (r.chance(0.8)) {
          this.#bursts.push({
            at: at + r.between(3_600_000, 5 * DAY_MS),
            left: 1,
            member,
            kind: 'unban',
            gapMs: [0, 0],
            text: '',
          });
        }
        return this.#wechat(member, at, 'banned');
      }
    }
  }

  #steadyMessage(member: Member, at: number): DomainEvent {
    const r = this.#random;
    const group = r.chance(0.2);
    if (r.chance(0.35)) {
      // A customer writing to the member, alone or in a room.
      const sender = this.#counterpart(member, 0, 0.6);
      const recipients = group ? [member.userId, ...this.#externals(2 + r.int(10))] : [member.userId];
      return this.#message(
        member,
        at,
        'external',
        recipients,
        group ? r.pick(member.rooms) : null,
        r.pick(PLAIN),
        sender,
      );
    }
    // Customer groups hold up to 500; most are small.
    const recipients = group
      ? this.#externals(r.chance(0.002) ? 100 + r.int(400) : 3 + r.int(40))
      : [this.#counterpart(member, 0, 0.8)];
    const roll = r.next();
    const text =
      roll < 0.0002
        ? r.pick(R3)
        : roll < 0.0008
          ? r.pick(INDUCING)
          : roll < 0.2
            ? r.pick(MARKETING)
            : r.pick(PLAIN);
    if (MARKETING.includes(text) || INDUCING.includes(text))
      for (const to of recipients) remember(member.marketed, to);
    return this.#message(member, at, 'member', recipients, group ? r.pick(member.rooms) : null, text);
  }

  #message(
    member: Member,
    at: number,
    senderKind: 'member' | 'external',
    recipients: string[],
    roomId: string | null,
    text: string,
    sender = member.userId,
  ): DomainEvent {
    const r = this.#random;
    const image = r.chance(0.1);
    return identified({
      v: DOMAIN_EVENT_VERSION,
      type: 'message.sent',
      corpId: member.corpId,
      userId: member.userId,
      at,
      msgId: `${r.hex(20)}_${Math.floor(at / 1000)}`,
      sender,
      senderKind,
      recipients,
      roomId,
      msgType: image ? 'image' : 'text',
      text: image ? null : text,
      id: r.hex(40),
    });
  }

  #contactAdded(member: Member, at: number, viaContactMe: boolean): DomainEvent {
    const r = this.#random;
    const externalUserId = this.#externalId();
    remember(member.contacts, externalUserId);
    return identified({
      v: DOMAIN_EVENT_VERSION,
      corpId: member.corpId,
      userId: member.userId,
      at: Math.floor(at / 1000) * 1000,
      externalUserId,
      type: 'contact.added',
      viaContactMe,
      ...(viaContactMe ? { state: `qr-${r.int(20)}` } : {}),
      id: r.hex(40),
    });
  }

  #wechat(member: Member, at: number, status: 'banned' | 'unbanned'): DomainEvent {
    const r = this.#random;
    return identified({
      v: DOMAIN_EVENT_VERSION,
      type: 'wechat.status-changed',
      corpId: member.corpId,
      userId: member.userId,
      at,
      statusId: `st${r.hex(24)}`,
      status,
      ...(status === 'banned' ? { reason: 'spam reports' } : {}),
      id: r.hex(40),
    });
  }

  /** A counterpart: a recent marketing recipient, a recent contact, or someone from long ago. */
  #counterpart(member: Member, marketed: number, contact: number): string {
    const r = this.#random;
    const roll = r.next();
    if (roll < marketed && member.marketed.length > 0) return r.pick(member.marketed);
    if (roll < marketed + contact && member.contacts.length > 0) return r.pick(member.contacts);
    return this.#externalId();
  }

  #externals(count: number): string[] {
    return Array.from({ length: count }, () => this.#externalId());
  }

  /** A WeCom external user id: `wm` and 30 characters. */
  #externalId(): string {
    const r = this.#random;
    let id = 'wm';
    for (let i = 0; i < 5; i++) {
      let word = r.uint32();
      for (let k = 0; k < 6; k++) {
        id += ALPHABET[word % 62];
        word = Math.floor(word / 62);
      }
    }
    return id;
  }
}

/** Note lines: `head` then `items` comma-separated, wrapped at about 100 characters. */
function wrap(head: string, items: readonly string[]): string[] {
  const lines: string[] = [];
  let line = head;
  for (const [index, item] of items.entries()) {
    const piece = `${item}${index < items.length - 1 ? ',' : ''}`;
    if (line.length + piece.length + 1 > 100 && line.trim() !== '') {
      lines.push(line);
      line = `   ${piece}`;
    } else line = `${line} ${piece}`;
  }
  lines.push(line);
  return lines;
}

/** Keeps the last 16 ids. */
function remember(list: string[], id: string): void {
  list.push(id);
  if (list.length > 16) list.shift();
}

/** The type only: every event literal above carries its id (40 hex) already. */
function identified<E extends DomainEvent>(event: E): DomainEvent {
  return event;
}
