/**
 * The learned model: one logistic regression per content category over the hashed features of
 * model-features.ts, trained by `npm run train-classifier` (scripts/train-classifier.ts) and
 * shipped as data (data/default-model.json). Inference is plain TypeScript: a text's features are
 * looked up in an open-addressing table of the kept features' hashes, and each category's logit
 * is its bias plus the weights of the distinct features found (a feature counts once, however often
 * it occurs: repeating a word is not more evidence).
 *
 * **Windows.** A text of at most WINDOW folded units is scored whole, as the model was trained
 * (on messages of a few sentences). A longer one is scored sentence by sentence (a sentence longer
 * than WINDOW in windows of WINDOW units, sliding a unit at a time), and each category takes its
 * best sentence: one sentence of fraud in a 1 KB newsletter is judged on its own, and padding
 * cannot dilute it. (What a long text loses is context across sentences: a warning in one sentence
 * does not temper the next; the lexicon's distancing cues still do.) A short text's single
 * sentences are scored on demand (sentenceBest), for the fusion's veto. The cost is linear in the
 * text: one pass of feature extraction, and each feature occurrence enters and leaves the window
 * once (a feature counts once per window, however often it occurs there).
 *
 * **Evidence.** For a category the model names, the features of its best window that weigh most
 * for it beyond any other category are quoted as the original text has them (merged where they
 * overlap), so a penalty always cites the words that set it apart.
 */
import type { ContentCategory } from '../domain/index.js';
import { InvalidLexiconError } from './errors.js';
import { quotedSpan, SpanQuotes } from './model-evidence.js';
import { extractFeatures, type FeatureSink, SYMBOL } from './model-features.js';
import { type ModelData, parseFile, WEIGHT_SCALE } from './model-file.js';
import { addRow, LANES, Occurrences } from './model-occurrences.js';
import { Sentences } from './model-sentences.js';
import {
  fileLookupTables,
  type LookupTables,
  mayHold,
  NEXT,
  presenceFilter,
  STRIDE,
  TOP,
  TOP_AT,
} from './model-tables.js';
import type { NormalizedText } from './normalize.js';

/** Folded units per scoring window (about two sentences; the training messages are at most 200 characters). */
export const WINDOW = 200;
/** Occurrences considered for a hit's evidence (those that set its category apart most). */
const TOP_CANDIDATES = 8;

export interface Model {
  readonly version: string;
  readonly categories: readonly ContentCategory[];
  /** Each category's bias: its logit for a text with no kept feature (the prior, as trained). */
  readonly bias: readonly number[];
  readonly fusion: ModelData['fusion'];
  /** Each category's best logit over the text's windows, in the order of `categories` (valid until the next call). */
  score(original: string, folded: NormalizedText): Float64Array;
  /**
   * Each category's best logit over the text's single sentences, after `score` (valid until the
   * next call): what a sentence says on its own, whatever follows it.
   */
  sentenceBest(): Float64Array;
  /** Evidence for a category in the window of its best logit: spans of the original text. */
  evidence(original: string, folded: NormalizedText, categoryIndex: number): string[];
}

/** What a model is besides its features' weights: its name, categories, biases and fusion. */
export type ModelHead = Pick<ModelData, 'version' | 'categories' | 'bias' | 'fusion'>;

/** Builds the inference tables of a model file (validated first). */
export function createModel(json: unknown): Model {
  const data = parseFile(json);
  return modelOf(data, fileLookupTables(data));
}

/** The model of a head and its lookup tables (the classifier image's, or built by createModel). */
// About 240 lines: the closures below share the tables and the per-text buffers; the comments
// split it into its phases (whole sentences, sliding windows, evidence).
export function modelOf(data: ModelHead, tables: LookupTables): Model {
  const k = data.categories.length;
  const { rows, slots } = tables;
  const stride = STRIDE;
  const featureCount = rows.length / stride;
  const capacity = slots.length / 2;
  if (
    k > LANES ||
    data.bias.length !== k ||
    !Number.isInteger(featureCount) ||
    capacity < featureCount * 2 ||
    (capacity & (capacity - 1)) !== 0
  ) {
    throw new InvalidLexiconError('invalid model: its lookup tables do not fit its categories');
  }
  const mask = capacity - 1;
  const bias = Float64Array.from(data.bias);

  const filter = presenceFilter(slots);
  const rowOf = (hash: number): number => {
    if (!mayHold(filter, hash)) return -1;
    let slot = hash & mask;
    for (;;) {
      const row = slots[2 * slot + 1] as number;
      if (row === 0) return -1;
      if (slots[2 * slot] === (hash | 0)) return row - 1;
      slot = (slot + 1) & mask;
    }
  };

  /** Folded units the current text is scored over (at least 1: an empty text is one empty window). */
  let length = 1;
  const sentences = new Sentences();
  const best = new Float64Array(k);
  const bestStart = new Int32Array(k);
  const bestEnd = new Int32Array(k);
  const bestSentence = new Float64Array(k);
  const sentenceStart = new Int32Array(k);
  const sentenceEnd = new Int32Array(k);

  /** Keeps each category's best of `sum` (hundredths, over the bias; from `at`) as the window [from, to). */
  const keepBest = (
    sum: Int32Array,
    at: number,
    from: number,
    to: number,
    out: Float64Array,
    outStart: Int32Array,
    outEnd: Int32Array,
  ): void => {
    for (let c = 0; c < k; c++) {
      const logit = (bias[c] as number) + (sum[at + c] as number) / WEIGHT_SCALE;
      if (logit > (out[c] as number)) {
        out[c] = logit;
        outStart[c] = from;
        outEnd[c] = to;
      }
    }
  };

  const occurrences = new Occurrences(rows, stride, featureCount);

  // ---- Windows that are whole sentences (every text but one with a sentence over WINDOW): each
  // kept feature is added to its sentence's sums as extraction reports it, once per sentence (a
  // row's stamp is the id of the last window it was counted in).
  const stamp = new Int32Array(featureCount);
  let windowBase = 1;
  let sums = new Int32Array(64 * LANES);
  /** The sentence grams and words are reaching, its bounds, and the sentence symbols are reaching. */
  let at = 0;
  let atStart = 0;
  let atEnd = 0;
  let symbolAt = 0;

  const count = (row: number, sentence: number): void => {
    const id = windowBase + sentence;
    if (stamp[row] === id) return;
    stamp[row] = id;
    addRow(sums, sentence * LANES, rows, row * stride);
  };

  const countBySentence: FeatureSink = (hash, start, end, kind, _from, to) => {
    const row = rowOf(hash);
    if (row < 0) return;
    const starts = sentences.starts;
    if (kind === SYMBOL) {
      // Reported after the text's grams, in order: one counts as the unit it stands before.
      const unit = Math.min(start, length - 1);
      occurrences.record(row, unit, unit + 1, to);
      while (unit >= (starts[symbolAt + 1] as number)) symbolAt++;
      count(row, symbolAt);
      return;
    }
    occurrences.record(row, start, end, -1);
    // Grams, words and pairs are reported in order of where they end.
    while (end > atEnd) {
      at++;
      atStart = atEnd;
      atEnd = starts[at + 1] as number;
    }
    if (start >= atStart) count(row, at);
  };

  /** Scores each of `sentences` (none longer than WINDOW) as a window of its own. */
  const scoreSentences = (
    original: string,
    folded: NormalizedText,
    out: Float64Array,
    outStart: Int32Array,
    outEnd: Int32Array,
  ): void => {
    const n = sentences.count;
    if (windowBase > 0x7fffffff - n) {
      stamp.fill(0);
      windowBase = 1;
    }
    if (sums.length < n * LANES) sums = new Int32Array(Math.max(n * LANES, sums.length * 2));
    sums.fill(0, 0, n * LANES);
    at = 0;
    atStart = 0;
    atEnd = sentences.starts[1] as number;
    symbolAt = 0;
    occurrences.reset();
    extractFeatures(original, folded, countBySentence);
    out.fill(Number.NEGATIVE_INFINITY);
    for (let s = 0; s < n; s++) {
      const from = sentences.starts[s] as number;
      keepBest(sums, s * LANES, from, sentences.starts[s + 1] as number, out, outStart, outEnd);
    }
    windowBase += n;
  };

  // ---- Sliding windows, for a text with a sentence longer than WINDOW.
  const collect: FeatureSink = (hash, start, end, kind, _from, to) => {
    const row = rowOf(hash);
    if (row < 0) return;
    // A symbol covers no folded unit: it counts as the unit it stands before (or the last one).
    if (kind === SYMBOL) {
      const unit = Math.min(start, length - 1);
      occurrences.recordLinked(row, unit, unit + 1, to);
    } else occurrences.recordLinked(row, start, end, -1);
  };

  const slide = (original: string, folded: NormalizedText): void => {
    occurrences.reset(length);
    extractFeatures(original, folded, collect);
    best.fill(Number.NEGATIVE_INFINITY);
    occurrences.slide(sentences, WINDOW, (sum, from, to) =>
      keepBest(sum, 0, from, to, best, bestStart, bestEnd),
    );
  };

  /** The text score last read, for sentenceBest: its sentences are scored on demand. */
  let scoredText = '';
  let scoredFolded: NormalizedText | undefined;
  let sentencesScored = false;

  const score = (original: string, folded: NormalizedText): Float64Array => {
    length = Math.max(folded.text.length, 1);
    scoredText = original;
    scoredFolded = folded;
    if (length <= WINDOW) {
      // As trained: the whole text.
      sentences.whole(length);
      scoreSentences(original, folded, best, bestStart, bestEnd);
      sentencesScored = false;
    } else {
      // A long text is judged by its best sentence: padding around one cannot dilute it.
      sentences.split(original, folded, length);
      if (sentences.longest <= WINDOW) scoreSentences(original, folded, best, bestStart, bestEnd);
      else slide(original, folded);
      bestSentence.set(best);
      sentencesScored = true;
    }
    return best;
  };

  const sentenceBest = (): Float64Array => {
    if (!sentencesScored && scoredFolded !== undefined) {
      sentences.split(scoredText, scoredFolded, length);
      if (sentences.count > 1)
        scoreSentences(scoredText, scoredFolded, bestSentence, sentenceStart, sentenceEnd);
      else bestSentence.set(best);
      sentencesScored = true;
    }
    return bestSentence;
  };

  /**
   * How far a feature points to one category beyond the others: its weight there less its largest
   * weight elsewhere (if positive). Evidence is ranked by it, so a hit quotes what sets its category
   * apart ("stab" for violence) before the words that weigh for several at once ("to", "me").
   */
  const distinctWeight = (base: number, categoryIndex: number): number =>
    (rows[base + categoryIndex] as number) -
    (rows[base + (rows[base + TOP_AT] === categoryIndex ? NEXT : TOP)] as number);

  // The occurrences that set one category apart most in its window, for evidence (descending).
  const topOccurrence = new Int32Array(TOP_CANDIDATES);
  const topWeight = new Float64Array(TOP_CANDIDATES);

  const quotes = new SpanQuotes();

  const evidence = (original: string, folded: NormalizedText, categoryIndex: number): string[] => {
    // Right after score on the same text (as classify does), its occurrences are still listed.
    if (scoredFolded !== folded) score(original, folded);
    const from = bestStart[categoryIndex] as number;
    const to = bestEnd[categoryIndex] as number;
    let kept = 0;
    // The window's grams, words and pairs (a run of those ending in it), then every symbol.
    const { rowAt, startOf, endOf, symbolOf, grams } = occurrences;
    const first = occurrences.firstEndingAfter(from);
    const last = occurrences.firstEndingAfter(to);
    for (let o = first < last ? first : grams; o < occurrences.count; o = o + 1 === last ? grams : o + 1) {
      const base = (rowAt[o] as number) * stride;
      if ((rows[base + categoryIndex] as number) <= 0) continue;
      if ((startOf[o] as number) < from || (endOf[o] as number) > to) continue;
      const weight = distinctWeight(base, categoryIndex);
      if (kept === TOP_CANDIDATES && weight <= (topWeight[kept - 1] as number)) continue;
      let place = kept < TOP_CANDIDATES ? kept++ : kept - 1;
      while (place > 0 && (topWeight[place - 1] as number) < weight) {
        topWeight[place] = topWeight[place - 1] as number;
        topOccurrence[place] = topOccurrence[place - 1] as number;
        place--;
      }
      topWeight[place] = weight;
      topOccurrence[place] = o;
    }
    quotes.reset();
    for (let t = 0; t < kept && !quotes.full; t++) {
      const o = topOccurrence[t] as number;
      quotes.add(
        quotedSpan(original, folded, startOf[o] as number, endOf[o] as number, symbolOf[o] as number),
      );
    }
    return quotes.quotes(original);
  };

  return {
    version: data.version,
    categories: data.categories,
    bias: data.bias,
    fusion: data.fusion,
    score,
    sentenceBest,
    evidence,
  };
}
