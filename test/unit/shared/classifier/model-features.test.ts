import { describe, expect, it } from 'vitest';
import { featureCounts } from '../../../../scripts/classifier-training.js';
import {
  extractFeatures,
  GRAM,
  hashOfKey,
  keyOf,
  PAIR,
  PREFIX,
  SYMBOL,
  WORD_FEATURE,
} from '../../../../shared/classifier/model-features.js';
import { normalizeForMatching } from '../../../../shared/classifier/normalize.js';

/** One feature occurrence as the sink reports it, with the key a model file would write for it. */
interface Occurrence {
  readonly key: string;
  readonly hash: number;
  readonly kind: number;
  readonly start: number;
  readonly end: number;
}

/** Every feature occurrence of a text, keyed as training keys them (scripts/classifier-training.ts). */
function occurrences(text: string): Occurrence[] {
  const folded = normalizeForMatching(text);
  const found: Occurrence[] = [];
  extractFeatures(text, folded, (hash, start, end, kind, from, to) => {
    found.push({ key: keyOf(kind, from, to), hash, kind, start, end });
  });
  return found;
}

/** The keys of a text, as a sorted list. */
function keysOf(text: string): string[] {
  return [...featureCounts(text).keys()].sort();
}

const varied = [
  '线上百家乐，天天开局',
  'Join our online casino tonight',
  'Free gift card 免费领取，点击 http://x.cn',
  '满300减50，满99减10，日赚500',
  '来玩🎲赢钱🔫💊 →→ 加我',
  'c.a.s.i.n.o and f r e e money',
  '赌 博、賭博，ＣＡＳＩＮＯ',
  '2026年12月4日 3.5折 v2.0',
  'Ünïcode café naïve Привет мир',
  // Noncharacters, bidi controls and a lone surrogate among words.
  'gam\ufffebling \u202ecasino\u202c 赌\u200f博 \ud800 bets',
  '',
];

describe('extractFeatures and hashOfKey', () => {
  it('gives every feature of varied texts the hash its key gives', () => {
    // Prepare
    const all = varied.flatMap(occurrences);

    // Act
    const mismatched = all.filter(({ key, hash }) => hashOfKey(key) !== hash);

    // Assess
    expect(mismatched).toEqual([]);
    expect(new Set(all.map(({ kind }) => kind))).toEqual(new Set([GRAM, WORD_FEATURE, PAIR, SYMBOL, PREFIX]));
  });

  it('reports each feature with a span of folded units inside the text', () => {
    // Prepare
    const text = 'Free gift card 免费领取🎲';
    const length = normalizeForMatching(text).text.length;

    // Act
    const outside = occurrences(text).filter(
      ({ start, end, kind }) => start < 0 || end > length || (kind !== SYMBOL && end <= start),
    );

    // Assess
    expect(outside).toEqual([]);
  });

  it('reads amounts as template slots: 满300减50 and 满99减10 share 满0, 0减 and 减0', () => {
    // Act
    const first = featureCounts('满300减50');
    const second = featureCounts('满99减10');

    // Assess
    for (const key of ['g:满0', 'g:0减', 'g:减0']) {
      expect(first.has(key)).toBe(true);
      expect(second.has(key)).toBe(true);
    }
    expect(keysOf('满300减50')).toEqual(keysOf('满99减10'));
    expect([...first.keys()].filter((key) => /[1-9]/.test(key))).toEqual([]);
  });

  it('reads a word spelt out with dots or spaces as the word', () => {
    // Act
    const dotted = featureCounts('c.a.s.i.n.o');
    const spaced = featureCounts('c a s i n o');
    const plain = featureCounts('casino');

    // Assess
    expect(dotted.has('w:casino')).toBe(true);
    expect(spaced.has('w:casino')).toBe(true);
    expect(keysOf('c.a.s.i.n.o')).toEqual(keysOf('casino'));
    expect([...plain.keys()].filter((key) => key.startsWith('w:'))).toEqual(['w:casino']);
  });

  it('keeps a Latin word apart from the Chinese beside it, and pairs adjacent words', () => {
    // Act
    const keys = featureCounts('Free gift card免费');

    // Assess
    expect(keys.has('w:free')).toBe(true);
    expect(keys.has('w:card')).toBe(true);
    expect(keys.has('p:free gift')).toBe(true);
    expect(keys.has('p:gift card')).toBe(true);
    expect(keys.has('g: 免')).toBe(true);
    expect(keys.has('g:免费')).toBe(true);
    expect(keys.has('g:d免')).toBe(false);
    expect(keys.has('w:card免费')).toBe(false);
  });

  it('reads a run of 100,000 letters as one word with one prefix, and a long Chinese run unit by unit', () => {
    // Prepare
    const latin = 'a'.repeat(100_000);
    const chinese = '赌'.repeat(100_000);

    // Act
    const letters = occurrences(latin);
    const characters = occurrences(chinese);

    // Assess: a word, its prefix; one unigram and one bigram per character.
    expect(letters.map(({ key }) => key.slice(0, 2))).toEqual(['x:', 'w:']);
    expect(letters.every(({ key, hash }) => hashOfKey(key) === hash)).toBe(true);
    expect(characters).toHaveLength(2 * 100_000 - 1);
    expect(new Set(characters.map(({ key }) => key))).toEqual(new Set(['g:赌', 'g:赌赌']));
  });

  it('reads a Latin word by the word, its prefix and its pairs, never by its letters', () => {
    // Act
    const keys = featureCounts('Gambling gambler, 加V gamble');

    // Assess: the words share their prefix (5 letters); no gram holds a letter, but the space
    // beside a word still pairs with the Chinese before it (加 before V).
    expect(keys.get('x:gambl')).toBe(3);
    expect(keys.has('w:gambling')).toBe(true);
    expect(keys.has('p:gambling gambler')).toBe(true);
    expect(keys.has('g:加 ')).toBe(true);
    expect([...keys.keys()].filter((key) => key.startsWith('g:') && /[a-z]/.test(key.slice(2)))).toEqual([]);
    expect(hashOfKey('x:gambl')).not.toBe(hashOfKey('w:gambl'));
    expect(hashOfKey('x:gam')).toBeUndefined();
  });

  it('gives a symbol or emoji the folding dropped a feature of its own', () => {
    // Prepare
    const text = '来玩🎲赢钱→';

    // Act
    const keys = featureCounts(text);

    // Assess
    expect(normalizeForMatching(text).text).toBe('来玩赢钱');
    expect(keys.has('s:🎲')).toBe(true);
    expect(keys.has('s:→')).toBe(true);
    expect(featureCounts('来玩赢钱').has('s:🎲')).toBe(false);
    expect([...featureCounts('来玩，赢钱。').keys()].filter((key) => key.startsWith('s:'))).toEqual([]);
  });

  it('counts a feature as often as it occurs', () => {
    // Act
    const keys = featureCounts('casino casino casino');

    // Assess
    expect(keys.get('w:casino')).toBe(3);
    expect(keys.get('p:casino casino')).toBe(2);
  });

  it('gives undefined for a key of no kind, or with nothing after its kind', () => {
    // Act
    const unknown = [
      'x:casino',
      'casino',
      'G:赌博',
      'g:',
      'w:',
      's:',
      'p:casino',
      'p: casino',
      'p:casino ',
      '',
    ];

    // Assess
    expect(unknown.map(hashOfKey)).toEqual(unknown.map(() => undefined));
    expect(hashOfKey('g:赌博赌')).toBeUndefined();
    expect(hashOfKey('g:赌博')).toBeTypeOf('number');
    expect(hashOfKey('s:🎲x')).toBeUndefined();
    expect(hashOfKey('s:🎲')).toBeTypeOf('number');
  });

  it('gives different kinds of one body different hashes', () => {
    // Act
    const hashes = ['g:fr', 'w:fr', 's:f', 'g:f', 'w:frees', 'x:frees'].map(hashOfKey);

    // Assess
    expect(hashes.every((hash) => typeof hash === 'number')).toBe(true);
    expect(new Set(hashes).size).toBe(6);
  });
});
