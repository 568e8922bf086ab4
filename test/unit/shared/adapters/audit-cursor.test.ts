import { describe, expect, it } from 'vitest';
import { decodeAuditCursor, encodeAuditCursor } from '../../../../shared/adapters/audit-cursor.js';
import { storeKeys } from '../../../../shared/adapters/penalty-table.js';
import { InvalidCursorError } from '../../../../shared/errors.js';

const mine = storeKeys.member('wwcorp', 'zhang').pk;
const theirs = storeKeys.member('wwcorp', 'li').pk;
const sortKey = storeKeys.audit(mine, 1772409600000, 'input-1', 0).sk;

describe('the audit cursor', () => {
  it("reads back the sort key it was given for the member's own history", () => {
    // Act
    const after = decodeAuditCursor(mine, encodeAuditCursor(mine, sortKey));

    // Assess
    expect(after).toBe(sortKey);
  });

  it("refuses another member's cursor", () => {
    // Prepare
    const cursor = encodeAuditCursor(theirs, storeKeys.audit(theirs, 1, 'x', 0).sk);

    // Act, Assess
    expect(() => decodeAuditCursor(mine, cursor)).toThrow(InvalidCursorError);
  });

  it.each([
    ['not base64url', 'not a cursor!'],
    ['padded', `${encodeAuditCursor(mine, sortKey)}=`],
    ['a violation key', encodeAuditCursor(mine, 'VIOLATION-AT#001772409600000#x')],
    ['the state key', encodeAuditCursor(mine, 'STATE')],
    ['another version', Buffer.from(JSON.stringify({ v: 2, after: sortKey })).toString('base64url')],
    ['an array', Buffer.from(JSON.stringify([sortKey])).toString('base64url')],
    ['null', Buffer.from('null').toString('base64url')],
    ['too long', 'a'.repeat(4096)],
  ])('refuses a forged cursor (%s)', (_, cursor) => {
    // Act, Assess
    expect(() => decodeAuditCursor(mine, cursor)).toThrow(InvalidCursorError);
  });
});
