import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decrypt, deriveAesKey, verifySignature } from '../../../../shared/wecom/crypto.js';
import { MalformedPayloadError, SignatureError } from '../../../../shared/wecom/errors.js';
import { parseCallbackQuery } from '../../../../shared/wecom/query.js';
import { expectWecomError } from '../../../helpers/wecom-assertions.js';
import { GO_SAMPLE, PY_SAMPLE } from '../../../helpers/wecom-vectors.js';

describe('parseCallbackQuery', () => {
  it('reads the official GO GET query, decoding the percent-encoded echostr once', () => {
    // Act
    const query = parseCallbackQuery(GO_SAMPLE.getRawQueryString);

    // Assess
    expect(query).toEqual({
      msgSignature: GO_SAMPLE.get.msgSignature,
      timestamp: GO_SAMPLE.get.timestamp,
      nonce: GO_SAMPLE.get.nonce,
      echostr: GO_SAMPLE.get.encrypted,
    });
  });

  it('gives an echostr that verifies and decrypts to the official plaintext', () => {
    // Prepare
    const { token, encodingAesKey, receiveId } = GO_SAMPLE.config;

    // Act
    const query = parseCallbackQuery(GO_SAMPLE.getRawQueryString);

    // Assess
    const { msgSignature, timestamp, nonce, echostr = '' } = query;
    expect(() => verifySignature(token, msgSignature, timestamp, nonce, echostr)).not.toThrow();
    expect(decrypt(deriveAesKey(encodingAesKey), echostr, receiveId).message).toBe(GO_SAMPLE.get.plaintext);
  });

  it('keeps literal "+" and "/" of an echostr sent unencoded (the PY vector)', () => {
    // Prepare
    const { msgSignature, timestamp, nonce, encrypted } = PY_SAMPLE.get;
    const raw = `msg_signature=${msgSignature}&timestamp=${timestamp}&nonce=${nonce}&echostr=${encrypted}`;

    // Act
    const query = parseCallbackQuery(raw);

    // Assess
    expect(query.echostr).toBe(encrypted);
    expect(() =>
      verifySignature(
        PY_SAMPLE.config.token,
        query.msgSignature,
        query.timestamp,
        query.nonce,
        query.echostr ?? '',
      ),
    ).not.toThrow();
  });

  it('fails the signature when the echostr is not decoded at all (the bug a raw read would have)', () => {
    // Prepare
    const encoded = GO_SAMPLE.getRawQueryString.split('echostr=')[1] ?? '';
    const { msgSignature, timestamp, nonce } = GO_SAMPLE.get;

    // Act & Assess
    expectWecomError(
      () => verifySignature(GO_SAMPLE.config.token, msgSignature, timestamp, nonce, encoded),
      SignatureError,
      401,
    );
  });

  it.each([
    ['%2B', '+'],
    ['%2b', '+'],
    ['%2F', '/'],
    ['%3D', '='],
    ['%20', ' '],
    ['a%2Bb%2Fc%3D%3D', 'a+b/c=='],
  ])('decodes %s to %s', (encoded, decoded) => {
    // Act
    const query = parseCallbackQuery(`echostr=${encoded}`);

    // Assess
    expect(query.echostr).toBe(decoded);
  });

  it('keeps a literal "+" as "+", not a space', () => {
    // Act
    const query = parseCallbackQuery('echostr=ab+cd+&nonce=1+2');

    // Assess
    expect(query).toEqual({ echostr: 'ab+cd+', nonce: '1+2' });
  });

  it('decodes a double-encoded value once: %252B becomes %2B, not +', () => {
    // Act
    const query = parseCallbackQuery('echostr=%252B%252F%253D');

    // Assess
    expect(query.echostr).toBe('%2B%2F%3D');
  });

  it('decodes any percent-encoded value exactly once', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (value) => {
        // Prepare
        const once = encodeURIComponent(value);

        // Act
        const decodedOnce = parseCallbackQuery(`echostr=${once}`).echostr;
        const decodedTwice = parseCallbackQuery(`echostr=${encodeURIComponent(once)}`).echostr;

        // Assess
        expect(decodedOnce).toBe(value);
        expect(decodedTwice).toBe(once);
      }),
    );
  });

  it.each([
    ['msg_signature', 'msg_signature=a&msg_signature=b'],
    ['timestamp with the same value', 'timestamp=1&timestamp=1'],
    ['nonce, the first one empty', 'nonce=&nonce=2'],
    ['echostr apart from each other', 'echostr=a&nonce=1&echostr=b'],
    ['echostr once without a value', 'echostr=a&echostr'],
  ])('rejects a repeated %s with a 400 MalformedPayloadError', (_case, raw) => {
    // Act & Assess
    expectWecomError(() => parseCallbackQuery(raw), MalformedPayloadError, 400);
  });

  it.each([
    ['a lone %', 'echostr=abc%'],
    ['a non-hex escape', 'echostr=%ZZ'],
    ['a truncated escape', 'echostr=%2'],
    ['a truncated UTF-8 sequence', 'echostr=%E0%A4%A'],
    ['an invalid UTF-8 byte', 'nonce=%FF'],
  ])('rejects %s in a parameter it reads', (_case, raw) => {
    // Act & Assess
    expectWecomError(() => parseCallbackQuery(raw), MalformedPayloadError, 400);
  });

  it('ignores parameters it does not read, even repeated or malformed ones', () => {
    // Prepare
    const raw = 'corpid=ww1&foo=%ZZ&foo=2&nonce=42&&echostr_extra=x&ECHOSTR=y';

    // Act
    const query = parseCallbackQuery(raw);

    // Assess
    expect(query).toEqual({ nonce: '42' });
  });

  it('reads an absent value as empty and leaves missing parameters out', () => {
    // Act
    const query = parseCallbackQuery('echostr&nonce=');

    // Assess
    expect(query).toEqual({ echostr: '', nonce: '' });
    expect(query).not.toHaveProperty('msgSignature');
    expect(query).not.toHaveProperty('timestamp');
  });

  it.each([
    ['undefined', undefined],
    ['empty', ''],
  ])('reads an %s query string as no parameters', (_case, raw) => {
    // Act
    const query = parseCallbackQuery(raw);

    // Assess
    expect(query).toEqual({});
  });
});
