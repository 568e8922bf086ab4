import * as OpenCC from 'opencc-js';
import { describe, expect, it } from 'vitest';
import defaultLexiconJson from '../../../../shared/classifier/data/default-lexicon.json' with {
  type: 'json',
};
import { type Lexicon, type LexiconCategory, parseLexicon } from '../../../../shared/classifier/lexicon.js';
import { createLexiconClassifier, defaultLexicon } from '../../../../shared/classifier/lexicon-classifier.js';
import { CONTENT_CATEGORIES, type ContentCategory } from '../../../../shared/domain/classification.js';
import { invalidLexiconMessage } from '../../../helpers/invalid-lexicon.js';

/**
 * The default lexicon's own classifier, without the learned model: what these tests pin down is
 * the lexicon's matching (folding, exceptions, weights, evidence), which the model's fusion then
 * weighs (classifier-fusion.test.ts tests the two together).
 */
const lexiconClassifier = createLexiconClassifier(defaultLexicon);

/** The default lexicon as raw data, changed by `change`, for the validation tests. */
function rawLexicon(
  change: (raw: Record<string, unknown> & { categories: Record<string, unknown> }) => void,
) {
  const raw = structuredClone(defaultLexiconJson) as Record<string, unknown> & {
    categories: Record<string, unknown>;
  };
  change(raw);
  return raw;
}

const positives: readonly [ContentCategory, string, string][] = [
  ['marketing', '双十一限时抢购，全场五折！', '限时抢购'],
  ['marketing', 'Flash sale this weekend, use coupon SAVE20', 'Flash sale'],
  ['inducing-sharing', '转发朋友圈集赞30个，免费领取礼品', '转发朋友圈'],
  ['inducing-sharing', 'Share to your Moments and win a gift', 'Share to your Moments'],
  ['fake-order-content', '招聘兼职刷单，好评返现', '刷单'],
  ['fake-order-content', 'We pay for fake reviews on every order', 'fake reviews'],
  ['security-threat', '您的账号异常请登录 http://x.cn 完成验证', '账号异常请登录'],
  ['security-threat', 'Your account is locked, verify your account now', 'verify your account'],
  ['infringement', '大家来人肉搜索这个人，曝光他的电话', '人肉搜索'],
  ['infringement', "Let's doxx him tonight", 'doxx'],
  ['pornography', '寂寞吗？同城约炮', '约炮'],
  ['pornography', 'Escort service available tonight', 'Escort service'],
  ['violence', '出售仿真枪，可送货上门', '仿真枪'],
  ['violence', 'Guns for sale, no questions asked', 'Guns for sale'],
  ['gambling', '线上百家乐，天天开局', '百家乐'],
  ['gambling', 'Join our online casino tonight', 'casino'],
  ['gang-terror', '招募打手，负责收保护费', '招募打手'],
  ['gang-terror', 'We offer debt collection by force', 'debt collection by force'],
  ['illegal-trade', '专业代开发票，价格优惠', '代开发票'],
  ['illegal-trade', 'We sell counterfeit money, cash on delivery', 'counterfeit money'],
  ['fraud', '投资稳赚不赔，高额回报', '稳赚不赔'],
  ['fraud', 'Guaranteed returns of 30% a month', 'Guaranteed returns'],
  ['false-information', '内部消息称明天全市停水，紧急扩散！', '内部消息称'],
  ['false-information', "Doctors hate it: share before it's deleted", "share before it's deleted"],
];

const nearMisses: readonly [ContentCategory, string][] = [
  ['marketing', '执行标准不打折扣'],
  ['marketing', 'The house is not for sale'],
  ['inducing-sharing', '请勿转发朋友圈，内部资料'],
  ['inducing-sharing', 'I saw your post on Moments yesterday'],
  ['fake-order-content', '平台严禁刷单，一经发现封号'],
  ['fake-order-content', 'Please leave an honest review if you like it'],
  ['security-threat', '周末我们去钓鱼吧'],
  ['security-threat', 'The flu virus is spreading, stay home'],
  ['infringement', '版权所有，侵权必究'],
  ['infringement', 'Please update your home address in the app'],
  ['pornography', '家政上门服务，保洁做饭'],
  ['pornography', 'Can you hook up the printer to the network?'],
  ['violence', '打死你也想不到结局'],
  ['violence', 'Call the suicide prevention hotline'],
  ['gambling', '他在赌气，不理人'],
  ['gambling', 'The odds are good that it ships today'],
  ['gang-terror', '坚决打击黑社会，扫黑除恶'],
  ['gang-terror', 'We condemn the terrorist attack'],
  ['illegal-trade', '请开一张发票给我们公司报销'],
  ['illegal-trade', '如何识别假币'],
  ['fraud', '警惕传销，保护家人'],
  ['fraud', 'Payment by wire transfer is accepted'],
  ['false-information', '辟谣：这是谣言，请勿相信'],
  ['false-information', 'Rumor has it the cafe reopens'],
];

describe("the default lexicon's classifier", () => {
  it.each(positives)('classifies a %s text: %s', (category, text, evidence) => {
    // Prepare
    const classifier = lexiconClassifier;

    // Act
    const hits = classifier.classify(text);

    // Assess
    const hit = hits.find((candidate) => candidate.category === category);
    expect(hit?.matchedTerms).toContain(evidence);
    expect(hit?.score).toBeGreaterThanOrEqual(defaultLexicon.categories[category].threshold);
  });

  it.each(nearMisses)('does not classify a benign near-miss as %s: %s', (category, text) => {
    // Prepare
    const classifier = lexiconClassifier;

    // Act
    const hits = classifier.classify(text);

    // Assess
    expect(hits.map((hit) => hit.category)).not.toContain(category);
  });

  it.each([
    '今天下午三点开会',
    'Meeting at 3pm in room 5',
    '',
  ])('finds nothing in an ordinary text: "%s"', (text) => {
    // Prepare
    const classifier = lexiconClassifier;

    // Act
    const hits = classifier.classify(text);

    // Assess
    expect(hits).toEqual([]);
  });

  it.each([
    ['spaces', '来玩赌 博', '赌 博'],
    ['a symbol', '来玩赌*博', '赌*博'],
    ['a full stop', '来玩赌.博', '赌.博'],
    ['a zero-width space', '来玩赌\u200b博', '赌\u200b博'],
    ['an emoji', '来玩赌🎲博', '赌🎲博'],
    ['full-width letters', 'Ｃａｓｉｎｏ开业', 'Ｃａｓｉｎｏ'],
    ['hyphens between letters', 'Try our C-a-s-i-n-o!', 'C-a-s-i-n-o'],
    ['mixed case', 'Try our CaSiNo!', 'CaSiNo'],
    ['traditional characters', '來玩賭場', '賭場'],
    ['Cyrillic letters that look Latin', 'Try our саsino!', 'саsino'],
    ['accents', 'Try our cásino!', 'cásino'],
    ['digits after the word', 'Try our casino888!', 'casino'],
    ['digits for letters', 'Try our c4s1no!', 'c4s1no'],
  ])('sees through %s and keeps the original span as evidence', (_evasion, text, evidence) => {
    // Prepare
    const classifier = lexiconClassifier;

    // Act
    const hits = classifier.classify(text);

    // Assess
    expect(hits).toEqual([{ category: 'gambling', score: 1, matchedTerms: [evidence] }]);
  });

  it('matches an English term only as whole words', () => {
    // Prepare
    const texts = [
      'Wholesale prices for resellers',
      "It's a lesson we learned",
      // A zero-width space inside a word does not split it: no "dox" in orthodox.
      'The ortho\u200bdox church',
    ];

    // Act
    const hits = texts.map((text) => lexiconClassifier.classify(text));

    // Assess
    expect(hits).toEqual([[], [], []]);
  });

  it('ignores a term inside an exception but counts the same term elsewhere in the text', () => {
    // Prepare
    const text = '远离赌博！但是来我们这里赌博，包赢';

    // Act
    const hits = lexiconClassifier.classify(text);

    // Assess: 赌博 counts once, from outside the exception 远离赌博
    expect(hits).toEqual([{ category: 'gambling', score: 1.6, matchedTerms: ['赌博', '包赢'] }]);
  });

  it('needs weak terms together where one strong term suffices', () => {
    // Prepare
    const oneWeak = '这场下注吗';
    const twoWeak = '这场下注吗，赔率多少';
    const oneStrong = '这场去赌场吗';

    // Act
    const weakHits = lexiconClassifier.classify(oneWeak);
    const twoWeakHits = lexiconClassifier.classify(twoWeak);
    const strongHits = lexiconClassifier.classify(oneStrong);

    // Assess
    expect(weakHits).toEqual([]);
    expect(twoWeakHits).toEqual([{ category: 'gambling', score: 1, matchedTerms: ['下注', '赔率'] }]);
    expect(strongHits).toEqual([{ category: 'gambling', score: 1, matchedTerms: ['赌场'] }]);
  });

  it('scores a term inside a longer matched term, and a repeated term, only once', () => {
    // Prepare
    const text = '限时优惠！限时优惠！';

    // Act
    const hits = lexiconClassifier.classify(text);

    // Assess
    expect(hits).toEqual([{ category: 'marketing', score: 1, matchedTerms: ['限时优惠'] }]);
  });

  it('returns hits in the order of CONTENT_CATEGORIES', () => {
    // Prepare
    const text = '来赌场玩，稳赚不赔，兼职刷单，限时优惠';

    // Act
    const hits = lexiconClassifier.classify(text);

    // Assess
    const categories = hits.map((hit) => hit.category);
    expect(categories).toEqual(['marketing', 'fake-order-content', 'gambling', 'fraud']);
    expect(categories).toEqual(CONTENT_CATEGORIES.filter((category) => categories.includes(category)));
  });

  it('is deterministic, across calls and across classifiers built from the same lexicon', () => {
    // Prepare
    const text = '转发朋友圈集赞，限时优惠，来赌场，Share to your Moments, casino';
    const rebuilt = createLexiconClassifier({ ...defaultLexicon, version: 'default-lexicon-2-rebuilt' });

    // Act
    const first = lexiconClassifier.classify(text);
    const second = lexiconClassifier.classify(text);
    const fromRebuilt = rebuilt.classify(text);

    // Assess
    expect(second).toEqual(first);
    expect(fromRebuilt).toEqual(first);
    expect(first.length).toBeGreaterThan(0);
  });

  it('names the lexicon version it was built from', () => {
    // Prepare
    const classifier = lexiconClassifier;

    // Act
    const version = classifier.lexiconVersion;

    // Assess
    expect(version).toBe('default-lexicon-2');
  });
});

describe('the default lexicon', () => {
  it.each(
    CONTENT_CATEGORIES,
  )('has %s, with at least 40 terms, 20 of them Chinese and 20 English', (category) => {
    // Prepare
    const entry = defaultLexicon.categories[category];

    // Act
    const terms = entry.terms.map((term) => term.term);

    // Assess
    expect(terms.length).toBeGreaterThanOrEqual(40);
    expect(terms.filter((term) => /\p{Script=Han}/u.test(term)).length).toBeGreaterThanOrEqual(20);
    expect(terms.filter((term) => /^[a-z0-9' .-]+$/.test(term)).length).toBeGreaterThanOrEqual(20);
    expect(entry.terms.some((term) => term.weight >= entry.threshold)).toBe(true);
  });

  it.each(
    CONTENT_CATEGORIES,
  )('matches every Chinese term of %s in traditional characters too', (category) => {
    // Prepare: the category alone, every term strong enough to fire by itself
    const entry = defaultLexicon.categories[category];
    const strict = createLexiconClassifier({
      ...defaultLexicon,
      categories: {
        ...defaultLexicon.categories,
        [category]: {
          threshold: 1,
          terms: entry.terms.map(({ term }) => ({ term, weight: 1 })),
          exceptions: [],
        },
      },
    });
    const converters = [
      OpenCC.Converter({ from: 'cn', to: 'tw' }),
      OpenCC.Converter({ from: 'cn', to: 'hk' }),
    ];
    const chinese = entry.terms.map(({ term }) => term).filter((term) => /\p{Script=Han}/u.test(term));

    // Act
    const missed = chinese.flatMap((term) =>
      converters
        .map((convert) => convert(term))
        .filter((traditional) => !strict.classify(traditional).some((hit) => hit.category === category)),
    );

    // Assess
    expect(missed).toEqual([]);
  });

  it('has no category the classifier does not know', () => {
    // Prepare
    const categories = Object.keys(defaultLexiconJson.categories);

    // Act
    const unknown = categories.filter(
      (category) => !(CONTENT_CATEGORIES as readonly string[]).includes(category),
    );

    // Assess
    expect(unknown).toEqual([]);
    expect(categories).toHaveLength(CONTENT_CATEGORIES.length);
  });
});

describe('createLexiconClassifier, built once per lexicon version and extra', () => {
  /** A small lexicon: one gambling term. */
  const tiny: Lexicon = {
    version: 'tiny-1',
    categories: Object.fromEntries(
      CONTENT_CATEGORIES.map((category): [ContentCategory, LexiconCategory] => [
        category,
        { threshold: 1, terms: category === 'gambling' ? [{ term: '赌场', weight: 1 }] : [], exceptions: [] },
      ]),
    ) as Record<ContentCategory, LexiconCategory>,
  };

  it('gives back the classifier it built for the same version and an equal extra', () => {
    // Prepare
    const extra = {
      terms: { marketing: [{ term: '薅羊毛', weight: 1 }] },
      exceptions: { gambling: ['赌场风云'] },
    };
    const reordered = {
      exceptions: { gambling: ['赌场风云'] },
      terms: { marketing: [{ weight: 1, term: '薅羊毛' }] },
    };

    // Act
    const first = createLexiconClassifier(tiny, extra);
    const again = createLexiconClassifier(structuredClone(tiny), reordered);
    const plain = createLexiconClassifier(tiny);

    // Assess
    expect(again).toBe(first);
    expect(createLexiconClassifier(structuredClone(defaultLexicon))).toBe(lexiconClassifier);
    expect(plain).not.toBe(first);
    expect(first.classify('薅羊毛')).toEqual([{ category: 'marketing', score: 1, matchedTerms: ['薅羊毛'] }]);
    expect(plain.classify('薅羊毛')).toEqual([]);
  });

  it('builds again for a lexicon of the same version with other content', () => {
    // Prepare
    const before = createLexiconClassifier(tiny);
    const changed: Lexicon = {
      ...tiny,
      categories: {
        ...tiny.categories,
        gambling: { threshold: 1, terms: [{ term: '下注', weight: 1 }], exceptions: [] },
      },
    };

    // Act
    const after = createLexiconClassifier(changed);

    // Assess
    expect(after).not.toBe(before);
    expect(after.classify('下注')).toEqual([{ category: 'gambling', score: 1, matchedTerms: ['下注'] }]);
    expect(createLexiconClassifier(tiny).classify('下注')).toEqual([]);
  });

  it('keeps a bounded number of classifiers, dropping the least recently used', () => {
    // Prepare
    const extraOf = (n: number) => ({ terms: { fraud: [{ term: `word${n}`, weight: 1 }] } });
    const first = createLexiconClassifier(tiny, extraOf(0));

    // Act: many other extras, then the first again
    for (let n = 1; n <= 100; n++) createLexiconClassifier(tiny, extraOf(n));
    const rebuilt = createLexiconClassifier(tiny, extraOf(0));

    // Assess
    expect(rebuilt).not.toBe(first);
    expect(rebuilt.classify('word0')).toEqual(first.classify('word0'));
    expect(createLexiconClassifier(tiny, extraOf(100))).toBe(createLexiconClassifier(tiny, extraOf(100)));
  });
});

describe('createLexiconClassifier with a corp extra', () => {
  it("fires on the corp's own term", () => {
    // Prepare
    const classifier = createLexiconClassifier(defaultLexicon, {
      terms: { marketing: [{ term: '薅羊毛', weight: 1 }] },
    });

    // Act
    const hits = classifier.classify('今晚一起薅 羊 毛');

    // Assess
    expect(hits).toEqual([{ category: 'marketing', score: 1, matchedTerms: ['薅 羊 毛'] }]);
    expect(lexiconClassifier.classify('今晚一起薅 羊 毛')).toEqual([]);
  });

  it("raises a lexicon term to the corp's weight when the corp gives it again", () => {
    // Prepare
    const classifier = createLexiconClassifier(defaultLexicon, {
      terms: { gambling: [{ term: '下 注', weight: 1 }] },
    });

    // Act
    const hits = classifier.classify('今晚下注吗');

    // Assess
    expect(hits).toEqual([{ category: 'gambling', score: 1, matchedTerms: ['下注'] }]);
    expect(lexiconClassifier.classify('今晚下注吗')).toEqual([]);
  });

  it("lets the lexicon's exceptions hold against the corp's terms", () => {
    // Prepare
    const classifier = createLexiconClassifier(defaultLexicon, {
      terms: { gambling: [{ term: '赌', weight: 1 }] },
    });

    // Act
    const sulking = classifier.classify('他在赌气');
    const betting = classifier.classify('他昨晚又去赌了一把');

    // Assess
    expect(sulking).toEqual([]);
    expect(betting).toEqual([{ category: 'gambling', score: 1, matchedTerms: ['赌'] }]);
  });

  it("suppresses a term inside the corp's own exception", () => {
    // Prepare
    const classifier = createLexiconClassifier(defaultLexicon, {
      exceptions: { gambling: ['赌场风云'] },
    });

    // Act
    const title = classifier.classify('今晚重温电视剧《赌场风云》');
    const casino = classifier.classify('今晚去赌场');

    // Assess
    expect(title).toEqual([]);
    expect(casino).toEqual([{ category: 'gambling', score: 1, matchedTerms: ['赌场'] }]);
  });

  it('refuses a combination naming a group neither the lexicon nor the extra has', () => {
    // Prepare
    const extra = { combinations: { fraud: [{ all: ['lure', 'ours'], weight: 1 }] } };

    // Act
    const message = invalidLexiconMessage(() => createLexiconClassifier(defaultLexicon, extra));

    // Assess
    expect(message).toContain('extra.combinations.fraud.0.all.1');
  });

  it('refuses, when a classifier is built, a group phrase with no letters or digits', () => {
    // Prepare
    const extra = { groups: { ours: ['ok', '!!'] } };

    // Act
    const message = invalidLexiconMessage(() => createLexiconClassifier(defaultLexicon, extra));

    // Assess
    expect(message).toContain('extra.groups.ours.1');
  });

  it('refuses an invalid extra, naming the field', () => {
    // Prepare
    const extra = { terms: { gambling: [{ term: '赌', weight: 0 }] } };

    // Act
    const message = invalidLexiconMessage(() => createLexiconClassifier(defaultLexicon, extra));

    // Assess
    expect(message).toContain('extra.terms.gambling.0.weight');
  });
});

describe('parseLexicon', () => {
  it('accepts the default lexicon', () => {
    // Prepare
    const json: unknown = defaultLexiconJson;

    // Act
    const lexicon: Lexicon = parseLexicon(json);

    // Assess
    expect(lexicon).toEqual(defaultLexicon);
  });

  it('gives back a lexicon it returned as it is, and checks an equal copy again', () => {
    // Prepare
    const copy: Record<string, unknown> = { ...structuredClone(defaultLexicon) };
    copy.version = 7;

    // Act
    const again = parseLexicon(defaultLexicon);

    // Assess
    expect(again).toBe(defaultLexicon);
    expect(() => parseLexicon(copy)).toThrow(/version/);
  });

  it.each([
    [
      'a threshold that is not a number',
      rawLexicon((raw) => {
        raw.categories.gambling = { ...defaultLexicon.categories.gambling, threshold: 'high' };
      }),
      'categories.gambling.threshold',
    ],
    [
      'a missing category',
      rawLexicon((raw) => {
        delete raw.categories.violence;
      }),
      'categories.violence',
    ],
    [
      'a negative weight',
      rawLexicon((raw) => {
        raw.categories.fraud = { ...defaultLexicon.categories.fraud, terms: [{ term: '传销', weight: -1 }] };
      }),
      'categories.fraud.terms.0.weight',
    ],
    [
      'a misspelt field',
      rawLexicon((raw) => {
        raw.categories.marketing = { ...defaultLexicon.categories.marketing, treshold: 1 };
      }),
      'categories.marketing.treshold',
    ],
    [
      'a missing version',
      rawLexicon((raw) => {
        delete raw.version;
      }),
      'version',
    ],
    [
      'a misspelt top-level field',
      rawLexicon((raw) => {
        raw.grups = {};
      }),
      'grups',
    ],
    [
      'a group name that is not lower-case words',
      rawLexicon((raw) => {
        raw.groups = { ...defaultLexicon.groups, Links: ['link'] };
      }),
      'groups.Links',
    ],
    [
      'an empty group',
      rawLexicon((raw) => {
        raw.groups = { ...defaultLexicon.groups, nothing: [] };
      }),
      'groups.nothing',
    ],
    [
      'a combination naming no group',
      rawLexicon((raw) => {
        raw.categories.fraud = {
          ...defaultLexicon.categories.fraud,
          combinations: [{ all: ['money-ask', 'no-such-group'], weight: 1 }],
        };
      }),
      'categories.fraud.combinations.0.all.1 names no group',
    ],
    [
      'a combination naming no link signal',
      rawLexicon((raw) => {
        raw.categories.fraud = {
          ...defaultLexicon.categories.fraud,
          combinations: [{ all: ['url:dns', 'money-ask'], weight: 1 }],
        };
      }),
      'categories.fraud.combinations.0.all.0',
    ],
    [
      'a combination of one element',
      rawLexicon((raw) => {
        raw.categories.fraud = {
          ...defaultLexicon.categories.fraud,
          combinations: [{ all: ['money-ask'], weight: 1 }],
        };
      }),
      'categories.fraud.combinations.0.all',
    ],
    [
      'a combination without a weight',
      rawLexicon((raw) => {
        raw.categories.fraud = {
          ...defaultLexicon.categories.fraud,
          combinations: [{ all: ['money-ask', 'lure'] }],
        };
      }),
      'categories.fraud.combinations.0.weight',
    ],
    [
      'an unknown link signal',
      rawLexicon((raw) => {
        raw.categories['security-threat'] = {
          ...defaultLexicon.categories['security-threat'],
          urlSignals: { dns: 1 },
        };
      }),
      'categories.security-threat.urlSignals.dns',
    ],
  ])('refuses %s, naming the field', (_problem, raw, field) => {
    // Prepare
    const json: unknown = raw;

    // Act
    const message = invalidLexiconMessage(() => parseLexicon(json));

    // Assess
    expect(message).toContain(field);
  });

  it('refuses, when a classifier is built, a term with no letters or digits', () => {
    // Prepare
    const lexicon: Lexicon = {
      ...defaultLexicon,
      categories: {
        ...defaultLexicon.categories,
        gambling: { ...defaultLexicon.categories.gambling, terms: [{ term: '* *', weight: 1 }] },
      },
    };

    // Act
    const message = invalidLexiconMessage(() => createLexiconClassifier(lexicon));

    // Assess
    expect(message).toContain('categories.gambling.terms.0.term');
  });
});
