import { describe, expect, it } from 'vitest';
import { MAX_QUOTES, QUOTE_MAX_CHARS } from '../../../../shared/domain/constants.js';
import { quote, quoteAll } from '../../../../shared/domain/quote.js';

describe('quote: a span of evidence, bounded', () => {
  it('keeps a short span whole, with its length in characters', () => {
    // Given a span of two characters outside the BMP
    const span = '𠮷𠮷 link';

    // When it is quoted
    const quoted = quote(span);

    // Then it is whole, and its length counts code points
    expect(quoted).toEqual({ text: span, length: 7, truncated: false });
  });

  it('cuts a long span to its start and end around an ellipsis, never inside a surrogate pair', () => {
    // Given 200,000 characters outside the BMP (400,000 UTF-16 units)
    const span = '😀'.repeat(200_000);

    // When it is quoted
    const quoted = quote(span);

    // Then it keeps QUOTE_MAX_CHARS characters, all whole, and states the full length
    expect(quoted.truncated).toBe(true);
    expect(quoted.length).toBe(200_000);
    expect([...quoted.text]).toHaveLength(QUOTE_MAX_CHARS);
    expect(quoted.text.replace(/😀/gu, '')).toBe('…');
    expect(/\p{Cs}/u.test(quoted.text)).toBe(false);
  });

  it('quotes at most MAX_QUOTES distinct spans, counting them all', () => {
    // Given twenty spans, one of them twice
    const spans = [...Array.from({ length: 20 }, (_, i) => `term-${i}`), 'term-0'];

    // When they are quoted
    const { quotes, count } = quoteAll(spans);

    // Then the first MAX_QUOTES are quoted and all twenty counted
    expect(quotes.map((q) => q.text)).toEqual(spans.slice(0, MAX_QUOTES));
    expect(count).toBe(20);
  });
});
