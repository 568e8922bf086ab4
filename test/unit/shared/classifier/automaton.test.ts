import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PatternAutomaton } from '../../../../shared/classifier/automaton.js';

/** Every occurrence of every pattern, by indexOf from each position: `pattern@end`, sorted. */
function oracle(patterns: readonly string[], text: string): string[] {
  const found: string[] = [];
  patterns.forEach((pattern, index) => {
    for (let at = text.indexOf(pattern); at !== -1; at = text.indexOf(pattern, at + 1)) {
      found.push(`${index}@${at + pattern.length}`);
    }
  });
  return found.sort();
}

/** What scan reports, in its order. */
function scanned(automaton: PatternAutomaton, text: string): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  automaton.scan(text, (pattern, end) => found.push([pattern, end]));
  return found;
}

function scannedSorted(automaton: PatternAutomaton, text: string): string[] {
  return scanned(automaton, text)
    .map(([pattern, end]) => `${pattern}@${end}`)
    .sort();
}

/** Strings over a few characters, so that patterns overlap and repeat. */
const ALPHABETS = ['ab', 'abc', 'aab', '赌博彩', 'ab赌\u{1f3b2}', 'a\ud83d\ude00\ud83d\ude01', 'xyz012'];

/** Any UTF-16 code unit, lone surrogates included, and some frequent ones. */
const anyCodeUnit = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)),
  fc.constantFrom('a', 'b', '赌', '\ud83c', '\udfb2'),
);

const alphabetCase = fc.constantFrom(...ALPHABETS).chain((alphabet) => {
  const units = alphabet.split(''); // code units: surrogate halves on their own too
  const word = (min: number, max: number) =>
    fc.array(fc.constantFrom(...units), { minLength: min, maxLength: max }).map((chars) => chars.join(''));
  return fc.record({
    patterns: fc.array(word(1, 6), { minLength: 1, maxLength: 12 }),
    text: word(0, 60),
  });
});

describe('PatternAutomaton against indexOf', () => {
  it('reports every occurrence, overlapping ones too, on small alphabets', () => {
    fc.assert(
      fc.property(alphabetCase, ({ patterns, text }) => {
        const automaton = PatternAutomaton.build(patterns);
        expect(scannedSorted(automaton, text)).toEqual(oracle(patterns, text));
        expect(automaton.test(text)).toBe(oracle(patterns, text).length > 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('finds patterns that are prefixes and suffixes of one another', () => {
    fc.assert(
      fc.property(alphabetCase, ({ patterns, text }) => {
        // Every prefix and suffix of every pattern is a pattern too (with duplicates).
        const all = patterns.flatMap((pattern) =>
          [...Array(pattern.length).keys()].flatMap((k) => [pattern.slice(0, k + 1), pattern.slice(k)]),
        );
        const automaton = PatternAutomaton.build(all);
        expect(scannedSorted(automaton, text)).toEqual(oracle(all, text));
      }),
      { numRuns: 500 },
    );
  });

  it('finds patterns in texts that contain them, with any code units around', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: anyCodeUnit, minLength: 1, maxLength: 8 }), {
          minLength: 1,
          maxLength: 20,
        }),
        fc.array(fc.string({ unit: anyCodeUnit, maxLength: 10 }), { maxLength: 5 }),
        fc.nat(),
        (patterns, fillers, pick) => {
          const planted = patterns[pick % patterns.length] as string;
          const text = [...fillers, planted].join('');
          const automaton = PatternAutomaton.build(patterns);
          const expected = oracle(patterns, text);
          expect(expected.length).toBeGreaterThan(0);
          expect(scannedSorted(automaton, text)).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reports in order of end, and at one end the longest pattern first', () => {
    fc.assert(
      fc.property(alphabetCase, ({ patterns, text }) => {
        const automaton = PatternAutomaton.build(patterns);
        const found = scanned(automaton, text);
        for (let k = 1; k < found.length; k++) {
          const [previous, previousEnd] = found[k - 1] as [number, number];
          const [pattern, end] = found[k] as [number, number];
          expect(end).toBeGreaterThanOrEqual(previousEnd);
          if (end === previousEnd) {
            expect(automaton.patternLength(pattern)).toBeLessThanOrEqual(automaton.patternLength(previous));
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('PatternAutomaton', () => {
  it('scans the same from its tables (the classifier image) as built', () => {
    fc.assert(
      fc.property(alphabetCase, ({ patterns, text }) => {
        const built = PatternAutomaton.build(patterns);
        const parts = built.parts();
        const copied = PatternAutomaton.fromParts({
          ...parts,
          records: parts.records.slice(),
          nextOutput: parts.nextOutput.slice(),
          pattern: parts.pattern.slice(),
        });
        expect(scanned(copied, text)).toEqual(scanned(built, text));
        expect(copied.patternCount).toBe(patterns.length);
      }),
      { numRuns: 500 },
    );
  });

  it('reads a text through a map of its units as it reads the text rewritten through that map', () => {
    // A map that sends some units of the alphabets to others (as soundUnit sends characters that sound alike to one unit).
    const unitOf = (unit: number): number => (unit === 0x62 ? 0x61 : unit === 0x535a ? 0x8d4c : unit);
    const rewritten = (text: string) =>
      String.fromCharCode(...Array.from({ length: text.length }, (_, i) => unitOf(text.charCodeAt(i))));
    fc.assert(
      fc.property(alphabetCase, ({ patterns, text }) => {
        const built = PatternAutomaton.build(patterns);
        const mapped = built.readingUnitsAs(unitOf);
        expect(scanned(mapped, text)).toEqual(scanned(built, rewritten(text)));
        expect(mapped.patternCount).toBe(built.patternCount);
      }),
      { numRuns: 500 },
    );
    // 'b' reads as 'a': the pattern "aa" occurs in "ab", and "b" nowhere.
    const automaton = PatternAutomaton.build(['aa', 'b']).readingUnitsAs(unitOf);
    expect(scanned(automaton, 'ab')).toEqual([[0, 2]]);
  });

  it('refuses tables of inconsistent sizes', () => {
    const parts = PatternAutomaton.build(['he', 'she']).parts();
    expect(() => PatternAutomaton.fromParts({ ...parts, records: parts.records.subarray(1) })).toThrow(
      RangeError,
    );
    expect(() => PatternAutomaton.fromParts({ ...parts, lengths: parts.lengths.subarray(1) })).toThrow(
      RangeError,
    );
    expect(() => PatternAutomaton.fromParts({ ...parts, symbols: parts.symbols.subarray(1) })).toThrow(
      RangeError,
    );
  });

  it('finds he, she, his, hers in ushers', () => {
    const automaton = PatternAutomaton.build(['he', 'she', 'his', 'hers']);
    expect(scanned(automaton, 'ushers')).toEqual([
      [1, 4],
      [0, 4],
      [3, 6],
    ]);
    expect(automaton.stateCount).toBe(10);
    expect(automaton.patternCount).toBe(4);
    expect(automaton.patternLength(3)).toBe(4);
  });

  it('finds nothing in an empty text, or in one with none of the patterns characters', () => {
    const automaton = PatternAutomaton.build(['赌博', 'casino']);
    expect(scanned(automaton, '')).toEqual([]);
    expect(scanned(automaton, '今天天气很好 nothing here')).toEqual([]);
    expect(automaton.test('')).toBe(false);
  });

  it('starts again after a character in no pattern', () => {
    const automaton = PatternAutomaton.build(['abc']);
    expect(scanned(automaton, 'ab-c abc')).toEqual([[0, 8]]);
  });

  it('reports each of equal patterns', () => {
    const automaton = PatternAutomaton.build(['赌博', '赌博', '博']);
    expect(scanned(automaton, '网上赌博')).toEqual([
      [0, 4],
      [1, 4],
      [2, 4],
    ]);
  });

  it('matches surrogate pairs unit by unit, halves included', () => {
    const automaton = PatternAutomaton.build(['\u{1f3b2}', '\ude00', 'a\u{1f600}']);
    expect(scanned(automaton, 'xa\u{1f600}\u{1f3b2}')).toEqual([
      [2, 4],
      [1, 4],
      [0, 6],
    ]);
  });

  it('refuses an empty pattern and answers for the patterns it has', () => {
    expect(() => PatternAutomaton.build(['a', ''])).toThrow(RangeError);
    const automaton = PatternAutomaton.build(['a']);
    expect(() => automaton.patternLength(1)).toThrow(RangeError);
  });

  it('builds with no patterns at all', () => {
    const automaton = PatternAutomaton.build([]);
    expect(scanned(automaton, 'anything')).toEqual([]);
    expect(automaton.stateCount).toBe(1);
  });

  it('holds 10,000 terms in typed arrays of a few hundred bytes a term at most', () => {
    let seed = 42;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    const terms = new Set<string>();
    while (terms.size < 10_000) {
      const length = 2 + (next() % 5);
      let term = '';
      for (let k = 0; k < length; k++) {
        term +=
          next() % 2
            ? String.fromCharCode(0x4e00 + (next() % 3000))
            : String.fromCharCode(97 + (next() % 26));
      }
      terms.add(term);
    }
    const patterns = [...terms];
    const automaton = PatternAutomaton.build(patterns);
    expect(automaton.memoryBytes).toBeLessThan(patterns.length * 300);
    const text = `${patterns[17]}${patterns[4242]}`;
    const found = scanned(automaton, text).map(([pattern]) => pattern);
    expect(found).toContain(17);
    expect(found).toContain(4242);
  });
});
