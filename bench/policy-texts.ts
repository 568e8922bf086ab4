import type { Classification, Classifier } from '../shared/domain/classification.js';

const hit = (category: Classification[number]['category'], ...matchedTerms: string[]) => ({
  category,
  score: matchedTerms.length,
  matchedTerms,
});

/** Every text the stream uses, with the classification it was given beforehand. */
const TEXTS = {
  plain: [
    ['好的，收到', []],
    ['您好，请问有什么可以帮您？', []],
    ['明天下午三点在公司见，地址我发您', []],
    ['合同已经发到您的邮箱了，请查收', []],
    ['谢谢您的耐心等待，我们这边已经安排发货', []],
    ['OK, see you tomorrow at 10', []],
    ['发票下周一寄出，快递单号稍后发您', []],
    ['这个型号目前有现货，颜色有黑白两种', []],
  ],
  marketing: [
    ['限时优惠！全场五折，点击购买即可享受', [hit('marketing', '限时优惠', '全场五折', '点击购买')]],
    ['新品上市，扫码领取优惠券，包邮到家', [hit('marketing', '新品上市', '扫码领取', '优惠券', '包邮')]],
    [
      'Flash sale this weekend: buy now and get a free gift',
      [hit('marketing', 'flash sale', 'buy now', 'free gift')],
    ],
    ['双十一秒杀活动开始了，特价商品限时抢购', [hit('marketing', '秒杀', '特价', '限时抢购')]],
  ],
  inducingSharing: [
    [
      '转发朋友圈集满30个赞，即可免费领取优惠券',
      [hit('inducing-sharing', '转发朋友圈', '集满', '个赞'), hit('marketing', '优惠券', '领取')],
    ],
    ['分享到三个群并截图给我，就送您红包', [hit('inducing-sharing', '分享到', '个群', '截图')]],
  ],
  r3: [
    [
      '高额返利，稳赚不赔，加微信带你投资',
      [hit('fraud', '稳赚不赔', '高额返利'), hit('marketing', '加微信')],
    ],
    ['网上真人赌场，注册就送彩金', [hit('gambling', '赌场', '送彩金')]],
    ['代开发票，各类证件加急办理', [hit('illegal-trade', '代开发票', '证件办理')]],
  ],
  names: [
    ['张伟', []],
    ['李娜-销售部', []],
    ['Kevin Wang', []],
    ['王经理（大客户）', []],
  ],
  badNames: [['代开发票-王经理', [hit('illegal-trade', '代开发票')]]],
} as const satisfies Record<string, readonly (readonly [string, Classification])[]>;

const textsOf = (kind: keyof typeof TEXTS): readonly string[] => TEXTS[kind].map(([text]) => text);
export const PLAIN = textsOf('plain');
export const MARKETING = textsOf('marketing');
export const INDUCING = textsOf('inducingSharing');
export const R3 = textsOf('r3');
export const NAMES = textsOf('names');
export const BAD_NAMES = textsOf('badNames');

/** A classifier that only looks up: the classification of every text the stream sends, built beforehand. */
export const PRECLASSIFIED: Classifier = (() => {
  const table = new Map<string, Classification>(
    Object.values(TEXTS).flatMap((entries) => entries.map(([text, hits]) => [text, hits] as const)),
  );
  return {
    lexiconVersion: 'bench-preclassified',
    classify: (text) => {
      const hits = table.get(text);
      if (hits === undefined) throw new Error(`text not pre-classified: ${text}`);
      return hits;
    },
  };
})();

// ---- the synthetic stream ----------------------------------------------------------------------
