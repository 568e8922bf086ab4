import { describe, expect, it } from 'vitest';
import { lexiconEvidenceOf } from '../../../../shared/classifier/classify-text.js';
import { compileLexicon } from '../../../../shared/classifier/compile-lexicon.js';
import { defaultClassifier } from '../../../../shared/classifier/default-classifier.js';
import {
  createLexiconClassifier,
  defaultLexicon,
  defaultModel,
} from '../../../../shared/classifier/lexicon-classifier.js';
import { CONTENT_CATEGORIES, type ContentCategory } from '../../../../shared/domain/classification.js';
import { loadEvalSet } from '../../../classifier-eval/eval-set.js';

/**
 * The default classifier: the default lexicon's evidence and the learned model's, weighed together
 * by the model's fusion. What the lexicon alone finds is in lexicon-classifier.test.ts.
 */
const readLexicon = lexiconEvidenceOf(compileLexicon(defaultLexicon, undefined));
const lexiconOnly = createLexiconClassifier(defaultLexicon);

/** The categories the default classifier flags in a text. */
function flagged(text: string): ContentCategory[] {
  return defaultClassifier.classify(text).map((hit) => hit.category);
}

/** Texts where the model finds what the lexicon has no word for. */
const modelOnly = [
  "I swear I'll stab him next time he talks to me like that.",
  '我已经受够了，明天就拿汽油去他家烧了他',
  '这个差评的买家我查到了，叫李某，家住城东花园8栋，电话发群里大家轮流打给她',
  '夏日冰饮第二杯一元，仅限本周，门店和外卖同享',
];

/** An ordinary workplace notice (no category's words). */
const notice =
  '大家好，本周五下午三点在三楼会议室开季度总结会，请各部门负责人准时参加。会后请把材料发到群里。\n';

describe('defaultClassifier (lexicon and model fused)', () => {
  it('names both the lexicon and the model version', () => {
    // Act
    const version = defaultClassifier.lexiconVersion;

    // Assess
    expect(version).toBe(`${defaultLexicon.version}+${defaultModel.version}`);
    expect(version).toBe('default-lexicon-2+model-13');
  });

  it('flags on the model alone, quoting spans that occur in the text', () => {
    // Act
    const hits = modelOnly.flatMap((text) =>
      defaultClassifier
        .classify(text)
        .filter((hit) => readLexicon(text).found[CONTENT_CATEGORIES.indexOf(hit.category)] === undefined)
        .map((hit) => ({ text, hit })),
    );

    // Assess
    expect(hits.length).toBeGreaterThanOrEqual(2);
    for (const { text, hit } of hits) {
      expect(hit.matchedTerms.length).toBeGreaterThan(0);
      for (const span of hit.matchedTerms) {
        expect(text).toContain(span);
        expect(span.length).toBeGreaterThan(1);
        expect(span.length).toBeLessThanOrEqual(48);
      }
    }
  });

  it('quotes English evidence as whole words', () => {
    // Prepare
    const text = "I swear I'll stab him next time he talks to me like that.";

    // Act
    const violence = defaultClassifier.classify(text).find((hit) => hit.category === 'violence');

    // Assess
    expect(violence).toBeDefined();
    expect(violence?.matchedTerms).toContain('stab');
    for (const span of violence?.matchedTerms ?? []) {
      // Somewhere in the text with no letter either side.
      const asWord = new RegExp(`(^|[^A-Za-z])${span.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z])`);
      expect(asWord.test(text)).toBe(true);
    }
  });

  it('does not flag a warning against fake orders, while it flags a recruitment for them', () => {
    // Prepare
    const warning = '谨防刷单诈骗，我们从不刷单';
    const recruitment = '招刷单员，日结';

    // Act
    const warned = flagged(warning);
    const recruited = flagged(recruitment);

    // Assess
    expect(readLexicon(warning).distanced).toBe(true);
    expect(lexiconOnly.classify(warning).map((hit) => hit.category)).toContain('fake-order-content');
    expect(warned).not.toContain('fake-order-content');
    expect(readLexicon(recruitment).distanced).toBe(false);
    expect(recruited).toContain('fake-order-content');
  });

  it('lets a strong lexicon hit stand in a short text the model knows little of', () => {
    // Act
    const found = ['百家乐', '线上百家乐，天天开局', '招刷单员，日结'].map(flagged);

    // Assess
    expect(found).toEqual([['gambling'], ['gambling'], ['fake-order-content']]);
  });

  it('finds a violating sentence at the end of a long benign text', () => {
    // Act
    const found = flagged(`${notice.repeat(5)}线上百家乐，天天开局。\n`);

    // Assess
    expect(found).toContain('gambling');
  });

  it('finds a violating sentence at the start of a long benign text', () => {
    // Prepare
    const text = `线上百家乐，天天开局。\n${notice.repeat(5)}`;
    expect(lexiconOnly.classify(text).map((hit) => hit.category)).toContain('gambling');

    // Act
    const found = flagged(text);

    // Assess
    expect(found).toContain('gambling');
  });

  it('lets a strong lexicon hit stand beside one ordinary sentence', () => {
    // Act
    const found = flagged(`线上百家乐，天天开局。\n${notice}`);

    // Assess
    expect(found).toContain('gambling');
  });

  it('scores every hit at 1 or more, with evidence', () => {
    // Prepare
    const texts = [
      ...modelOnly,
      '谨防刷单诈骗，我们从不刷单',
      '招刷单员，日结',
      'Join our online casino tonight 🎲',
      ...loadEvalSet('curated').map((record) => record.text),
    ];

    // Act
    const hits = texts.flatMap((text) => defaultClassifier.classify(text));

    // Assess
    expect(hits.length).toBeGreaterThan(100);
    expect(hits.filter((hit) => !(hit.score >= 1) || hit.matchedTerms.length === 0)).toEqual([]);
  });
});
