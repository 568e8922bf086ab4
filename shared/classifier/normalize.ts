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
 * match inside "wholesale"): see {@link isWordBoundary}.
 *
 * Everything runs in one pass over the UTF-16 units, through a lazily filled lookup table for the
 * BMP (each code unit is classified by the rules above the first time it is seen, then costs one
 * Uint32Array load), into reused typed-array buffers; the result is copied out into one new
 * ArrayBuffer, and the text decoded from it in one call.
 */
import t2sTable from './t2s-table.json' with { type: 'json' };

/** Flag of a normalized unit: a separator was dropped before it (or it is a folded lookalike, or follows one). */
export const SEPARATED = 1;
/** Flag of a normalized unit: a letter of a script that separates its words (Latin, Cyrillic, Greek, Hangul, ...). */
export const LETTER = 2;
/** Flag of a normalized unit: a decimal digit. */
export const DIGIT = 4;
/** LETTER | DIGIT: a unit that words are made of. */
export const WORD = LETTER | DIGIT;

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

// ---- classification of code points -------------------------------------------------------------

// The info byte of a code unit (or of one output item of a code point): kind in the low 3 bits;
// for KEEP, the class of the unit kept in bits 3–4 and LOOK in bit 5.
const KIND = 7;
const UNKNOWN = 0;
/** One output unit (the unit in TABLE). */
const KEEP = 1;
const SEPARATOR = 2;
/** Dropped; not a separator. */
const INVISIBLE = 3;
/** Dropped; not a separator; extends the span of the unit before it (combining marks). */
const ATTACH = 4;
/** @ or $: a lookalike letter inside a Latin word, else a separator (the symbol is in TABLE). */
const SYMBOL = 5;
/** Anything else: several output items, or a surrogate. */
const COMPLEX = 6;

const CLASS_SHIFT = 3;
const CLASS = 3 << CLASS_SHIFT;
/** Kept, not a word unit: Han, kana, Thai, ... (scripts that do not space their words). */
const C_OTHER = 0 << CLASS_SHIFT;
const C_LATIN = 1 << CLASS_SHIFT;
const C_DIGIT = 2 << CLASS_SHIFT;
/** A word letter of another script (Cyrillic, Greek, Hangul, Arabic, ...). */
const C_LETTER = 3 << CLASS_SHIFT;
/** A digit that may stand for a letter (0 1 3 4 5 7). */
const LOOK = 1 << 5;

/** Output flags of each class. */
const CLASS_FLAGS = Uint8Array.of(0, LETTER, DIGIT, LETTER);

/** Lookalike digits and symbols → the letter they stand for inside a Latin word. */
const LEET: ReadonlyMap<string, string> = new Map([
  ['0', 'o'],
  ['1', 'i'],
  ['3', 'e'],
  ['4', 'a'],
  ['5', 's'],
  ['7', 't'],
  ['@', 'a'],
  ['$', 's'],
]);

/** Cyrillic, Greek and Latin lookalikes of Latin letters (after lower-casing). */
const HOMOGLYPHS: ReadonlyMap<string, string> = new Map([
  // Cyrillic, by the shape of the capital where the lower case differs (в н к м т).
  ['а', 'a'],
  ['в', 'b'],
  ['е', 'e'],
  ['ё', 'e'],
  ['к', 'k'],
  ['м', 'm'],
  ['н', 'h'],
  ['о', 'o'],
  ['р', 'p'],
  ['с', 'c'],
  ['т', 't'],
  ['у', 'y'],
  ['х', 'x'],
  ['ѕ', 's'],
  ['і', 'i'],
  ['ї', 'i'],
  ['ј', 'j'],
  ['һ', 'h'],
  ['ԁ', 'd'],
  ['ԛ', 'q'],
  ['ԝ', 'w'],
  ['ӏ', 'l'],
  // Greek, likewise.
  ['α', 'a'],
  ['β', 'b'],
  ['ε', 'e'],
  ['ζ', 'z'],
  ['η', 'h'],
  ['ι', 'i'],
  ['κ', 'k'],
  ['μ', 'm'],
  ['ν', 'n'],
  ['ο', 'o'],
  ['ρ', 'p'],
  ['τ', 't'],
  ['υ', 'y'],
  ['χ', 'x'],
  ['ϲ', 'c'],
  ['ϳ', 'j'],
  // Latin letters that look like ASCII ones and have no decomposition.
  ['ı', 'i'],
  ['ɑ', 'a'],
  ['ɡ', 'g'],
]);

/** Traditional → simplified, closed under repetition (the table maps 薴 → 苧 and 苧 → 苎). */
const T2S: ReadonlyMap<number, string> = (() => {
  const codePoints = Array.from(t2sTable.pairs);
  const direct = new Map<string, string>();
  for (let k = 0; k + 1 < codePoints.length; k += 2) {
    direct.set(codePoints[k] as string, codePoints[k + 1] as string);
  }
  const closed = new Map<number, string>();
  for (const [traditional, simplified] of direct) {
    let target = simplified;
    for (let hops = 0; hops < 8 && direct.has(target); hops++) target = direct.get(target) as string;
    closed.set(traditional.codePointAt(0) as number, target);
  }
  return closed;
})();

/**
 * Characters that OpenCC's simplified → traditional conversion (Taiwan or Hong Kong standard,
 * character by character) writes as a character that T2S then leaves alone or folds elsewhere,
 * folded to one form after T2S so that a term and its traditional spelling still meet: the
 * traditional form is itself a simplified character (著 for 着, 暱 for 昵), or T2S folds it to a more
 * common character (鉅 → 巨, so 钜 → 巨). Every target is left alone by T2S and by this table; a
 * test converts every CJK unified ideograph with opencc-js and checks that the two forms fold alike.
 */
const VARIANT_MERGES: ReadonlyMap<string, string> = new Map(
  (
    '著着 暱昵 簷檐 痺痹 睪睾 穞稆 緪縆 鮎鲶 鲇鲶 幺么 钜巨 锺钟 馀余 渖沈 侭尽 缐线 腭颚 齶颚 讬托 谘咨 迳径 ' +
    '镟旋 麹曲 麺面'
  )
    .split(' ')
    .map((pair) => [pair.charAt(0), pair.charAt(1)] as const),
);

const MARK = /\p{M}/u;
const FORMAT = /\p{Cf}/u;
const LETTER_OR_NUMBER = /[\p{L}\p{N}]/u;
const LATIN = /\p{Script=Latin}/u;
const MARKS = /\p{M}/gu;
const DECIMAL = /\p{Nd}/u;
/** Scripts that do not put spaces between words: their letters are not word units. */
const UNSPACED =
  /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Bopomofo}\p{scx=Thai}\p{scx=Lao}\p{scx=Khmer}\p{scx=Myanmar}\p{scx=Tibetan}\p{scx=Yi}]/u;
/** Invisible letters (Hangul fillers) used to pad text. */
const FILLERS = new Set([0x115f, 0x1160, 0x3164, 0xffa0]);

/** One output item of a code point: a unit and its info byte (KEEP with class, SEPARATOR or SYMBOL). */
interface Item {
  readonly unit: number;
  readonly info: number;
}

/** How one code point folds: a sequence of items, or a single invisible/attach kind. */
function classify(codePoint: number): Item[] {
  const char = String.fromCodePoint(codePoint);
  if (MARK.test(char)) return [{ unit: 0, info: ATTACH }];
  if (FORMAT.test(char) || FILLERS.has(codePoint)) return [{ unit: 0, info: INVISIBLE }];
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return [{ unit: 0, info: SEPARATOR }];
  const items: Item[] = [];
  for (const folded of char.normalize('NFKC').toLowerCase()) {
    if (MARK.test(folded) || FORMAT.test(folded) || FILLERS.has(folded.codePointAt(0) as number)) continue;
    if (!LETTER_OR_NUMBER.test(folded)) {
      const symbol = folded === '@' || folded === '$';
      items.push({ unit: symbol ? folded.charCodeAt(0) : 0, info: symbol ? SYMBOL : SEPARATOR });
      continue;
    }
    let kept = folded;
    if (LATIN.test(kept)) kept = kept.normalize('NFD').replace(MARKS, '') || folded;
    kept = HOMOGLYPHS.get(kept) ?? kept;
    kept = T2S.get(kept.codePointAt(0) as number) ?? kept;
    kept = VARIANT_MERGES.get(kept) ?? kept;
    let info: number;
    if (kept >= '0' && kept <= '9') info = KEEP | C_DIGIT | (LEET.has(kept) ? LOOK : 0);
    else if (UNSPACED.test(kept)) info = KEEP | C_OTHER;
    else if (LATIN.test(kept)) info = KEEP | C_LATIN;
    else if (DECIMAL.test(kept)) info = KEEP | C_DIGIT;
    else info = KEEP | C_LETTER;
    for (let k = 0; k < kept.length; k++) items.push({ unit: kept.charCodeAt(k), info });
  }
  // A code point that folds to nothing visible (a lone compatibility mark) separates nothing.
  if (items.length === 0) items.push({ unit: 0, info: INVISIBLE });
  return items;
}

/**
 * Per BMP code unit, 0 until first seen: its info byte in the low 8 bits and, for KEEP and SYMBOL,
 * the unit it folds to above them (one load per code unit in the pass).
 */
const TABLE = new Uint32Array(0x10000);
/** Items of the code units and astral code points that fold to several items (or need a pair). */
const COMPLEX_ITEMS = new Map<number, Item[]>();
/** LEET as units. */
const LEET_UNITS = new Uint16Array(128);
for (const [from, to] of LEET) LEET_UNITS[from.charCodeAt(0)] = to.charCodeAt(0);

function learn(unit: number): number {
  let info: number;
  if (unit >= 0xd800 && unit <= 0xdbff) {
    info = COMPLEX; // a high surrogate: read as a pair
  } else {
    const items = classify(unit);
    const first = items[0] as Item;
    if (items.length === 1 && (first.unit < 0xd800 || first.unit > 0xdfff)) {
      info = first.info | (first.unit << 8);
    } else {
      info = COMPLEX;
      COMPLEX_ITEMS.set(unit, items);
    }
  }
  TABLE[unit] = info;
  return info;
}

/** Astral code points remembered at most (beyond, they are classified again each time they occur). */
const MAX_REMEMBERED = 16_384;

function itemsOf(codePoint: number): Item[] {
  let items = COMPLEX_ITEMS.get(codePoint);
  if (items === undefined) {
    items = classify(codePoint);
    // BMP units are learned once each; astral code points are many, so a text cannot grow this without bound.
    if (codePoint < 0x10000 || COMPLEX_ITEMS.size < MAX_REMEMBERED) COMPLEX_ITEMS.set(codePoint, items);
  }
  return items;
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
  const buffer = new ArrayBuffer(length * 9);
  const starts = new Int32Array(buffer, 0, length);
  const ends = new Int32Array(buffer, length * 4, length);
  const flags = new Uint8Array(buffer, length * 8, length);
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

/**
 * Whether `index` (0..text.length) of a normalized text is a word boundary: an end of the text, or
 * between two units that are not both letters or both digits (so a letter next to a digit, CJK or
 * a dropped symbol is a boundary: casino888, 买casino), or between two letters (or two digits) with
 * a separator dropped between them, unless both sides are one unit long, as in a word spelled out
 * letter by letter: in "c.a.s.i.n.o" only the ends are boundaries, so it matches "casino" but not
 * "sin"; in "on-sale" the hyphen is one.
 */
export function isWordBoundary(normalized: NormalizedText, index: number): boolean {
  const { flags } = normalized;
  const length = flags.length;
  if (index <= 0 || index >= length) return true;
  const before = (flags[index - 1] as number) & WORD;
  const after = (flags[index] as number) & WORD;
  if (before !== after || before === 0) return true;
  if (((flags[index] as number) & SEPARATED) === 0) return false;
  const leftSingle =
    index === 1 ||
    ((flags[index - 1] as number) & SEPARATED) !== 0 ||
    ((flags[index - 2] as number) & WORD) !== before;
  const rightSingle =
    index + 1 === length ||
    ((flags[index + 1] as number) & SEPARATED) !== 0 ||
    ((flags[index + 1] as number) & WORD) !== after;
  return !(leftSingle && rightSingle);
}

/** Whether an occurrence [start, end) of a pattern in a normalized text stands as whole words where it must. */
export function matchesWholeWords(
  normalized: NormalizedText,
  pattern: NormalizedPattern,
  start: number,
  end: number,
): boolean {
  return (
    (!pattern.wordStart || isWordBoundary(normalized, start)) &&
    (!pattern.wordEnd || isWordBoundary(normalized, end))
  );
}

/** The span [start, end) of the original text that units [start, end) of a normalized text came from. */
export function originalSpan(normalized: NormalizedText, start: number, end: number): [number, number] {
  return [normalized.starts[start] as number, normalized.ends[end - 1] as number];
}
