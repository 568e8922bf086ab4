import { InvalidCursorError } from '../errors.js';
import { decodePageCursor, encodePageCursor } from './page-cursor.js';
import { VIOLATION_SORT_KEY } from './penalty-table.js';

/**
 * The cursor of the page after a violation record: its sort key, as base64url JSON. The member is
 * not in it: a cursor is read back only against the partition of the member asked for, so it
 * cannot lead into another member's records.
 */
export function encodeCursor(sortKey: string): string {
  return encodePageCursor({ after: sortKey });
}

/** The sort key a cursor names; InvalidCursorError for anything this store did not give out. */
export function decodeCursor(cursor: string): string {
  const { after } = decodePageCursor(cursor);
  if (typeof after !== 'string' || !VIOLATION_SORT_KEY.test(after)) throw new InvalidCursorError();
  return after;
}
