/**
 * How the learned model (model.ts) quotes its evidence: the spans of the original text its
 * heaviest features cover, whole words, merged where they overlap.
 */
import type { NormalizedText } from './normalize.js';
import { isWordBoundary, originalSpan } from './word-boundary.js';

/** Longest quote of a model hit's evidence, in UTF-16 units (a span of a word can carry marks or padding). */
const QUOTE_LIMIT = 48;
/** Spans quoted as a model hit's evidence, at most. */
export const EVIDENCE_SPANS = 3;
/** Folded units a quote reaches beyond its feature to complete a word. */
const WORD_REACH = 32;

/** original[s, e), cut to QUOTE_LIMIT units, never inside a surrogate pair. */
function quote(original: string, s: number, e: number): string {
  if (e - s <= QUOTE_LIMIT) return original.slice(s, e);
  let end = s + QUOTE_LIMIT;
  const last = original.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return original.slice(s, end);
}

/**
 * The span of the original text a feature occurrence is quoted as: a symbol (at offset `symbolAt`
 * of the original, or -1) as itself; a piece of a Latin word, folded units [start, end), as the
 * whole word ("casino", not "asi"; at most WORD_REACH units further each way); undefined for one
 * unit alone (a letter, a digit run), which is no evidence a person can read.
 */
export function quotedSpan(
  original: string,
  folded: NormalizedText,
  start: number,
  end: number,
  symbolAt: number,
): [number, number] | undefined {
  if (symbolAt >= 0)
    return [symbolAt, symbolAt + ((original.codePointAt(symbolAt) as number) > 0xffff ? 2 : 1)];
  let first = start;
  let last = end;
  while (first > 0 && start - first < WORD_REACH && !isWordBoundary(folded, first)) first--;
  while (last < folded.text.length && last - end < WORD_REACH && !isWordBoundary(folded, last)) last++;
  return last - first >= 2 ? originalSpan(folded, first, last) : undefined;
}

/** Collects quoted spans, heaviest first, merging overlaps, up to EVIDENCE_SPANS. */
export class SpanQuotes {
  private readonly spans: [number, number][] = [];

  get full(): boolean {
    return this.spans.length >= EVIDENCE_SPANS;
  }

  add(span: [number, number] | undefined): void {
    if (span === undefined || this.full) return;
    const [s, e] = span;
    const overlapping = this.spans.find(([a, b]) => s < b && e > a);
    if (overlapping) {
      overlapping[0] = Math.min(overlapping[0], s);
      overlapping[1] = Math.max(overlapping[1], e);
    } else this.spans.push([s, e]);
  }

  /** The spans in text order, as the original has them. */
  quotes(original: string): string[] {
    return this.spans.sort((a, b) => a[0] - b[0]).map(([s, e]) => quote(original, s, e));
  }
}
