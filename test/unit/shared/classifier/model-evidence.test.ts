import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVIDENCE_SPANS, SpanQuotes } from '../../../../shared/classifier/model-evidence.js';

/** What SpanQuotes keeps, the plain way: each span merged into the first it overlaps, up to EVIDENCE_SPANS, in text order. */
function expectedQuotes(text: string, spans: readonly [number, number][]): string[] {
  const kept: [number, number][] = [];
  for (const [s, e] of spans) {
    if (kept.length >= EVIDENCE_SPANS) break;
    const overlapping = kept.find(([a, b]) => s < b && e > a);
    if (overlapping) {
      overlapping[0] = Math.min(overlapping[0], s);
      overlapping[1] = Math.max(overlapping[1], e);
    } else kept.push([s, e]);
  }
  return [...kept].sort((a, b) => a[0] - b[0]).map(([s, e]) => text.slice(s, e));
}

describe('SpanQuotes', () => {
  const text = 'join our casino tonight and win big at the tables';

  it('quotes spans in text order, merges one that overlaps into the first it meets, and keeps three at most', () => {
    const quotes = new SpanQuotes();
    quotes.add([9, 15]); // casino
    quotes.add([0, 4]); // join
    quotes.add([12, 23]); // overlaps casino: merged into it
    quotes.add(undefined);
    expect(quotes.full).toBe(false);
    quotes.add([28, 31]); // win
    expect(quotes.full).toBe(true);
    quotes.add([43, 49]); // past the limit
    expect(quotes.quotes(text)).toEqual(['join', 'casino tonight', 'win']);
  });

  it('keeps the order spans were added in where a merge makes two start together', () => {
    const quotes = new SpanQuotes();
    quotes.add([9, 15]); // casino
    quotes.add([4, 8]); // " our"
    quotes.add([4, 10]); // overlaps casino first: it now starts where " our" does
    expect(quotes.quotes(text)).toEqual([' our casino', ' our']);
  });

  it('starts afresh after reset', () => {
    const quotes = new SpanQuotes();
    quotes.add([9, 15]);
    quotes.add([0, 4]);
    quotes.add([28, 31]);
    quotes.reset();
    expect(quotes.full).toBe(false);
    quotes.add([43, 49]);
    expect(quotes.quotes(text)).toEqual(['tables']);
  });

  it('keeps what the plain reading keeps, for any spans in any order', () => {
    const span = fc
      .tuple(fc.integer({ min: 0, max: text.length - 1 }), fc.integer({ min: 1, max: 12 }))
      .map(([s, length]): [number, number] => [s, Math.min(text.length, s + length)]);
    fc.assert(
      fc.property(fc.array(span, { maxLength: 8 }), (spans) => {
        const quotes = new SpanQuotes();
        quotes.add([0, 1]);
        quotes.reset();
        for (const item of spans) quotes.add([item[0], item[1]]);
        expect(quotes.quotes(text)).toEqual(expectedQuotes(text, spans));
      }),
      { numRuns: 500 },
    );
  });
});
