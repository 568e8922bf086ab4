import { createHash } from 'node:crypto';
import { InvalidCursorError } from '../errors.js';
import { decodePageCursor, encodePageCursor } from './page-cursor.js';
import { AUDIT_SORT_KEY } from './penalty-table.js';

/**
 * The cursor of the page after an audit entry: its sort key and a tag of the member's partition, as
 * base64url JSON. Unlike a violation cursor, it is bound to its member: the console pages one
 * member's history, and a cursor carried over to another member is a mistake to refuse (400), not a
 * position to reuse. (The tag is no secret: it only tells a cursor's member, it protects nothing.)
 */
export function encodeAuditCursor(pk: string, sortKey: string): string {
  return encodePageCursor({ of: tagOf(pk), after: sortKey });
}

/** The sort key an audit cursor names for the member `pk`; InvalidCursorError for anything else. */
export function decodeAuditCursor(pk: string, cursor: string): string {
  const { of, after } = decodePageCursor(cursor);
  if (of !== tagOf(pk) || typeof after !== 'string' || !AUDIT_SORT_KEY.test(after)) {
    throw new InvalidCursorError();
  }
  return after;
}

/** A short tag of a partition key (the member a cursor was given for). */
function tagOf(pk: string): string {
  return createHash('sha256').update(pk).digest('base64url').slice(0, 16);
}
