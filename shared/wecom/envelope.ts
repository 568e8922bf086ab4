import { MalformedPayloadError } from './errors.js';
import { childTexts, parseXml } from './xml.js';

/** The encrypted part of a callback body, from the XML or the JSON envelope. */
export interface Envelope {
  /** The ciphertext exactly as sent: the signature covers this text. */
  readonly encrypt: string;
  readonly toUserName?: string;
  readonly agentId?: string;
}

/** Reads WeCom's XML envelope (`<xml><Encrypt/>…</xml>`) or JSON envelope (`{"encrypt": …}`). */
export function readEnvelope(body: string): Envelope {
  const start = firstNonSpace(body);
  if (start === '<') return readXmlEnvelope(body);
  if (start === '{') return readJsonEnvelope(body);
  throw new MalformedPayloadError('body is neither an XML nor a JSON envelope');
}

function readXmlEnvelope(body: string): Envelope {
  const root = parseXml(body);
  if (root.name !== 'xml') throw new MalformedPayloadError('XML envelope root must be <xml>');
  const fields = childTexts(root);
  const encrypt = fields.Encrypt;
  if (encrypt === undefined || encrypt.trim() === '') {
    throw new MalformedPayloadError('XML envelope has no Encrypt');
  }
  return withOptional({ encrypt }, fields.ToUserName, fields.AgentID);
}

function readJsonEnvelope(body: string): Envelope {
  let parsed: unknown;
  try {
    // JSON.parse refuses a leading BOM, which readEnvelope tolerates for both envelopes.
    parsed = JSON.parse(body.replace(/^\uFEFF/, ''));
  } catch (cause) {
    throw new MalformedPayloadError('malformed JSON envelope', { cause });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new MalformedPayloadError('JSON envelope must be an object');
  }
  const record = parsed as Record<string, unknown>;
  const encrypt = record.encrypt ?? record.Encrypt;
  if (typeof encrypt !== 'string' || encrypt.trim() === '') {
    throw new MalformedPayloadError('JSON envelope has no encrypt string');
  }
  const to = record.tousername ?? record.ToUserName;
  const agent = record.agentid ?? record.AgentID;
  return withOptional(
    { encrypt },
    typeof to === 'string' ? to : undefined,
    typeof agent === 'string' || typeof agent === 'number' ? String(agent) : undefined,
  );
}

function withOptional(base: { encrypt: string }, toUserName?: string, agentId?: string): Envelope {
  const envelope: { encrypt: string; toUserName?: string; agentId?: string } = { encrypt: base.encrypt };
  if (toUserName !== undefined) envelope.toUserName = toUserName;
  if (agentId !== undefined) envelope.agentId = agentId;
  return envelope;
}

function firstNonSpace(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch !== ' ' && ch !== '\n' && ch !== '\r' && ch !== '\t' && ch !== '\uFEFF') return ch;
  }
  return undefined;
}
