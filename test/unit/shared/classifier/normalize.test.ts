import fc from 'fast-check';
import * as OpenCC from 'opencc-js';
import { describe, expect, it } from 'vitest';
import { PatternAutomaton } from '../../../../shared/classifier/automaton.js';
import {
  DIGIT,
  LETTER,
  type NormalizedText,
  normalizeForMatching,
  normalizePattern,
  SEPARATED,
} from '../../../../shared/classifier/normalize.js';
import {
  isWordBoundary,
  matchesWholeWords,
  originalSpan,
} from '../../../../shared/classifier/word-boundary.js';

/** The original text of every whole-word occurrence of `term` in `text`, as evidence would quote it. */
function evidence(text: string, term: string): string[] {
  const normalized = normalizeForMatching(text);
  const pattern = normalizePattern(term);
  const found: string[] = [];
  PatternAutomaton.build([pattern.text]).scan(normalized.text, (_, end) => {
    const start = end - pattern.text.length;
    if (!matchesWholeWords(normalized, pattern, start, end)) return;
    const [from, to] = originalSpan(normalized, start, end);
    found.push(text.slice(from, to));
  });
  return found;
}

function spans(normalized: NormalizedText): Array<[number, number]> {
  return [...normalized.starts].map((start, k) => [start, normalized.ends[k] as number]);
}

describe('normalizeForMatching: folding', () => {
  it.each([
    ['ＣＡＳＩＮＯ', 'casino'],
    ['CaSiNo', 'casino'],
    ['賭博', '赌博'],
    ['網上賭博', '网上赌博'],
    ['赌*博', '赌博'],
    ['赌 博', '赌博'],
    ['赌.博', '赌博'],
    ['赌🎲博', '赌博'],
    ['赌\u200b博', '赌博'],
    ['赌\u200c\u200d\u2060\ufeff\u00ad博', '赌博'],
    ['c-a-s-i-n-o', 'casino'],
    ['c.a.s.i.n.o', 'casino'],
    ['c\u200ba\u200bsino', 'casino'],
    ['c＠sino', 'casino'],
    ['ca$ino', 'casino'],
    ['\u0441\u0430sin\u043e', 'casino'], // Cyrillic с, а, о
    ['\u0421\u0410SIN\u041e', 'casino'], // capitals
    ['\u03b1\u03bf', 'ao'], // Greek α, ο
    ['𝐜𝐚𝐬𝐢𝐧𝐨', 'casino'], // mathematical bold
    ['ⓒⓐⓢⓘⓝⓞ', 'casino'],
    ['café', 'cafe'],
    ['cafe\u0301', 'cafe'],
    ['c4sino', 'casino'],
    ['v1agra', 'viagra'],
    ['wh0lesale', 'wholesale'],
    ['he11o', 'heiio'],
    ['100元', '100元'],
    ['１００元', '100元'],
    ['13812345678', '13812345678'],
    ['138 1234 5678', '13812345678'],
    ['US$100', 'us100'],
    ['4sale', '4sale'],
    ['mp3', 'mp3'],
    ['covid19', 'covid19'],
    ['rtx4090ti', 'rtx4090ti'],
    ['fr33', 'fr33'],
    ['user@example.com', 'useraexamplecom'], // @ inside a word; "user" and "example" still match whole
    ['@user', 'user'],
    ['user@ 1', 'user1'],
    ['$$$', ''],
    ['㈱', '株'],
    ['薴麻', '苎麻'], // the table's one chain, 薴 → 苧 → 苎, followed to its end
    ['', ''],
  ])('%j folds to %j', (text, folded) => {
    expect(normalizeForMatching(text).text).toBe(folded);
  });

  it.each([
    ['活著太累', '活着太累'],
    ['鉅惠', '巨惠'],
    ['钜惠', '巨惠'],
    ['暱稱', '昵称'],
  ])('folds %j, which the table cannot join to its simplified form, to %j', (text, folded) => {
    expect(normalizeForMatching(text).text).toBe(folded);
  });

  it('folds every CJK unified ideograph as its Taiwan and Hong Kong spellings fold', () => {
    const converters = [
      OpenCC.Converter({ from: 'cn', to: 'tw' }),
      OpenCC.Converter({ from: 'cn', to: 'hk' }),
    ];
    const apart: string[] = [];
    for (let code = 0x4e00; code <= 0x9fff; code++) {
      const character = String.fromCharCode(code);
      const folded = normalizeForMatching(character).text;
      for (const convert of converters) {
        const traditional = convert(character);
        if (normalizeForMatching(traditional).text !== folded) apart.push(`${character} ${traditional}`);
      }
      if (normalizeForMatching(folded).text !== folded)
        apart.push(`${character} is not folded to a fixed point`);
    }
    expect(apart).toEqual([]);
  });

  it('keeps for each unit the span of the original it came from', () => {
    expect(spans(normalizeForMatching('ＣＡＳＩＮＯ'))).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5],
      [5, 6],
    ]);
    expect(spans(normalizeForMatching('赌 *博'))).toEqual([
      [0, 1],
      [3, 4],
    ]);
    expect(spans(normalizeForMatching('赌\u200b博'))).toEqual([
      [0, 1],
      [2, 3],
    ]);
    // Surrogate pairs: each unit of a folded astral letter spans the pair.
    expect(spans(normalizeForMatching('𝐜𝐚'))).toEqual([
      [0, 2],
      [2, 4],
    ]);
    // A combining mark joins the span of the letter before it.
    expect(spans(normalizeForMatching('e\u0301\u0302x'))).toEqual([
      [0, 3],
      [3, 4],
    ]);
    // One character folding to several units: each has the character's span.
    expect(spans(normalizeForMatching('ﬁx'))).toEqual([
      [0, 1],
      [0, 1],
      [1, 2],
    ]);
  });

  it('flags letters, digits and dropped separators', () => {
    const { flags } = normalizeForMatching('ab 1赌 c4d');
    expect([...flags]).toEqual([
      LETTER,
      LETTER,
      DIGIT | SEPARATED,
      0,
      LETTER | SEPARATED,
      LETTER | SEPARATED, // a folded lookalike may be a word break
      LETTER | SEPARATED, // and so the letter after it
    ]);
    // A zero-width character is no separator.
    expect([...normalizeForMatching('a\u200bb').flags]).toEqual([LETTER, LETTER]);
  });
});

describe('evidence: the original span of each match', () => {
  it.each([
    ['快来ＣＡＳＩＮＯ玩', 'casino', ['ＣＡＳＩＮＯ']],
    ['网上賭博平台', '赌博', ['賭博']],
    ['赌*博', '赌博', ['赌*博']],
    ['赌 博', '赌博', ['赌 博']],
    ['赌.博', '赌博', ['赌.博']],
    ['赌\u200b博', '赌博', ['赌\u200b博']],
    ['play c＠sino now', 'casino', ['c＠sino']],
    ['play \u0441\u0430sin\u043e now', 'casino', ['\u0441\u0430sin\u043e']],
    ['try c.a.s.i.n.o', 'casino', ['c.a.s.i.n.o']],
    ['best c4sino', 'casino', ['c4sino']],
    ['casino888.com', 'casino', ['casino']],
    ['买casino', 'casino', ['casino']],
    ['casino@mail.com', 'casino', ['casino']],
    ['casino4u', 'casino', ['casino']],
    ['a big sale', 'sale', ['sale']],
    ['on-sale', 'sale', ['sale']],
    ['wholesale prices', 'sale', []],
    ['wh0lesale prices', 'sale', []],
    ['w.h.o.l.e.s.a.l.e', 'sale', []],
    ['c.a.s.i.n.o', 'sin', []],
    ['saleswoman', 'sale', []],
    ['free money', 'free money', ['free money']],
    ['FREE-MONEY!', 'free money', ['FREE-MONEY']],
    ['看18禁片', '18禁', ['18禁']],
    ['118禁', '18禁', []],
    ['价格100元', '100元', ['100元']],
    ['café', 'cafe', ['café']],
    ['cafe\u0301 au lait', 'café', ['cafe\u0301']],
  ])('in %j, %j is %j', (text, term, expected) => {
    expect(evidence(text, term)).toEqual(expected);
  });
});

describe('isWordBoundary', () => {
  it('is true at both ends and between letters and digits or CJK', () => {
    const normalized = normalizeForMatching('ab12赌');
    expect([0, 1, 2, 3, 4, 5].map((k) => isWordBoundary(normalized, k))).toEqual([
      true,
      false,
      true,
      false,
      true,
      true,
    ]);
  });

  it('is true at a dropped separator between words, not inside a spelled-out word', () => {
    const words = normalizeForMatching('ab cd');
    expect(isWordBoundary(words, 2)).toBe(true);
    const spelled = normalizeForMatching('a b c');
    expect([1, 2].map((k) => isWordBoundary(spelled, k))).toEqual([false, false]);
    const mixed = normalizeForMatching('a bc');
    expect(isWordBoundary(mixed, 1)).toBe(true);
  });
});

describe('normalizePattern', () => {
  it('folds a term as texts are folded and says which ends are word ends', () => {
    expect(normalizePattern('Free Money')).toEqual({ text: 'freemoney', wordStart: true, wordEnd: true });
    expect(normalizePattern('賭博')).toEqual({ text: '赌博', wordStart: false, wordEnd: false });
    expect(normalizePattern('18禁')).toEqual({ text: '18禁', wordStart: true, wordEnd: false });
    expect(normalizePattern('av女优')).toEqual({ text: 'av女优', wordStart: true, wordEnd: false });
    expect(normalizePattern('!!!')).toEqual({ text: '', wordStart: false, wordEnd: false });
  });
});

/** Text with many of the characters normalization treats specially. */
const trickyUnit = fc.oneof(
  { arbitrary: fc.constantFrom(...'aZ0134579@$ .-*赌博賭網ＣＡ１＠сaαο\u200b\u0301ﬁ㈱薴'), weight: 6 },
  { arbitrary: fc.constantFrom('\ud835\udc1c', '\ud83c\udfb2', '\ud83c', '\udfb2'), weight: 1 },
  { arbitrary: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)), weight: 2 },
);
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const trickyText = fc.string({ unit: trickyUnit, maxLength: 40 });

describe('normalizeForMatching: properties', () => {
  it('finds a term, folded alone, in any text it stands in between separators', () => {
    fc.assert(
      fc.property(trickyText, trickyText, trickyText, (before, term, after) => {
        const pattern = normalizePattern(term).text;
        expect(normalizeForMatching(`${before} ${term} ${after}`).text).toContain(pattern);
      }),
      { numRuns: 2000 },
    );
  });

  it('maps every unit to an ordered span inside the original', () => {
    fc.assert(
      fc.property(trickyText, (text) => {
        const { text: folded, starts, ends, flags } = normalizeForMatching(text);
        expect(starts.length).toBe(folded.length);
        expect(ends.length).toBe(folded.length);
        expect(flags.length).toBe(folded.length);
        for (let k = 0; k < folded.length; k++) {
          const start = starts[k] as number;
          const end = ends[k] as number;
          expect(start).toBeGreaterThanOrEqual(0);
          expect(end).toBeGreaterThan(start);
          expect(end).toBeLessThanOrEqual(text.length);
          if (k > 0) {
            expect(start).toBeGreaterThanOrEqual(starts[k - 1] as number);
            if (start > (starts[k - 1] as number))
              expect(start).toBeGreaterThanOrEqual(ends[k - 1] as number);
          }
          expect((flags[k] as number) & ~(SEPARATED | LETTER | DIGIT)).toBe(0);
        }
        // No lone surrogate in the folded text.
        expect(LONE_SURROGATE.test(folded)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('folds the same text the same way every time (lazily filled tables, reused buffers)', () => {
    fc.assert(
      fc.property(fc.array(trickyText, { minLength: 1, maxLength: 5 }), (texts) => {
        const first = texts.map((text) => normalizeForMatching(text));
        const again = texts.map((text) => normalizeForMatching(text));
        expect(again).toEqual(first);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps each result as it was while later texts are folded (results share a slab)', () => {
    const kept = normalizeForMatching('賭 *博 ＣＡＳＩＮＯ');
    const copy = { text: kept.text, starts: [...kept.starts], ends: [...kept.ends], flags: [...kept.flags] };
    // Texts of every size after it, past the slab's end many times over, one its own buffer.
    let units = 0;
    for (let i = 0; i < 3000; i++)
      units += normalizeForMatching('加薇 casino 刷单 '.repeat(1 + (i % 97))).text.length;
    units += normalizeForMatching('x'.repeat(20_000)).text.length;
    expect(units).toBeGreaterThan(1_000_000);
    expect({
      text: kept.text,
      starts: [...kept.starts],
      ends: [...kept.ends],
      flags: [...kept.flags],
    }).toEqual(copy);
    expect(copy.text).toBe('赌博casino');
    // Each result's maps are its own length, whatever they are carved from.
    const short = normalizeForMatching('ab');
    expect([short.starts.length, short.ends.length, short.flags.length]).toEqual([2, 2, 2]);
  });

  it('handles a text longer than its buffers', () => {
    const text = '賭博 ＣＡＳＩＮＯ '.repeat(20_000);
    const normalized = normalizeForMatching(text);
    expect(normalized.text).toBe('赌博casino'.repeat(20_000));
    expect(normalized.ends[normalized.ends.length - 1]).toBe(text.length - 1);
  });
});
