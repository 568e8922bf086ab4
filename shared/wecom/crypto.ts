import { createCipheriv, createDecipheriv, hash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  DecryptionError,
  InvalidKeyError,
  MalformedCiphertextError,
  ReceiveIdError,
  SignatureError,
} from './errors.js';

/** WeCom pads to 32-byte blocks, not AES's 16 (PKCS#7 with k = 32). */
const PAD_BLOCK = 32;
const RANDOM_BYTES = 16;
const LENGTH_BYTES = 4;
const HEADER_BYTES = RANDOM_BYTES + LENGTH_BYTES;
const ENCODING_AES_KEY = /^[A-Za-z0-9]{43}$/;
const SIGNATURE = /^[0-9a-f]{40}$/i;

/** The AES key and IV derived from an EncodingAESKey. */
export interface AesKey {
  readonly key: Buffer;
  readonly iv: Buffer;
}

/** A decrypted WeCom plaintext. */
export interface Decrypted {
  readonly message: string;
  readonly receiveId: string;
  /** The 16 random bytes that led the plaintext; re-encrypting with them reproduces the ciphertext. */
  readonly random: Buffer;
}

/** Derives the AES-256 key (base64 of the 43 characters plus "=") and IV (its first 16 bytes). */
export function deriveAesKey(encodingAesKey: string): AesKey {
  if (!ENCODING_AES_KEY.test(encodingAesKey)) {
    throw new InvalidKeyError('EncodingAESKey must be 43 characters of [A-Za-z0-9]');
  }
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) throw new InvalidKeyError('EncodingAESKey does not decode to 32 bytes');
  return { key, iv: key.subarray(0, 16) };
}

/** WeCom's msg_signature: hex SHA1 of the sorted concatenation of token, timestamp, nonce and text. */
export function sign(token: string, timestamp: string, nonce: string, encrypted: string): string {
  return hash('sha1', [token, timestamp, nonce, encrypted].sort().join(''), 'hex');
}

/** Checks msg_signature in constant time; throws SignatureError when it does not match. */
export function verifySignature(
  token: string,
  signature: string | undefined,
  timestamp: string | undefined,
  nonce: string | undefined,
  encrypted: string,
): void {
  if (signature === undefined || timestamp === undefined || nonce === undefined) {
    throw new SignatureError('missing msg_signature, timestamp or nonce');
  }
  if (!SIGNATURE.test(signature)) throw new SignatureError();
  // Both are 40 ASCII hex digits here, so comparing their bytes compares the digests.
  const expected = Buffer.from(sign(token, timestamp, nonce, encrypted), 'latin1');
  if (!timingSafeEqual(expected, Buffer.from(signature.toLowerCase(), 'latin1'))) throw new SignatureError();
}

/** Decrypts WeCom's base64 ciphertext, checking padding, the length field and the receive id. */
export function decrypt(aes: AesKey, encrypted: string, expectedReceiveId?: string): Decrypted {
  const cipherBytes = decodeBase64(encrypted);
  if (cipherBytes.length === 0 || cipherBytes.length % PAD_BLOCK !== 0) {
    throw new MalformedCiphertextError('ciphertext length is not a multiple of 32 bytes');
  }
  const decipher = createDecipheriv('aes-256-cbc', aes.key, aes.iv);
  decipher.setAutoPadding(false);
  // Block-aligned input without auto padding: update() returns every byte and final() none.
  const padded = decipher.update(cipherBytes);
  decipher.final();
  const plain = unpad(padded);
  if (plain.length < HEADER_BYTES) throw new DecryptionError();
  const messageLength = plain.readUInt32BE(RANDOM_BYTES);
  if (messageLength > plain.length - HEADER_BYTES) throw new DecryptionError();
  const messageEnd = HEADER_BYTES + messageLength;
  const message = decodeUtf8(plain.subarray(HEADER_BYTES, messageEnd));
  const receiveId = decodeUtf8(plain.subarray(messageEnd));
  if (expectedReceiveId !== undefined && receiveId !== expectedReceiveId) throw new ReceiveIdError();
  return { message, receiveId, random: Buffer.from(plain.subarray(0, RANDOM_BYTES)) };
}

/** Encrypts a message for WeCom's scheme; `random` defaults to 16 fresh random bytes. */
export function encrypt(aes: AesKey, message: string, receiveId: string, random?: Buffer): string {
  const rand = random ?? randomBytes(RANDOM_BYTES);
  if (rand.length !== RANDOM_BYTES) throw new RangeError('random must be 16 bytes');
  const body = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(LENGTH_BYTES);
  length.writeUInt32BE(body.length, 0);
  const plain = Buffer.concat([rand, length, body, Buffer.from(receiveId, 'utf8')]);
  const cipher = createCipheriv('aes-256-cbc', aes.key, aes.iv);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(pad(plain)), cipher.final()]).toString('base64');
}

/**
 * Decodes standard, padded base64 strictly. Node's decoder skips characters outside the alphabet
 * (and accepts the URL-safe `-` and `_`), so anything it skipped shows as a length short of what
 * the text's length promises; that check is a tenth of the cost of a regular expression over the text.
 */
function decodeBase64(text: string): Buffer {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  if (text.length === 0 || text.length % 4 !== 0 || text.includes('-') || text.includes('_')) {
    throw new MalformedCiphertextError('ciphertext is not base64');
  }
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== (text.length / 4) * 3 - padding)
    throw new MalformedCiphertextError('ciphertext is not base64');
  return bytes;
}

function pad(plain: Buffer): Buffer {
  const amount = PAD_BLOCK - (plain.length % PAD_BLOCK);
  return Buffer.concat([plain, Buffer.alloc(amount, amount)]);
}

function unpad(padded: Buffer): Buffer {
  const amount = padded[padded.length - 1] ?? 0;
  if (amount < 1 || amount > PAD_BLOCK || amount > padded.length) throw new DecryptionError();
  // Every pad byte is checked (a wrong key leaves random bytes here); the loop runs over all of
  // them regardless of where a mismatch is, so the time does not depend on the position.
  let bad = 0;
  for (let i = padded.length - amount; i < padded.length; i++) bad |= (padded[i] ?? 0) ^ amount;
  if (bad !== 0) throw new DecryptionError();
  return padded.subarray(0, padded.length - amount);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch (cause) {
    throw new DecryptionError('decrypted text is not UTF-8', { cause });
  }
}
