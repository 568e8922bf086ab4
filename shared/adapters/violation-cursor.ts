import { InvalidCursorError } from '../errors.js';
import { MalformedCursorError } from './errors.js';
import { VIOLATION_SORT_KEY } from './penalty-table.js';

/**
 * The cursor of the page after a violation record: its sort key, as base64url JSON. The member is
 * not in it: a cursor is read back only against the partition of the member asked for, so it
 * cannot lead into another member's records.
 */
export function encodeCursor(sortKey: string): string {
  return Buffer.from(JSON.stringify({ v: 1, after: sortKey })).toString('base64url');
}

/** The sort key a cursor names; InvalidCursorError for anything this store did not give out. */
export function decodeCursor(cursor: string): string {
  let decoded: unknown;
  try {
    const bytes = Buffer.from(cursor, 'base64url');
    // Node decodes leniently: only the very text it would have encoded is a cursor.
    if (cursor.length > 2048 || bytes.toString('base64url') !== cursor)
      throw new MalformedCursorError('not base64url');
    decoded = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new InvalidCursorError({ cause: error });
  }
  const after = (decoded as { v?: unknown; after?: unknown } | null)?.after;
  if (
    typeof decoded !== 'object' ||
    decoded === null ||
    (decoded as { v?: unknown }).v !== 1 ||
    typeof after !== 'string' ||
    !VIOLATION_SORT_KEY.test(after)
  ) {
    throw new InvalidCursorError();
  }
  return after;
}
