import { MAX_QUOTES, QUOTE_MAX_CHARS } from './constants.js';
import type { Quote } from './decisions.js';

/** Code points kept from a cut span's end; the rest of `QUOTE_MAX_CHARS` (less the ellipsis) is its start. */
const TAIL_CHARS = 20;
const ELLIPSIS = '…';

/**
 * Quotes a span of the input as evidence: whole when it has at most `max` characters (code points),
 * otherwise its start and end around an ellipsis, `max` characters in all, cut between code points
 * (never inside a surrogate pair), with the full length stated.
 */
export function quote(span: string, max: number = QUOTE_MAX_CHARS): Quote {
  const length = codePointLength(span);
  if (length <= max) return { text: span, length, truncated: false };
  const tail = Math.min(TAIL_CHARS, Math.floor((max - 1) / 2));
  const head = max - 1 - tail;
  return {
    text: `${span.slice(0, unitsOfFirst(span, head))}${ELLIPSIS}${span.slice(span.length - unitsOfLast(span, tail))}`,
    length,
    truncated: true,
  };
}

/** The first `MAX_QUOTES` distinct spans, each quoted, and how many distinct spans there were. */
export function quoteAll(spans: readonly string[]): { quotes: Quote[]; count: number } {
  const distinct = [...new Set(spans)];
  return { quotes: distinct.slice(0, MAX_QUOTES).map((span) => quote(span)), count: distinct.length };
}

/** A quoted text as one string: the text, and its full length when it was cut. */
export function quotedText(span: string, max: number = QUOTE_MAX_CHARS): string {
  const q = quote(span, max);
  return q.truncated ? `${q.text} [${q.length} characters]` : q.text;
}

function isHigh(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLow(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

function codePointLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    if (isHigh(text.charCodeAt(i)) && isLow(text.charCodeAt(i + 1))) i++;
    count++;
  }
  return count;
}

/** UTF-16 units of the first `count` code points. */
function unitsOfFirst(text: string, count: number): number {
  let i = 0;
  for (let n = 0; n < count && i < text.length; n++) {
    i += isHigh(text.charCodeAt(i)) && isLow(text.charCodeAt(i + 1)) ? 2 : 1;
  }
  return i;
}

/** UTF-16 units of the last `count` code points. */
function unitsOfLast(text: string, count: number): number {
  let i = text.length;
  for (let n = 0; n < count && i > 0; n++) {
    i -= isLow(text.charCodeAt(i - 1)) && i >= 2 && isHigh(text.charCodeAt(i - 2)) ? 2 : 1;
  }
  return text.length - i;
}
