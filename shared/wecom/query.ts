import { MalformedPayloadError } from './errors.js';

/** The query parameters WeCom signs a callback with. */
export interface CallbackQuery {
  readonly msgSignature?: string;
  readonly timestamp?: string;
  readonly nonce?: string;
  readonly echostr?: string;
}

const NAMES: Record<string, keyof CallbackQuery> = {
  msg_signature: 'msgSignature',
  timestamp: 'timestamp',
  nonce: 'nonce',
  echostr: 'echostr',
};

/**
 * Reads the raw (still percent-encoded) query string, decoding each value exactly once with
 * percent-decoding only: a literal `+` stays `+` (base64 uses it), unlike form decoding.
 */
export function parseCallbackQuery(rawQueryString: string | undefined): CallbackQuery {
  const query: Partial<Record<keyof CallbackQuery, string>> = {};
  if (!rawQueryString) return query;
  for (const pair of rawQueryString.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    const key = NAMES[rawName];
    if (key === undefined) continue;
    if (query[key] !== undefined) throw new MalformedPayloadError(`query parameter ${rawName} is repeated`);
    query[key] = decodeOnce(eq === -1 ? '' : pair.slice(eq + 1), rawName);
  }
  return query;
}

function decodeOnce(value: string, name: string): string {
  // Most values (signature, timestamp, nonce) have nothing to decode.
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch (cause) {
    throw new MalformedPayloadError(`query parameter ${name} is not valid percent-encoding`, { cause });
  }
}
