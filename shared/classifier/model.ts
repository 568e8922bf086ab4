/**
 * The learned model: one logistic regression per content category over the hashed features of
 * model-features.ts, trained by `npm run train-classifier` (scripts/train-classifier.ts) and
 * shipped as data (data/default-model.json). Inference is plain TypeScript: a text's features are
 * looked up in an open-addressing table of the kept features' hashes, and each category's logit
 * is its bias plus the weights of the distinct features found (a feature counts once, however often
 * it occurs: repeating a word is not more evidence).
 *
 * **Windows.** A text of at most WINDOW folded units is scored whole, as the model was trained
 * (on messages of a few sentences). A longer one is scored in windows of whole sentences: from
 * each sentence's start to the last sentence end within WINDOW units (a sentence longer than that
 * slides unit by unit), and each category takes its best window; so one sentence of fraud in a
 * 1 KB newsletter is judged on its own, and padding cannot dilute it. The cost is linear in the
 * text: one pass of feature extraction, and each feature occurrence enters and leaves the window
 * once (a feature counts once per window, however often it occurs there).
 *
 * **Evidence.** For a category the model names, the features of its best window with the largest
 * weights are quoted as the original text has them (merged where they overlap), so a penalty
 * always cites the words that weighed.
 */
import * as z from 'zod/mini';
import { CONTENT_CATEGORIES, type ContentCategory } from '../domain/index.js';
import { parseWith } from '../parse-with.js';
import { InvalidLexiconError } from './errors.js';
import { extractFeatures, hashOfKey } from './model-features.js';
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

const modelSchema = z.strictObject({
  version: z.string().check(z.minLength(1)),
  description: z.optional(z.string()),
  /** What it was trained on, and how (written by the training script, for the record). */
  training: z.optional(z.record(z.string(), z.unknown())),
  categories: z.array(z.enum(CONTENT_CATEGORIES)).check(z.minLength(1)),
  bias: z.array(z.number()),
  /** Per feature key: its weight per category (in the order of `categories`), 0 where it has none. */
  weights: z.record(z.string(), z.array(z.number())),
  /**
   * How the lexicon's evidence and the model's are weighed together, per category: with s the
   * lexicon's score (capped at lexiconCap, over the category's threshold), the stacked logit is
   * lexicon × s + distanced × s (when the text holds a distancing cue) + model × the model's logit +
   * bias, and the category fires when it reaches fireAt.
   */
  fusion: z.strictObject({
    lexiconCap: z.number().check(z.positive()),
    lexicon: z.array(z.number()),
    distanced: z.array(z.number()),
    model: z.array(z.number()),
    bias: z.array(z.number()),
    fireAt: z.array(z.number()),
  }),
});

/** A trained model as its file has it. */
export type ModelData = z.output<typeof modelSchema>;

export interface Model {
  readonly version: string;
  readonly categories: readonly ContentCategory[];
  /** Each category's bias: its logit for a text with no kept feature (the prior, as trained). */
  readonly bias: readonly number[];
  readonly fusion: ModelData['fusion'];
  /** Each category's best logit over the text's windows, in the order of `categories`. */
  score(original: string, folded: NormalizedText): Float64Array;
  /** The window each category's best logit came from, as [start, end) per category, after `score`. */
  bestWindow(categoryIndex: number): [number, number];
  /** Evidence for a category in the window of its best logit: spans of the original text. */
  evidence(original: string, folded: NormalizedText, categoryIndex: number): string[];
}

/** Validates a model file; throws InvalidLexiconError naming the first bad field. */
export function parseModel(json: unknown): ModelData {
  const model = parseWith(modelSchema, json, (issue, cause) => {
    const path = (issue?.path ?? []).map(String).join('.');
    return new InvalidLexiconError(`invalid model: ${path || 'value'} is invalid (${issue?.code})`, {
      cause,
    });
  });
  const k = model.categories.length;
  if (new Set(model.categories).size !== k) throw new InvalidLexiconError('invalid model: categories repeat');
  for (const [name, list] of Object.entries({ ...model.fusion, modelBias: model.bias })) {
    if (Array.isArray(list) && list.length !== k) {
      throw new InvalidLexiconError(`invalid model: ${name} needs one number per category`);
    }
  }
  for (const [key, row] of Object.entries(model.weights)) {
    if (row.length !== k) throw new InvalidLexiconError(`invalid model: weights of ${key} need ${k} numbers`);
    if (hashOfKey(key) === undefined)
      throw new InvalidLexiconError(`invalid model: feature key ${key} has no kind`);
  }
  return model;
}

/** Builds the inference tables of a model file (validated first). */
export function createModel(json: unknown): Model {
  const data = parseModel(json);
  const k = data.categories.length;
  const keys = Object.keys(data.weights);
  let capacity = 16;
  while (capacity < keys.length * 2) capacity *= 2;
  const mask = capacity - 1;
  // Slot → row + 1 (0: empty); the hash of each slot beside it.
  const slotRow = new Int32Array(capacity);
  const slotHash = new Int32Array(capacity);
  const rows = new Float64Array(keys.length * k);
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
    rows.set(data.weights[key] as number[], row * k);
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

  /** Finds the text's kept features; returns the number of units scored (at least 1). */
  const gather = (original: string, folded: NormalizedText): number => {
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

  const keepBest = (from: number, to: number): void => {
    for (let c = 0; c < k; c++) {
      if ((sum[c] as number) > (best[c] as number)) {
        best[c] = sum[c] as number;
        bestStart[c] = from;
        bestEnd[c] = to;
      }
    }
  };

  // Sentence breaks of the text (between folded units), for the windows of a long text.
  let breaks = new Uint8Array(256);
  let lastBreak = new Int32Array(256);
  let inLong = new Uint8Array(256);

  const findBreaks = (original: string, folded: NormalizedText, n: number): void => {
    if (breaks.length < n + 1) {
      breaks = new Uint8Array(Math.max(n + 1, breaks.length * 2));
      lastBreak = new Int32Array(breaks.length);
      inLong = new Uint8Array(breaks.length);
    }
    breaks[0] = 1;
    breaks[n] = 1;
    for (let u = 1; u < n; u++) {
      breaks[u] = breaksSentence(original, folded.ends[u - 1] as number, folded.starts[u] as number) ? 1 : 0;
    }
    let sentenceStart = 0;
    for (let u = 0; u <= n; u++) {
      lastBreak[u] = breaks[u] === 1 ? u : (lastBreak[u - 1] as number);
      if (u > 0 && breaks[u] === 1) {
        inLong.fill(u - sentenceStart > WINDOW ? 1 : 0, sentenceStart, u);
        sentenceStart = u;
      }
    }
  };

  const score = (original: string, folded: NormalizedText): Float64Array => {
    const n = gather(original, folded);
    sum.set(bias);
    best.fill(Number.NEGATIVE_INFINITY);
    if (n <= WINDOW) {
      for (let o = 0; o < count; o++) add(o, 1);
      keepBest(0, n);
    } else {
      findBreaks(original, folded, n);
      // Windows from each sentence start (and each unit of a sentence longer than WINDOW) to the
      // last sentence end within WINDOW units; both ends only move forward, so each feature
      // enters and leaves at most once.
      let from = 0;
      let to = 0;
      for (let start = 0; start < n; start++) {
        if (breaks[start] !== 1 && inLong[start] !== 1) continue;
        const reach = Math.min(start + WINDOW, n);
        let end = lastBreak[reach] as number;
        if (end <= start) end = reach;
        if (end < to) end = to;
        for (let unit = from; unit < start; unit++) {
          for (let o = headFrom[unit] as number; o >= 0; o = nextFrom[o] as number) {
            if ((endOf[o] as number) <= to) add(o, -1);
          }
        }
        for (let unit = to; unit < end; unit++) {
          for (let o = headAt[unit] as number; o >= 0; o = nextAt[o] as number) {
            if ((startOf[o] as number) >= start) add(o, 1);
          }
        }
        from = start;
        to = end;
        keepBest(from, to);
      }
    }
    for (let o = 0; o < count; o++) inWindow[rowOf_[o] as number] = 0;
    return Float64Array.from(best);
  };

  const evidence = (original: string, folded: NormalizedText, categoryIndex: number): string[] => {
    gather(original, folded);
    const from = bestStart[categoryIndex] as number;
    const to = bestEnd[categoryIndex] as number;
    const found: { start: number; end: number; weight: number }[] = [];
    for (let o = 0; o < count; o++) {
      const weight = rows[(rowOf_[o] as number) * k + categoryIndex] as number;
      const start = startOf[o] as number;
      const end = endOf[o] as number;
      if (weight <= 0 || start < from || end > to) continue;
      const at = symbolAt[o] as number;
      // A symbol is quoted as itself: spans of the original text, kept apart from folded units.
      if (at >= 0) {
        found.push({ start: -1 - at, end: -1 - at, weight });
        continue;
      }
      // A piece of a Latin word is quoted as the whole word ("casino", not "asi"); one unit
      // alone (a letter, a digit run) is no evidence a person can read.
      let first = start;
      let last = end;
      while (first > 0 && !isWordBoundary(folded, first)) first--;
      while (last < folded.text.length && !isWordBoundary(folded, last)) last++;
      if (last - first >= 2) found.push({ start: first, end: last, weight });
    }
    found.sort((a, b) => b.weight - a.weight || a.start - b.start);
    const spans: [number, number][] = [];
    for (const { start, end } of found) {
      let [s, e] = [0, 0];
      if (start < 0) {
        s = -1 - start;
        e = s + ((original.codePointAt(s) as number) > 0xffff ? 2 : 1);
      } else [s, e] = originalSpan(folded, start, end);
      const overlapping = spans.find(([a, b]) => s < b && e > a);
      if (overlapping) {
        overlapping[0] = Math.min(overlapping[0], s);
        overlapping[1] = Math.max(overlapping[1], e);
      } else if (spans.length < EVIDENCE_SPANS) spans.push([s, e]);
      else break;
    }
    return spans.sort((a, b) => a[0] - b[0]).map(([s, e]) => quote(original, s, e));
  };

  return {
    version: data.version,
    categories: data.categories,
    bias: data.bias,
    fusion: data.fusion,
    score,
    bestWindow: (c) => [bestStart[c] as number, bestEnd[c] as number],
    evidence,
  };
}
