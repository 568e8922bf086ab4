import { createCipheriv } from 'node:crypto';
import * as oracle from '@wecom/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AesKey,
  decrypt,
  deriveAesKey,
  encrypt,
  sign,
  verifySignature,
} from '../../../../shared/wecom/crypto.js';
import {
  DecryptionError,
  InvalidKeyError,
  MalformedCiphertextError,
  ReceiveIdError,
  SignatureError,
  WecomError,
} from '../../../../shared/wecom/errors.js';
import { expectWecomError } from '../../../helpers/wecom-assertions.js';
import { ALL_SAMPLE_CIPHERTEXTS, GO_SAMPLE, PY_SAMPLE } from '../../../helpers/wecom-vectors.js';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const encodingAesKeys = fc.string({ unit: fc.constantFrom(...ALPHANUMERIC), minLength: 43, maxLength: 43 });
const messages = fc.string({ unit: 'binary', maxLength: 300 });
const receiveIds = fc.string({ unit: 'binary', maxLength: 40 });
const randoms = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((bytes) => Buffer.from(bytes));

const GO_AES = deriveAesKey(GO_SAMPLE.config.encodingAesKey);
const GO_ID = GO_SAMPLE.config.receiveId;
const FIXED_RANDOM = Buffer.from('0123456789abcdef', 'latin1');

/** random(16) ‖ length (uint32 BE) ‖ message ‖ receive id, with an optional forged length field. */
function plaintextBytes(message: Buffer, receiveId: Buffer, lengthField = message.length): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(lengthField, 0);
  return Buffer.concat([FIXED_RANDOM, length, message, receiveId]);
}

/** Correct WeCom padding: PKCS#7 to a 32-byte block. */
function pad32(bytes: Buffer): Buffer {
  const amount = 32 - (bytes.length % 32);
  return Buffer.concat([bytes, Buffer.alloc(amount, amount)]);
}

/** Encrypts already padded bytes as they are, so a test can hand-craft what the decryption sees. */
function encryptRaw(aes: AesKey, padded: Buffer): string {
  const cipher = createCipheriv('aes-256-cbc', aes.key, aes.iv);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
}

describe('deriveAesKey', () => {
  it('derives a 32-byte key whose first 16 bytes are the IV', () => {
    // Prepare
    const { encodingAesKey } = GO_SAMPLE.config;

    // Act
    const aes = deriveAesKey(encodingAesKey);

    // Assess
    expect(aes.key).toHaveLength(32);
    expect(aes.iv).toEqual(aes.key.subarray(0, 16));
  });

  it.each([
    ['empty', ''],
    ['42 characters', GO_SAMPLE.config.encodingAesKey.slice(0, 42)],
    ['44 characters', `${GO_SAMPLE.config.encodingAesKey}A`],
    ['a "+"', `+${GO_SAMPLE.config.encodingAesKey.slice(1)}`],
    ['a "/"', `/${GO_SAMPLE.config.encodingAesKey.slice(1)}`],
    ['a trailing "="', `${GO_SAMPLE.config.encodingAesKey.slice(0, 42)}=`],
    ['a url-safe "-"', `-${GO_SAMPLE.config.encodingAesKey.slice(1)}`],
    ['a space', ` ${GO_SAMPLE.config.encodingAesKey.slice(1)}`],
    ['a non-ASCII letter', `é${GO_SAMPLE.config.encodingAesKey.slice(1)}`],
    ['a trailing newline', `${GO_SAMPLE.config.encodingAesKey}\n`],
  ])('rejects an EncodingAESKey with %s', (_case, key) => {
    // Prepare
    const act = () => deriveAesKey(key);

    // Act & Assess
    expect(act).toThrow(InvalidKeyError);
  });

  it('accepts exactly the 43-character [A-Za-z0-9] keys', () => {
    fc.assert(
      fc.property(
        fc.oneof(encodingAesKeys, fc.string({ unit: 'binary-ascii', minLength: 40, maxLength: 46 })),
        (key) => {
          // Prepare
          const wellFormed = /^[A-Za-z0-9]{43}$/.test(key);

          // Act
          let derived: AesKey | undefined;
          let error: unknown;
          try {
            derived = deriveAesKey(key);
          } catch (caught) {
            error = caught;
          }

          // Assess
          if (wellFormed) expect(derived?.key).toHaveLength(32);
          else expect(error).toBeInstanceOf(InvalidKeyError);
        },
      ),
    );
  });
});

describe('sign and verifySignature', () => {
  it.each(ALL_SAMPLE_CIPHERTEXTS)('reproduces the msg_signature of the official $name vector', ({
    config,
    sample,
  }) => {
    // Prepare
    const { msgSignature, timestamp, nonce, encrypted } = sample;

    // Act
    const signature = sign(config.token, timestamp, nonce, encrypted);

    // Assess
    expect(signature).toBe(msgSignature);
    expect(() => verifySignature(config.token, msgSignature, timestamp, nonce, encrypted)).not.toThrow();
  });

  it('signs like @wecom/crypto for any token, timestamp, nonce and ciphertext', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.string(),
        fc.base64String(),
        (token, timestamp, nonce, text) => {
          // Act
          const signature = sign(token, timestamp, nonce, text);

          // Assess
          expect(signature).toBe(oracle.getSignature(token, timestamp, nonce, text));
          expect(() => verifySignature(token, signature, timestamp, nonce, text)).not.toThrow();
        },
      ),
    );
  });

  it('accepts the signature in either hex case', () => {
    // Prepare
    const { msgSignature, timestamp, nonce, encrypted } = GO_SAMPLE.post;

    // Act
    const act = () =>
      verifySignature(GO_SAMPLE.config.token, msgSignature.toUpperCase(), timestamp, nonce, encrypted);

    // Assess
    expect(act).not.toThrow();
  });

  it('rejects a signature with one hex digit changed with a 401 SignatureError', () => {
    // Prepare
    const { msgSignature, timestamp, nonce, encrypted } = GO_SAMPLE.post;
    const tampered = `${msgSignature.slice(0, -1)}${msgSignature.endsWith('0') ? '1' : '0'}`;

    // Act & Assess
    expectWecomError(
      () => verifySignature(GO_SAMPLE.config.token, tampered, timestamp, nonce, encrypted),
      SignatureError,
      401,
    );
  });

  it.each([
    ['the token', { token: 'QDG6eL' }],
    ['the timestamp', { timestamp: '1409659814' }],
    ['the nonce', { nonce: '1372623150' }],
    ['the ciphertext', { encrypted: `${GO_SAMPLE.post.encrypted.slice(0, -3)}A==` }],
  ])('rejects the official signature when %s differs', (_case, change) => {
    // Prepare
    const request = { token: GO_SAMPLE.config.token, ...GO_SAMPLE.post, ...change };

    // Act & Assess
    expectWecomError(
      () =>
        verifySignature(
          request.token,
          request.msgSignature,
          request.timestamp,
          request.nonce,
          request.encrypted,
        ),
      SignatureError,
      401,
    );
  });

  it.each([
    ['empty', ''],
    ['39 hex digits', GO_SAMPLE.post.msgSignature.slice(0, 39)],
    ['41 hex digits', `${GO_SAMPLE.post.msgSignature}0`],
    ['80 hex digits', GO_SAMPLE.post.msgSignature.repeat(2)],
    ['a non-hex character', `${GO_SAMPLE.post.msgSignature.slice(0, 39)}g`],
    ['surrounding spaces', ` ${GO_SAMPLE.post.msgSignature} `],
  ])('rejects a signature that is %s with a SignatureError, not a crash', (_case, signature) => {
    // Prepare
    const { timestamp, nonce, encrypted } = GO_SAMPLE.post;

    // Act & Assess
    expectWecomError(
      () => verifySignature(GO_SAMPLE.config.token, signature, timestamp, nonce, encrypted),
      SignatureError,
      401,
    );
  });

  it.each([
    ['msg_signature', { msgSignature: undefined }],
    ['timestamp', { timestamp: undefined }],
    ['nonce', { nonce: undefined }],
  ])('rejects a request without %s', (_case, missing) => {
    // Prepare
    const request = { ...GO_SAMPLE.post, ...missing };

    // Act & Assess
    expectWecomError(
      () =>
        verifySignature(
          GO_SAMPLE.config.token,
          request.msgSignature,
          request.timestamp,
          request.nonce,
          request.encrypted,
        ),
      SignatureError,
      401,
    );
  });

  it('rejects any signature that is not the one of the request', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{40}$/), (signature) => {
        // Prepare
        const { msgSignature, timestamp, nonce, encrypted } = GO_SAMPLE.post;
        fc.pre(signature !== msgSignature);

        // Act & Assess
        expect(() => verifySignature(GO_SAMPLE.config.token, signature, timestamp, nonce, encrypted)).toThrow(
          SignatureError,
        );
      }),
    );
  });
});

describe('decrypt', () => {
  it('decrypts the official GO echostr to its plaintext', () => {
    // Act
    const decrypted = decrypt(GO_AES, GO_SAMPLE.get.encrypted, GO_ID);

    // Assess
    expect(decrypted.message).toBe(GO_SAMPLE.get.plaintext);
    expect(decrypted.receiveId).toBe(GO_ID);
    expect(decrypted.random).toHaveLength(16);
  });

  it('decrypts the official GO POST to the text message it carries', () => {
    // Prepare
    const { expected } = GO_SAMPLE.post;

    // Act
    const { message, receiveId } = decrypt(GO_AES, GO_SAMPLE.post.encrypted, GO_ID);

    // Assess
    expect(receiveId).toBe(GO_ID);
    expect(message).toMatch(/^<xml>[\s\S]*<\/xml>$/);
    expect(message).toContain(`<FromUserName><![CDATA[${expected.fromUserName}]]></FromUserName>`);
    expect(message).toContain(`<Content><![CDATA[${expected.content}]]></Content>`);
    expect(message).toContain(`<MsgId>${expected.msgId}</MsgId>`);
  });

  it('decrypts the official PY echostr to its plaintext', () => {
    // Prepare
    const aes = deriveAesKey(PY_SAMPLE.config.encodingAesKey);

    // Act
    const decrypted = decrypt(aes, PY_SAMPLE.get.encrypted, PY_SAMPLE.config.receiveId);

    // Assess
    expect(decrypted.message).toBe(PY_SAMPLE.get.plaintext);
    expect(decrypted.receiveId).toBe(PY_SAMPLE.config.receiveId);
  });

  it.each(ALL_SAMPLE_CIPHERTEXTS)('agrees with @wecom/crypto on the $name vector', ({ config, sample }) => {
    // Act
    const ours = decrypt(deriveAesKey(config.encodingAesKey), sample.encrypted, config.receiveId);
    const theirs = oracle.decrypt(config.encodingAesKey, sample.encrypted);

    // Assess
    expect(ours.message).toBe(theirs.message);
    expect(ours.receiveId).toBe(theirs.id);
    expect(ours.random).toEqual(theirs.random);
  });

  it('returns the receive id without checking it when none is expected', () => {
    // Act
    const decrypted = decrypt(GO_AES, GO_SAMPLE.get.encrypted);

    // Assess
    expect(decrypted.receiveId).toBe(GO_ID);
    expect(decrypted.message).toBe(GO_SAMPLE.get.plaintext);
  });

  describe('refuses a foreign receive id', () => {
    it('with a 401 ReceiveIdError for a ciphertext made for another corp', () => {
      // Prepare
      const foreign = encrypt(GO_AES, GO_SAMPLE.get.plaintext, PY_SAMPLE.config.receiveId);

      // Act & Assess
      expectWecomError(() => decrypt(GO_AES, foreign, GO_ID), ReceiveIdError, 401);
    });

    it.each([
      ['a prefix of the corp id', GO_ID.slice(0, -1)],
      ['the corp id with one more character', `${GO_ID}0`],
      ['the corp id in upper case', GO_ID.toUpperCase()],
      ['an empty receive id', ''],
    ])('with a ReceiveIdError for %s', (_case, receiveId) => {
      // Prepare
      const ciphertext = encrypt(GO_AES, 'hello', receiveId);

      // Act & Assess
      expectWecomError(() => decrypt(GO_AES, ciphertext, GO_ID), ReceiveIdError, 401);
    });

    it('with a ReceiveIdError when bytes follow the receive id', () => {
      // Prepare
      const message = Buffer.from('hello');
      const withSuffix = encryptRaw(GO_AES, pad32(plaintextBytes(message, Buffer.from(`${GO_ID}\0\0\0`))));
      const withTail = encryptRaw(GO_AES, pad32(plaintextBytes(message, Buffer.from(`${GO_ID}extra`))));

      // Act & Assess
      expectWecomError(() => decrypt(GO_AES, withSuffix, GO_ID), ReceiveIdError, 401);
      expectWecomError(() => decrypt(GO_AES, withTail, GO_ID), ReceiveIdError, 401);
    });

    it('with a ReceiveIdError when the length field is shorter than the message', () => {
      // Prepare
      const message = Buffer.from('hello');
      const ciphertext = encryptRaw(
        GO_AES,
        pad32(plaintextBytes(message, Buffer.from(GO_ID), message.length - 1)),
      );

      // Act & Assess
      expectWecomError(() => decrypt(GO_AES, ciphertext, GO_ID), ReceiveIdError, 401);
    });

    it('accepts an empty receive id when that is the one expected (personal third-party app)', () => {
      // Prepare
      const ciphertext = encrypt(GO_AES, 'hello', '');

      // Act
      const decrypted = decrypt(GO_AES, ciphertext, '');

      // Assess
      expect(decrypted).toMatchObject({ message: 'hello', receiveId: '' });
    });
  });

  describe('refuses a plaintext that is not well formed with a 401 DecryptionError', () => {
    it('decrypts a hand-built well-formed plaintext (control for the cases below)', () => {
      // Prepare
      const ciphertext = encryptRaw(GO_AES, pad32(plaintextBytes(Buffer.from('hello'), Buffer.from(GO_ID))));

      // Act
      const decrypted = decrypt(GO_AES, ciphertext, GO_ID);

      // Assess
      expect(decrypted).toMatchObject({ message: 'hello', receiveId: GO_ID, random: FIXED_RANDOM });
      expect(ciphertext).toBe(encrypt(GO_AES, 'hello', GO_ID, FIXED_RANDOM));
    });

    it('when the last pad byte is 0', () => {
      // Prepare
      const body = plaintextBytes(Buffer.from('hello'), Buffer.from(GO_ID));
      const padded = Buffer.concat([body, Buffer.alloc(32 - (body.length % 32), 0)]);

      // Act & Assess
      expectWecomError(() => decrypt(GO_AES, encryptRaw(GO_AES, padded), GO_ID), DecryptionError, 401);
    });

    it('when the pad value is 33, beyond the 32-byte block', () => {
      // Prepare: a 63-byte body and 33 bytes of 33 fill three 32-byte blocks.
      const receiveId = Buffer.from(GO_ID);
      const message = Buffer.alloc(63 - 20 - receiveId.length, 'x');
      const padded = Buffer.concat([plaintextBytes(message, receiveId), Buffer.alloc(33, 33)]);

      // Act & Assess
      expectWecomError(() => decrypt(GO_AES, encryptRaw(GO_AES, padded), GO_ID), DecryptionError, 401);
    });

    it('when one pad byte disagrees with the pad value', () => {
      // Prepare: a correct pad of n bytes of n, with its first byte changed.
      const padded = pad32(plaintextBytes(Buffer.from('hello'), Buffer.from(GO_ID)));
      const amount = padded[padded.length - 1] ?? 0;
      padded[padded.length - amount] = amount + 1;

      // Act & Assess
      expectWecomError(() => decrypt(GO_AES, encryptRaw(GO_AES, padded), GO_ID), DecryptionError, 401);
    });

    it('when the pad is zero bytes ending in the pad length (ANSI X.923), not n bytes of n', () => {
      // Prepare
      const body = plaintextBytes(Buffer.from('hello'), Buffer.from(GO_ID));
      const amount = 32 - (body.length % 32);
      const padded = Buffer.concat([body, Buffer.alloc(amount - 1, 0), Buffer.from([amount])]);

      // Act & Assess
      expectWecomError(() => decrypt(GO_AES, encryptRaw(GO_AES, padded), GO_ID), DecryptionError, 401);
    });

    it('when the length field is larger than the bytes that follow it', () => {
      // Prepare
      const message = Buffer.from('hello');
      const receiveId = Buffer.from(GO_ID);
      const tooLong = message.length + receiveId.length + 1;
      const ciphertext = encryptRaw(GO_AES, pad32(plaintextBytes(message, receiveId, tooLong)));

      // Act & Assess
      expectWecomError(() => decrypt(GO_AES, ciphertext, GO_ID), DecryptionError, 401);
    });

    it('when the length field is 2^32 - 1', () => {
      // Prepare
      const ciphertext = encryptRaw(
        GO_AES,
        pad32(plaintextBytes(Buffer.from('hello'), Buffer.from(GO_ID), 0xffff_ffff)),
      );

      // Act & Assess
      expectWecomError(() => decrypt(GO_AES, ciphertext, GO_ID), DecryptionError, 401);
    });

    it('when the plaintext is too short to hold the random bytes and the length field', () => {
      // Prepare: 16 random bytes and 16 bytes of pad.
      const padded = pad32(FIXED_RANDOM);

      // Act & Assess
      expect(padded).toHaveLength(32);
      expectWecomError(() => decrypt(GO_AES, encryptRaw(GO_AES, padded), GO_ID), DecryptionError, 401);
    });

    it('when the message is not UTF-8, instead of returning replacement characters', () => {
      // Prepare
      const ciphertext = encryptRaw(
        GO_AES,
        pad32(plaintextBytes(Buffer.from([0xff, 0xfe, 0x3c]), Buffer.from(GO_ID))),
      );

      // Act & Assess
      expectWecomError(() => decrypt(GO_AES, ciphertext, GO_ID), DecryptionError, 401);
    });
  });

  describe('refuses a structurally broken ciphertext with a 400 MalformedCiphertextError', () => {
    const valid = GO_SAMPLE.get.encrypted;

    it.each([
      ['empty', ''],
      ['truncated by one character', valid.slice(0, -1)],
      ['truncated by four characters (length no longer a multiple of 32 bytes)', valid.slice(0, -4)],
      ['one 16-byte AES block', Buffer.alloc(16, 1).toString('base64')],
      ['48 bytes', Buffer.alloc(48, 1).toString('base64')],
      ['written with a non-base64 character', `*${valid.slice(1)}`],
      ['url-safe base64', valid.replaceAll('+', '-').replaceAll('/', '_')],
      ['split by a space', `${valid.slice(0, 8)} ${valid.slice(9)}`],
      ['surrounded by whitespace (callers trim it first)', ` ${valid}\n`],
      ['padded with "=" in the middle', `${valid.slice(0, 10)}==${valid.slice(12)}`],
      ['percent-encoded (never decoded)', encodeURIComponent(valid)],
    ])('when it is %s', (_case, ciphertext) => {
      // Act & Assess
      expectWecomError(() => decrypt(GO_AES, ciphertext, GO_ID), MalformedCiphertextError, 400);
    });
  });

  it('never returns the original message for a ciphertext with one bit flipped', () => {
    fc.assert(
      fc.property(messages, fc.nat(), fc.integer({ min: 0, max: 7 }), (message, position, bit) => {
        // Prepare
        const bytes = Buffer.from(encrypt(GO_AES, message, GO_ID), 'base64');
        const index = position % bytes.length;
        bytes[index] = (bytes[index] ?? 0) ^ (1 << bit);

        // Act
        let decrypted: { message: string } | undefined;
        try {
          decrypted = decrypt(GO_AES, bytes.toString('base64'), GO_ID);
        } catch (error) {
          // Assess: a tampered ciphertext fails as a client error of ours, never as a crash.
          expect(error).toBeInstanceOf(WecomError);
          return;
        }

        // Assess
        expect(decrypted.message).not.toBe(message);
      }),
    );
  });

  it('fails with a typed 401 error, never returns, when the key is not the one encrypted with', () => {
    fc.assert(
      fc.property(
        encodingAesKeys,
        encodingAesKeys,
        messages,
        receiveIds,
        (encryptKey, decryptKey, message, id) => {
          // Prepare: two EncodingAESKeys that differ only in the two bits base64 drops are the same key.
          const encryptAes = deriveAesKey(encryptKey);
          const decryptAes = deriveAesKey(decryptKey);
          fc.pre(!encryptAes.key.equals(decryptAes.key));
          const ciphertext = encrypt(encryptAes, message, id);

          // Act
          let error: unknown;
          try {
            decrypt(decryptAes, ciphertext, id);
          } catch (caught) {
            error = caught;
          }

          // Assess
          expect([DecryptionError, ReceiveIdError].some((type) => error instanceof type)).toBe(true);
          expect((error as WecomError).statusCode).toBe(401);
        },
      ),
    );
  });

  it.each(ALL_SAMPLE_CIPHERTEXTS)('refuses the official $name vector under the other sample key', ({
    config,
    sample,
  }) => {
    // Prepare
    const otherKey =
      config === GO_SAMPLE.config ? PY_SAMPLE.config.encodingAesKey : GO_SAMPLE.config.encodingAesKey;

    // Act
    let error: unknown;
    try {
      decrypt(deriveAesKey(otherKey), sample.encrypted, config.receiveId);
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect([DecryptionError, ReceiveIdError].some((type) => error instanceof type)).toBe(true);
  });
});

describe('encrypt', () => {
  it.each(
    ALL_SAMPLE_CIPHERTEXTS,
  )('reproduces the official $name ciphertext byte for byte from its plaintext and random bytes', ({
    config,
    sample,
  }) => {
    // Prepare
    const aes = deriveAesKey(config.encodingAesKey);
    const { message, receiveId, random } = decrypt(aes, sample.encrypted, config.receiveId);

    // Act
    const ciphertext = encrypt(aes, message, receiveId, random);

    // Assess
    expect(ciphertext).toBe(sample.encrypted);
  });

  it('produces the same bytes as @wecom/crypto for the same key, message, id and random bytes', () => {
    fc.assert(
      fc.property(encodingAesKeys, messages, receiveIds, randoms, (key, message, id, random) => {
        // Act
        const ours = encrypt(deriveAesKey(key), message, id, random);

        // Assess
        expect(ours).toBe(oracle.encrypt(key, message, id, random));
      }),
    );
  });

  it('adds a whole 32-byte block of padding when the plaintext is block-aligned', () => {
    // Prepare: 16 random + 4 length + 8 message + 4 receive id = 32 bytes.
    const message = 'aligned!';
    const receiveId = 'corp';

    // Act
    const ciphertext = encrypt(GO_AES, message, receiveId, FIXED_RANDOM);

    // Assess
    expect(Buffer.from(ciphertext, 'base64')).toHaveLength(64);
    expect(decrypt(GO_AES, ciphertext, receiveId).message).toBe(message);
  });

  it('uses fresh random bytes when none are given', () => {
    // Act
    const first = encrypt(GO_AES, 'hello', GO_ID);
    const second = encrypt(GO_AES, 'hello', GO_ID);

    // Assess
    expect(first).not.toBe(second);
    expect(decrypt(GO_AES, first, GO_ID).message).toBe('hello');
    expect(decrypt(GO_AES, second, GO_ID).message).toBe('hello');
  });

  it('refuses random bytes that are not 16 long', () => {
    // Act & Assess
    expect(() => encrypt(GO_AES, 'hello', GO_ID, Buffer.alloc(15))).toThrow(RangeError);
    expect(() => encrypt(GO_AES, 'hello', GO_ID, Buffer.alloc(17))).toThrow(RangeError);
  });
});

describe('interoperability with @wecom/crypto', () => {
  it('(a) what we encrypt, @wecom/crypto decrypts to the same message and receive id', () => {
    fc.assert(
      fc.property(encodingAesKeys, messages, receiveIds, (key, message, id) => {
        // Act
        const theirs = oracle.decrypt(key, encrypt(deriveAesKey(key), message, id));

        // Assess
        expect(theirs.message).toBe(message);
        expect(theirs.id).toBe(id);
      }),
    );
  });

  it('(b) what @wecom/crypto encrypts, we decrypt to the same message and receive id', () => {
    fc.assert(
      fc.property(encodingAesKeys, messages, receiveIds, (key, message, id) => {
        // Act
        const ours = decrypt(deriveAesKey(key), oracle.encrypt(key, message, id), id);

        // Assess
        expect(ours.message).toBe(message);
        expect(ours.receiveId).toBe(id);
      }),
    );
  });

  it('(c) decrypt(encrypt(m)) gives m back, with the random bytes it was encrypted with', () => {
    fc.assert(
      fc.property(encodingAesKeys, messages, receiveIds, randoms, (key, message, id, random) => {
        // Prepare
        const aes = deriveAesKey(key);

        // Act
        const decrypted = decrypt(aes, encrypt(aes, message, id, random), id);

        // Assess
        expect(decrypted).toEqual({ message, receiveId: id, random });
      }),
    );
  });
});
