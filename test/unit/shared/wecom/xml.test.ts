import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decrypt, deriveAesKey } from '../../../../shared/wecom/crypto.js';
import { MalformedPayloadError } from '../../../../shared/wecom/errors.js';
import { childTexts, parseXml, stripForbiddenControls } from '../../../../shared/wecom/xml.js';
import { expectWecomError } from '../../../helpers/wecom-assertions.js';
import { GO_SAMPLE } from '../../../helpers/wecom-vectors.js';

/** `depth` elements nested inside each other, the outermost being `<xml>`. */
function nested(depth: number): string {
  const names = Array.from({ length: depth }, (_, i) => (i === 0 ? 'xml' : `e${i}`));
  return `${names.map((name) => `<${name}>`).join('')}x${names
    .reverse()
    .map((name) => `</${name}>`)
    .join('')}`;
}

/** `<xml>` with `count` empty children. */
function wide(count: number): string {
  return `<xml>${'<Item/>'.repeat(count)}</xml>`;
}

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE xml [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<xml><Content>&lol9;</Content></xml>`;

describe('parseXml', () => {
  it('reads the decrypted official GO message, keeping MsgId as exact text', () => {
    // Prepare
    const { message } = decrypt(
      deriveAesKey(GO_SAMPLE.config.encodingAesKey),
      GO_SAMPLE.post.encrypted,
      GO_SAMPLE.config.receiveId,
    );

    // Act
    const root = parseXml(message);

    // Assess
    expect(root.name).toBe('xml');
    expect(childTexts(root)).toMatchObject({
      ToUserName: GO_SAMPLE.config.receiveId,
      FromUserName: GO_SAMPLE.post.expected.fromUserName,
      Content: GO_SAMPLE.post.expected.content,
      MsgId: GO_SAMPLE.post.expected.msgId,
    });
  });

  it('reads CDATA and plain text alike, joining the pieces of mixed content', () => {
    // Prepare
    const text = '<xml><A><![CDATA[cdata]]></A><B>plain</B><C>one<![CDATA[two]]>three</C></xml>';

    // Act
    const fields = childTexts(parseXml(text));

    // Assess
    expect(fields).toEqual({ A: 'cdata', B: 'plain', C: 'onetwothree' });
  });

  it('keeps markup characters inside CDATA literally and decodes the predefined entities in text', () => {
    // Prepare
    const text =
      '<xml><A><![CDATA[<b>&amp;</b>]]></A><B>&lt;b&gt; &amp; &quot;q&quot; &apos;a&apos;</B></xml>';

    // Act
    const fields = childTexts(parseXml(text));

    // Assess
    expect(fields).toEqual({ A: '<b>&amp;</b>', B: '<b> & "q" \'a\'' });
  });

  it('reads CJK and emoji text and numeric character references', () => {
    // Prepare
    const text = '<xml><Name><![CDATA[张三 😀]]></Name><Alias>&#24352;&#x4E09;</Alias></xml>';

    // Act
    const fields = childTexts(parseXml(text));

    // Assess
    expect(fields).toEqual({ Name: '张三 😀', Alias: '张三' });
  });

  it('builds the tree of nested elements, ignoring attributes', () => {
    // Prepare
    const text =
      '<xml><ExtAttr><Item type="0"><Name><![CDATA[爱好]]></Name><Text><Value>旅游</Value></Text></Item></ExtAttr></xml>';

    // Act
    const root = parseXml(text);

    // Assess
    expect(root).toEqual({
      name: 'xml',
      text: '',
      children: [
        {
          name: 'ExtAttr',
          text: '',
          children: [
            {
              name: 'Item',
              text: '',
              children: [
                { name: 'Name', text: '爱好', children: [] },
                { name: 'Text', text: '', children: [{ name: 'Value', text: '旅游', children: [] }] },
              ],
            },
          ],
        },
      ],
    });
  });

  it('accepts an XML declaration and whitespace around the root', () => {
    // Prepare
    const text = '<?xml version="1.0" encoding="UTF-8"?>\n<xml>\n<A>1</A>\n</xml>\n';

    // Act
    const fields = childTexts(parseXml(text));

    // Assess
    expect(fields).toEqual({ A: '1' });
  });

  it.each([
    ['an empty document', ''],
    ['text without markup', 'hello'],
    ['JSON', '{"encrypt":"abc"}'],
    ['an unclosed root', '<xml><A>1</A>'],
    ['mismatched tags', '<xml><A>1</B></xml>'],
    ['two roots', '<xml></xml><xml></xml>'],
    ['text after the root', '<xml></xml>trailing'],
    ['an unterminated CDATA section', '<xml><A><![CDATA[open</A></xml>'],
    ['a bare ampersand', '<xml><A>a & b</A></xml>'],
    ['a bare "<" in text', '<xml><A>a < b</A></xml>'],
    ['a forbidden control character', '<xml><A>a\u0010b</A></xml>'],
    ['an undefined entity reference', '<xml><A>&foo;</A></xml>'],
    ['an HTML entity', '<xml><A>&nbsp;</A></xml>'],
    ['a processing instruction inside the root', '<xml><?php echo 1; ?><A>1</A></xml>'],
    ['a processing instruction before the root', '<?xml-stylesheet href="evil.xsl"?><xml><A>1</A></xml>'],
    ['a bare DOCTYPE', '<!DOCTYPE xml><xml><A>1</A></xml>'],
    ['a DOCTYPE with an internal entity (billion laughs)', BILLION_LAUGHS],
    [
      'an external entity',
      '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><A>&xxe;</A></xml>',
    ],
    ['an external DTD', '<!DOCTYPE xml SYSTEM "http://example.com/evil.dtd"><xml><A>1</A></xml>'],
  ])('rejects %s with a 400 MalformedPayloadError', (_case, text) => {
    // Act & Assess
    expectWecomError(() => parseXml(text), MalformedPayloadError, 400);
  });

  it('never echoes the content of an external entity', () => {
    // Prepare
    const text = '<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><A>&xxe;</A></xml>';

    // Act
    const error = expectWecomError(() => parseXml(text), MalformedPayloadError, 400);

    // Assess
    expect(error.message).not.toContain('root:');
  });

  it('accepts the nesting WeCom uses (xml > ExtAttr > Item > Text > Value)', () => {
    // Act
    const root = parseXml(nested(5));

    // Assess
    expect(root.name).toBe('xml');
  });

  it.each([50, 10_000])('rejects %i nested elements', (depth) => {
    // Act & Assess
    expectWecomError(() => parseXml(nested(depth)), MalformedPayloadError, 400);
  });

  it('accepts a few hundred elements (a large update_user)', () => {
    // Act
    const root = parseXml(wide(300));

    // Assess
    expect(root.children).toHaveLength(300);
  });

  it('rejects a document with tens of thousands of elements', () => {
    // Act & Assess
    expectWecomError(() => parseXml(wide(50_000)), MalformedPayloadError, 400);
  });
});

describe('childTexts', () => {
  it('keeps the first of repeated elements', () => {
    // Prepare
    const root = parseXml('<xml><A>first</A><A>second</A><B>b</B></xml>');

    // Act
    const fields = childTexts(root);

    // Assess
    expect(fields).toEqual({ A: 'first', B: 'b' });
  });

  it('reads elements named like Object.prototype members as plain fields', () => {
    // Prepare
    const root = parseXml(
      '<xml><constructor>x</constructor><toString>y</toString><__proto__>z</__proto__></xml>',
    );

    // Act
    const fields = childTexts(root);

    // Assess
    expect(Object.entries(fields)).toEqual([
      ['constructor', 'x'],
      ['toString', 'y'],
      ['__proto__', 'z'],
    ]);
  });
});

describe('stripForbiddenControls', () => {
  const controlsAndGraphemes = fc.oneof(
    fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  );

  it('removes \\x10 and the other C0 controls XML forbids', () => {
    // Prepare
    const text = 'a\u0000b\u0001c\u0008d\u000Be\u000Cf\u000Eg\u0010h\u001Fi';

    // Act
    const stripped = stripForbiddenControls(text);

    // Assess
    expect(stripped).toBe('abcdefghi');
  });

  it('keeps tab, LF, CR, DEL, CJK and emoji', () => {
    // Prepare
    const text = 'a\tb\nc\rd\u007Fe 张三 😀 👨‍👩‍👧';

    // Act
    const stripped = stripForbiddenControls(text);

    // Assess
    expect(stripped).toBe(text);
  });

  it('makes a CDATA section holding \\x10 parseable, keeping its other characters', () => {
    // Prepare
    const text = '<xml><State><![CDATA[qr\u0010code张三]]></State></xml>';

    // Act
    const fields = childTexts(parseXml(stripForbiddenControls(text)));

    // Assess
    expect(() => parseXml(text)).toThrow(MalformedPayloadError);
    expect(fields).toEqual({ State: 'qrcode张三' });
  });

  it('removes exactly the XML-forbidden controls from any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: controlsAndGraphemes }), (text) => {
        // Prepare
        const isForbidden = (ch: string) => {
          const code = ch.codePointAt(0) ?? 0;
          return code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d;
        };

        // Act
        const stripped = stripForbiddenControls(text);

        // Assess
        expect(stripped).toBe(
          Array.from(text)
            .filter((ch) => !isForbidden(ch))
            .join(''),
        );
        expect(stripForbiddenControls(stripped)).toBe(stripped);
      }),
    );
  });
});
