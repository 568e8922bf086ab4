/**
 * The features of the learned model (model.ts), shared by training (scripts/train-classifier.ts)
 * and inference, so that the two see a text the same way.
 *
 * A text is read in its folded form (normalizeForMatching: full-width, lookalikes, traditional
 * characters and separators already folded, so 赌 博, 賭博 and c.a.s.i.n.o reach the model as 赌博
 * and casino), rewritten unit by unit into a **feature stream**:
 *
 * - a run of digits becomes one `0`, so 满300减50, 满99减10 and 日赚500 share their features
 *   (满0减0, 日赚0): amounts are template slots, not words;
 * - a Latin word gets a space on each side (at a word boundary, isWordBoundary, between two words),
 *   so English words keep their edges (" free", "card ") even where the text ran them together
 *   with a dot or wrote them beside Chinese;
 * - everything else stays as folded.
 *
 * Features of the stream, each a 32-bit FNV-1a hash of its units under its own seed:
 * - **character unigrams and bigrams** (MAX_GRAM) of the units that are not Latin letters: one
 *   Chinese character carries meaning, and so does a pair; a word-boundary space beside one
 *   counts too (加 before a Latin word, the 加V template);
 * - **Latin words**, their **prefixes** (the first WORD_PREFIX letters of a word that long: gamble,
 *   gambling and gambler share gambl) and **pairs of adjacent Latin words** (click here, gift card).
 *   Latin letters make no n-grams: see WORD_PREFIX;
 * - **symbols and emoji** that the folding dropped (🎲, 🔫, 💊 standing for a word): each code
 *   point of at least U+2190 between two folded units, as a feature of its own.
 *
 * A feature is reported with the span of folded units it covers, so inference can quote it as the
 * original text has it. Hashes collide at random, about one in 2^32 per pair: the model keeps a
 * few tens of thousands of features, so a text's unseen n-gram borrows a kept feature's weight
 * with odds of about 10⁻⁵; two keys that would be kept with one hash are both left out at
 * training (scripts/classifier-training.ts, withoutSharedHashes).
 */
import { DIGIT, LETTER, SEPARATED } from './constants.js';
import { unitAfterDropped } from './model-sentences.js';
import type { NormalizedText } from './normalize.js';
import { isWordBoundary } from './word-boundary.js';

/**
 * Longest character n-gram. Bigrams, not trigrams: on the training data out of fold (10,942
 * messages, the fusion's thresholds chosen alike), unigrams and bigrams alone gave micro precision
 * 0.974 and recall 0.812, trigrams too 0.973 and 0.807 (on the 10,449 before round 11, 0.973 and
 * 0.819 against 0.973 and 0.797): as good, with 24,331 features instead of 40,780 and a third
 * fewer lookups per text. Trigrams, seen a few times each, fit the phrasing of their messages.
 */
export const MAX_GRAM = 2;

/**
 * Letters of a Latin word's prefix feature. A word's prefix stands in for the letter n-grams
 * inside it, which the model no longer reads: on the training data out of fold (14,077 records,
 * the fusion's thresholds chosen alike), letter bigrams inside words gave micro precision 0.973
 * and recall 0.855; without them 0.974 and 0.860; with prefixes of 3, 4, 5 and 6 letters instead,
 * recall 0.863, 0.867, 0.868 and 0.869 (precision 0.974, 0.974, 0.974, 0.972). Letter bigrams were
 * a third of a 1 KB message's lookups, mostly weak features of everyday English.
 */
export const WORD_PREFIX = 5;

/** Seeds of the feature kinds (FNV-1a offset basis, varied per kind). */
const GRAM_SEED = 0x811c9dc5;
const WORD_SEED = 0x01000193;
const PAIR_SEED = 0x5bd1e995;
const SYMBOL_SEED = 0x27d4eb2f;
const PREFIX_SEED = 0x9e3779b9;
const FNV_PRIME = 0x01000193;

/** Code of the space that marks a word boundary in the stream, and of the digit-run class. */
const SPACE = 0x20;
const DIGIT_RUN = 0x30;
/**
 * The code points that stand for a word where the folding dropped them: arrows, symbols, dingbats
 * (U+2190–U+2BFF) and emoji (U+1F000–U+1FAFF, as surrogate pairs).
 */
const SYMBOLS = /[\u2190-\u2bff]|\ud83c[\udc00-\udfff]|\ud83d[\udc00-\udfff]|\ud83e[\udc00-\udeff]/g;

/** Feature kinds, as the sink is told them (for the keys training writes: `g:`, `w:`, `p:`, `s:`, `x:`). */
export const GRAM = 0;
export const WORD_FEATURE = 1;
export const PAIR = 2;
export const SYMBOL = 3;
export const PREFIX = 4;

/**
 * Called once per feature occurrence: its hash, the folded units [start, end) it covers, its kind,
 * and where it lies in the stream ([from, to]; for a symbol, its code point and its offset in the original text).
 */
export type FeatureSink = (
  hash: number,
  start: number,
  end: number,
  kind: number,
  from: number,
  to: number,
) => void;

function step(hash: number, unit: number): number {
  return Math.imul(hash ^ unit, FNV_PRIME);
}

// The stream of the current text (reused per call: features are extracted synchronously, one
// text at a time): per unit its code, the first folded unit it covers, and whether it is a Latin letter.
let UNITS = new Uint16Array(1024);
let FROM = new Int32Array(1024);
let LATIN = new Uint8Array(1024);

function ensure(size: number): void {
  if (size <= UNITS.length) return;
  let next = UNITS.length;
  while (next < size) next *= 2;
  UNITS = new Uint16Array(next);
  FROM = new Int32Array(next);
  LATIN = new Uint8Array(next);
}

/**
 * Reports every feature occurrence of a folded text to `sink`, in order of where it ends; `original`
 * is the text it was folded from (for the symbols the folding dropped). Linear in the text: each
 * stream unit starts at most MAX_GRAM n-grams, and each word one word, one prefix and one pair.
 *
 * One pass: each stream unit's features are reported as the unit is made (a run of digits is read
 * whole first, so its span is known), and a word's as the space after it is.
 */
export function extractFeatures(original: string, folded: NormalizedText, sink: FeatureSink): void {
  const { text, flags } = folded;
  const n = text.length;
  ensure(2 * n + 2);
  const units = UNITS;
  const fromOf = FROM;
  const latinAt = LATIN;
  /** Stream units so far. */
  let m = 0;
  /** The stream's last unit (-1: none yet), the end of the folded span it covers, whether it is a Latin letter. */
  let lastUnit = -1;
  let lastTo = 0;
  let lastLatin = false;
  /** The word being read: its hash and first stream unit (-1: none). */
  let wordHash = WORD_SEED;
  let wordStart = -1;
  /** The word before it, for a pair: its hash and first stream unit (-1: none, or not just before). */
  let previousWord = 0;
  let previousStart = -1;
  for (let i = 0; i < n; i++) {
    const f = flags[i] as number;
    let unit: number;
    let to = i + 1;
    let latin = false;
    if (f & DIGIT) {
      // A run of digits is one unit.
      unit = DIGIT_RUN;
      while (to < n && (flags[to] as number) & DIGIT) to++;
    } else {
      unit = text.charCodeAt(i);
      latin = (f & LETTER) !== 0 && unit < 0x250;
    }
    // A Latin word has a space on each side, wherever it stands (at the start, beside Chinese).
    // The space after a word belongs to it (before unit i), the space before one to its first unit:
    // a window that starts at unit i holds no feature of the text before it. After a Latin letter
    // (unit i - 1), a letter with no separator dropped before it continues the word: isWordBoundary's
    // answer, without the call.
    if (
      (latin ? !lastLatin || ((f & SEPARATED) !== 0 && isWordBoundary(folded, i)) : lastLatin) &&
      lastUnit !== SPACE
    ) {
      // Written before it is reported: keyOf reads the stream.
      units[m] = SPACE;
      fromOf[m] = latin ? i : i - 1;
      latinAt[m] = 0;
      if (lastLatin) {
        // The space ends the word before it.
        reportWord(sink, wordHash, wordStart, m - 1, lastTo, previousWord, previousStart);
        previousWord = wordHash;
        previousStart = wordStart;
        wordStart = -1;
      } else {
        // A space is no gram of its own, but counts in one with what stands before it ("加 " before a word).
        reportGrams(sink, step(GRAM_SEED, SPACE), m, i);
      }
      m++;
      lastUnit = SPACE;
      lastTo = i;
      lastLatin = false;
    }
    units[m] = unit;
    fromOf[m] = i;
    latinAt[m] = latin ? 1 : 0;
    if (!latin) {
      let hash = step(GRAM_SEED, unit);
      if (unit !== SPACE) sink(hash, i, to, GRAM, m, m);
      // reportGrams, written out: calling it here cost extraction 2-3 % on both bench sets.
      for (let k = m - 1; k >= 0 && m - k < MAX_GRAM && latinAt[k] === 0; k--) {
        hash = step(hash, units[k] as number);
        sink(step(hash, m - k + 1), fromOf[k] as number, to, GRAM, k, m);
      }
      if (unit !== SPACE) previousStart = -1;
    } else {
      if (wordStart < 0) {
        wordStart = m;
        wordHash = WORD_SEED;
      }
      wordHash = step(wordHash, unit);
      if (m - wordStart + 1 === WORD_PREFIX) {
        sink(prefixHash(wordHash), fromOf[wordStart] as number, to, PREFIX, wordStart, m);
      }
    }
    m++;
    lastUnit = unit;
    lastTo = to;
    lastLatin = latin;
    i = to - 1;
  }
  if (lastLatin) {
    // The space after the last word ends it.
    reportWord(sink, wordHash, wordStart, m - 1, lastTo, previousWord, previousStart);
  }
  // Symbols the folding dropped, between folded units (and before the first, after the last): each
  // counts as the unit it stands before.
  SYMBOLS.lastIndex = 0;
  // test rather than exec: no match object per symbol. A match is one unit, or a surrogate pair.
  while (SYMBOLS.test(original)) {
    const end = SYMBOLS.lastIndex;
    const at = (original.charCodeAt(end - 1) & 0xfc00) === 0xdc00 ? end - 2 : end - 1;
    const unit = unitAfterDropped(folded, at);
    const code = original.codePointAt(at) as number;
    if (unit >= 0) sink(step(SYMBOL_SEED, code), unit, unit, SYMBOL, code, at);
  }
}

/**
 * Reports the n-grams of two units or more that end at stream unit `last` (its own unit's hash
 * `hash`), which ends at folded unit `end`: grams with a Latin letter are left to the words' features.
 */
function reportGrams(sink: FeatureSink, hash: number, last: number, end: number): void {
  let gram = hash;
  for (let k = last - 1; k >= 0 && last - k < MAX_GRAM && LATIN[k] === 0; k--) {
    gram = step(gram, UNITS[k] as number);
    sink(step(gram, last - k + 1), FROM[k] as number, end, GRAM, k, last);
  }
}

/**
 * Reports a word of stream units [first, last] that ends at folded unit `end`, and its pair with
 * the word before it (starting at stream unit `previousFirst`, -1 for none) when only a space
 * stands between them.
 */
function reportWord(
  sink: FeatureSink,
  hash: number,
  first: number,
  last: number,
  end: number,
  previousHash: number,
  previousFirst: number,
): void {
  sink(hash, FROM[first] as number, end, WORD_FEATURE, first, last);
  if (previousFirst >= 0 && UNITS[first - 1] === SPACE) {
    sink(pairHash(previousHash, hash), FROM[previousFirst] as number, end, PAIR, previousFirst, last);
  }
}

/** The hash of a prefix from the word hash of its letters. */
function prefixHash(letters: number): number {
  return Math.imul(letters ^ PREFIX_SEED, FNV_PRIME);
}

function pairHash(first: number, second: number): number {
  return step(Math.imul(first ^ PAIR_SEED, FNV_PRIME), second);
}

/** The stream of the last text extracted, units [from, to] (for the keys training writes). */
function streamText(from: number, to: number): string {
  return String.fromCharCode(...UNITS.subarray(from, to + 1));
}

/** Each kind's key prefix, indexed by kind (the key format hashOfKey reads). */
const KEY_PREFIX = ['g:', 'w:', 'p:', 's:', 'x:'] as const;

/**
 * The key of a feature occurrence as a model file writes it, from what the sink was told (valid
 * during extraction): `g:`, `w:`, `p:` and `x:` and the stream units it covers, `s:` and its symbol.
 */
export function keyOf(kind: number, from: number, to: number): string {
  return `${KEY_PREFIX[kind]}${kind === SYMBOL ? String.fromCodePoint(from) : streamText(from, to)}`;
}

function gramHash(units: string): number {
  let hash = step(GRAM_SEED, units.charCodeAt(units.length - 1));
  if (units.length === 1) return hash;
  for (let k = units.length - 2; k >= 0; k--) hash = step(hash, units.charCodeAt(k));
  return step(hash, units.length);
}

function wordHashOf(word: string): number {
  let hash = WORD_SEED;
  for (let k = 0; k < word.length; k++) hash = step(hash, word.charCodeAt(k));
  return hash;
}

/**
 * The hash of a feature from its key as the model file writes it: `g:<stream units>` (an n-gram,
 * with a space for a word boundary and 0 for a run of digits), `w:<word>`, `x:<word prefix>`,
 * `p:<word> <word>`, `s:<symbol>`; undefined for a key of no kind.
 */
export function hashOfKey(key: string): number | undefined {
  const body = key.slice(2);
  if (body.length === 0) return undefined;
  switch (key.slice(0, 2)) {
    case 'g:':
      return body.length <= MAX_GRAM ? gramHash(body) : undefined;
    case 'w:':
      return wordHashOf(body);
    case 'x:':
      return body.length === WORD_PREFIX ? prefixHash(wordHashOf(body)) : undefined;
    case 'p:': {
      const space = body.indexOf(' ');
      if (space <= 0 || space === body.length - 1) return undefined;
      return pairHash(wordHashOf(body.slice(0, space)), wordHashOf(body.slice(space + 1)));
    }
    case 's:': {
      // One code point: a symbol.
      const code = body.codePointAt(0) as number;
      return body.length === (code > 0xffff ? 2 : 1) ? step(SYMBOL_SEED, code) : undefined;
    }
    default:
      return undefined;
  }
}
