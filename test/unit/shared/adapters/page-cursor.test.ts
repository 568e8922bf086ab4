import { describe, expect, it } from 'vitest';
import { decodePageCursor, encodePageCursor } from '../../../../shared/adapters/page-cursor.js';
import { InvalidCursorError } from '../../../../shared/errors.js';

describe('a page cursor', () => {
  it('reads back the position it was given', () => {
    // Act
    const fields = decodePageCursor(encodePageCursor({ at: 1_772_413_200_000, pk: 'MEMBER#ww1#zhang san' }));

    // Assess
    expect(fields).toEqual({ v: 1, at: 1_772_413_200_000, pk: 'MEMBER#ww1#zhang san' });
  });

  it('refuses what no reader gave out: another version, not an object, padded or altered base64, too long', () => {
    // Prepare
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const good = encodePageCursor({ after: 'x' });
    const forged = [
      b64({ v: 2, after: 'x' }),
      b64([1, 'x']),
      b64(null),
      `${good}=`,
      `${good.slice(0, -1)}!`,
      'not json at all',
      encodePageCursor({ after: 'x'.repeat(100) }),
    ];

    // Act
    const refused = forged.map((cursor) => {
      try {
        decodePageCursor(cursor, 64);
        return false;
      } catch (error) {
        return error instanceof InvalidCursorError;
      }
    });

    // Assess
    expect(refused).toEqual([true, true, true, true, true, true, true]);
  });
});
