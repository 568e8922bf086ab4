import { randomInt } from 'node:crypto';
import { deriveAesKey, encrypt, sign } from '../shared/wecom/index.js';

/** The keys a callback is sealed with: the receive id (corp), the token, the EncodingAESKey. */
export interface SealKeys {
  readonly corpId: string;
  readonly token: string;
  readonly encodingAesKey: string;
}

/** What a sealed callback may vary; every part left out is fresh (time, nonce, random bytes). */
export interface SealOptions {
  readonly envelope?: 'xml' | 'json';
  /** Seconds since the epoch, as text. */
  readonly timestamp?: string;
  readonly nonce?: string;
  /** The 16 random bytes that lead the plaintext. */
  readonly random?: Buffer;
  /** The `<AgentID>` of the XML envelope. */
  readonly agentId?: string;
  /** The receive id encrypted into the plaintext, when it is not the corp's (to test a foreign one). */
  readonly receiveId?: string;
}

/** A callback as WeCom sends it: the percent-encoded query, the body, and what was signed. */
export interface SealedCallback {
  readonly query: string;
  readonly body: string;
  readonly encrypted: string;
  readonly signature: string;
  readonly timestamp: string;
  readonly nonce: string;
}

/** Encrypts `plaintext`, signs it and wraps it in WeCom's envelope, as WeCom does for a callback. */
export function sealCallback(plaintext: string, keys: SealKeys, options: SealOptions = {}): SealedCallback {
  const aes = deriveAesKey(keys.encodingAesKey);
  const encrypted = encrypt(aes, plaintext, options.receiveId ?? keys.corpId, options.random);
  return signAndWrap(encrypted, keys, options);
}

/** Signs an already encrypted text and wraps it in the chosen envelope. */
export function signAndWrap(encrypted: string, keys: SealKeys, options: SealOptions = {}): SealedCallback {
  const timestamp = options.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = options.nonce ?? String(randomInt(1_000_000_000, 10_000_000_000));
  const signature = sign(keys.token, timestamp, nonce, encrypted);
  const query = `msg_signature=${signature}&timestamp=${encodeURIComponent(timestamp)}&nonce=${encodeURIComponent(nonce)}`;
  const body =
    options.envelope === 'json'
      ? JSON.stringify({ encrypt: encrypted })
      : `<xml><ToUserName><![CDATA[${keys.corpId}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt>` +
        `<AgentID><![CDATA[${options.agentId ?? ''}]]></AgentID></xml>`;
  return { query, body, encrypted, signature, timestamp, nonce };
}
