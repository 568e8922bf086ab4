import { deepStrictEqual } from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { AhoCorasick } from '@monyone/aho-corasick/fast';
import { PatternAutomaton } from '../shared/classifier/automaton.js';
import { defaultClassifier } from '../shared/classifier/default-classifier.js';
import { parseLexicon } from '../shared/classifier/lexicon.js';
import { createLexiconClassifier, defaultLexicon } from '../shared/classifier/lexicon-classifier.js';
import { normalizeForMatching, normalizePattern } from '../shared/classifier/normalize.js';
import t2sTable from '../shared/classifier/t2s-table.json' with { type: 'json' };
import baselineLexiconJson from '../test/classifier-eval/baseline-lexicon.json' with { type: 'json' };
import { loadEvalSet } from '../test/classifier-eval/eval-set.js';
import { type Figure, median, pairedRatio, printTable, type Timing, timePerOp } from './measure.js';
import { Random } from './random.js';
import type { BenchSection } from './types.js';

/** The figures: a 10,000-term lexicon, 1 KB chat messages. */
const TERMS = 10_000;
const CHINESE_SHARE = 0.6;
const MESSAGE_BYTES = 1024;
const MESSAGES = 2_000;
/** Messages per timed op of the corpus-wide cases (the corpus is cycled through batch by batch). */
const BATCH = 100;
/** Messages the naive includes loop is timed on (one message per op), cycled. */
const NAIVE_MESSAGES = 200;
/** Share of messages a lexicon term is planted in (besides accidental matches of short terms). */
const PLANTED_SHARE = 0.25;
const ROUNDS = 30;
const BUILD_RUNS = 7;
/** Ours against @monyone/aho-corasick: at least twice its MB/s, i.e. at most half its time per MB. */
const PEER_TIME_TARGET = 0.5;

/** Section: the classifier's normalization and automaton beside @monyone/aho-corasick and String.includes. */
export const classifier: BenchSection = {
  name: 'classifier',
  description: `Aho-Corasick scan MB/s, ${TERMS / 1000}k terms on 1 KB messages vs @monyone/aho-corasick (fast) and includes; normalize; build`,
  run: async () => {
    const { patterns, raw, normalized } = classifierFixtures();
    const rawBytes = raw.map(utf8Bytes);
    const normalizedBytes = normalized.map(utf8Bytes);

    // Memory each keeps after its build (untimed; this also warms the builds up), then build times,
    // alternating which goes first.
    const gc = exposeGc();
    const heapOurs = await retainedBytes(gc, () => PatternAutomaton.build(patterns));
    const heapPeer = await retainedBytes(gc, () => new AhoCorasick(patterns));
    const ours = PatternAutomaton.build(patterns);
    const peer = new AhoCorasick(patterns);
    const oursBuild: number[] = [];
    const peerBuild: number[] = [];
    for (let run = 0; run < BUILD_RUNS; run++) {
      const first = run % 2 === 0;
      if (first) oursBuild.push(timeMs(() => PatternAutomaton.build(patterns)));
      peerBuild.push(timeMs(() => new AhoCorasick(patterns)));
      if (!first) oursBuild.push(timeMs(() => PatternAutomaton.build(patterns)));
    }

    // The three matchers must agree on every message before anything is timed: the same number of
    // occurrences for the two automata, and the same messages with at least one match for all three.
    let count = 0;
    const countMatch = () => {
      count++;
    };
    const oursCount = (text: string): number => {
      count = 0;
      ours.scan(text, countMatch);
      return count;
    };
    const naiveCount = (text: string): number => {
      let found = 0;
      for (const pattern of patterns) if (text.includes(pattern)) found++;
      return found;
    };
    const oursCounts = normalized.map(oursCount);
    const peerCounts = normalized.map((text) => peer.matchInText(text).length);
    deepStrictEqual(oursCounts, peerCounts, 'ours and @monyone/aho-corasick count other occurrences');
    const naiveHits = normalized.map((text) => naiveCount(text) > 0);
    deepStrictEqual(
      oursCounts.map((n) => n > 0),
      naiveHits,
      'ours and the includes loop find matches in other messages',
    );
    // Normalize + scan (timed below) counts what scanning the normalized text counts.
    deepStrictEqual(
      raw.map((text) => oursCount(normalizeForMatching(text).text)),
      oursCounts,
      'normalize + scan differs from scanning the normalized text',
    );

    const batches = Math.floor(MESSAGES / BATCH);
    const batchBytes = (bytes: readonly number[]) => sum(bytes) / batches;
    let sink = 0;
    const cycle = (perBatch: (from: number) => number): (() => number) => {
      let batch = 0;
      return () => {
        const from = batch * BATCH;
        batch = (batch + 1) % batches;
        sink += perBatch(from);
        return sink;
      };
    };
    const scanOurs = cycle((from) => {
      let found = 0;
      for (let k = from; k < from + BATCH; k++) found += oursCount(normalized[k] as string);
      return found;
    });
    const scanPeer = cycle((from) => {
      let found = 0;
      for (let k = from; k < from + BATCH; k++) found += peer.matchInText(normalized[k] as string).length;
      return found;
    });
    let naiveAt = 0;
    const scanNaive = () => {
      const text = normalized[naiveAt] as string;
      naiveAt = (naiveAt + 1) % NAIVE_MESSAGES;
      sink += naiveCount(text);
      return sink;
    };
    const normalizeOnly = cycle((from) => {
      let units = 0;
      for (let k = from; k < from + BATCH; k++) units += normalizeForMatching(raw[k] as string).text.length;
      return units;
    });
    const normalizeScan = cycle((from) => {
      let found = 0;
      for (let k = from; k < from + BATCH; k++)
        found += oursCount(normalizeForMatching(raw[k] as string).text);
      return found;
    });

    // Neighbours run back to back in every round: ours next to the peer, the peer next to naive.
    const [oursT, peerT, naiveT, normalizeT, pipelineT] = await timePerOp(
      [
        { name: 'a  ours: PatternAutomaton.scan', run: scanOurs },
        { name: 'b  @monyone/aho-corasick fast: matchInText', run: scanPeer },
        { name: 'c  naive: text.includes(term) for every term', run: scanNaive },
        { name: 'd  ours: normalizeForMatching', run: normalizeOnly },
        { name: 'e  ours: normalizeForMatching + scan', run: normalizeScan },
      ],
      { rounds: ROUNDS, roundMs: 20, warmupMs: 500 },
    );
    if (!oursT || !peerT || !naiveT || !normalizeT || !pipelineT) throw new Error('timing missing');

    // Per-op bytes: a batch of normalized text (a, b), one normalized message (c), a batch of raw text (d, e).
    const scanBatchBytes = batchBytes(normalizedBytes);
    const naiveOpBytes = sum(normalizedBytes.slice(0, NAIVE_MESSAGES)) / NAIVE_MESSAGES;
    const rawBatchBytes = batchBytes(rawBytes);
    const mbps = (timing: Timing, bytes: number) => bytes / 1e6 / (timing.medianNs / 1e9);
    // Speed ratio of two cases, from the median of their per-round time ratios.
    const speedRatio = (a: Timing, aBytes: number, b: Timing, bBytes: number) =>
      aBytes / bBytes / pairedRatio(a, b);
    const oursMbps = mbps(oursT, scanBatchBytes);
    const peerMbps = mbps(peerT, scanBatchBytes);
    const naiveMbps = mbps(naiveT, naiveOpBytes);
    const usPerMb = (timing: Timing, bytes: number) => timing.medianNs / 1000 / (bytes / 1e6);

    const figures: Figure[] = [
      {
        name: oursT.name,
        value: oursMbps,
        unit: 'MB/s',
        reference: {
          name: 'peer b',
          value: peerMbps,
          ratio: speedRatio(oursT, scanBatchBytes, peerT, scanBatchBytes),
        },
      },
      {
        name: '   the same, time per MB',
        value: usPerMb(oursT, scanBatchBytes),
        unit: 'µs/MB',
        reference: {
          name: 'peer b',
          value: usPerMb(peerT, scanBatchBytes),
          ratio: pairedRatio(oursT, peerT),
        },
        target: { on: 'ratio', max: PEER_TIME_TARGET },
      },
      {
        name: oursT.name,
        value: oursMbps,
        unit: 'MB/s',
        reference: { name: 'naive c', value: naiveMbps, ratio: oursMbps / naiveMbps },
      },
      { name: peerT.name, value: peerMbps, unit: 'MB/s' },
      {
        name: naiveT.name,
        value: naiveMbps,
        unit: 'MB/s',
        reference: {
          name: 'peer b',
          value: peerMbps,
          ratio: speedRatio(naiveT, naiveOpBytes, peerT, scanBatchBytes),
        },
      },
      {
        name: normalizeT.name,
        value: mbps(normalizeT, rawBatchBytes),
        unit: 'MB/s',
        reference: {
          name: 'peer b',
          value: peerMbps,
          ratio: speedRatio(normalizeT, rawBatchBytes, peerT, scanBatchBytes),
        },
      },
      {
        name: pipelineT.name,
        value: mbps(pipelineT, rawBatchBytes),
        unit: 'MB/s',
        reference: {
          name: 'peer b',
          value: peerMbps,
          ratio: speedRatio(pipelineT, rawBatchBytes, peerT, scanBatchBytes),
        },
      },
      {
        name: 'f  ours: PatternAutomaton.build',
        value: median(oursBuild),
        unit: 'ms',
        reference: { name: 'peer build', value: median(peerBuild) },
        target: { on: 'value', max: 1000, strict: true },
      },
      { name: '   @monyone/aho-corasick fast: new AhoCorasick', value: median(peerBuild), unit: 'ms' },
      {
        name: 'g  ours: memoryBytes (typed arrays)',
        value: ours.memoryBytes / 1024,
        unit: 'KiB',
        digits: 0,
        reference: { name: 'peer heap', value: heapPeer / 1024 },
      },
      {
        name: '   ours: heap + array buffers kept',
        value: heapOurs / 1024,
        unit: 'KiB',
        digits: 0,
        reference: { name: 'peer heap', value: heapPeer / 1024 },
      },
      {
        name: '   @monyone/aho-corasick: heap + array buffers kept',
        value: heapPeer / 1024,
        unit: 'KiB',
        digits: 0,
      },
    ];
    const matched = oursCounts.filter((n) => n > 0).length;
    const chineseTerms = patterns.filter((term) => /\p{Script=Han}/u.test(term)).length;
    printTable(
      `classifier: ${TERMS.toLocaleString('en-US')} terms on ${MESSAGES.toLocaleString('en-US')} messages of ~1 KB; ` +
        `median of ${ROUNDS} interleaved rounds`,
      figures,
      [
        'MB/s = UTF-8 bytes of the text each case reads per second: a, b, c scan the normalized messages ' +
          `(mean ${(sum(normalizedBytes) / MESSAGES).toFixed(0)} B);`,
        `  d, e read the raw messages (mean ${(sum(rawBytes) / MESSAGES).toFixed(0)} B, ${MESSAGE_BYTES} B at most); ` +
          `a, b, d, e ${BATCH} messages per op, c one (${NAIVE_MESSAGES} cycled)`,
        'ratios are medians of per-round ratios (neighbouring cases ran moments apart), scaled by bytes per op;',
        `  a's time-per-MB target ≤ ${PEER_TIME_TARGET} × b is the issue's "at least 2× the peer's throughput"`,
        `a and b count every occurrence (overlapping ones too), checked equal on every message (${sum(oursCounts).toLocaleString('en-US')} ` +
          `in all); c counts terms found; all three agree on the ${matched} of ${MESSAGES} messages with a match`,
        '  (normalized English is one run of letters, so short terms also occur across words; whole-word checks',
        '  after the scan drop those: the scan must report them all the same)',
        `lexicon (seeded): ${chineseTerms} Chinese terms of 2–6 characters, ${TERMS - chineseTerms} English of 4–12 letters; ` +
          `automaton: ${ours.stateCount.toLocaleString('en-US')} states, ${ours.alphabetSize} symbols`,
        `corpus (seeded): chat sentences, ${Math.round(CHINESE_SHARE * 100)} % mostly Chinese, the rest mostly English; ` +
          `a term planted in ${Math.round(PLANTED_SHARE * 100)} %, some written evasively (traditional, full-width, 赌*博)`,
        `build: median of ${BUILD_RUNS} runs each, alternating; memory kept = heapUsed + arrayBuffers after forced GCs, ` +
          'less before (median of 3 builds)',
      ],
    );
    if (sink === Number.MIN_VALUE) console.log(sink);
    await classifyPerMessage(raw);
  },
};

/** Messages per timed op of the per-message classify cases. */
const CLASSIFY_BATCH = 50;
/** The lexicon classifier before the automaton (fold + an indexOf loop per term), on the evaluation set (issue 6). */
const PREVIOUS_CLASSIFY_US = 97;
/** Issue 15: classify with the learned model stays within this many times the lexicon alone. */
const MODEL_COST_RATIO = 3;

/**
 * The whole default classifier per message (normalize, scan, whole words, exceptions, groups and
 * combinations, link signals, scores), on the labeled evaluation set and on the seeded 1 KB
 * messages, beside normalize + scan alone over an automaton of the same lexicon's phrases.
 */
async function classifyPerMessage(kilobyteMessages: readonly string[]): Promise<void> {
  const evalMessages = flat(
    [...loadEvalSet('curated'), ...loadEvalSet('training'), ...loadEvalSet('held-out')].map(
      (record) => record.text,
    ),
  );
  const kbMessages = kilobyteMessages.slice(0, 1000);
  // The default lexicon's every term, exception and group phrase, folded: what the classifier scans for.
  const phrases = new Set<string>();
  for (const group of Object.values(defaultLexicon.groups ?? {})) {
    for (const phrase of group) phrases.add(normalizePattern(phrase).text);
  }
  for (const entry of Object.values(defaultLexicon.categories)) {
    for (const { term } of entry.terms) phrases.add(normalizePattern(term).text);
    for (const phrase of entry.exceptions) phrases.add(normalizePattern(phrase).text);
  }
  const automaton = PatternAutomaton.build([...phrases]);
  let sink = 0;
  const countMatch = () => {
    sink++;
  };
  const batches = (messages: readonly string[], perMessage: (text: string) => void): (() => number) => {
    let at = 0;
    return () => {
      for (let k = 0; k < CLASSIFY_BATCH; k++) {
        perMessage(messages[at] as string);
        at = (at + 1) % messages.length;
      }
      return sink;
    };
  };
  const classify = (text: string) => {
    sink += defaultClassifier.classify(text).length;
  };
  // The lexicon alone, as classify was before the learned model (it folds, scans, and hears homophones).
  const lexiconOnly = createLexiconClassifier(defaultLexicon);
  const classifyLexicon = (text: string) => {
    sink += lexiconOnly.classify(text).length;
  };
  // The lexicon issue 15 was filed against (default-lexicon-1), run by today's code: a second reading
  // of its "within 3× of today's classify", beside the one the target takes (the lexicon alone).
  const filedOnly = createLexiconClassifier(parseLexicon(baselineLexiconJson));
  const classifyFiled = (text: string) => {
    sink += filedOnly.classify(text).length;
  };
  const normalizeScan = (text: string) => automaton.scan(normalizeForMatching(text).text, countMatch);
  const [evalClassify, evalLexicon, evalScan, kbClassify, kbLexicon, kbScan, evalFiled, kbFiled] =
    await timePerOp(
      [
        {
          name: 'h  defaultClassifier.classify (lexicon + model), evaluation set',
          run: batches(evalMessages, classify),
        },
        { name: 'h2 the lexicon alone, evaluation set', run: batches(evalMessages, classifyLexicon) },
        { name: 'i  normalizeForMatching + scan, evaluation set', run: batches(evalMessages, normalizeScan) },
        {
          name: 'j  defaultClassifier.classify (lexicon + model), 1 KB messages',
          run: batches(kbMessages, classify),
        },
        { name: 'j2 the lexicon alone, 1 KB messages', run: batches(kbMessages, classifyLexicon) },
        { name: 'k  normalizeForMatching + scan, 1 KB messages', run: batches(kbMessages, normalizeScan) },
        { name: 'h1 default-lexicon-1 alone, evaluation set', run: batches(evalMessages, classifyFiled) },
        { name: 'j1 default-lexicon-1 alone, 1 KB messages', run: batches(kbMessages, classifyFiled) },
      ],
      { rounds: ROUNDS, roundMs: 20, warmupMs: 500 },
    );
  if (
    !evalClassify ||
    !evalLexicon ||
    !evalScan ||
    !kbClassify ||
    !kbLexicon ||
    !kbScan ||
    !evalFiled ||
    !kbFiled
  ) {
    throw new Error('timing missing');
  }
  const usPerMessage = (timing: Timing) => timing.medianNs / 1000 / CLASSIFY_BATCH;
  const figures: Figure[] = [
    {
      name: evalClassify.name,
      value: usPerMessage(evalClassify),
      unit: 'µs/msg',
      reference: {
        name: 'h2',
        value: usPerMessage(evalLexicon),
        ratio: pairedRatio(evalClassify, evalLexicon),
      },
      target: { on: 'ratio', max: MODEL_COST_RATIO },
    },
    {
      name: evalLexicon.name,
      value: usPerMessage(evalLexicon),
      unit: 'µs/msg',
      reference: { name: 'i', value: usPerMessage(evalScan), ratio: pairedRatio(evalLexicon, evalScan) },
      target: { on: 'value', max: PREVIOUS_CLASSIFY_US, unit: 'µs/msg' },
    },
    { name: evalScan.name, value: usPerMessage(evalScan), unit: 'µs/msg' },
    {
      name: kbClassify.name,
      value: usPerMessage(kbClassify),
      unit: 'µs/msg',
      reference: { name: 'j2', value: usPerMessage(kbLexicon), ratio: pairedRatio(kbClassify, kbLexicon) },
      target: { on: 'ratio', max: MODEL_COST_RATIO },
    },
    {
      name: kbLexicon.name,
      value: usPerMessage(kbLexicon),
      unit: 'µs/msg',
      reference: { name: 'k', value: usPerMessage(kbScan), ratio: pairedRatio(kbLexicon, kbScan) },
    },
    { name: kbScan.name, value: usPerMessage(kbScan), unit: 'µs/msg' },
    {
      name: 'h  again, beside default-lexicon-1 alone, evaluation set',
      value: usPerMessage(evalClassify),
      unit: 'µs/msg',
      reference: { name: 'h1', value: usPerMessage(evalFiled), ratio: pairedRatio(evalClassify, evalFiled) },
    },
    { name: evalFiled.name, value: usPerMessage(evalFiled), unit: 'µs/msg' },
    {
      name: 'j  again, beside default-lexicon-1 alone, 1 KB messages',
      value: usPerMessage(kbClassify),
      unit: 'µs/msg',
      reference: { name: 'j1', value: usPerMessage(kbFiled), ratio: pairedRatio(kbClassify, kbFiled) },
    },
    { name: kbFiled.name, value: usPerMessage(kbFiled), unit: 'µs/msg' },
  ];
  const meanChars = (messages: readonly string[]) =>
    (messages.reduce((total, text) => total + text.length, 0) / messages.length).toFixed(0);
  printTable(
    `classifier: defaultClassifier.classify per message (${defaultClassifier.lexiconVersion}), median of ${ROUNDS} interleaved rounds`,
    figures,
    [
      `evaluation set: the ${evalMessages.length} messages of test/classifier-eval (every split, mean ${meanChars(evalMessages)} characters); ` +
        `1 KB: the first ${kbMessages.length} seeded messages above (mean ${meanChars(kbMessages)} characters)`,
      `i, k: one automaton of the lexicon's ${automaton.patternCount.toLocaleString('en-US')} distinct folded terms, exceptions and group phrases, ` +
        'as the classifier builds; h2, j2 add whole words, homophones, exceptions, nesting, groups, combinations, link signals and scores; ' +
        'h, j add the learned model (features, windows) and the fusion',
      `targets: the model costs at most ${MODEL_COST_RATIO}× the lexicon alone; the lexicon alone beats the classifier before it (fold, then indexOf per term: ${PREVIOUS_CLASSIFY_US} µs a message)`,
      'h1, j1: the lexicon issue 15 was filed against (default-lexicon-1, test/classifier-eval/baseline-lexicon.json) alone, through ' +
        'today\'s code (homophones, link signals): the other reading of "within 3× of today\'s classify", printed without a target',
    ],
  );
  if (sink === Number.MIN_VALUE) console.log(sink);
}

/**
 * The seeded lexicon (as normalized patterns) and corpus (raw and normalized). Every string is flat,
 * as JSON.parse makes the messages the classifier gets, not the rope string concatenation builds.
 */
export function classifierFixtures(): { patterns: string[]; raw: string[]; normalized: string[] } {
  const random = new Random(0x0c1a_5517);
  const lexicon = makeLexicon(random);
  const patterns = flat([...new Set(lexicon.map((term) => normalizePattern(term).text))]);
  if (patterns.length !== TERMS)
    throw new Error(`the lexicon folds to ${patterns.length} terms, not ${TERMS}`);
  const raw = flat(makeCorpus(random, lexicon));
  const normalized = flat(raw.map((message) => normalizeForMatching(message).text));
  return { patterns, raw, normalized };
}

function flat(strings: readonly string[]): string[] {
  return JSON.parse(JSON.stringify(strings)) as string[];
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function timeMs(run: () => unknown): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function heapBytes(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/**
 * Median over a few builds of what the built object keeps: heap and array buffers after GCs, less
 * before. Array buffers are freed by a sweep after the GC, so each measure waits for it.
 */
async function retainedBytes(gc: () => void, make: () => unknown): Promise<number> {
  const settle = async () => {
    for (let k = 0; k < 3; k++) {
      gc();
      await sleep(20);
    }
  };
  const deltas: number[] = [];
  for (let run = 0; run < 3; run++) {
    await settle();
    const before = heapBytes();
    let kept: unknown = make();
    await settle();
    deltas.push(heapBytes() - before);
    if (kept === null) console.log(kept);
    kept = undefined;
  }
  return median(deltas);
}

/** The V8 garbage collector as a function, without --expose-gc on the command line. */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as unknown;
  if (typeof gc !== 'function') throw new Error('cannot expose the garbage collector');
  return () => {
    gc();
  };
}

// ---- the seeded lexicon and corpus ---------------------------------------------------------------

/** Frequent characters of Chinese chat, most frequent first (text draws from them by a Zipf law). */
const COMMON_HAN = [
  ...new Set(
    '的一是不了人我在有他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敢术验'
      .split('')
      .filter((char) => /\p{Script=Han}/u.test(char)),
  ),
];
/** The commonest characters and words (function words), which lexicon terms are not made of. */
const FUNCTION_CHARACTERS = 100;
const FUNCTION_WORDS = 60;
const CHAT_PARTICLES = '吗呢吧啊哈嗯哦呀啦嘛';
const CHINESE_PUNCTUATION = ['，', '，', '，', '。', '。', '！', '？', '、', '～', '……'];
const ENGLISH_WORDS =
  'the be to of and a in that have i it for not on with he as you do at this but his by from they we say her she or an will my one all would there their what so up out if about who get which go me when make can like time no just him know take people into year your good some could them see other than then now look only come its over think also back after use two how our work first well way even new want because any these give day most us is are was were has had been call meeting order price send today tomorrow please thanks group chat photo video link office team project client report update check market online free money deal offer service product account payment bank card number phone address share friend family weekend dinner lunch coffee travel ticket hotel flight'.split(
    ' ',
  );
const SYLLABLE_ONSETS = [
  'b',
  'c',
  'd',
  'f',
  'g',
  'h',
  'j',
  'k',
  'l',
  'm',
  'n',
  'p',
  'r',
  's',
  't',
  'v',
  'w',
  'z',
  'bl',
  'br',
  'ch',
  'cl',
  'cr',
  'dr',
  'fl',
  'fr',
  'gr',
  'pl',
  'pr',
  'sh',
  'sl',
  'sp',
  'st',
  'th',
  'tr',
];
const SYLLABLE_VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'ee', 'oo', 'ou', 'y'];
const SYLLABLE_CODAS = ['', '', '', 'n', 'r', 's', 't', 'ck', 'ng', 'st', 'x', 'll'];

/** Simplified → one traditional form (reverse of the t2s table), for planting evasive forms. */
const TRADITIONAL: ReadonlyMap<string, string> = (() => {
  const codePoints = Array.from(t2sTable.pairs);
  const map = new Map<string, string>();
  for (let k = 0; k + 1 < codePoints.length; k += 2) {
    const traditional = codePoints[k] as string;
    const simplified = codePoints[k + 1] as string;
    if (!map.has(simplified)) map.set(simplified, traditional);
  }
  return map;
})();

function makeLexicon(random: Random): string[] {
  const terms = new Set<string>();
  const chineseTarget = Math.round(TERMS * CHINESE_SHARE);
  const folded = new Set<string>();
  const add = (term: string) => {
    const key = normalizePattern(term).text;
    if (key.length === 0 || folded.has(key)) return;
    folded.add(key);
    terms.add(term);
  };
  while (terms.size < chineseTarget) {
    const length = random.pickWeighted([2, 3, 4, 5, 6], [30, 25, 30, 10, 5]);
    let term = '';
    for (let k = 0; k < length; k++) {
      // Mostly common characters (real terms are made of them), though not the commonest function
      // characters (的, 了, 是), and some from the whole CJK block.
      term +=
        random.next() < 0.8
          ? (COMMON_HAN[FUNCTION_CHARACTERS + random.int(COMMON_HAN.length - FUNCTION_CHARACTERS)] as string)
          : String.fromCharCode(0x4e00 + random.int(0x51a6));
    }
    add(term);
  }
  while (terms.size < TERMS) {
    let term = '';
    if (random.next() < 0.1) {
      // A two-word phrase (folded, "free money" is "freemoney"), of words that are not the commonest.
      const word = () =>
        ENGLISH_WORDS[FUNCTION_WORDS + random.int(ENGLISH_WORDS.length - FUNCTION_WORDS)] as string;
      term = `${word()}${word()}`;
    } else {
      const length = 4 + random.int(9);
      while (term.length < length) {
        term += random.pick(SYLLABLE_ONSETS) + random.pick(SYLLABLE_VOWELS) + random.pick(SYLLABLE_CODAS);
      }
      term = term.slice(0, length);
    }
    if (term.length >= 4 && term.length <= 12) add(term);
  }
  return [...terms];
}

function makeCorpus(random: Random, lexicon: readonly string[]): string[] {
  const messages: string[] = [];
  for (let m = 0; m < MESSAGES; m++) {
    const chinese = random.next() < CHINESE_SHARE;
    const parts: string[] = [];
    let bytes = 0;
    const plant = random.next() < PLANTED_SHARE ? 1 + random.int(2) : 0;
    const plantAt = new Set<number>();
    for (let k = 0; k < plant; k++) plantAt.add(random.int(12));
    for (let sentence = 0; bytes < MESSAGE_BYTES + 64; sentence++) {
      let text = chinese ? chineseSentence(random) : englishSentence(random);
      if (plantAt.has(sentence)) text = plantTerm(random, text, random.pick(lexicon));
      parts.push(text);
      bytes += utf8Bytes(text);
    }
    messages.push(truncateUtf8(parts.join(chinese ? '' : ' '), MESSAGE_BYTES));
  }
  return messages;
}

function chineseSentence(random: Random): string {
  let text = '';
  const length = 6 + random.int(20);
  for (let k = 0; k < length; k++) {
    const roll = random.next();
    if (roll < 0.04) text += random.pick(CHINESE_PUNCTUATION);
    else if (roll < 0.06) text += random.pick(ENGLISH_WORDS);
    else if (roll < 0.07) text += `${random.int(1000)}元`;
    else if (roll < 0.075) text += random.pick(['😀', '👍', '🙏', '😂', '🎉']);
    else if (roll < 0.1) text += CHAT_PARTICLES.charAt(random.int(CHAT_PARTICLES.length));
    else text += random.zipf(COMMON_HAN);
  }
  return text + random.pick(['。', '！', '？', '～', '']);
}

function englishSentence(random: Random): string {
  const words: string[] = [];
  const length = 4 + random.int(12);
  for (let k = 0; k < length; k++) {
    const roll = random.next();
    if (roll < 0.03) words.push(String(random.int(10_000)));
    else if (roll < 0.05) words.push(random.zipf(COMMON_HAN) + random.zipf(COMMON_HAN));
    else words.push(random.zipf(ENGLISH_WORDS));
  }
  const first = words[0] ?? '';
  words[0] = first.charAt(0).toUpperCase() + first.slice(1);
  return `${words.join(' ')}${random.pick(['.', '.', '!', '?', ','])}`;
}

/** Puts a term into a sentence, written plainly or in one of the evasive forms normalization undoes. */
function plantTerm(random: Random, sentence: string, term: string): string {
  let written = term;
  const roll = random.next();
  if (/\p{Script=Han}/u.test(term)) {
    if (roll < 0.2) written = [...term].map((char) => TRADITIONAL.get(char) ?? char).join('');
    else if (roll < 0.35) written = [...term].join(random.pick(['*', ' ', '.', '\u200b']));
  } else if (roll < 0.2) {
    written = term
      .toUpperCase()
      .replace(/[A-Z]/g, (char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0));
  } else if (roll < 0.3) {
    written = [...term].join('.');
  }
  const at = random.int(sentence.length + 1);
  const before = sentence.slice(0, at);
  // Never split a surrogate pair.
  const cut = /[\ud800-\udbff]$/.test(before) ? at - 1 : at;
  return `${sentence.slice(0, cut)} ${written} ${sentence.slice(cut)}`;
}

function truncateUtf8(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = utf8Bytes(char);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}
