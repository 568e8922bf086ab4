import { type CallbackKeys, KEY_LOAD_DEADLINE_MS } from '../config/index.js';
import type { DomainEvent, EventQueue } from '../domain/index.js';
import { checkDomainEvent, InvalidInputError } from '../domain/index.js';
import {
  decrypt,
  parseCallbackQuery,
  parseMessageRecords,
  parseWechatStatusRecord,
  parseXmlEvent,
  readEnvelope,
  SignatureError,
  verifySignature,
} from '../wecom/index.js';
import { BadCallbackRequestError, ConfigUnavailableError } from './errors.js';
import { normalizeMessageRecords, normalizeWechatStatus, normalizeXmlEvent } from './normalize.js';

/** The three callback routes of CONTRACT §3. */
export const CALLBACK_ROUTES = ['contact', 'message', 'wechat-status'] as const;
export type CallbackRoute = (typeof CALLBACK_ROUTES)[number];

/** The parts of an HTTP request a callback is read from. */
export interface CallbackRequest {
  readonly method: string;
  /** The query string exactly as received, still percent-encoded. */
  readonly rawQueryString: string | undefined;
  readonly body: string | undefined;
}

/** The HTTP answer to WeCom. */
export interface CallbackResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A structured log sink; only ids, types and counts are logged, never message text or external ids. */
export interface CallbackLog {
  info(message: string, attributes: Record<string, unknown>): void;
}

/** What processing a callback depends on. */
export interface CallbackDependencies {
  readonly keys: () => Promise<CallbackKeys>;
  readonly queue: EventQueue;
  readonly log?: CallbackLog;
  /** How long a request waits for `keys` before it answers 503. @default KEY_LOAD_DEADLINE_MS */
  readonly keysDeadlineMs?: number;
}

const TEXT = { 'content-type': 'text/plain; charset=utf-8' } as const;

/** How each route turns its decrypted plaintext into domain events. */
const DECODERS: Readonly<Record<CallbackRoute, (plaintext: string, corpId: string) => DomainEvent[]>> = {
  contact: (plaintext, corpId) => normalizeXmlEvent(parseXmlEvent(plaintext), corpId),
  message: (plaintext, corpId) => normalizeMessageRecords(parseMessageRecords(plaintext), corpId),
  'wechat-status': (plaintext, corpId) => normalizeWechatStatus(parseWechatStatusRecord(plaintext), corpId),
};

/**
 * The domain events a route makes of a decrypted callback (none for events the engine ignores),
 * each checked with the schema the evaluator reads with (once, on the event itself: its JSON is
 * the same plain data): a callback answered `200` is never dead-lettered for its shape.
 */
export function decodeCallback(route: CallbackRoute, plaintext: string, corpId: string): DomainEvent[] {
  const events = DECODERS[route](plaintext, corpId);
  for (const event of events) {
    try {
      checkDomainEvent(event);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      throw new BadCallbackRequestError(
        `callback holds an event the engine cannot evaluate: ${error.message}`,
      );
    }
  }
  return events;
}

/**
 * Handles one WeCom callback: GET answers URL verification with the decrypted echostr; POST
 * verifies, decrypts, checks the receive id, parses, normalizes and queues, answering `success`
 * only once the events are durably queued. Failures throw errors carrying their HTTP status.
 */
export async function processCallback(
  route: CallbackRoute,
  request: CallbackRequest,
  deps: CallbackDependencies,
): Promise<CallbackResponse> {
  const query = parseCallbackQuery(request.rawQueryString);
  // Unsigned requests (scanners) are refused before any parsing or key loading.
  if (!query.msgSignature || !query.timestamp || !query.nonce) {
    throw new SignatureError('missing msg_signature, timestamp or nonce');
  }
  if (request.method === 'GET') {
    if (query.echostr === undefined || query.echostr === '') {
      throw new BadCallbackRequestError('URL verification needs echostr');
    }
    const keys = await loadKeys(deps);
    verifySignature(keys.token, query.msgSignature, query.timestamp, query.nonce, query.echostr);
    const { message } = decrypt(keys.aes, query.echostr.trim(), keys.corpId);
    return { statusCode: 200, headers: TEXT, body: message };
  }
  if (request.method !== 'POST')
    throw new BadCallbackRequestError(`method ${request.method} not allowed`, 405);
  if (request.body === undefined || request.body === '')
    throw new BadCallbackRequestError('callback has no body');

  const envelope = readEnvelope(request.body);
  const keys = await loadKeys(deps);
  const ciphertext = envelope.encrypt.trim();
  try {
    verifySignature(keys.token, query.msgSignature, query.timestamp, query.nonce, envelope.encrypt);
  } catch (error) {
    // Whitespace around the ciphertext (a pretty-printing proxy) may or may not have been signed;
    // both forms need the token, so accepting either costs no security.
    if (!(error instanceof SignatureError) || ciphertext === envelope.encrypt) throw error;
    verifySignature(keys.token, query.msgSignature, query.timestamp, query.nonce, ciphertext);
  }
  const { message } = decrypt(keys.aes, ciphertext, keys.corpId);
  const events = decodeCallback(route, message, keys.corpId);
  if (events.length > 0) await deps.queue.send(events);
  deps.log?.info(events.length > 0 ? 'callback queued' : 'callback ignored', {
    route,
    events: events.map((event) => ({ type: event.type, id: event.id })),
  });
  return { statusCode: 200, headers: TEXT, body: 'success' };
}

/** Keys a request has already waited for, by the promise they came from (`deps.keys` caches one). */
const loadedKeys = new WeakMap<Promise<CallbackKeys>, CallbackKeys>();

/**
 * The keys, or a 503 when they fail or do not come within the deadline (the load itself goes on).
 * Once a load has resolved, later requests that get the same promise take its keys at once, with
 * no deadline timer to set and clear.
 */
function loadKeys(deps: CallbackDependencies): CallbackKeys | Promise<CallbackKeys> {
  let pending: Promise<CallbackKeys>;
  try {
    pending = deps.keys();
  } catch (cause) {
    throw new ConfigUnavailableError({ cause });
  }
  return loadedKeys.get(pending) ?? keysWithinDeadline(pending, deps);
}

async function keysWithinDeadline(
  pending: Promise<CallbackKeys>,
  deps: CallbackDependencies,
): Promise<CallbackKeys> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error('the WeCom keys did not load in time')),
      deps.keysDeadlineMs ?? KEY_LOAD_DEADLINE_MS,
    );
  });
  try {
    const keys = await Promise.race([pending, deadline]);
    loadedKeys.set(pending, keys);
    return keys;
  } catch (cause) {
    throw new ConfigUnavailableError({ cause });
  } finally {
    clearTimeout(timer);
  }
}
