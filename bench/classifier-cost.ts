import { PatternAutomaton } from '../shared/classifier/automaton.js';
import { defaultClassifier } from '../shared/classifier/default-classifier.js';
import { parseLexicon } from '../shared/classifier/lexicon.js';
import { createLexiconClassifier, defaultLexicon } from '../shared/classifier/lexicon-classifier.js';
import { normalizeForMatching, normalizePattern } from '../shared/classifier/normalize.js';
import baselineLexiconJson from '../test/classifier-eval/baseline-lexicon.json' with { type: 'json' };
import { loadEvalSet } from '../test/classifier-eval/eval-set.js';
import { flat } from './classifier-corpus.js';
import { type Figure, pairedRatio, printTable, type Timing, timePerOp } from './measure.js';

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
export async function classifyPerMessage(kilobyteMessages: readonly string[], rounds: number): Promise<void> {
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
      { rounds, roundMs: 20, warmupMs: 500 },
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
    `classifier: defaultClassifier.classify per message (${defaultClassifier.lexiconVersion}), median of ${rounds} interleaved rounds`,
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
