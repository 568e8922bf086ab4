import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { queueBody } from '../../../../shared/adapters/queue-body.js';

describe('queueBody', () => {
  it('gives back exactly the value it was given, for any text, in printable ASCII', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), (text, other) => {
        // Act
        const body = queueBody({ text, other, n: 1, list: [text] });

        // Assess: printable ASCII is inside what every SQS implementation accepts
        expect(body).toMatch(/^[\x20-\x7e]*$/);
        expect(JSON.parse(body)).toEqual({ text, other, n: 1, list: [text] });
      }),
    );
  });

  it('escapes an emoji as its surrogate pair and U+FFFE/U+FFFF, which SQS refuses raw', () => {
    // Act
    const body = queueBody({ text: '😀\uFFFE\uFFFF' });

    // Assess
    expect(body).toBe('{"text":"\\ud83d\\ude00\\ufffe\\uffff"}');
  });
});
