import { describe, expect, it } from 'vitest';
import { defaultClassifier } from '../../../../shared/classifier/default-classifier.js';
import { createLexiconClassifier, defaultLexicon } from '../../../../shared/classifier/lexicon-classifier.js';
import type { Classifier } from '../../../../shared/domain/classification.js';

describe.each([
  ['the default lexicon alone', createLexiconClassifier(defaultLexicon)],
  ['defaultClassifier (lexicon and model)', defaultClassifier],
] as [string, Classifier][])('%s on hostile and long text', (_name, classifier) => {
  /**
   * A hang guard, not a timing assertion: the crafted texts are large enough that a quadratic step
   * would take minutes, where the linear classifier takes well under a second.
   */
  const HANG_GUARD_MS = 20_000;
  /** The most a callback can carry (CONTRACT §3), so the most text one message can have. */
  const CALLBACK_LIMIT = 256 * 1024;
  const classify = (text: string) => classifier.classify(text);
  const categoriesOf = (text: string) => classify(text).map((hit) => hit.category);

  /** Ordinary business text (no term of any category) repeated to `units` UTF-16 units. */
  function benign(units: number): string {
    const sentence = '您好，订单已发货，请注意查收。Thanks for your order, it ships tomorrow. ';
    return sentence.repeat(Math.ceil(units / sentence.length)).slice(0, units);
  }

  it(
    'weighs many occurrences of a term against many occurrences of its exceptions in linear time',
    () => {
      // Prepare: each occurrence of 刷单 was once checked against every occurrence of 拒绝刷单.
      // A million units, beyond any callback, so that a quadratic step cannot pass the guard.
      const text = '刷单'.repeat(250_000) + '拒绝刷单'.repeat(125_000);

      // Act
      const hits = classify(text);

      // Assess: as the same pattern a few hundred units long is judged (windows of 刷单 alone,
      // then of its exceptions). The lexicon finds the term outside its exceptions; the fused
      // classifier weighs that bare word with what the model reads in its best window.
      const small = classify('刷单'.repeat(100) + '拒绝刷单'.repeat(50));
      expect(hits.map((hit) => hit.category)).toEqual(small.map((hit) => hit.category));
      expect(hits.map((hit) => hit.matchedTerms)).toEqual(small.map((hit) => hit.matchedTerms));
      if (classifier !== defaultClassifier)
        expect(hits.map((hit) => hit.category)).toEqual(['fake-order-content']);
      for (const hit of hits) expect(hit.matchedTerms).toEqual(['刷单']);
      expect(classify('拒绝刷单'.repeat(250_000))).toEqual([]);
    },
    HANG_GUARD_MS,
  );

  it(
    'classifies all of a message as large as a callback: terms and links in its tail are found',
    () => {
      // Prepare
      const tails = [
        '转发朋友圈集赞30个，免费领取礼品',
        'Your account is locked, log in at http://paypa1-login.xyz/verify within 24 hours',
        '网上赌场，百家乐，稳赚不赔',
      ];
      // Cut anywhere, then ended as a sentence, so that the tail's first word stands alone.
      const padding = `${benign(CALLBACK_LIMIT - 200)}\n`;

      // Act
      const padded = tails.map((tail) => classify(padding + tail));

      // Assess
      expect(categoriesOf(padding)).toEqual([]);
      // Every hit of the tail alone, with its evidence, is found after the padding too (the model
      // may weigh the tail with the sentences before it, so a category can be added, not lost).
      tails.forEach((tail, index) => {
        for (const hit of classify(tail)) {
          const found = padded[index]?.find((candidate) => candidate.category === hit.category);
          expect(found?.matchedTerms).toEqual(expect.arrayContaining([...hit.matchedTerms]));
        }
      });
      if (classifier !== defaultClassifier) expect(padded).toEqual(tails.map((tail) => classify(tail)));
    },
    HANG_GUARD_MS,
  );

  it(
    'classifies crafted texts as large as a callback without a hang',
    () => {
      // Prepare: what is pathological for regular expressions, for the folding and for the scan.
      const size = CALLBACK_LIMIT;
      const fill = (unit: string) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
      const texts = [
        `1.1.1.1/${fill('.')}x`,
        `see example.top/${fill("),;:!?]'.")}x`,
        fill('a。'),
        fill('a[.]'),
        fill('http://'),
        fill('http://a.'),
        fill('赌'),
        fill('c4s1n0'),
        `a${fill('1')}b`,
        `a${fill('@1$')}!`,
        `a${fill('\u0301')}`,
        Array.from({ length: size / 2 }, (_, k) => String.fromCodePoint(0x20000 + k)).join(''),
      ];

      // Act
      const results = texts.map((text) => classify(text));

      // Assess: done, and nothing fired on noise without a term (a link alone is not a threat).
      expect(results.map((hits) => hits.length)).toEqual(texts.map(() => 0));
    },
    HANG_GUARD_MS,
  );
  it(
    'reads odd characters without a throw, quoting only what the text holds, each quote short',
    () => {
      // Prepare: noncharacters, bidi controls, lone surrogates, emoji runs and one endless word,
      // beside a term, so that evidence has to be cut out of them.
      const texts = [
        '\uFFFE赌\uFFFF博\uFFFE',
        '\u202E网上赌场\u202C，\u2066百家乐\u2069包赢',
        '\uD800赌场\uDC00百家乐\uD83C',
        `${'🎲'.repeat(20_000)}赌场`,
        `casino${'x'.repeat(CALLBACK_LIMIT - 6)}`,
        `🔪${'\u0301'.repeat(1000)}砍死你`,
      ];

      // Act
      const results = texts.map((text) => classify(text));

      // Assess
      results.forEach((hits, index) => {
        for (const hit of hits) {
          expect(hit.score).toBeGreaterThanOrEqual(1);
          for (const term of hit.matchedTerms) {
            expect(texts[index]).toContain(term);
            expect(term.length).toBeLessThanOrEqual(1100);
          }
        }
      });
      expect(results[1]?.map((hit) => hit.category)).toContain('gambling');
    },
    HANG_GUARD_MS,
  );
});
