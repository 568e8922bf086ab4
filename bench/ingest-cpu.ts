import { deepStrictEqual } from 'node:assert/strict';
import { createDecipheriv, createHash } from 'node:crypto';
import { decrypt as wecomDecrypt, getSignature as wecomGetSignature } from '@wecom/crypto';
import type { CallbackKeys } from '../shared/config/callback-keys.js';
import type { DomainEvent } from '../shared/domain/events.js';
import { normalizeXmlEvent } from '../shared/ingest/normalize.js';
import { type CallbackDependencies, processCallback } from '../shared/ingest/process-callback.js';
import { decrypt, verifySignature } from '../shared/wecom/crypto.js';
import { readEnvelope } from '../shared/wecom/envelope.js';
import { parseXmlEvent } from '../shared/wecom/events.js';
import {
  addExternalContactXml,
  archiveMessageJson,
  BENCH_AES,
  BENCH_KEYS,
  externalUserId,
  type SignedCallback,
  signedCallback,
} from './callback-fixtures.js';
import { type Figure, pairedRatio, printTable, type Target, type Timing, timePerOp } from './measure.js';
import type { BenchSection } from './types.js';

const ROUNDS = 200;

/** Section 1: CPU per callback of the ingest path, beside the crypto floor and the @wecom/crypto path. */
export const ingestCpu: BenchSection = {
  name: 'ingest',
  description: 'CPU per callback: processCallback vs sha1+AES floor vs the same path on @wecom/crypto',
  run: async () => {
    const contact = signedCallback(addExternalContactXml(externalUserId(1)), 'xml');
    const message = signedCallback(archiveMessageJson(), 'json');
    const sent: (readonly DomainEvent[])[] = [];
    const keys: CallbackKeys = { corpId: BENCH_KEYS.corpId, token: BENCH_KEYS.token, aes: BENCH_AES };
    const resolvedKeys = Promise.resolve(keys);
    const deps: CallbackDependencies = {
      keys: () => resolvedKeys,
      queue: {
        send: (events) => {
          if (sent.length === 0) sent.push(events);
          return Promise.resolve();
        },
      },
    };

    const ours = () => processCallback('contact', post(contact), deps);
    const oursByHand = () => ourPipeline(contact);
    const floor = floorOf(contact);
    const withWecomCrypto = () => wecomCryptoPipeline(contact);
    const oursMessage = () => processCallback('message', post(message), deps);
    const messageFloor = floorOf(message);

    // Every path must produce the same events before any of them is timed.
    const response = await ours();
    if (response.statusCode !== 200 || response.body !== 'success') {
      throw new Error(`processCallback answered ${response.statusCode} ${response.body}`);
    }
    deepStrictEqual(sent[0], oursByHand());
    deepStrictEqual(sent[0], withWecomCrypto());
    sent.length = 0;
    await oursMessage();
    if (sent[0]?.[0]?.type !== 'message.sent') throw new Error('message route produced no message.sent');
    floor();
    messageFloor();

    const plaintext = decrypt(BENCH_AES, contact.encrypted, BENCH_KEYS.corpId).message;
    const parsed = parseXmlEvent(plaintext);
    // Neighbours in this list run back to back in every round (see timePerOp), so each figure sits
    // next to the reference it is divided by.
    const [
      floorT,
      oursT,
      wecomT,
      byHandT,
      oursCryptoT,
      wecomCryptoT,
      envelopeT,
      parseT,
      normalizeT,
      messageT,
      messageFloorT,
    ] = await timePerOp(
      [
        { name: 'b  floor: sha1(4 strings) + aes-256-cbc decrypt', run: floor },
        { name: "a  ours: processCallback('contact')", run: ours },
        { name: 'c  @wecom/crypto sign+decrypt, same parse+normalize', run: withWecomCrypto },
        { name: 'a′ ours by hand: envelope→verify→decrypt→parse→normalize', run: oursByHand },
        {
          name: '   of which ours: verifySignature + decrypt',
          run: () => {
            verifySignature(
              BENCH_KEYS.token,
              contact.signature,
              contact.timestamp,
              contact.nonce,
              contact.encrypted,
            );
            return decrypt(BENCH_AES, contact.encrypted, BENCH_KEYS.corpId);
          },
        },
        {
          name: '   @wecom/crypto: getSignature + decrypt',
          run: () => {
            wecomSignatureCheck(contact);
            return wecomDecrypt(BENCH_KEYS.encodingAesKey, contact.encrypted);
          },
        },
        { name: '   of which readEnvelope (XML)', run: () => readEnvelope(contact.body) },
        { name: '   of which parseXmlEvent', run: () => parseXmlEvent(plaintext) },
        { name: '   of which normalizeXmlEvent', run: () => normalizeXmlEvent(parsed, BENCH_KEYS.corpId) },
        { name: "   ours: processCallback('message') (JSON)", run: oursMessage },
        { name: '   floor of the message callback', run: messageFloor },
      ],
      { rounds: ROUNDS, roundMs: 2 },
    );
    if (!floorT || !oursT || !wecomT || !byHandT || !oursCryptoT || !wecomCryptoT)
      throw new Error('timing missing');
    if (!envelopeT || !parseT || !normalizeT || !messageT || !messageFloorT)
      throw new Error('timing missing');
    const us = (timing: Timing) => timing.medianNs / 1000;
    const figure = (timing: Timing, reference?: Timing, referenceName?: string, target?: Target): Figure => ({
      name: timing.name,
      value: us(timing),
      unit: 'µs/op',
      ...(reference
        ? {
            reference: {
              name: referenceName ?? reference.name,
              value: us(reference),
              ratio: pairedRatio(timing, reference),
            },
          }
        : {}),
      ...(target ? { target } : {}),
    });
    const timings = [
      floorT,
      oursT,
      wecomT,
      byHandT,
      oursCryptoT,
      wecomCryptoT,
      envelopeT,
      parseT,
      normalizeT,
    ];
    const spreads = timings.map((item) => ({ item, spread: (item.p75Ns - item.p25Ns) / item.medianNs }));
    const widest = spreads.reduce((a, b) => (b.spread > a.spread ? b : a));
    printTable(
      `ingest: CPU per callback, one add_external_contact (${contact.body.length} B XML envelope), ` +
        `median of ${ROUNDS} interleaved rounds`,
      [
        figure(floorT),
        // Issue 16: the ingest path within 4× the crypto floor, ahead of the @wecom/crypto path.
        figure(oursT, floorT, 'floor b', { on: 'ratio', max: 4 }),
        figure(oursT, wecomT, '@wecom/crypto path c', { on: 'ratio', max: 1, strict: true }),
        figure(wecomT, floorT, 'floor b'),
        figure(byHandT, floorT, 'floor b'),
        figure(byHandT, wecomT, '@wecom/crypto path c', { on: 'ratio', max: 1, strict: true }),
        figure(oursCryptoT, floorT, 'floor b'),
        figure(wecomCryptoT, oursCryptoT, 'ours crypto'),
        figure(envelopeT, floorT, 'floor b'),
        figure(parseT, floorT, 'floor b'),
        figure(normalizeT, floorT, 'floor b'),
        figure(messageFloorT),
        figure(messageT, messageFloorT, 'message floor'),
      ],
      [
        'ratios are medians of per-round ratios (the two cases ran moments apart), so they hold while load comes and goes;',
        `  rounds of ${Math.min(...timings.map((x) => x.opsPerRound))}–${Math.max(...timings.map((x) => x.opsPerRound))} ops, ` +
          `widest interquartile range of the rounds: ${(widest.spread * 100).toFixed(0)} % of the median (${widest.item.name.trim()})`,
        'a and the message route are the production processCallback with keys pre-resolved and a queue whose send resolves',
      ],
    );
  },
};

function post(callback: SignedCallback) {
  return { method: 'POST', rawQueryString: callback.rawQueryString, body: callback.body };
}

/** What processCallback does for a contact POST, minus the query parsing and the queue. */
function ourPipeline(callback: SignedCallback): DomainEvent[] {
  const envelope = readEnvelope(callback.body);
  verifySignature(BENCH_KEYS.token, callback.signature, callback.timestamp, callback.nonce, envelope.encrypt);
  const { message } = decrypt(BENCH_AES, envelope.encrypt.trim(), BENCH_KEYS.corpId);
  return normalizeXmlEvent(parseXmlEvent(message), BENCH_KEYS.corpId);
}

/** The same path with @wecom/crypto's signature and decrypt; the receive id is compared as ours does. */
function wecomCryptoPipeline(callback: SignedCallback): DomainEvent[] {
  const envelope = readEnvelope(callback.body);
  wecomSignatureCheck(callback, envelope.encrypt);
  const { message, id } = wecomDecrypt(BENCH_KEYS.encodingAesKey, envelope.encrypt.trim());
  if (id !== BENCH_KEYS.corpId) throw new Error('receive id mismatch');
  return normalizeXmlEvent(parseXmlEvent(message), BENCH_KEYS.corpId);
}

function wecomSignatureCheck(callback: SignedCallback, encrypted = callback.encrypted): void {
  const expected = wecomGetSignature(BENCH_KEYS.token, callback.timestamp, callback.nonce, encrypted);
  if (expected !== callback.signature) throw new Error('signature mismatch');
}

/**
 * The floor of any implementation: one SHA1 over the four signed strings (sorted beforehand) and
 * one AES-256-CBC decrypt of the ciphertext bytes (base64-decoded beforehand). Nothing else.
 */
function floorOf(callback: SignedCallback): () => Buffer {
  const parts = [BENCH_KEYS.token, callback.timestamp, callback.nonce, callback.encrypted].sort();
  const cipherBytes = Buffer.from(callback.encrypted, 'base64');
  const [p0 = '', p1 = '', p2 = '', p3 = ''] = parts;
  return () => {
    createHash('sha1').update(p0).update(p1).update(p2).update(p3).digest('hex');
    const decipher = createDecipheriv('aes-256-cbc', BENCH_AES.key, BENCH_AES.iv);
    decipher.setAutoPadding(false);
    return Buffer.concat([decipher.update(cipherBytes), decipher.final()]);
  };
}
