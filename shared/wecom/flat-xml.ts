import type { XmlElement } from './xml.js';

/**
 * A reader for the one shape WeCom sends, and nothing else: `<xml>` holding flat child elements,
 * each empty, one CDATA section, or plain text without markup, separated by spaces, tabs or line
 * feeds, then `</xml>` and optional trailing white space. It reads the markup by scanning
 * characters (no regular expression, no general parser), checks what lies between the tags with
 * one character-class test, and returns exactly what the strict parser (xml.ts, saxes) returns
 * for the same document; for anything else (a declaration, a BOM, an attribute, a
 * comment, an entity, a nested element, a self-closing tag, a carriage return, a character XML
 * forbids, a name outside ASCII letters, digits and _ . -, too many elements) it returns undefined
 * and the strict parser decides, with its errors. Linear in the text.
 */
export function parseFlatXml(text: string, maxElements: number): XmlElement | undefined {
  if (!text.startsWith('<xml>')) return undefined;
  const root: XmlElement = { name: 'xml', text: '', children: [] };
  let at = 5;
  for (;;) {
    const spaceEnd = skipSpace(text, at);
    if (spaceEnd > at) root.text += text.slice(at, spaceEnd);
    at = spaceEnd;
    if (text.startsWith('</xml>', at)) break;
    if (text.charCodeAt(at) !== LT || root.children.length + 1 >= maxElements) return undefined;
    const nameEnd = nameEndAt(text, at + 1);
    if (nameEnd < 0 || text.charCodeAt(nameEnd) !== GT) return undefined;
    const name = text.slice(at + 1, nameEnd);
    at = nameEnd + 1;
    let content: string;
    if (text.startsWith(CDATA_OPEN, at)) {
      const close = text.indexOf(CDATA_CLOSE, at + CDATA_OPEN.length);
      if (close < 0) return undefined;
      content = text.slice(at + CDATA_OPEN.length, close);
      if (CDATA_CLOSER_LOOK.test(content) && !plainCharacters(text, at + CDATA_OPEN.length, close, false))
        return undefined;
      at = close + CDATA_CLOSE.length;
    } else {
      const end = text.indexOf('<', at);
      if (end < 0) return undefined;
      content = text.slice(at, end);
      if (TEXT_CLOSER_LOOK.test(content) && !plainCharacters(text, at, end, true)) return undefined;
      at = end;
    }
    // The element must close right here, with its own name.
    if (!text.startsWith('</', at) || !text.startsWith(name, at + 2)) return undefined;
    at += 2 + name.length;
    if (text.charCodeAt(at) !== GT) return undefined;
    at += 1;
    root.children.push({ name, text: content, children: [] });
  }
  const end = at + '</xml>'.length;
  return skipSpace(text, end) === text.length ? root : undefined;
}

/**
 * Characters that send a CDATA section to the exact scan (plainCharacters): control characters but
 * tab and line feed, carriage return among them, any surrogate (a pair, as in an emoji, is fine,
 * which the scan tells), U+FFFE and U+FFFF. Content without any, nearly all of it, is accepted on
 * this one test, a class match the regular-expression engine runs about four times faster than a
 * loop over charCodeAt (`npm run bench -- ingest`); the document's structure is still read by hand.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching these control characters is the point.
const CDATA_CLOSER_LOOK = /[\u0000-\u0008\u000B-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
/** The same for plain text, where markup (< & >) is not plain either. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching these control characters is the point.
const TEXT_CLOSER_LOOK = /[\u0000-\u0008\u000B-\u001F\uD800-\uDFFF\uFFFE\uFFFF<>&]/;

const LT = 0x3c;
const GT = 0x3e;
const CDATA_OPEN = '<![CDATA[';
const CDATA_CLOSE = ']]>';

/** The first index from `at` that is not a space, tab or line feed. */
function skipSpace(text: string, at: number): number {
  let i = at;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a) break;
  }
  return i;
}

/** The end of an element name of ASCII letters, digits, _ . - (not starting with a digit . or -) from `at`, or -1. */
function nameEndAt(text: string, at: number): number {
  let i = at;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
    const more = (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d;
    if (letter || (i > at && more)) continue;
    break;
  }
  return i > at ? i : -1;
}

/**
 * Whether text[from, to) holds only characters the strict parser passes through unchanged: no
 * carriage return (XML turns it into a line feed), no control character XML forbids, no lone
 * surrogate, no U+FFFE or U+FFFF, and in plain text no markup (< & >) either. Run only on content
 * the closer-look classes above flag. (Read in place: a slice of the text is slower to scan.)
 */
function plainCharacters(text: string, from: number, to: number, plainText: boolean): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20) {
      if (c !== 0x09 && c !== 0x0a) return false;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < to ? text.charCodeAt(i + 1) : 0;
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if ((c >= 0xdc00 && c <= 0xdfff) || c === 0xfffe || c === 0xffff) {
      return false;
    } else if (plainText && (c === 0x3c || c === 0x26 || c === 0x3e)) {
      return false;
    }
  }
  return true;
}
