import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpanCover } from '../../../../shared/classifier/span-cover.js';

/** The plain answer: some span starts at or before `start` and ends at or after `end`. */
function coversByScan(pairs: readonly number[], start: number, end: number): boolean {
  for (let k = 0; k < pairs.length; k += 2) {
    if ((pairs[k] as number) <= start && (pairs[k + 1] as number) >= end) return true;
  }
  return false;
}

const span = fc.tuple(fc.nat(60), fc.nat(20)).map(([start, length]) => [start, start + length + 1] as const);

describe('SpanCover', () => {
  it('answers as a scan of every span does, for spans in any order', () => {
    fc.assert(
      fc.property(
        fc.array(span, { maxLength: 30 }),
        fc.array(span, { maxLength: 30 }),
        (spans, questions) => {
          // Prepare
          const pairs = spans.flat();

          // Act
          const cover = SpanCover.of(pairs);

          // Assess
          for (const [start, end] of questions) {
            expect(cover.covers(start, end)).toBe(coversByScan(pairs, start, end));
          }
        },
      ),
    );
  });

  it('covers a span by one that holds it exactly, or wholly, and not by two that only meet around it', () => {
    // Prepare
    const cover = SpanCover.of([0, 4, 3, 8]);

    // Act, Assess
    expect(cover.covers(0, 4)).toBe(true);
    expect(cover.covers(4, 8)).toBe(true);
    expect(cover.covers(1, 3)).toBe(true);
    expect(cover.covers(2, 6)).toBe(false);
    expect(cover.covers(3, 9)).toBe(false);
    expect(SpanCover.of([]).covers(0, 1)).toBe(false);
  });
});
