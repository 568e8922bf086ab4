import { describe, expect, it } from 'vitest';
import { defaultClassifier } from '../../../../shared/classifier/default-classifier.js';
import type { Lexicon, LexiconCategory } from '../../../../shared/classifier/lexicon.js';
import { createLexiconClassifier, defaultLexicon } from '../../../../shared/classifier/lexicon-classifier.js';
import { findUrls, type UrlSignalKind } from '../../../../shared/classifier/url-signals.js';
import { CONTENT_CATEGORIES, type ContentCategory } from '../../../../shared/domain/classification.js';
import { describeMisses, evaluate, loadEvalSet, qualityTable } from '../../../classifier-eval/eval-set.js';

const PRECISION_FLOOR = 0.95;
const RECALL_FLOOR = 0.9;

const curated = loadEvalSet('curated');
const evaluation = evaluate(defaultClassifier, curated);

/** A lexicon with no terms in any category, to which a test adds what it exercises. */
function aLexicon(
  categories: Partial<Record<ContentCategory, Partial<LexiconCategory>>>,
  groups?: Lexicon['groups'],
): Lexicon {
  const empty = (category: ContentCategory): LexiconCategory => ({
    threshold: 1,
    terms: [],
    exceptions: [],
    ...categories[category],
  });
  return {
    version: 'test-lexicon',
    ...(groups ? { groups } : {}),
    categories: Object.fromEntries(
      CONTENT_CATEGORIES.map((category) => [category, empty(category)]),
    ) as Record<ContentCategory, LexiconCategory>,
  };
}

function categoriesOf(text: string, classifier = defaultClassifier): ContentCategory[] {
  return classifier.classify(text).map((hit) => hit.category);
}

describe('the evaluation set', () => {
  it.each(CONTENT_CATEGORIES)('has at least 30 positives of %s, at least 15 in each language', (category) => {
    // Act
    const positives = curated.filter((record) => record.labels.includes(category));

    // Assess
    expect(positives.length).toBeGreaterThanOrEqual(30);
    expect(positives.filter((record) => record.lang === 'zh').length).toBeGreaterThanOrEqual(15);
    expect(positives.filter((record) => record.lang === 'en').length).toBeGreaterThanOrEqual(15);
  });

  it('has at least 300 ordinary messages in Chinese and English, with near-misses for every category', () => {
    // Act
    const ordinary = curated.filter((record) => record.labels.length === 0);
    const nearMissed = new Set(ordinary.map((record) => /^near-miss: (.+)$/.exec(record.note ?? '')?.[1]));

    // Assess
    expect(ordinary.length).toBeGreaterThanOrEqual(300);
    expect(ordinary.filter((record) => record.lang === 'zh').length).toBeGreaterThanOrEqual(100);
    expect(ordinary.filter((record) => record.lang === 'en').length).toBeGreaterThanOrEqual(100);
    for (const category of CONTENT_CATEGORIES) expect(nearMissed).toContain(category);
  });

  it('holds no text twice', () => {
    // Act
    const texts = [...curated, ...loadEvalSet('training'), ...loadEvalSet('held-out')].map(
      (record) => record.text,
    );

    // Assess
    expect(new Set(texts).size).toBe(texts.length);
  });
});

describe('the default classifier on the evaluation set', () => {
  it.each(
    CONTENT_CATEGORIES,
  )(`classifies %s with precision ≥ ${PRECISION_FLOOR} and recall ≥ ${RECALL_FLOOR}`, (category) => {
    // Act
    const quality = evaluation.byCategory.find((candidate) => candidate.category === category);
    const misses = evaluation.misses.filter((miss) => miss.category === category);

    // Assess
    const report = `\n${qualityTable(evaluation.byCategory)}\n${describeMisses(misses)}`;
    expect(quality?.precision, `precision of ${category}${report}`).toBeGreaterThanOrEqual(PRECISION_FLOOR);
    expect(quality?.recall, `recall of ${category}${report}`).toBeGreaterThanOrEqual(RECALL_FLOOR);
  });

  it.each(
    curated
      .filter((record) => record.note?.startsWith('near-miss'))
      .map((record) => [record.note, record.text]),
  )('leaves a %s clean: %s', (_note, text) => {
    // Act
    const hits = defaultClassifier.classify(text ?? '');

    // Assess
    expect(hits).toEqual([]);
  });
});

describe('combinations', () => {
  const lexicon = aLexicon(
    {
      'security-threat': {
        terms: [{ term: '钓鱼网站', weight: 1 }],
        exceptions: ['请勿透露密码'],
        combinations: [{ all: ['link', 'credential'], weight: 1 }],
      },
    },
    { link: ['链接', 'link'], credential: ['密码', 'password'] },
  );
  const classifier = createLexiconClassifier(lexicon);

  it('fire when a phrase of every group occurs, with one phrase per group as evidence', () => {
    // Act
    const hits = classifier.classify('点这个链接，输入你的密码；再输一次密码');

    // Assess
    expect(hits).toEqual([{ category: 'security-threat', score: 1, matchedTerms: ['链接', '密码'] }]);
  });

  it.each([
    ['only the first group', '点这个链接看看'],
    ['only the second group', 'Your new password is in the envelope'],
    ['the second group only inside an exception', '点这个链接，请勿透露密码'],
  ])('do not fire on %s', (_case, text) => {
    // Act
    const hits = classifier.classify(text);

    // Assess
    expect(hits).toEqual([]);
  });

  it('add to the terms of the category', () => {
    // Act
    const hits = classifier.classify('这是钓鱼网站的链接，要你填密码');

    // Assess
    expect(hits).toEqual([
      { category: 'security-threat', score: 2, matchedTerms: ['钓鱼网站', '链接', '密码'] },
    ]);
  });

  it.each([
    ['fake-order-content', '收到货给个好评', '返现8元，下次再来', '收到货给个好评，截图返现8元'],
    [
      'security-threat',
      '请登录 https://portal.example.net 修改密码',
      '您的账户将被冻结',
      '您的账户将被冻结，请立即登录 https://portal.example.net 输入密码',
    ],
    ['illegal-trade', '发票已经寄出，请查收', '税点可以商量', '各种发票都可以开，税点可以商量'],
    ['gang-terror', '他欠钱一直不还', '明天多叫几个人去堵他', '他欠钱一直不还，明天多叫几个人去堵他'],
  ] as const)('of the default lexicon make %s fire together, not apart', (category, first, second, both) => {
    // Prepare: the lexicon alone (the learned model may well name a half on its own)
    const lexiconOnly = createLexiconClassifier(defaultLexicon);

    // Act
    const apart = [...categoriesOf(first, lexiconOnly), ...categoriesOf(second, lexiconOnly)];
    const together = categoriesOf(both, lexiconOnly);

    // Assess
    expect(apart).not.toContain(category);
    expect(together).toContain(category);
  });
});

describe('findUrls', () => {
  it.each([
    ['ip-host', 'http://203.0.113.57/app/update.apk', '203.0.113.57'],
    ['ip-host', '45.83.12.190/refund', '45.83.12.190'],
    ['punycode', 'https://xn--alipy-4ua.com/verify', 'xn--alipy-4ua.com'],
    ['lookalike', 'www.a1ipay.com', 'www.a1ipay.com'],
    ['lookalike', 'http://paypa1-secure.com/restore', 'paypa1-secure.com'],
    ['lookalike', 'wechat-login.xyz', 'wechat-login.xyz'],
    ['lookalike', 'appleid.apple.com-verify.info', 'appleid.apple.com-verify.info'],
    ['lookalike', 'http://vvechat.net/pay', 'vvechat.net'],
    ['suspicious-tld', 'promo-center.top', 'promo-center.top'],
    ['shortener', 'https://bit.ly/3Tb0Xq', 'bit.ly'],
    ['shortener', 't.cn/A6xYz2', 't.cn'],
  ] as const)('finds %s in %s', (signal: UrlSignalKind, text, host) => {
    // Act
    const [url] = findUrls(`请看 ${text} 谢谢`);

    // Assess
    expect(url?.host).toBe(host);
    expect(url?.written).toBe(text);
    expect(url?.signals).toContain(signal);
  });

  it.each([
    'https://work.weixin.qq.com/',
    'https://www.taobao.com/',
    'https://shop123456.taobao.com/',
    'https://www.alipay.com/',
    'https://meeting.tencent.com/dm/abc123',
    'http://192.168.1.20:8080/',
    'http://10.0.0.8/wiki',
    'https://www.sf-express.com/track?no=SF1234567890',
    'https://cloud.example.com/login',
    'https://applied-materials.com/',
  ])('finds a link and nothing suspicious in %s', (text) => {
    // Act
    const urls = findUrls(`地址：${text}`);

    // Assess
    expect(urls.map((url) => url.signals)).toEqual([['any']]);
  });

  it.each([
    [
      'full-width letters and an ideographic full stop',
      '登录ａ１ｉｐａｙ。ｃｏｍ验证',
      'ａ１ｉｐａｙ。ｃｏｍ',
      'a1ipay.com',
    ],
    ['a full-width full stop', 'wechat-login．xyz', 'wechat-login．xyz', 'wechat-login.xyz'],
    ['a defanged dot', 'evil-site[.]top/login', 'evil-site[.]top/login', 'evil-site.top'],
    ['a hxxp scheme', 'hxxp://wx-unlock.xyz/login', 'hxxp://wx-unlock.xyz/login', 'wx-unlock.xyz'],
    ['a zero-width space', 'qq-secu\u200brity.tk', 'qq-secu\u200brity.tk', 'qq-security.tk'],
  ])('reads a link written with %s and keeps it as written', (_case, text, written, host) => {
    // Act
    const [url] = findUrls(text);

    // Assess
    expect(url?.written).toBe(written);
    expect(url?.host).toBe(host);
  });

  it.each([
    '请运行 setup.exe 安装',
    'Open invoice.pdf, then report.xlsx',
    '请升级到 2.10.0.1 版本',
    'Write to sales@company.com for a quote',
    'U.R.G.E.N.T, e.g. this a.m.',
    '价格是 $9.99/month',
  ])('finds no link in %s', (text) => {
    // Act
    const urls = findUrls(text);

    // Assess
    expect(urls).toEqual([]);
  });
});

describe('URL signals in the default classifier', () => {
  it.each([
    ['a look-alike domain', '请登录 www.a1ipay.com 重新认证', 'www.a1ipay.com'],
    [
      'a brand on a foreign domain',
      '企业微信安全中心：ｗｅｃｏｍ－ｌｏｇｉｎ。ｃｆ',
      'ｗｅｃｏｍ－ｌｏｇｉｎ。ｃｆ',
    ],
    ['a shortener with a password', '点击 bit.ly/mbx-quota 输入密码领取补偿', 'bit.ly/mbx-quota'],
    ['a suspicious TLD with a credential', '请访问 sf-claim.top 填写支付宝账号和密码', 'sf-claim.top'],
    [
      'a public IP host with a credential',
      '在 http://45.76.118.23:8080/oa 重新登录',
      'http://45.76.118.23:8080/oa',
    ],
  ])('makes security-threat fire on %s, with the link as written as evidence', (_case, text, written) => {
    // Act
    const hit = defaultClassifier
      .classify(text)
      .find((candidate) => candidate.category === 'security-threat');

    // Assess
    expect(hit?.matchedTerms).toContain(written);
  });

  it.each([
    '店铺链接：https://shop123456.taobao.com/ ，登录后可以看到订单',
    '会议链接：https://meeting.tencent.com/dm/abc123 ，会议密码 4821',
    'Please log in to https://work.weixin.qq.com/ with your account to approve it.',
    '测试环境 http://192.168.1.20:8080/ ，账号密码找运维要',
    'The short link bit.ly/q3-report has the slides',
    'Our campaign page is spring-promo.top',
  ])('leaves an ordinary link clean: %s', (text) => {
    // Act
    const categories = categoriesOf(text);

    // Assess
    expect(categories).not.toContain('security-threat');
  });
});

describe('a corp extra', () => {
  it('fires on its own term, and holds its exception against the lexicon', () => {
    // Prepare
    const classifier = createLexiconClassifier(defaultLexicon, {
      terms: { 'illegal-trade': [{ term: '跑分', weight: 1 }] },
      exceptions: { gambling: ['赌场风云'] },
    });

    // Act
    const ownTerm = categoriesOf('招跑分车队', classifier);
    const excepted = categoriesOf('今晚重温《赌场风云》', classifier);

    // Assess
    expect(ownTerm).toContain('illegal-trade');
    expect(categoriesOf('招跑分车队')).not.toContain('illegal-trade');
    expect(excepted).toEqual([]);
    expect(categoriesOf('今晚重温《赌场风云》')).toContain('gambling');
  });

  it("adds phrases to a lexicon group and combinations of the corp's own", () => {
    // Prepare
    const classifier = createLexiconClassifier(defaultLexicon, {
      groups: { credential: ['工号口令'], ours: ['内网穿透'] },
      combinations: { 'security-threat': [{ all: ['ours', 'credential'], weight: 1 }] },
    });

    // Act
    const hit = classifier.classify('装个内网穿透，再把工号口令发来');

    // Assess
    expect(hit).toEqual([{ category: 'security-threat', score: 1, matchedTerms: ['内网穿透', '工号口令'] }]);
    expect(defaultClassifier.classify('装个内网穿透，再把工号口令发来')).toEqual([]);
  });
});
