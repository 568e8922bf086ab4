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
 * **Evidence.** For a category the model names, the features of its best window with the largest
 * weights are quoted as the original text has them (merged where they overlap), so a penalty
 * always cites the words that weighed.
 */
import type { ContentCategory } from '../domain/index.js';
import { InvalidLexiconError } from './errors.js';
import { extractFeatures, hashOfKey } from './model-features.js';
import { decodeWeights, type ModelData, parseFile } from './model-file.js';
import { isWordBoundary, type NormalizedText, originalSpan } from './normalize.js';

/** Longest quote of a model hit's evidence, in UTF-16 units (a span of a word can carry marks or padding). */
const QUOTE_LIMIT = 48;

/** original[s, e), cut to QUOTE_LIMIT units, never inside a surrogate pair. */
function quote(original: string, s: number, e: number): string {
  if (e - s <= QUOTE_LIMIT) return original.slice(s, e);
  let end = s + QUOTE_LIMIT;
  const last = original.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return original.slice(s, end);
}

/** Whether original[from, to), what the folding dropped between two units, ends a sentence. */
function breaksSentence(original: string, from: number, to: number): boolean {
  for (let p = from; p < to; p++) {
    const unit = original.charCodeAt(p);
    if (SENTENCE_ENDS.includes(unit)) return true;
    // A full stop ends a sentence before a space (not in c.a.s.i.n.o, 3.5 or a link).
    if (unit === 0x2e && p + 1 < original.length && /\s/.test(original.charAt(p + 1))) return true;
  }
  return false;
}

/** 。！？；… ! ? ; and line breaks. */
const SENTENCE_ENDS = [0x3002, 0xff01, 0xff1f, 0xff1b, 0x2026, 0x21, 0x3f, 0x3b, 0x0a, 0x0d];

/** Folded units per scoring window (about two sentences; the training messages are at most 200 characters). */
export const WINDOW = 200;
/** Spans quoted as a model hit's evidence, at most. */
const EVIDENCE_SPANS = 3;
/** Occurrences considered for them (the heaviest). */
const TOP_CANDIDATES = 8;
/** Folded units a quote reaches beyond its feature to complete a word. */
const WORD_REACH = 32;

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

/** Builds the inference tables of a model file (validated first). */
export function createModel(json: unknown): Model {
  const data = parseFile(json);
  const k = data.categories.length;
  const { keys, rows } = decodeWeights(data);
  let capacity = 16;
  while (capacity < keys.length * 2) capacity *= 2;
  const mask = capacity - 1;
  // Slot → row + 1 (0: empty); the hash of each slot beside it.
  const slotRow = new Int32Array(capacity);
  const slotHash = new Int32Array(capacity);
  keys.forEach((key, row) => {
    const hash = hashOfKey(key) as number;
    let slot = hash & mask;
    while (slotRow[slot] !== 0) {
      if (slotHash[slot] === hash)
        throw new InvalidLexiconError(`invalid model: feature ${key} collides with another`);
      slot = (slot + 1) & mask;
    }
    slotRow[slot] = row + 1;
    slotHash[slot] = hash;
  });
  const bias = Float64Array.from(data.bias);

  const rowOf = (hash: number): number => {
    let slot = hash & mask;
    for (;;) {
      const row = slotRow[slot] as number;
      if (row === 0) return -1;
      if (slotHash[slot] === (hash | 0)) return row - 1;
      slot = (slot + 1) & mask;
    }
  };

  // Scratch of one call: the occurrences of kept features, listed by the folded unit where they
  // end (headAt, nextAt) and where they start (headFrom, nextFrom).
  let headAt = new Int32Array(256);
  let headFrom = new Int32Array(256);
  let nextAt = new Int32Array(1024);
  let nextFrom = new Int32Array(1024);
  let rowOf_ = new Int32Array(1024);
  let startOf = new Int32Array(1024);
  let endOf = new Int32Array(1024);
  /** Per occurrence: -1, or for a symbol its offset in the original text. */
  let symbolAt = new Int32Array(1024);
  let count = 0;
  let length = 0;
  const best = new Float64Array(k);
  const bestStart = new Int32Array(k);
  const bestEnd = new Int32Array(k);
  const sum = new Float64Array(k);

  const grow = (array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
    const next = new Int32Array(array.length * 2);
    next.set(array);
    return next;
  };

  const collect = (
    hash: number,
    start: number,
    end: number,
    _kind: number,
    _from: number,
    to: number,
  ): void => {
    const row = rowOf(hash);
    if (row < 0) return;
    if (count === nextAt.length) {
      nextAt = grow(nextAt);
      nextFrom = grow(nextFrom);
      rowOf_ = grow(rowOf_);
      startOf = grow(startOf);
      endOf = grow(endOf);
      symbolAt = grow(symbolAt);
    }
    // A symbol covers no folded unit: it counts as the unit it stands before (or the last one).
    const symbol = end <= start;
    const first = symbol ? Math.min(start, length - 1) : start;
    const last = symbol ? first + 1 : end;
    rowOf_[count] = row;
    startOf[count] = first;
    endOf[count] = last;
    symbolAt[count] = symbol ? to : -1;
    nextAt[count] = headAt[last - 1] as number;
    headAt[last - 1] = count;
    nextFrom[count] = headFrom[first] as number;
    headFrom[first] = count;
    count++;
  };

  /** The folded text whose occurrences the lists hold. */
  let gathered: NormalizedText | undefined;

  /** Finds the text's kept features; returns the number of units scored (at least 1). */
  const gather = (original: string, folded: NormalizedText): number => {
    gathered = folded;
    length = Math.max(folded.text.length, 1);
    if (headAt.length < length) {
      headAt = new Int32Array(Math.max(length, headAt.length * 2));
      headFrom = new Int32Array(headAt.length);
    }
    headAt.fill(-1, 0, length);
    headFrom.fill(-1, 0, length);
    count = 0;
    extractFeatures(original, folded, collect);
    return length;
  };

  /** Per row: its occurrences in the current window (a feature counts once however often it occurs). */
  const inWindow = new Int32Array(keys.length);

  const add = (o: number, sign: number): void => {
    const row = rowOf_[o] as number;
    const before = inWindow[row] as number;
    inWindow[row] = before + sign;
    if (sign > 0 ? before !== 0 : before !== 1) return;
    const base = row * k;
    for (let c = 0; c < k; c++) sum[c] = (sum[c] as number) + sign * (rows[base + c] as number);
  };

  const keepBest = (
    from: number,
    to: number,
    out: Float64Array,
    outStart: Int32Array,
    outEnd: Int32Array,
  ): void => {
    for (let c = 0; c < k; c++) {
      if ((sum[c] as number) > (out[c] as number)) {
        out[c] = sum[c] as number;
        outStart[c] = from;
        outEnd[c] = to;
      }
    }
  };

  // Sentence breaks of the text (between folded units), for its windows.
  let breaks = new Uint8Array(256);
  let nextBreak = new Int32Array(256);
  let inLong = new Uint8Array(256);
  /** Best logit per category over single sentences, and where (a window per category). */
  const bestSentence = new Float64Array(k);
  const sentenceStart = new Int32Array(k);
  const sentenceEnd = new Int32Array(k);

  /** Finds the sentence breaks; returns how many sentences the text has. */
  const findBreaks = (original: string, folded: NormalizedText, n: number): number => {
    if (breaks.length < n + 1) {
      breaks = new Uint8Array(Math.max(n + 1, breaks.length * 2));
      nextBreak = new Int32Array(breaks.length);
      inLong = new Uint8Array(breaks.length);
    }
    breaks[0] = 1;
    breaks[n] = 1;
    for (let u = 1; u < n; u++) {
      breaks[u] = breaksSentence(original, folded.ends[u - 1] as number, folded.starts[u] as number) ? 1 : 0;
    }
    let sentences = 0;
    let start = 0;
    for (let u = 0; u <= n; u++) {
      if (u > 0 && breaks[u] === 1) {
        inLong.fill(u - start > WINDOW ? 1 : 0, start, u);
        start = u;
        sentences++;
      }
    }
    let next = n;
    for (let u = n - 1; u >= 0; u--) {
      nextBreak[u] = next;
      if (breaks[u] === 1) next = u;
    }
    return sentences;
  };

  /**
   * Slides a window over the text's sentences and keeps each category's best: from each sentence
   * start (and each unit of a sentence longer than WINDOW) to that sentence's end, at most WINDOW
   * units. Both ends only move forward, so each feature occurrence enters and leaves at most once.
   */
  const slide = (n: number, out: Float64Array, outStart: Int32Array, outEnd: Int32Array): void => {
    sum.set(bias);
    let from = 0;
    let to = 0;
    for (let start = 0; start < n; start++) {
      if (breaks[start] !== 1 && inLong[start] !== 1) continue;
      const reach = Math.min(start + WINDOW, n);
      let end = Math.min(nextBreak[start] as number, reach);
      if (end < to) end = to;
      if (start >= to) {
        // Past everything the window held (the next sentence): start afresh rather than take
        // each feature off.
        for (let unit = from; unit < to; unit++) {
          for (let o = headFrom[unit] as number; o >= 0; o = nextFrom[o] as number) {
            inWindow[rowOf_[o] as number] = 0;
          }
        }
        sum.set(bias);
        to = start;
      } else {
        for (let unit = from; unit < start; unit++) {
          for (let o = headFrom[unit] as number; o >= 0; o = nextFrom[o] as number) {
            if ((endOf[o] as number) <= to) add(o, -1);
          }
        }
      }
      for (let unit = to; unit < end; unit++) {
        for (let o = headAt[unit] as number; o >= 0; o = nextAt[o] as number) {
          if ((startOf[o] as number) >= start) add(o, 1);
        }
      }
      from = start;
      to = end;
      keepBest(from, to, out, outStart, outEnd);
    }
    for (let o = 0; o < count; o++) inWindow[rowOf_[o] as number] = 0;
  };

  /** The text score last read, for sentenceBest: its sentences are scored on demand. */
  let scoredText = '';
  let scoredFolded: NormalizedText | undefined;
  let sentencesScored = false;

  const score = (original: string, folded: NormalizedText): Float64Array => {
    const n = gather(original, folded);
    best.fill(Number.NEGATIVE_INFINITY);
    scoredText = original;
    scoredFolded = folded;
    sentencesScored = false;
    if (n <= WINDOW) {
      // As trained: the whole text.
      sum.set(bias);
      for (let o = 0; o < count; o++) add(o, 1);
      keepBest(0, n, best, bestStart, bestEnd);
      for (let o = 0; o < count; o++) inWindow[rowOf_[o] as number] = 0;
    } else {
      // A long text is judged by its best sentence: padding around one cannot dilute it.
      findBreaks(original, folded, n);
      slide(n, best, bestStart, bestEnd);
      bestSentence.set(best);
      sentencesScored = true;
    }
    return best;
  };

  const sentenceBest = (): Float64Array => {
    if (!sentencesScored && scoredFolded !== undefined) {
      const n = gathered === scoredFolded ? length : gather(scoredText, scoredFolded);
      bestSentence.fill(Number.NEGATIVE_INFINITY);
      if (findBreaks(scoredText, scoredFolded, n) > 1) slide(n, bestSentence, sentenceStart, sentenceEnd);
      else bestSentence.set(best);
      sentencesScored = true;
    }
    return bestSentence;
  };

  // The heaviest occurrences of one category in its window, for evidence (weights descending).
  const topOccurrence = new Int32Array(TOP_CANDIDATES);
  const topWeight = new Float64Array(TOP_CANDIDATES);

  const evidence = (original: string, folded: NormalizedText, categoryIndex: number): string[] => {
    // Right after score on the same text (as classify does), its occurrences are still here.
    if (gathered !== folded) gather(original, folded);
    const from = bestStart[categoryIndex] as number;
    const to = bestEnd[categoryIndex] as number;
    let kept = 0;
    for (let o = 0; o < count; o++) {
      const weight = rows[(rowOf_[o] as number) * k + categoryIndex] as number;
      if (weight <= 0 || (startOf[o] as number) < from || (endOf[o] as number) > to) continue;
      if (kept === TOP_CANDIDATES && weight <= (topWeight[kept - 1] as number)) continue;
      let at = kept < TOP_CANDIDATES ? kept++ : kept - 1;
      while (at > 0 && (topWeight[at - 1] as number) < weight) {
        topWeight[at] = topWeight[at - 1] as number;
        topOccurrence[at] = topOccurrence[at - 1] as number;
        at--;
      }
      topWeight[at] = weight;
      topOccurrence[at] = o;
    }
    const spans: [number, number][] = [];
    for (let t = 0; t < kept && spans.length < EVIDENCE_SPANS; t++) {
      const span = quotedSpan(original, folded, topOccurrence[t] as number);
      if (span === undefined) continue;
      const [s, e] = span;
      const overlapping = spans.find(([a, b]) => s < b && e > a);
      if (overlapping) {
        overlapping[0] = Math.min(overlapping[0], s);
        overlapping[1] = Math.max(overlapping[1], e);
      } else spans.push([s, e]);
    }
    return spans.sort((a, b) => a[0] - b[0]).map(([s, e]) => quote(original, s, e));
  };

  /**
   * The span of the original text an occurrence is quoted as: a symbol as itself; a piece of a
   * Latin word as the whole word ("casino", not "asi"; at most WORD_REACH units further each way);
   * undefined for one unit alone (a letter, a digit run), which is no evidence a person can read.
   */
  const quotedSpan = (original: string, folded: NormalizedText, o: number): [number, number] | undefined => {
    const at = symbolAt[o] as number;
    if (at >= 0) return [at, at + ((original.codePointAt(at) as number) > 0xffff ? 2 : 1)];
    const start = startOf[o] as number;
    const end = endOf[o] as number;
    let first = start;
    let last = end;
    while (first > 0 && start - first < WORD_REACH && !isWordBoundary(folded, first)) first--;
    while (last < folded.text.length && last - end < WORD_REACH && !isWordBoundary(folded, last)) last++;
    return last - first >= 2 ? originalSpan(folded, first, last) : undefined;
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
