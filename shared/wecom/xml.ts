import { SaxesParser } from 'saxes';
import { MalformedPayloadError } from './errors.js';

/** An element of a parsed WeCom XML document: its name, its own text and its child elements. */
export interface XmlElement {
  readonly name: string;
  text: string;
  readonly children: XmlElement[];
}

/** Limits that keep a hostile document cheap to reject. */
const MAX_DEPTH = 8;
const MAX_ELEMENTS = 2_000;

/**
 * Parses XML strictly: well-formedness errors, any DOCTYPE (so no DTD, no entity declarations,
 * no external entities) and references to anything but the five predefined entities are
 * rejected with MalformedPayloadError. Attributes are ignored: WeCom puts nothing in them.
 */
export function parseXml(text: string): XmlElement {
  const parser = new SaxesParser({ position: false });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let elements = 0;

  parser.on('doctype', () => {
    throw new MalformedPayloadError('XML with a DOCTYPE is not accepted');
  });
  parser.on('processinginstruction', () => {
    throw new MalformedPayloadError('XML processing instructions are not accepted');
  });
  parser.on('opentag', (tag) => {
    elements += 1;
    if (elements > MAX_ELEMENTS) throw new MalformedPayloadError('XML has too many elements');
    if (stack.length >= MAX_DEPTH) throw new MalformedPayloadError('XML is nested too deeply');
    const element: XmlElement = { name: tag.name, text: '', children: [] };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else root = element;
    stack.push(element);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const appendText = (chunk: string) => {
    const current = stack[stack.length - 1];
    if (current) current.text += chunk;
  };
  parser.on('text', appendText);
  parser.on('cdata', appendText);
  parser.on('error', (error) => {
    throw new MalformedPayloadError(`malformed XML: ${error.message}`, { cause: error });
  });

  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof MalformedPayloadError) throw error;
    throw new MalformedPayloadError('malformed XML', { cause: error });
  }
  if (!root) throw new MalformedPayloadError('XML has no root element');
  return root;
}

/** The text of each direct child of `element`, by name (the first wins when a name repeats). */
export function childTexts(element: XmlElement): Record<string, string> {
  // No prototype: element names such as `constructor` or `__proto__` are plain fields here.
  const fields: Record<string, string> = Object.create(null);
  for (const child of element.children) {
    if (!Object.hasOwn(fields, child.name)) fields[child.name] = child.text;
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
