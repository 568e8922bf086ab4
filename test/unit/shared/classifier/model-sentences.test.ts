import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractFeatures, SYMBOL } from '../../../../shared/classifier/model-features.js';
import { Sentences } from '../../../../shared/classifier/model-sentences.js';
import { type NormalizedText, normalizeForMatching } from '../../../../shared/classifier/normalize.js';

/**
 * Pieces texts are made of here: what the folding keeps, drops (separators, marks, symbols, emoji)
 * and rewrites (full width, traditional, lookalikes), sentence ends in both scripts, a full stop
 * before a space and inside a word, and halves of surrogate pairs.
 */
const PIECES = [
  '赌',
  '博',
  '加',
  '微信',
  '賭',
  'ｃａｓｉｎｏ',
  'free',
  ' ',
  '.',
  '. ',
  '3.5',
  'c.a.s.i.n.o',
  '。',
  '！',
  '？',
  '；',
  '…',
  '!',
  '?',
  ';',
  '\n',
  '\r\n',
  '，',
  '*',
  '\u200b',
  '\u0301',
  'é',
  '🎲',
  '🔫',
  '💊',
  '👍🏽',
  '→',
  '★',
  '✅',
  '①',
  '\ud83c',
  '\udfb2',
  '\ufffe',
  '\u202e',
  '\u200f',
  '300',
];
const texts = fc
  .array(fc.constantFrom(...PIECES), { maxLength: 40 })
  .map((pieces) => JSON.parse(JSON.stringify(pieces.join(''))) as string);

/** Each gap the folding left between two units of `folded` (and before the first, after the last), scanned in full. */
function gaps(original: string, folded: NormalizedText): { unit: number; from: number; to: number }[] {
  const list: { unit: number; from: number; to: number }[] = [];
  let cursor = 0;
  const n = folded.text.length;
  for (let unit = 0; unit <= n; unit++) {
    const to = unit < n ? (folded.starts[unit] as number) : original.length;
    list.push({ unit, from: cursor, to });
    if (unit < n) cursor = Math.max(cursor, folded.ends[unit] as number);
  }
  return list;
}

describe('what the folding dropped between units', () => {
  it('lies between units whose spans of the original text are in order and never overlap', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const folded = normalizeForMatching(text);
        for (let unit = 0; unit < folded.text.length; unit++) {
          expect(folded.starts[unit]).toBeLessThan(folded.ends[unit] as number);
          if (unit > 0) expect(folded.ends[unit - 1]).toBeLessThanOrEqual(folded.starts[unit] as number);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('splits sentences exactly where a dropped gap holds a sentence end', () => {
    const ends = new Set(['。', '！', '？', '；', '…', '!', '?', ';', '\n', '\r']);
    fc.assert(
      fc.property(texts, (text) => {
        const folded = normalizeForMatching(text);
        const length = Math.max(folded.text.length, 1);
        const expected = [0];
        for (const { unit, from, to } of gaps(text, folded)) {
          if (unit === 0 || unit >= length) continue;
          for (let p = from; p < to; p++) {
            const char = text.charAt(p);
            if (ends.has(char) || (char === '.' && /\s/.test(text.charAt(p + 1)))) {
              expected.push(unit);
              break;
            }
          }
        }
        expected.push(length);
        const sentences = new Sentences();
        sentences.split(text, folded, length);
        expect([...sentences.starts.subarray(0, sentences.count + 1)]).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('reports every arrow, symbol, dingbat and emoji in a dropped gap as the unit after it, in order', () => {
    const isSymbol = (code: number) =>
      (code >= 0x2190 && code <= 0x2bff) || (code >= 0x1f000 && code <= 0x1faff);
    fc.assert(
      fc.property(texts, (text) => {
        const folded = normalizeForMatching(text);
        const expected: [number, number, number][] = [];
        for (const { unit, from, to } of gaps(text, folded)) {
          for (let p = from; p < to; p++) {
            const code = text.codePointAt(p) as number;
            if (isSymbol(code)) expected.push([unit, code, p]);
            if (code > 0xffff) p++;
          }
        }
        const reported: [number, number, number][] = [];
        extractFeatures(text, folded, (_hash, start, end, kind, from, to) => {
          if (kind !== SYMBOL) return;
          expect(end).toBe(start);
          reported.push([start, from, to]);
        });
        expect(reported).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('finds 🎲 between two sentences, and a full stop ends a sentence only before a space', () => {
    const text = '线上开局。🎲 走起! c.a.s.i.n.o 3.5 倍. 明天';
    const folded = normalizeForMatching(text);
    const sentences = new Sentences();
    sentences.split(text, folded, folded.text.length);
    const parts = [...sentences.starts.subarray(0, sentences.count + 1)];
    const said = parts.slice(1).map((end, s) => folded.text.slice(parts[s], end));
    expect(said).toEqual(['线上开局', '走起', 'casino35倍', '明天']);
    const symbols: number[] = [];
    extractFeatures(text, folded, (_hash, start, _end, kind) => {
      if (kind === SYMBOL) symbols.push(start);
    });
    expect(symbols).toEqual([4]);
  });
});
