import { InvalidCursorError } from '../errors.js';
import { MalformedCursorError } from './errors.js';

/** The version every page cursor carries; a cursor of another is refused. */
const CURSOR_VERSION = 1;

/** A page cursor: the position's fields, with the version, as base64url JSON. */
export function encodePageCursor(position: Readonly<Record<string, string | number>>): string {
  return Buffer.from(JSON.stringify({ v: CURSOR_VERSION, ...position })).toString('base64url');
}

/**
 * The fields of a cursor a reader gave out: the exact base64url text of a JSON object of this
 * version, at most `maxLength` characters; InvalidCursorError (400) for anything else. Each reader
 * then checks the fields it reads (their types, their list, their member or corp).
 */
export function decodePageCursor(cursor: string, maxLength = 2048): Readonly<Record<string, unknown>> {
  let decoded: unknown;
  try {
    const bytes = Buffer.from(cursor, 'base64url');
    // Node decodes leniently: only the very text it would have encoded is a cursor.
    if (cursor.length > maxLength || bytes.toString('base64url') !== cursor)
      throw new MalformedCursorError('not base64url');
    decoded = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new InvalidCursorError({ cause: error });
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded))
    throw new InvalidCursorError();
  const fields = decoded as Record<string, unknown>;
  if (fields.v !== CURSOR_VERSION) throw new InvalidCursorError();
  return fields;
}
