import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAY_DOT, mayHoldLink } from '../../../../shared/classifier/link-hint.js';
import { findUrls } from '../../../../shared/classifier/url-signals.js';

/** Texts with a character in every position of a link where a character can matter to mayHoldLink. */
function contexts(char: string): string[] {
  return [
    `http://ab${char}com/x`, // a dot
    `http://${char}b.com/x`, // a letter or digit at the start of a label
    `http://a${char}.com/x`, // before a dot (or dropped)
    `http://ab.${char}om/x`, // after a dot
    `http://a.${char}com/x`, // between a dot and a letter (or dropped)
    `http://1.2.3${char}4/x`, // an IP address's dot
    `see ab${char}com now`, // without a scheme
    `see www${char}ab${char}top now`,
  ];
}

/** The texts findUrls finds a link in that mayHoldLink says hold none (there must be none). */
function missed(texts: readonly string[]): string[] {
  return texts.filter((text) => findUrls(text).length > 0 && !mayHoldLink(text));
}

/** A hang guard, not a timing assertion: a quadratic read-ahead would take minutes on the long texts. */
const HANG_GUARD_MS = 20_000;

describe('mayHoldLink', () => {
  it('is true wherever findUrls finds a link, for every BMP character in every position that matters', () => {
    const found: string[] = [];
    for (let code = 0; code <= 0xffff; code++) found.push(...missed(contexts(String.fromCharCode(code))));
    expect(found).toEqual([]);
  });

  it('is true wherever findUrls finds a link, for astral letters, digits, symbols and format characters', () => {
    const ranges: Array<[number, number]> = [
      [0x1d400, 0x1d7ff], // mathematical letters and digits
      [0x1f100, 0x1f1ff], // enclosed alphanumerics (🄀 is "0.")
      [0x1fbf0, 0x1fbf9], // segmented digits
      [0xe0000, 0xe007f], // tags (format characters)
      [0x1f300, 0x1f64f], // emoji
    ];
    const found: string[] = [];
    for (const [from, to] of ranges) {
      for (let code = from; code <= to; code++) found.push(...missed(contexts(String.fromCodePoint(code))));
    }
    expect(found).toEqual([]);
  });

  it('is true wherever findUrls finds a link, in texts of the characters links are written with', () => {
    const alphabet = [
      ...'ahtpsx:/-.1209comwq',
      '。',
      '．',
      '｡',
      '[.]',
      '(.)',
      '{.}',
      '[dot]',
      '(DOT)',
      '\u200b',
      '⒈',
      '…',
      'ａ',
      '１',
      '𝐚',
      '🄀',
      '中',
      ' ',
      '@',
      '[',
      '(',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 24 }), (parts) => {
        const text = parts.join('');
        expect(findUrls(text).length === 0 || mayHoldLink(text), text).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads ahead only to units that may give a dot: every BMP unit whose view has one, wide dots, brackets, astral code points', () => {
    // The view's rules (url-signals.ts, linkView): ASCII by lower case, the rest by NFKC and lower
    // case, kept when printable ASCII; a wide full stop, and a bracket before a defanged dot.
    const mayDot = new RegExp(`^${MAY_DOT.source}$`);
    const missing: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      if (code >= 0xdc00 && code <= 0xdfff) continue;
      const char = String.fromCharCode(code);
      const folded = code < 0x80 ? char.toLowerCase() : char.normalize('NFKC').toLowerCase();
      const view = /^[\x20-\x7e]+$/.test(folded) ? folded : '';
      const dot = view.includes('.') || '。．｡[({'.includes(char) || (code >= 0xd800 && code <= 0xdbff);
      if (dot && !mayDot.test(char)) missing.push(`U+${code.toString(16)}`);
    }
    expect(missing).toEqual([]);
  });

  it(
    'reads ahead through long runs of format characters, emoji, noncharacters and bidi marks, in linear time',
    () => {
      const run = 200_000;
      // Format characters (dropped by the view) between a letter and its dot: still a link.
      expect(mayHoldLink(`a${'\u200b'.repeat(run)}.com/x`)).toBe(true);
      expect(mayHoldLink(`a${'\u202e'.repeat(run)}.${'\u2066'.repeat(run)}com`)).toBe(true);
      // A dot before each of them, and nothing a dot could follow: none.
      expect(mayHoldLink('.\u200b'.repeat(run))).toBe(false);
      expect(mayHoldLink('。'.repeat(run))).toBe(false);
      // Astral code points are each looked at; an emoji is no letter, so it breaks a link.
      expect(mayHoldLink(`${'😀'.repeat(run)}a.b`)).toBe(true);
      expect(mayHoldLink(`a${'😀'.repeat(run)}.com`)).toBe(false);
      // Noncharacters and lone surrogates are something other.
      expect(mayHoldLink(`${'\ufffe'.repeat(run)}x.y`)).toBe(true);
      expect(mayHoldLink(`a\ufffe.com${'\ud83d'.repeat(run)}`)).toBe(false);
      expect(mayHoldLink(`${'\ud83d'.repeat(run)}a.b`)).toBe(true);
    },
    HANG_GUARD_MS,
  );

  it.each([
    ['a link', 'https://bit.ly/x'],
    ['a host without a scheme', '请登录 www.a1ipay.com 重新认证'],
    ['an IP address', '45.83.12.190/refund'],
    ['full-width letters and an ideographic full stop', '登录ａ１ｉｐａｙ。ｃｏｍ验证'],
    ['a defanged dot', 'evil-site[.]top/login'],
    ['a spelled-out dot', 'evil-site(dot)top'],
    ['a zero-width space', 'qq-secu\u200brity.tk'],
    ['a version number', 'v2.10'],
  ])('is true for %s: %s', (_case, text) => {
    expect(mayHoldLink(text)).toBe(true);
  });

  it.each([
    ['Chinese', '今天下午三点开会。收到请回复……'],
    ['sentences', 'Meeting at 3pm. See you there.'],
    ['a full stop after a word', '好的，明天见。OK。'],
    ['an empty text', ''],
    ['a dot at an end', '.com and then.'],
    ['dots between other characters', '价格 9 . 9 元，a . b'],
  ])('is false for %s: %s', (_case, text) => {
    expect(mayHoldLink(text)).toBe(false);
  });
});
