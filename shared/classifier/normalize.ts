/**
 * Text normalization for lexicon matching, with a map from every normalized UTF-16 unit back to
 * the span of the original text it came from (so evidence quotes the original).
 *
 * Each code point of the original folds as follows, in this order:
 *
 * 1. **Invisible characters are dropped** and do not separate anything: format characters (\p{Cf}:
 *    zero-width space U+200B, ZWNJ/ZWJ U+200C–D, LRM/RLM U+200E–F, word joiner U+2060, BOM U+FEFF,
 *    soft hyphen U+00AD, bidi controls, tags), the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0)
 *    and combining marks and variation selectors (\p{M}, U+FE00–FE0F, U+E0100–E01EF). A mark
 *    extends the span of the unit it follows, so evidence never cuts a character from its marks.
 * 2. **NFKC**, one code point at a time: full-width → half-width (ＣＡＳＩＮＯ → CASINO, ＠ → @),
 *    compatibility forms (ﬁ → fi, ① → 1, 𝐜 → c, ㎏ → kg, CJK compatibility ideographs → unified).
 * 3. **Lower case** (String.prototype.toLowerCase of each code point), then Latin letters lose their
 *    diacritics (é → e, İ → i).
 * 4. **Lookalike letters**: a Cyrillic or Greek letter folds to the Latin letter its capital looks like
 *    (а в е к м н о р с т у х → a b e k m h o p c t y x; α β ε ζ η ι κ μ ν ο ρ τ υ χ → a b e z h i k m
 *    n o p t y x), and so do the lookalikes that exist only in lower case (ѕ і ј ԁ ԛ ԝ һ ӏ ϲ ı ɑ ɡ).
 *    Always, not only beside Latin letters: terms fold the same way, so a Cyrillic term still meets
 *    its text.
 * 5. **Traditional → simplified Chinese**, character by character, from `t2s-table.json`, which
 *    `scripts/build-t2s-table.ts` generates from opencc-js's OpenCC data (賭博 → 赌博); then the few
 *    characters that table cannot join to their simplified form fold together (`VARIANT_MERGES`:
 *    著 → 着, since Taiwan writes 活着 as 活著 and 著 is a simplified character too; 钜 → 巨, since
 *    the table folds its traditional form 鉅 to 巨).
 * 6. **Separators are dropped**: whatever is not a letter or a digit after the steps above
 *    (spaces, line breaks, punctuation, symbols, emoji, private-use and unassigned code points), so
 *    赌*博, 赌 博, 赌.博 and 赌🎲博 all fold to 赌博 and c-a-s-i-n-o to casino. The unit after a
 *    dropped separator is flagged SEPARATED, for word boundaries.
 * 7. **Lookalike digits and symbols inside a Latin word**: 0 1 3 4 5 7 @ $ fold to o i e a s t a s
 *    when they lie inside a run of Latin letters, digits, @ and $ with no separator in it: after at
 *    least one Latin letter of the run and before another one, and only if every character of the
 *    group between those two letters is one of them (c4sino, v1agra, he11o, ca$ino, wh0lesale fold;
 *    100元, 13812345678, 4sale, mp3, covid19, rtx4090ti, fr33 do not). A group that does not fold keeps
 *    its digits and drops its @ and $ as separators (US$100 is us100, @user is user). Folded
 *    lookalikes are flagged SEPARATED, and so is the letter after them: they may stand for a letter
 *    or for a word break (casino4u, casino@mail.com), and either reading matches whole words.
 *
 * Word boundaries (for terms that begin or end with a letter or digit, so that "sale" does not
 * match inside "wholesale"): see `isWordBoundary` (word-boundary.ts).
 *
 * Everything runs in one pass over the UTF-16 units, through a lazily filled lookup table for the
 * BMP (each code unit is classified by the rules above the first time it is seen, then costs one
 * Uint32Array load), into reused typed-array buffers; the result's maps are copied out into a
 * shared slab (see result), and the text decoded from the buffer in one call.
 */
import { LETTER, SEPARATED, WORD } from './constants.js';

/** The flags of NormalizedText.flags, with the text they describe. */
export { DIGIT, LETTER, SEPARATED, WORD } from './constants.js';

import {
  ATTACH,
  C_DIGIT,
  C_LATIN,
  C_OTHER,
  CLASS,
  CLASS_FLAGS,
  CLASS_SHIFT,
  COMPLEX,
  type Item,
  itemsOf,
  KEEP,
  KIND,
  LEET_UNITS,
  LOOK,
  learn,
  SEPARATOR,
  SYMBOL,
  TABLE,
  UNKNOWN,
} from './fold-table.js';

/** Text folded for matching, and where each of its UTF-16 units came from. */
export interface NormalizedText {
  /** The folded text. */
  readonly text: string;
  /** starts[i], ends[i]: the span [start, end) of the original text that unit i of `text` came from. */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** Per unit: SEPARATED, LETTER, DIGIT bits. */
  readonly flags: Uint8Array;
}

/** A lexicon term folded for matching, and whether its ends must fall on word boundaries. */
export interface NormalizedPattern {
  readonly text: string;
  /** It begins with a letter or digit: an occurrence must begin on a word boundary. */
  readonly wordStart: boolean;
  /** It ends with a letter or digit: an occurrence must end on a word boundary. */
  readonly wordEnd: boolean;
}

// ---- the pass -----------------------------------------------------------------------------------

/** Reused output buffers, grown as needed. */
let OUT = new Uint16Array(4096);
let STARTS = new Int32Array(4096);
let ENDS = new Int32Array(4096);
let FLAGS = new Uint8Array(4096);
/** Marks a pending @ or $ in FLAGS while its run is undecided (never left in a result). */
const PENDING_SYMBOL = 8;

/** Folds the pending group [from, to) of lookalikes into letters, each flagged as a possible word break. */
function foldLookalikes(from: number, to: number): void {
  for (let k = from; k < to; k++) {
    OUT[k] = LEET_UNITS[OUT[k] as number] as number;
    FLAGS[k] = LETTER | SEPARATED;
  }
}

/**
 * Drops the @ and $ of the pending group [from, to) (it stays digits and separators); returns the
 * new output length × 2, plus SEPARATED if the group ended with a dropped symbol.
 */
function dropSymbols(from: number, to: number): number {
  let w = from;
  let dropped = 0;
  for (let k = from; k < to; k++) {
    const f = FLAGS[k] as number;
    if (f & PENDING_SYMBOL) {
      dropped = SEPARATED;
      continue;
    }
    OUT[w] = OUT[k] as number;
    STARTS[w] = STARTS[k] as number;
    ENDS[w] = ENDS[k] as number;
    FLAGS[w] = f | dropped;
    dropped = 0;
    w++;
  }
  return w * 2 + dropped;
}

function ensureCapacity(needed: number, used: number): void {
  if (needed <= OUT.length) return;
  let size = OUT.length;
  while (size < needed) size *= 2;
  const out = new Uint16Array(size);
  out.set(OUT.subarray(0, used));
  const starts = new Int32Array(size);
  starts.set(STARTS.subarray(0, used));
  const ends = new Int32Array(size);
  ends.set(ENDS.subarray(0, used));
  const flags = new Uint8Array(size);
  flags.set(FLAGS.subarray(0, used));
  OUT = out;
  STARTS = starts;
  ENDS = ends;
  FLAGS = flags;
}

/** Folds a text for matching; see the module comment for the rules. */
// One loop of about 160 lines on purpose: it is the classifier's hot path (every message, every
// character), and keeping the cursor, the pending lookalike group and the buffers in locals of one
// function is what makes it run at 2.7 times the peer automaton's speed (npm run bench -- classifier).
export function normalizeForMatching(text: string): NormalizedText {
  const n = text.length;
  ensureCapacity(n + 1, 0);
  let out = OUT;
  let starts = STARTS;
  let ends = ENDS;
  let flags = FLAGS;
  let o = 0;
  /** SEPARATED when a separator was dropped since the last unit kept. */
  let separated = 0;
  /** The current run (Latin letters, digits, @ $) has a Latin letter. */
  let runHasLetter = false;
  /** Output index of the group of digits and symbols after the run's last letter, or -1. */
  let pending = -1;
  /** Every unit of the pending group is a lookalike. */
  let pendingAllLook = true;
  /** The pending group holds an @ or $. */
  let pendingSymbols = false;

  const table = TABLE;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    let entry = table[c] as number;
    if (entry === UNKNOWN) entry = learn(c);
    let info = entry & 0xff;
    // The hot path: one unit kept, no run of Latin letters to settle.
    if ((info & (KIND | CLASS)) === (KEEP | C_OTHER) && !runHasLetter) {
      out[o] = entry >>> 8;
      starts[o] = i;
      ends[o] = i + 1;
      flags[o] = separated;
      separated = 0;
      o++;
      i++;
      continue;
    }
    if ((info & (KIND | CLASS)) === (KEEP | C_LATIN) && pending < 0) {
      runHasLetter = true;
      out[o] = entry >>> 8;
      starts[o] = i;
      ends[o] = i + 1;
      flags[o] = separated | LETTER;
      separated = 0;
      o++;
      i++;
      continue;
    }
    if (info === SEPARATOR && pending < 0) {
      runHasLetter = false;
      separated = SEPARATED;
      i++;
      continue;
    }
    let unit = entry >>> 8;
    let end = i + 1;
    // A code unit is one item; a COMPLEX one (a surrogate pair, an expansion) is several.
    let items: Item[] | undefined;
    let count = 1;
    if ((info & KIND) === COMPLEX) {
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          end = i + 2;
          items = itemsOf(((c - 0xd800) << 10) + (low - 0xdc00) + 0x10000);
        }
      }
      items ??= itemsOf(c);
      count = items.length;
      ensureCapacity(o + count + (n - i) + 1, o);
      out = OUT;
      starts = STARTS;
      ends = ENDS;
      flags = FLAGS;
    }
    for (let k = 0; k < count; k++) {
      if (items !== undefined) {
        const item = items[k] as Item;
        unit = item.unit;
        info = item.info;
      }
      const kind = info & KIND;
      let unitFlags: number;
      if (kind === KEEP) {
        const cls = info & CLASS;
        if (cls === C_LATIN) {
          // A letter: the group since the run's last letter is inside a word.
          if (pending >= 0) {
            if (pendingAllLook) {
              foldLookalikes(pending, o);
              separated = SEPARATED;
            } else if (pendingSymbols) {
              const settled = dropSymbols(pending, o);
              o = settled >> 1;
              separated |= settled & SEPARATED;
            }
            pending = -1;
          }
          runHasLetter = true;
        } else if (cls === C_DIGIT) {
          if (runHasLetter) {
            if (pending < 0) {
              pending = o;
              pendingAllLook = true;
              pendingSymbols = false;
            }
            if ((info & LOOK) === 0) pendingAllLook = false;
          }
        } else if (runHasLetter) {
          // The run ends: its trailing group is not inside a word.
          if (pending >= 0) {
            if (pendingSymbols) {
              const settled = dropSymbols(pending, o);
              o = settled >> 1;
              separated |= settled & SEPARATED;
            }
            pending = -1;
          }
          runHasLetter = false;
        }
        unitFlags = CLASS_FLAGS[cls >> CLASS_SHIFT] as number;
      } else if (kind === SYMBOL && runHasLetter) {
        if (pending < 0) {
          pending = o;
          pendingAllLook = true;
        }
        pendingSymbols = true;
        unitFlags = PENDING_SYMBOL;
      } else if (kind === SEPARATOR || kind === SYMBOL) {
        if (runHasLetter) {
          if (pending >= 0) {
            if (pendingSymbols) {
              const settled = dropSymbols(pending, o);
              o = settled >> 1;
              separated |= settled & SEPARATED;
            }
            pending = -1;
          }
          runHasLetter = false;
        }
        separated = SEPARATED;
        continue;
      } else {
        // INVISIBLE, or ATTACH: a mark right after a kept unit joins that unit's span.
        if (kind === ATTACH && o > 0 && ends[o - 1] === i) ends[o - 1] = end;
        continue;
      }
      out[o] = unit;
      starts[o] = i;
      ends[o] = end;
      flags[o] = separated | unitFlags;
      separated = 0;
      o++;
    }
    i = end;
  }
  if (pending >= 0 && pendingSymbols) o = dropSymbols(pending, o) >> 1;
  return result(o);
}

/** Whether Uint16Array holds code units little-endian, as TextDecoder('utf-16le') reads them. */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
const UTF16 = new TextDecoder('utf-16le', { ignoreBOM: true });
const CHUNK = 8192;
/** Bytes of the slab results' maps are carved from (a result takes 9 bytes a folded unit). */
const SLAB_BYTES = 1 << 16;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsed = 0;

/** The normalized text and its maps, copied out of the scratch buffers into one new buffer. */
function result(length: number): NormalizedText {
  // The output holds no lone surrogate (astral code points are kept as pairs or dropped), so
  // decoding it as UTF-16 loses nothing.
  let text: string;
  if (LITTLE_ENDIAN) {
    text = UTF16.decode(OUT.subarray(0, length));
  } else {
    text = '';
    for (let at = 0; at < length; at += CHUNK) {
      const chunk = OUT.subarray(at, Math.min(length, at + CHUNK));
      text += String.fromCharCode.apply(null, chunk as unknown as number[]);
    }
  }
  // The maps are views into a shared slab rather than a new ArrayBuffer apiece: allocating one cost
  // more than the copy (an A/B of this function: 0.71 of the time on the evaluation set, 0.75 on
  // 1 KB messages). A slab is let go with the last result that views it; a long text gets its own.
  const bytes = length * 9;
  let buffer: ArrayBuffer;
  let at = 0;
  if (bytes > SLAB_BYTES / 8) buffer = new ArrayBuffer(bytes);
  else {
    if (slabUsed + bytes > SLAB_BYTES) {
      slab = new ArrayBuffer(SLAB_BYTES);
      slabUsed = 0;
    }
    buffer = slab;
    at = slabUsed;
    // The next result's Int32Arrays start on a multiple of 4.
    slabUsed += (bytes + 3) & ~3;
  }
  const starts = new Int32Array(buffer, at, length);
  const ends = new Int32Array(buffer, at + length * 4, length);
  const flags = new Uint8Array(buffer, at + length * 8, length);
  starts.set(STARTS.subarray(0, length));
  ends.set(ENDS.subarray(0, length));
  flags.set(FLAGS.subarray(0, length));
  return { text, starts, ends, flags };
}

/** Folds a lexicon term the way texts are folded, so that the two meet. */
export function normalizePattern(term: string): NormalizedPattern {
  const { text, flags } = normalizeForMatching(term);
  return {
    text,
    wordStart: text.length > 0 && ((flags[0] as number) & WORD) !== 0,
    wordEnd: text.length > 0 && ((flags[text.length - 1] as number) & WORD) !== 0,
  };
}
