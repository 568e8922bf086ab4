import { SaxesParser } from 'saxes';
import { MalformedPayloadError } from './errors.js';
import { parseFlatXml } from './flat-xml.js';

/** An element of a parsed WeCom XML document: its name, its own text and its child elements. */
export interface XmlElement {
  readonly name: string;
  text: string;
  readonly children: XmlElement[];
}

/** Limits that keep a hostile document cheap to reject. */
const MAX_DEPTH = 8;
const MAX_ELEMENTS = 2_000;

/** What one parse builds; the handlers of the shared parser write here. */
interface ParseState {
  stack: XmlElement[];
  root: XmlElement | undefined;
  elements: number;
}

const state: ParseState = { stack: [], root: undefined, elements: 0 };

function appendText(chunk: string): void {
  const current = state.stack[state.stack.length - 1];
  if (current) current.text += chunk;
}

function createParser(): SaxesParser {
  const parser = new SaxesParser({ position: false });
  parser.on('doctype', () => {
    throw new MalformedPayloadError('XML with a DOCTYPE is not accepted');
  });
  parser.on('processinginstruction', () => {
    throw new MalformedPayloadError('XML processing instructions are not accepted');
  });
  parser.on('opentag', (tag) => {
    state.elements += 1;
    if (state.elements > MAX_ELEMENTS) throw new MalformedPayloadError('XML has too many elements');
    if (state.stack.length >= MAX_DEPTH) throw new MalformedPayloadError('XML is nested too deeply');
    const element: XmlElement = { name: tag.name, text: '', children: [] };
    const parent = state.stack[state.stack.length - 1];
    if (parent) parent.children.push(element);
    else state.root = element;
    state.stack.push(element);
  });
  parser.on('closetag', () => {
    state.stack.pop();
  });
  parser.on('text', appendText);
  parser.on('cdata', appendText);
  parser.on('error', (error) => {
    throw new MalformedPayloadError(`malformed XML: ${error.message}`, { cause: error });
  });
  return parser;
}

/**
 * One parser, reused: saxes resets itself when a document closes, and building a parser with its
 * handlers costs about as much as parsing a small WeCom document. A parser that failed mid-document
 * is dropped, since its state is then undefined.
 */
let idleParser: SaxesParser | undefined;

/**
 * Parses XML strictly: well-formedness errors, any DOCTYPE (so no DTD, no entity declarations,
 * no external entities) and references to anything but the five predefined entities are
 * rejected with MalformedPayloadError. Attributes are ignored: WeCom puts nothing in them.
 */
export function parseXml(text: string): XmlElement {
  // WeCom's own shape is read by a scan of its characters (flat-xml.ts); anything else, by saxes.
  return parseFlatXml(text, MAX_ELEMENTS) ?? parseStrictXml(text);
}

/** parseXml without the fast path: what the fast path must agree with. */
export function parseStrictXml(text: string): XmlElement {
  const parser = idleParser ?? createParser();
  idleParser = undefined;
  state.stack = [];
  state.root = undefined;
  state.elements = 0;
  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof MalformedPayloadError) throw error;
    throw new MalformedPayloadError('malformed XML', { cause: error });
  }
  idleParser = parser;
  const root = state.root;
  state.stack = [];
  state.root = undefined;
  if (!root) throw new MalformedPayloadError('XML has no root element');
  return root;
}

/** The text of each direct child of `element`, by name (the first wins when a name repeats). */
export function childTexts(element: XmlElement): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const child of element.children) {
    if (Object.hasOwn(fields, child.name)) continue;
    // Element names such as `constructor` are own fields like any other; `__proto__` must be
    // defined, not assigned, or it would replace the prototype.
    if (child.name === '__proto__') {
      Object.defineProperty(fields, child.name, { value: child.text, enumerable: true, writable: true });
    } else {
      fields[child.name] = child.text;
    }
  }
  return fields;
}

/** C0 control characters that XML 1.0 forbids (everything below 0x20 except tab, LF and CR). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching these control characters is the point.
const FORBIDDEN_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;

/**
 * Removes the control characters XML 1.0 forbids. WeCom has been seen to put them (for example
 * \x10) inside CDATA of decrypted events; they carry no meaning, and rejecting the document would
 * lose a real event, so they are dropped before the strict parse.
 */
export function stripForbiddenControls(text: string): string {
  return text.replace(FORBIDDEN_CONTROLS, '');
}
