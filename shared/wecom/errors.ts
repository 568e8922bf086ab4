import { HttpFacingError } from '../errors.js';

/** Base class of every error raised while reading a WeCom callback. */
export class WecomError extends HttpFacingError {}

/** The signature is missing, malformed or does not match: the sender does not hold the token. */
export class SignatureError extends WecomError {
  constructor(message = 'invalid signature', options?: { cause?: unknown }) {
    super(message, 401, options);
  }
}

/** The ciphertext is structurally broken (not base64, wrong length): a malformed request. */
export class MalformedCiphertextError extends WecomError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 400, options);
  }
}

/** The ciphertext does not decrypt to a well-formed WeCom plaintext with our key. */
export class DecryptionError extends WecomError {
  constructor(message = 'cannot decrypt with the configured EncodingAESKey', options?: { cause?: unknown }) {
    super(message, 401, options);
  }
}

/** The plaintext was encrypted for another corp or suite. */
export class ReceiveIdError extends WecomError {
  constructor(message = 'receive id does not match the configured corp', options?: { cause?: unknown }) {
    super(message, 401, options);
  }
}

/** The envelope, XML or JSON could not be read as WeCom sends it. */
export class MalformedPayloadError extends WecomError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 400, options);
  }
}

/** The configured EncodingAESKey is not 43 characters of [A-Za-z0-9]. */
export class InvalidKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidKeyError';
  }
}
