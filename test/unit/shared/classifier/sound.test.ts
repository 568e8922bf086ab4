import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  FIRST,
  LAST,
  PINYIN_TABLE_PATH,
  pinyinProVersion,
  readingOf,
  renderPinyinTable,
} from '../../../../scripts/build-pinyin-table.js';
import type { Lexicon, LexiconCategory } from '../../../../shared/classifier/lexicon.js';
import { createLexiconClassifier } from '../../../../shared/classifier/lexicon-classifier.js';
import pinyinTable from '../../../../shared/classifier/pinyin-table.json' with { type: 'json' };
import { allChinese, hasChinese, soundText, spelledInPinyin } from '../../../../shared/classifier/sound.js';
import { CONTENT_CATEGORIES, type ContentCategory } from '../../../../shared/domain/classification.js';

/**
 * A small lexicon: gambling has a strong term 赌博 (spelt dubo) with an exception 赌博罪 (dubozui),
 * and two weak terms that fire only together; violence has the strong term 捅你.
 */
function smallLexicon(): Lexicon {
  const empty: LexiconCategory = { threshold: 1, terms: [], exceptions: [] };
  const categories = Object.fromEntries(CONTENT_CATEGORIES.map((category) => [category, empty])) as Record<
    ContentCategory,
    LexiconCategory
  >;
  return {
    version: 'sound-test-1',
    categories: {
      ...categories,
      gambling: {
        threshold: 1,
        terms: [
          { term: '赌博', weight: 1 },
          { term: '扑克', weight: 0.5 },
          { term: '筹码', weight: 0.5 },
        ],
        exceptions: ['赌博罪'],
      },
      violence: { threshold: 1, terms: [{ term: '捅你', weight: 1 }], exceptions: [] },
    },
  };
}

const classifier = createLexiconClassifier(smallLexicon());

/** The categories the small lexicon flags in a text. */
function flagged(text: string): ContentCategory[] {
  return classifier.classify(text).map((hit) => hit.category);
}

describe('pinyin-table.json', () => {
  it('was generated from the installed pinyin-pro, by the script as it stands', () => {
    // Act
    const rendered = renderPinyinTable();

    // Assess
    expect(pinyinTable.source).toContain('pinyin-pro');
    expect(pinyinTable.version).toBe(pinyinProVersion());
    expect(pinyinTable.generatedBy).toBe('scripts/build-pinyin-table.ts');
    expect(JSON.parse(rendered)).toEqual(pinyinTable);
  });

  it('is byte for byte what `npm run pinyin-table -- --check` expects', () => {
    // Act
    const rendered = renderPinyinTable();

    // Assess
    expect(readFileSync(PINYIN_TABLE_PATH, 'utf8')).toBe(rendered);
  });

  it('covers every CJK unified ideograph U+4E00–U+9FFF, one unit each', () => {
    // Act
    const covered = pinyinTable.sounds.length;
    const withoutReading = Array.from(pinyinTable.sounds).filter((unit) => unit.charCodeAt(0) === 0x100);

    // Assess
    expect(pinyinTable.first).toBe(FIRST);
    expect(FIRST).toBe(0x4e00);
    expect(LAST).toBe(0x9fff);
    expect(covered).toBe(LAST - FIRST + 1);
    expect(pinyinTable.syllables[0]).toBe('');
    expect(pinyinTable.syllables).toEqual([...pinyinTable.syllables].sort());
    expect(withoutReading.length).toBeLessThan(covered / 100);
  });

  it("gives each character pinyin-pro's most common reading, without its tone", () => {
    // Act
    const readings = ['赌', '博', '行', '乐', '绿'].map(readingOf);

    // Assess
    expect(readings).toEqual(['du', 'bo', 'xing', 'le', 'lv']);
    expect(spelledInPinyin('赌博行乐绿')).toBe('duboxinglelv');
  });
});

describe('soundText', () => {
  it('keeps the length, and makes homophones equal', () => {
    // Prepare
    const texts = ['赌博', '堵博', '赌搏', '独播', '来赌博casino吧'];

    // Act
    const heard = texts.map(soundText);

    // Assess
    expect(heard.map((sound) => sound.length)).toEqual(texts.map((text) => text.length));
    expect(heard[1]).toBe(heard[0]);
    expect(heard[2]).toBe(heard[0]);
    expect(heard[3]).toBe(heard[0]);
    expect(soundText('诈骗')).not.toBe(heard[0]);
    expect(heard[4]?.slice(3, 9)).toBe('casino');
  });

  it('leaves a text with no Chinese as it is', () => {
    // Act
    const heard = soundText('casino 123 🎲');

    // Assess
    expect(heard).toBe('casino 123 🎲');
  });
});

describe('spelledInPinyin, allChinese, hasChinese', () => {
  it('spells a Chinese term in toneless pinyin, syllables run together', () => {
    // Act
    const spelled = ['赌博', '诈骗', '赌博罪'].map(spelledInPinyin);

    // Assess
    expect(spelled).toEqual(['dubo', 'zhapian', 'dubozui']);
  });

  it('tells all-Chinese text from text with some Chinese, and from none', () => {
    // Assess
    expect(allChinese('赌博')).toBe(true);
    expect(allChinese('赌博x')).toBe(false);
    expect(allChinese('')).toBe(false);
    expect(hasChinese('play 赌博')).toBe(true);
    expect(hasChinese('casino 🎲')).toBe(false);
  });
});

describe('Chinese terms heard by their sound (createLexiconClassifier)', () => {
  it('fires on the term, and on a homophone sharing a character in place', () => {
    // Act
    const direct = flagged('今晚一起赌博');
    const homophones = ['今晚一起堵博', '今晚一起赌搏', '我要捅你', '我要通你'].map(flagged);

    // Assess
    expect(direct).toEqual(['gambling']);
    expect(homophones).toEqual([['gambling'], ['gambling'], ['violence'], ['violence']]);
  });

  it('quotes a homophone as the text writes it', () => {
    // Act
    const hits = classifier.classify('今晚一起堵博');

    // Assess
    expect(hits).toEqual([{ category: 'gambling', score: 1, matchedTerms: ['堵博'] }]);
  });

  it('does not fire on a homophone sharing no character with the term', () => {
    // Act
    const found = flagged('这部剧是独播的');

    // Assess
    expect(found).toEqual([]);
  });

  it('does not hear a homophone across a separator', () => {
    // Act
    const found = ['跟他沟通”，你看呢', '路被堵，博物馆去不了'].map(flagged);

    // Assess
    expect(found).toEqual([[], []]);
  });

  it('gives a weak term neither a pinyin spelling nor homophones', () => {
    // Prepare: the two weak terms fire together as written.
    expect(flagged('扑克和筹码都带上')).toEqual(['gambling']);

    // Act
    const found = ['puke and chouma', 'pu ke chou ma', '扑课和筹马都带上', '扑克和筹马都带上'].map(flagged);

    // Assess
    expect(found).toEqual([[], [], [], []]);
  });

  it('matches a strong term spelt in pinyin as a whole word only', () => {
    // Act
    const whole = ['lai dubo ba', 'du bo', 'DUBO!', 'd.u.b.o'].map(flagged);
    const inside = ['xdubox', 'dubox', 'xdubo', 'dubozhang'].map(flagged);

    // Assess
    expect(whole).toEqual([['gambling'], ['gambling'], ['gambling'], ['gambling']]);
    expect(inside).toEqual([[], [], [], []]);
  });

  it('lets an exception spelt in pinyin still neutralise the term', () => {
    // Act
    const excepted = ['du bo zui', 'dubo zui', '赌博罪'].map(flagged);
    const notExcepted = flagged('du bo zuihao');

    // Assess
    expect(excepted).toEqual([[], [], []]);
    expect(notExcepted).toEqual(['gambling']);
  });
});
