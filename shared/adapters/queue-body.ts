/**
 * Every UTF-16 unit outside printable ASCII. JSON.stringify already escapes the controls below
 * U+0020 (and lone surrogates); this takes DEL and everything above it, pairs included.
 */
const NON_ASCII = /[\u007f-\uffff]/g;

function escapeUnit(unit: string): string {
  return `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * The JSON of `value` as an SQS message body: plain printable ASCII, every other character as a
 * `\uXXXX` escape (a character outside the Basic Multilingual Plane as its surrogate pair).
 *
 * SQS refuses a body holding U+FFFE, U+FFFF or a lone surrogate, and some SQS implementations
 * refuse everything outside the BMP, emoji included; an escaped body holds none of them, and
 * `JSON.parse` gives back exactly the same value. The cost is size: a CJK character takes 6 bytes
 * instead of 3, an emoji 12 instead of 4, so a 256 KiB callback stays under the queue's 1 MiB.
 */
export function queueBody(value: unknown): string {
  return JSON.stringify(value).replace(NON_ASCII, escapeUnit);
}
