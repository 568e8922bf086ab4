/**
 * Reading a normalized text (normalize.ts) by words: where its word boundaries are, whether an
 * occurrence of a pattern stands as whole words, and which span of the original a run of units
 * came from.
 */
import { SEPARATED, WORD } from './constants.js';
import type { NormalizedPattern, NormalizedText } from './normalize.js';

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
