/**
 * How each code point folds for matching (the steps listed in normalize.ts), worked out once per
 * code unit into a lookup table the pass reads: one Uint32Array load per unit after the first.
 */
import { DIGIT, LETTER } from './constants.js';
import t2sTable from './t2s-table.json' with { type: 'json' };

// The info byte of a code unit (or of one output item of a code point): kind in the low 3 bits;
// for KEEP, the class of the unit kept in bits 3–4 and LOOK in bit 5.
export const KIND = 7;
export const UNKNOWN = 0;
/** One output unit (the unit in TABLE). */
export const KEEP = 1;
export const SEPARATOR = 2;
/** Dropped; not a separator. */
export const INVISIBLE = 3;
/** Dropped; not a separator; extends the span of the unit before it (combining marks). */
export const ATTACH = 4;
/** @ or $: a lookalike letter inside a Latin word, else a separator (the symbol is in TABLE). */
export const SYMBOL = 5;
/** Anything else: several output items, or a surrogate. */
export const COMPLEX = 6;

export const CLASS_SHIFT = 3;
export const CLASS = 3 << CLASS_SHIFT;
/** Kept, not a word unit: Han, kana, Thai, ... (scripts that do not space their words). */
export const C_OTHER = 0 << CLASS_SHIFT;
export const C_LATIN = 1 << CLASS_SHIFT;
export const C_DIGIT = 2 << CLASS_SHIFT;
/** A word letter of another script (Cyrillic, Greek, Hangul, Arabic, ...). */
export const C_LETTER = 3 << CLASS_SHIFT;
/** A digit that may stand for a letter (0 1 3 4 5 7). */
export const LOOK = 1 << 5;

/** Output flags of each class. */
export const CLASS_FLAGS = Uint8Array.of(0, LETTER, DIGIT, LETTER);

/** Lookalike digits and symbols → the letter they stand for inside a Latin word. */
export const LEET: ReadonlyMap<string, string> = new Map([
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
export const HOMOGLYPHS: ReadonlyMap<string, string> = new Map([
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
export const T2S: ReadonlyMap<number, string> = (() => {
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
export const VARIANT_MERGES: ReadonlyMap<string, string> = new Map(
  (
    '著着 暱昵 簷檐 痺痹 睪睾 穞稆 緪縆 鮎鲶 鲇鲶 幺么 钜巨 锺钟 馀余 渖沈 侭尽 缐线 腭颚 齶颚 讬托 谘咨 迳径 ' +
    '镟旋 麹曲 麺面'
  )
    .split(' ')
    .map((pair) => [pair.charAt(0), pair.charAt(1)] as const),
);

export const MARK = /\p{M}/u;
export const FORMAT = /\p{Cf}/u;
export const LETTER_OR_NUMBER = /[\p{L}\p{N}]/u;
export const LATIN = /\p{Script=Latin}/u;
export const MARKS = /\p{M}/gu;
export const DECIMAL = /\p{Nd}/u;
/** Scripts that do not put spaces between words: their letters are not word units. */
export const UNSPACED =
  /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Bopomofo}\p{scx=Thai}\p{scx=Lao}\p{scx=Khmer}\p{scx=Myanmar}\p{scx=Tibetan}\p{scx=Yi}]/u;
/** Invisible letters (Hangul fillers) used to pad text. */
export const FILLERS = new Set([0x115f, 0x1160, 0x3164, 0xffa0]);

/** One output item of a code point: a unit and its info byte (KEEP with class, SEPARATOR or SYMBOL). */
export interface Item {
  readonly unit: number;
  readonly info: number;
}

/** How one code point folds: a sequence of items, or a single invisible/attach kind. */
export function classify(codePoint: number): Item[] {
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
export const TABLE = new Uint32Array(0x10000);
/** Items of the code units and astral code points that fold to several items (or need a pair). */
export const COMPLEX_ITEMS = new Map<number, Item[]>();
/** LEET as units. */
export const LEET_UNITS = new Uint16Array(128);
for (const [from, to] of LEET) LEET_UNITS[from.charCodeAt(0)] = to.charCodeAt(0);

export function learn(unit: number): number {
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
export const MAX_REMEMBERED = 16_384;

export function itemsOf(codePoint: number): Item[] {
  let items = COMPLEX_ITEMS.get(codePoint);
  if (items === undefined) {
    items = classify(codePoint);
    // BMP units are learned once each; astral code points are many, so a text cannot grow this without bound.
    if (codePoint < 0x10000 || COMPLEX_ITEMS.size < MAX_REMEMBERED) COMPLEX_ITEMS.set(codePoint, items);
  }
  return items;
}
