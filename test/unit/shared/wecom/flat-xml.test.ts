import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MalformedPayloadError } from '../../../../shared/wecom/errors.js';
import { parseFlatXml } from '../../../../shared/wecom/flat-xml.js';
import { parseStrictXml, parseXml } from '../../../../shared/wecom/xml.js';
import { contactEventXml } from '../../../helpers/wecom-payloads.js';
import { GO_SAMPLE } from '../../../helpers/wecom-vectors.js';

/** What a parse gives: the element, or the class and message of what it threw. */
function outcome(parse: (text: string) => unknown, text: string): unknown {
  try {
    return parse(text);
  } catch (error) {
    return { threw: (error as Error).constructor.name, message: (error as Error).message };
  }
}

/** Every XML plaintext of the recorded events under events/ (WeCom's shapes, as this repo replays them). */
function recordedXml(): string[] {
  const root = new URL('../../../../events/', import.meta.url).pathname;
  const texts: string[] = [];
  for (const file of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.json')) continue;
    const json = readFileSync(join(root, file), 'utf8');
    for (const match of json.matchAll(/"(?:plaintext|body)":\s*("(?:[^"\\]|\\.)*")/g)) {
      const value = JSON.parse(match[1] as string) as string;
      if (value.startsWith('<')) texts.push(value);
    }
  }
  return texts;
}

const envelope = GO_SAMPLE.post.body;
const event = contactEventXml({ state: 'expo' });

/** Documents the fast path must read exactly as the strict parser, or leave to it. */
const variants: [string, string][] = [
  ['the official envelope', envelope],
  ['a contact event', event],
  ['line feeds and tabs between elements', event.replaceAll('><', '>\n\t<')],
  ['trailing white space', `${event}\n  `],
  ['an empty element', '<xml><A></A><B>1</B></xml>'],
  ['an empty CDATA section', '<xml><A><![CDATA[]]></A></xml>'],
  ['plain text', '<xml><CreateTime>1795000000</CreateTime></xml>'],
  ['CDATA holding markup', '<xml><A><![CDATA[<b>&amp;</b>]]></A></xml>'],
  ['CDATA holding emoji and Chinese', '<xml><A><![CDATA[你好 😀]]></A></xml>'],
  ['carriage returns', event.replaceAll('><', '>\r\n<')],
  ['a carriage return in CDATA', '<xml><A><![CDATA[a\r\nb]]></A></xml>'],
  ['a BOM', `\uFEFF${event}`],
  ['a leading space', ` ${event}`],
  ['a declaration', `<?xml version="1.0"?>${event}`],
  ['a DOCTYPE', `<!DOCTYPE xml [<!ENTITY e "x">]>${event}`],
  ['an entity in text', '<xml><A>a&amp;b</A></xml>'],
  ['an undeclared entity', '<xml><A>&e;</A></xml>'],
  ['a comment', '<xml><!-- c --><A>1</A></xml>'],
  ['an attribute', '<xml><A x="1">1</A></xml>'],
  ['an attribute on the root', '<xml a="1"><A>1</A></xml>'],
  ['a nested element', '<xml><A><B>1</B></A></xml>'],
  ['a self-closing element', '<xml><A/></xml>'],
  ['CDATA then text', '<xml><A><![CDATA[x]]>y</A></xml>'],
  ['two CDATA sections', '<xml><A><![CDATA[x]]><![CDATA[y]]></A></xml>'],
  ['a mismatched closing tag', '<xml><A>1</B></xml>'],
  ['a closing tag that only starts with the name', '<xml><A>1</AB></xml>'],
  ['a truncated document', event.slice(0, -3)],
  ['an unclosed CDATA', '<xml><A><![CDATA[x</A></xml>'],
  ['trailing garbage', `${event}x`],
  ['a second root', `${event}<xml></xml>`],
  ['another root name', '<XML><A>1</A></XML>'],
  ['a > in text', '<xml><A>a>b</A></xml>'],
  ['a lone surrogate', '<xml><A><![CDATA[\uD800x]]></A></xml>'],
  ['a pair, then a lone low surrogate', '<xml><A><![CDATA[😀\uDC00]]></A></xml>'],
  ['a lone high surrogate closing CDATA', '<xml><A><![CDATA[x\uD83D]]></A></xml>'],
  ['a lone surrogate in plain text', '<xml><A>a\uDC00</A></xml>'],
  ['an emoji in plain text', '<xml><A>a😀b</A></xml>'],
  ['U+FFFF', '<xml><A><![CDATA[\uFFFF]]></A></xml>'],
  ['a forbidden control character', '<xml><A><![CDATA[\u0001]]></A></xml>'],
  ['U+FFFE', '<xml><A><![CDATA[\uFFFE]]></A></xml>'],
  ['bidi overrides and isolates', '<xml><A><![CDATA[\u202Eabc\u2066d\u2069]]></A><B>\u200F\u202D</B></xml>'],
  ['a 200 KB CDATA run', `<xml><A><![CDATA[${'赌'.repeat(100_000)}]]></A></xml>`],
  ['a 200 KB run of plain text', `<xml><A>${'x'.repeat(200_000)}</A></xml>`],
  ['100,000 emoji', `<xml><A><![CDATA[${'😀'.repeat(100_000)}]]></A></xml>`],
  ['a name with a dot and digits', '<xml><A.b-2_c>1</A.b-2_c></xml>'],
  ['a name starting with a digit', '<xml><2A>1</2A></xml>'],
  ['a name outside ASCII', '<xml><名>1</名></xml>'],
  ['two Encrypt elements', '<xml><Encrypt><![CDATA[a]]></Encrypt><Encrypt><![CDATA[b]]></Encrypt></xml>'],
  ['nothing', ''],
  ['only the root', '<xml></xml>'],
];

describe('the flat reader of WeCom XML', () => {
  it.each(variants)('reads %s as the strict parser does, or leaves it to it', (_name, text) => {
    // Act
    const fast = outcome(parseXml, text);
    const strict = outcome(parseStrictXml, text);

    // Assess
    expect(fast).toEqual(strict);
  });

  it('reads every recorded event and the official envelope itself, without the strict parser', () => {
    // Prepare
    const texts = [...recordedXml(), envelope, event];
    expect(texts.length).toBeGreaterThan(10);

    // Act
    const read = texts.map((text) => parseFlatXml(text, 2_000));

    // Assess
    expect(read).toEqual(texts.map((text) => parseStrictXml(text)));
  });

  it('agrees with the strict parser on every cut and every one-character change of a WeCom document', () => {
    // Prepare: each prefix, and each position replaced by a character that matters to XML.
    const texts: string[] = [];
    for (let i = 0; i <= event.length; i++) texts.push(event.slice(0, i));
    for (let i = 0; i < event.length; i++) {
      for (const c of ['<', '>', '&', '/', ' ', '\r', '"', ']', '!', '?', 'x', '\u0000']) {
        texts.push(event.slice(0, i) + c + event.slice(i + 1));
      }
    }

    // Act
    const disagreements = texts.filter(
      (text) => JSON.stringify(outcome(parseXml, text)) !== JSON.stringify(outcome(parseStrictXml, text)),
    );

    // Assess
    expect(disagreements).toEqual([]);
  });

  it('reads bidi controls, emoji and long runs itself, as the strict parser does', () => {
    // Prepare
    const texts = [
      '<xml><A><![CDATA[\u202Eabc\u2066d\u2069]]></A><B>\u200F\u202D</B></xml>',
      `<xml><A><![CDATA[${'😀'.repeat(100_000)}]]></A></xml>`,
      `<xml><A>${'x'.repeat(200_000)}</A></xml>`,
    ];

    // Act
    const read = texts.map((text) => parseFlatXml(text, 2_000));

    // Assess
    expect(read).toEqual(texts.map((text) => parseStrictXml(text)));
  });

  it('leaves a document of too many elements to the strict parser, which refuses it', () => {
    // Prepare
    const text = `<xml>${'<A>1</A>'.repeat(2_000)}</xml>`;

    // Act
    const fast = parseFlatXml(text, 2_000);
    const parsing = () => parseXml(text);

    // Assess
    expect(fast).toBeUndefined();
    expect(parsing).toThrow(MalformedPayloadError);
  });
});
