/** The public surface of shared/wecom: what code outside this folder may import. */

export type { AesKey } from './crypto.js';
export { decrypt, deriveAesKey, encrypt, sign, verifySignature } from './crypto.js';
export { readEnvelope } from './envelope.js';
export { SignatureError } from './errors.js';
export { parseXmlEvent } from './events.js';
export { parseCallbackQuery } from './query.js';
export { parseMessageRecords, parseWechatStatusRecord } from './records.js';
export type { MessageRouteRecord, WechatStatusRecord, WecomXmlEvent } from './types.js';
export { assignDefined, definedOnly } from './validate.js';
