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

/**
 * Collects quoted spans, heaviest first, merging each into the first it overlaps, up to
 * EVIDENCE_SPANS. Reused from quote to quote (reset), its spans kept as pairs of offsets.
 */
export class SpanQuotes {
  private readonly bounds = new Int32Array(2 * EVIDENCE_SPANS);
  private count = 0;

  get full(): boolean {
    return this.count >= EVIDENCE_SPANS;
  }

  reset(): void {
    this.count = 0;
  }

  add(span: [number, number] | undefined): void {
    if (span === undefined || this.full) return;
    const [s, e] = span;
    const bounds = this.bounds;
    for (let k = 0; k < 2 * this.count; k += 2) {
      const a = bounds[k] as number;
      const b = bounds[k + 1] as number;
      if (s < b && e > a) {
        bounds[k] = Math.min(a, s);
        bounds[k + 1] = Math.max(b, e);
        return;
      }
    }
    bounds[2 * this.count] = s;
    bounds[2 * this.count + 1] = e;
    this.count++;
  }

  /** The spans in text order (by start; in the order added where two start together), as the original has them. */
  quotes(original: string): string[] {
    const bounds = this.bounds;
    const count = this.count;
    // At most EVIDENCE_SPANS: an insertion sort, stable.
    for (let k = 1; k < count; k++) {
      const s = bounds[2 * k] as number;
      const e = bounds[2 * k + 1] as number;
      let place = k;
      while (place > 0 && (bounds[2 * place - 2] as number) > s) {
        bounds[2 * place] = bounds[2 * place - 2] as number;
        bounds[2 * place + 1] = bounds[2 * place - 1] as number;
        place--;
      }
      bounds[2 * place] = s;
      bounds[2 * place + 1] = e;
    }
    const quoted: string[] = [];
    for (let k = 0; k < count; k++)
      quoted.push(quote(original, bounds[2 * k] as number, bounds[2 * k + 1] as number));
    return quoted;
  }
}
