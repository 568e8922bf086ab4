import { defaultClassifier } from '../shared/classifier/default-classifier.js';
import { mayHoldLink } from '../shared/classifier/link-hint.js';
import { normalizeForMatching } from '../shared/classifier/normalize.js';
import { findUrls } from '../shared/classifier/url-signals.js';
import type { CallbackKeys } from '../shared/config/callback-keys.js';
import { normalizeMessageRecords } from '../shared/ingest/normalize.js';
import { type CallbackDependencies, processCallback } from '../shared/ingest/process-callback.js';
import { parseXmlEvent } from '../shared/wecom/events.js';
import { parseMessageRecords } from '../shared/wecom/records.js';
import { parseXml } from '../shared/wecom/xml.js';
import {
  addExternalContactXml,
  archiveMessageJson,
  BENCH_AES,
  BENCH_KEYS,
  externalUserId,
  type SignedCallback,
  signedCallback,
} from './callback-fixtures.js';
import { type Figure, pairedRatio, printTable, type Timing, timingFromSamples } from './measure.js';
import type { BenchSection } from './types.js';

/** The two sizes of every input, in UTF-16 units of its variable part (a callback is at most 256 KiB). */
const SMALL = 64 * 1024;
const LARGE = 256 * 1024;
/** 256 KB ÷ 64 KB is 4: a linear path grows about 4 ×, a quadratic one about 16 ×. */
const GROWTH_TARGET = 8;

/** An operation on an input made ready beforehand, so that only the operation is timed. */
type Prepared = () => unknown;

/** One input path, its benign input and the crafted inputs that would be worst for it. */
interface HostilePath {
  readonly path: string;
  readonly benign: (size: number) => Prepared;
  readonly crafted: readonly { readonly name: string; readonly make: (size: number) => Prepared }[];
}

/** `unit` repeated to about `size` UTF-16 units (whole units, so an entity or a tag is never cut). */
function fill(unit: string, size: number): string {
  return unit.repeat(Math.max(1, Math.round(size / unit.length)));
}

/** Ordinary business chat, Chinese and English, with no term of any category. */
function ordinary(size: number): string {
  return fill(
    '您好，订单已发货，请注意查收。Thanks for your order, it ships tomorrow; see our site for details. ',
    size,
  );
}

/** The astral code points the folding caches remember, at most (normalize.ts and link-hint.ts). */
const REMEMBERED_ASTRAL = 16_384;

/** Fills those caches with code points no crafted text uses, so that every crafted one is folded afresh. */
function fillAstralCaches(): void {
  const text = Array.from({ length: REMEMBERED_ASTRAL }, (_, k) => String.fromCodePoint(0x20000 + k)).join(
    '',
  );
  normalizeForMatching(text);
  mayHoldLink(text);
}

/**
 * Distinct astral code points (CJK Extension B on), after those the caches hold: the worst case of
 * the folding, every character classified again (a cache that filled as the text went would make
 * the 64 KB text cheaper per character than the 256 KB one, and the growth look worse than it is).
 */
function astral(size: number): string {
  return Array.from({ length: size >> 1 }, (_, k) =>
    String.fromCodePoint(0x20000 + REMEMBERED_ASTRAL + k),
  ).join('');
}

const keys: CallbackKeys = { corpId: BENCH_KEYS.corpId, token: BENCH_KEYS.token, aes: BENCH_AES };
const resolvedKeys = Promise.resolve(keys);
const deps: CallbackDependencies = { keys: () => resolvedKeys, queue: { send: () => Promise.resolve() } };

/** processCallback on a signed callback; a refusal (4xx) is an outcome like any other. */
function ingest(route: 'contact' | 'message', callback: SignedCallback): Prepared {
  const request = { method: 'POST', rawQueryString: callback.rawQueryString, body: callback.body };
  return () => processCallback(route, request, deps).catch((error: unknown) => error);
}

/** What processCallback answers to a callback, for the table: 200, or the status of the refusal. */
async function outcomeOf(prepared: Prepared): Promise<string> {
  const result = await prepared();
  if (result && typeof result === 'object' && 'statusCode' in result) return String(result.statusCode);
  return 'threw';
}

/** The add_external_contact event with `state` as its State (a field WeCom leaves free). */
function contactWith(state: string, open = '<xml>'): string {
  return addExternalContactXml(externalUserId(1))
    .replace('<xml>', open)
    .replace('qr-campaign-2024-spring', state);
}

/** Recipients to fill `size` units: external user ids, so that the member is looked for in all of them. */
function externalRecipients(size: number): string[] {
  return Array.from({ length: Math.min(10_000, Math.floor(size / 40)) }, (_, k) => externalUserId(k));
}

const classify = (text: string): Prepared => {
  return () => defaultClassifier.classify(text);
};

const PATHS: readonly HostilePath[] = [
  {
    path: "processCallback('contact') XML",
    benign: (size) => ingest('contact', signedCallback(contactWith(fill('campaign-', size)), 'xml')),
    crafted: [
      {
        name: 'many attributes on the root',
        make: (size) => {
          const attributes = Array.from({ length: Math.floor(size / 12) }, (_, k) => ` a${k}="x"`).join('');
          return ingest('contact', signedCallback(contactWith('s', `<xml${attributes}>`), 'xml'));
        },
      },
      {
        name: 'CDATA of ]]]] and entities',
        make: (size) => ingest('contact', signedCallback(contactWith(fill(']]&amp;]&lt;', size)), 'xml')),
      },
      {
        name: 'forbidden controls everywhere',
        make: (size) => ingest('contact', signedCallback(contactWith(fill('a\u0010', size)), 'xml')),
      },
    ],
  },
  {
    path: "processCallback('message') JSON",
    benign: (size) => ingest('message', signedCallback(archiveMessageJson(ordinary(size)), 'json')),
    crafted: [
      {
        name: 'text of \\u escapes and surrogates',
        make: (size) =>
          ingest('message', signedCallback(archiveMessageJson(fill('😀\u0000"\\', size)), 'json')),
      },
      {
        name: 'an external sender and every recipient external',
        make: (size) =>
          ingest(
            'message',
            signedCallback(
              archiveMessageJson('hi', { from: externalUserId(0), tolist: externalRecipients(size) }),
              'json',
            ),
          ),
      },
      {
        name: 'deeply nested arrays in an extra field',
        make: (size) =>
          ingest(
            'message',
            signedCallback(
              `${archiveMessageJson('hi').slice(0, -1)},"x":${'['.repeat(size >> 1)}${']'.repeat(size >> 1)}}`,
              'json',
            ),
          ),
      },
    ],
  },
  {
    path: 'parseXml (strict XML)',
    benign: (size) => {
      const xml = `<xml><Content><![CDATA[${ordinary(size)}]]></Content></xml>`;
      return () => parseXml(xml);
    },
    crafted: [
      {
        name: 'many attributes',
        make: (size) => {
          const xml = `<xml${Array.from({ length: Math.floor(size / 12) }, (_, k) => ` a${k}="x"`).join('')}/>`;
          return () => parseXml(xml);
        },
      },
      {
        name: 'one long element name',
        make: (size) => {
          const name = `a${fill('b.-_', size)}`;
          const xml = `<xml><${name}>x</${name}></xml>`;
          return () => parseXml(xml);
        },
      },
      {
        name: 'entities and ]]> look-alikes in text',
        make: (size) => {
          const xml = `<xml><Content>${fill('&amp;&#x4e00;]]&gt;', size)}</Content></xml>`;
          return () => parseXml(xml);
        },
      },
      {
        name: 'comment of dashes',
        make: (size) => {
          const xml = `<xml><!--${fill('- ', size)}--></xml>`;
          return () => parseXml(xml);
        },
      },
      {
        name: 'deep nesting (refused at depth 8)',
        make: (size) => {
          const xml = `${'<a>'.repeat(size / 8)}${'</a>'.repeat(size / 8)}`;
          return () => {
            try {
              return parseXml(xml);
            } catch (error) {
              return error;
            }
          };
        },
      },
    ],
  },
  {
    path: 'parseXmlEvent (contact event)',
    benign: (size) => {
      const xml = contactWith(fill('campaign-', size));
      return () => parseXmlEvent(xml);
    },
    crafted: [
      {
        name: 'a State of forbidden controls',
        make: (size) => {
          const xml = contactWith(fill('\u0001\u0010', size));
          return () => parseXmlEvent(xml);
        },
      },
    ],
  },
  {
    path: 'message records: parse + normalize',
    benign: (size) => {
      const json = archiveMessageJson(ordinary(size));
      return () => normalizeMessageRecords(parseMessageRecords(json), BENCH_KEYS.corpId);
    },
    crafted: [
      {
        name: 'an external sender and every recipient external',
        make: (size) => {
          const json = archiveMessageJson('hi', {
            from: externalUserId(0),
            tolist: externalRecipients(size),
          });
          return () => normalizeMessageRecords(parseMessageRecords(json), BENCH_KEYS.corpId);
        },
      },
      {
        name: 'ids of 256 spaces and a letter, 100 records',
        make: (size) => {
          const pad = ' '.repeat(255);
          const per = Math.max(1, Math.floor(size / 100 / 600));
          const record = JSON.parse(
            archiveMessageJson('hi', { from: `${pad}a`, roomid: `${pad}r` }),
          ) as unknown;
          const records = Array.from({ length: 100 }, () => ({
            ...(record as object),
            tolist: Array.from({ length: per }, () => `${pad}b`),
          }));
          const json = JSON.stringify({ records });
          return () => {
            try {
              return normalizeMessageRecords(parseMessageRecords(json), BENCH_KEYS.corpId);
            } catch (error) {
              return error;
            }
          };
        },
      },
    ],
  },
  {
    path: 'classify (default lexicon)',
    benign: (size) => classify(ordinary(size)),
    crafted: [
      {
        name: 'link whose path is dots, then more path',
        make: (size) => classify(`1.1.1.1/${fill('.', size)}x`),
      },
      { name: 'a term inside its exception, repeated', make: (size) => classify(fill('刷单拒绝刷单', size)) },
      { name: 'a one-character term at every position', make: (size) => classify(fill('赚', size)) },
      { name: 'many links with signals', make: (size) => classify(fill('http://paypa1.xyz/a ', size)) },
      {
        name: 'links beside credential words (combinations)',
        make: (size) => classify(fill('http://a.cn 登录 密码 ', size)),
      },
      { name: 'partial URL prefixes', make: (size) => classify(fill('http://a.', size)) },
      { name: 'wide and defanged dots', make: (size) => classify(fill('a。b[.]', size)) },
      { name: 'one CJK character', make: (size) => classify(fill('赌', size)) },
      { name: 'lookalike digits and symbols in a word', make: (size) => classify(`a${fill('1@$3', size)}b`) },
      { name: 'combining marks on one letter', make: (size) => classify(`a${fill('\u0301', size)}`) },
      { name: 'distinct astral characters', make: (size) => classify(astral(size)) },
    ],
  },
  {
    path: 'findUrls (url signals)',
    benign: (size) => {
      const text = `${ordinary(size - 40)} see http://example.com/a `;
      return () => findUrls(text);
    },
    crafted: [
      {
        name: 'link whose path is punctuation, then more path',
        make: (size) => {
          const text = `1.1.1.1/${fill("),;:!?]'.", size)}x`;
          return () => findUrls(text);
        },
      },
      {
        name: 'repeated http:// and slashes',
        make: (size) => {
          const text = fill('http://hxxp:///', size);
          return () => findUrls(text);
        },
      },
      {
        name: 'labels of hyphens, no TLD',
        make: (size) => {
          const text = `${fill('a-1.', size)}.`;
          return () => findUrls(text);
        },
      },
      {
        name: 'wide and defanged dots',
        make: (size) => {
          const text = fill('a。b[.]c(dot)', size);
          return () => findUrls(text);
        },
      },
      {
        name: 'many links with look-alike hosts',
        make: (size) => {
          const text = fill('http://vvechat-a1ipay.top/x ', size);
          return () => findUrls(text);
        },
      },
    ],
  },
  {
    path: 'normalizeForMatching',
    benign: (size) => {
      const text = ordinary(size);
      return () => normalizeForMatching(text);
    },
    crafted: [
      {
        name: 'lookalike digits and symbols in a word',
        make: (size) => {
          const text = `a${fill('1@$3', size)}b`;
          return () => normalizeForMatching(text);
        },
      },
      {
        name: 'distinct astral characters',
        make: (size) => {
          const text = astral(size);
          return () => normalizeForMatching(text);
        },
      },
    ],
  },
  {
    path: 'mayHoldLink',
    benign: (size) => {
      const text = ordinary(size);
      return () => mayHoldLink(text);
    },
    crafted: [
      {
        name: 'opening brackets after letters',
        make: (size) => {
          const text = fill('a[a(a{', size);
          return () => mayHoldLink(text);
        },
      },
    ],
  },
];

/** Rounds per pair: enough for a median, few enough that the section runs in well under a minute. */
const ROUNDS = 5;
/** A round of a fast operation repeats it to at least this long, so the clock's grain does not count. */
const MIN_ROUND_NS = 2_000_000;

/** ns of `ops` runs of `run`. */
async function timeOps(run: Prepared, ops: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let k = 0; k < ops; k++) {
    const result = run();
    if (result instanceof Promise) await result;
  }
  return Number(process.hrtime.bigint() - start);
}

/**
 * The benign and the crafted operation timed round by round, side by side (so pairedRatio cancels
 * load that comes and goes). Not timePerOp: its warm-up runs ops in eights, which for the slowest
 * crafted inputs (a tenth of a second each) would take most of a minute on its own.
 */
async function timePair(benign: Prepared, crafted: Prepared): Promise<[Timing, Timing]> {
  const runs = [benign, crafted] as const;
  // Three runs each to warm up (the JIT, the scratch buffers); the last says how many make a round.
  const ops = [] as number[];
  for (const run of runs) {
    await timeOps(run, 2);
    ops.push(Math.max(1, Math.ceil(MIN_ROUND_NS / Math.max(1, await timeOps(run, 1)))));
  }
  const samples: [number[], number[]] = [[], []];
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < 2; k++) {
      const index = (round + k) % 2;
      const count = ops[index] as number;
      samples[index]?.push((await timeOps(runs[index] as Prepared, count)) / count);
    }
  }
  return [
    timingFromSamples('benign', samples[0], ops[0] as number),
    timingFromSamples('crafted', samples[1], ops[1] as number),
  ];
}

const us = (timing: Timing): number => timing.medianNs / 1000;
/** The fastest round: noise only adds time, so growth is taken between the fastest rounds of each size. */
const fastest = (timing: Timing): number => Math.min(...timing.samples);

/** Section: the worst crafted input of each path beside a benign one of the same size, at 64 and 256 KB. */
export const hostile: BenchSection = {
  name: 'hostile',
  description: 'crafted inputs (ReDoS, deep XML, long runs) vs benign, at 64 KB and 256 KB: ratio and growth',
  run: async () => {
    fillAstralCaches();
    const figures: Figure[] = [];
    let worstGrowth = { name: '', growth: 0 };
    for (const path of PATHS) {
      const benign = [path.benign(SMALL), path.benign(LARGE)] as const;
      for (const crafted of path.crafted) {
        const inputs = [crafted.make(SMALL), crafted.make(LARGE)] as const;
        const outcome = path.path.startsWith('processCallback') ? ` → ${await outcomeOf(inputs[1])}` : '';
        const timings: Timing[] = [];
        for (const [index, size] of [SMALL, LARGE].entries()) {
          // Benign and crafted of one size interleaved round by round, so the ratio is paired.
          const [benignT, craftedT] = await timePair(benign[index] as Prepared, inputs[index] as Prepared);
          timings.push(benignT, craftedT);
          figures.push({
            name: `${path.path} · ${crafted.name}${outcome} @ ${size / 1024} KB`,
            value: us(craftedT),
            unit: 'µs/op',
            digits: 0,
            reference: { name: 'benign', value: us(benignT), ratio: pairedRatio(craftedT, benignT) },
          });
        }
        const [benignSmall, craftedSmall, benignLarge, craftedLarge] = timings as [
          Timing,
          Timing,
          Timing,
          Timing,
        ];
        const growth = fastest(craftedLarge) / fastest(craftedSmall);
        figures.push({
          name: `${path.path} · ${crafted.name} growth 256/64 KB (benign ${(fastest(benignLarge) / fastest(benignSmall)).toFixed(1)})`,
          value: us(craftedLarge),
          unit: 'µs/op',
          digits: 0,
          reference: { name: '64 KB', value: us(craftedSmall), ratio: growth },
          target: { on: 'ratio', max: GROWTH_TARGET },
        });
        if (growth > worstGrowth.growth) worstGrowth = { name: `${path.path} · ${crafted.name}`, growth };
      }
    }
    printTable(
      'hostile: crafted input beside benign input of the same size, and its growth from 64 to 256 KB',
      figures,
      [
        'sizes count the UTF-16 units of the variable part (a 256 KiB callback body carries about 190 KB of plaintext,',
        '  so the 256 KB callbacks here are larger than WeCom may send, which only strengthens the growth figure);',
        'crafted ÷ benign is the median of per-round ratios; growth is between the fastest rounds of each size;',
        `linear growth is 4 ×, quadratic 16 ×; target ≤ ${GROWTH_TARGET} ×; worst: ${worstGrowth.growth.toFixed(1)} × (${worstGrowth.name});`,
        '→ NNN after a processCallback case is what the route answers to the 256 KB crafted callback.',
      ],
    );
  },
};
