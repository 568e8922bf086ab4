import { describe, expect, it } from 'vitest';
import { decrypt, deriveAesKey, verifySignature } from '../../../../shared/wecom/crypto.js';
import { readEnvelope } from '../../../../shared/wecom/envelope.js';
import { MalformedPayloadError } from '../../../../shared/wecom/errors.js';
import { expectWecomError } from '../../../helpers/wecom-assertions.js';
import { GO_SAMPLE } from '../../../helpers/wecom-vectors.js';

const CIPHERTEXT = GO_SAMPLE.post.encrypted;

describe('readEnvelope', () => {
  describe('XML envelope', () => {
    it('reads the official GO POST body: Encrypt, ToUserName and AgentID', () => {
      // Act
      const envelope = readEnvelope(GO_SAMPLE.post.body);

      // Assess
      expect(envelope).toEqual({
        encrypt: CIPHERTEXT,
        toUserName: GO_SAMPLE.config.receiveId,
        agentId: '218',
      });
    });

    it('returns the ciphertext that the official signature covers and that decrypts', () => {
      // Prepare
      const { token, encodingAesKey, receiveId } = GO_SAMPLE.config;
      const { msgSignature, timestamp, nonce } = GO_SAMPLE.post;

      // Act
      const { encrypt } = readEnvelope(GO_SAMPLE.post.body);

      // Assess
      expect(() => verifySignature(token, msgSignature, timestamp, nonce, encrypt)).not.toThrow();
      expect(decrypt(deriveAesKey(encodingAesKey), encrypt, receiveId).message).toContain(
        GO_SAMPLE.post.expected.msgId,
      );
    });

    it('reads an Encrypt given as plain text, leaving out the optional fields it lacks', () => {
      // Prepare
      const body = `<xml><Encrypt>${CIPHERTEXT}</Encrypt></xml>`;

      // Act
      const envelope = readEnvelope(body);

      // Assess
      expect(envelope).toEqual({ encrypt: CIPHERTEXT });
      expect(envelope).not.toHaveProperty('toUserName');
      expect(envelope).not.toHaveProperty('agentId');
    });

    it('keeps whitespace around the ciphertext exactly as sent, since the signature covers it', () => {
      // Prepare
      const body = `\n  <xml>\n  <Encrypt><![CDATA[\n ${CIPHERTEXT} \n]]></Encrypt>\n</xml>\n`;

      // Act
      const envelope = readEnvelope(body);

      // Assess
      expect(envelope.encrypt).toBe(`\n ${CIPHERTEXT} \n`);
    });

    it('accepts a byte-order mark before the JSON envelope too', () => {
      // Act
      const envelope = readEnvelope('\uFEFF{"encrypt":"abc"}');

      // Assess
      expect(envelope).toEqual({ encrypt: 'abc' });
    });

    it('accepts a byte-order mark before the XML', () => {
      // Prepare
      const body = `\uFEFF<xml><Encrypt><![CDATA[${CIPHERTEXT}]]></Encrypt></xml>`;

      // Act
      const envelope = readEnvelope(body);

      // Assess
      expect(envelope.encrypt).toBe(CIPHERTEXT);
    });

    it.each([
      ['has no Encrypt', '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName></xml>'],
      ['has an empty Encrypt', '<xml><Encrypt><![CDATA[]]></Encrypt></xml>'],
      ['has a blank Encrypt', '<xml><Encrypt>  \n </Encrypt></xml>'],
      ['nests Encrypt deeper than the root', `<xml><Body><Encrypt>${CIPHERTEXT}</Encrypt></Body></xml>`],
      ['has a root other than <xml>', `<envelope><Encrypt>${CIPHERTEXT}</Encrypt></envelope>`],
      ['is not well-formed', `<xml><Encrypt>${CIPHERTEXT}</Encrypt>`],
      ['declares a DOCTYPE', `<!DOCTYPE xml [<!ENTITY e "${CIPHERTEXT}">]><xml><Encrypt>&e;</Encrypt></xml>`],
    ])('rejects an envelope that %s with a 400 MalformedPayloadError', (_case, body) => {
      // Act & Assess
      expectWecomError(() => readEnvelope(body), MalformedPayloadError, 400);
    });
  });

  describe('JSON envelope', () => {
    it('reads {"encrypt"}', () => {
      // Prepare
      const body = JSON.stringify({ encrypt: CIPHERTEXT });

      // Act
      const envelope = readEnvelope(body);

      // Assess
      expect(envelope).toEqual({ encrypt: CIPHERTEXT });
    });

    it('reads {"tousername", "encrypt", "agentid"}, giving a numeric agentid as text', () => {
      // Prepare
      const body = JSON.stringify({
        tousername: 'ww1436e0e65a779aee',
        encrypt: CIPHERTEXT,
        agentid: 1000002,
      });

      // Act
      const envelope = readEnvelope(body);

      // Assess
      expect(envelope).toEqual({ encrypt: CIPHERTEXT, toUserName: 'ww1436e0e65a779aee', agentId: '1000002' });
    });

    it('reads a string agentid and leading whitespace', () => {
      // Prepare
      const body = `\r\n\t ${JSON.stringify({ encrypt: CIPHERTEXT, agentid: '1000002' })}`;

      // Act
      const envelope = readEnvelope(body);

      // Assess
      expect(envelope).toEqual({ encrypt: CIPHERTEXT, agentId: '1000002' });
    });

    it('returns the JSON string value exactly, whitespace included', () => {
      // Prepare
      const body = JSON.stringify({ encrypt: ` ${CIPHERTEXT}\n` });

      // Act
      const envelope = readEnvelope(body);

      // Assess
      expect(envelope.encrypt).toBe(` ${CIPHERTEXT}\n`);
    });

    it.each([
      ['has no encrypt', JSON.stringify({ tousername: 'ww1436e0e65a779aee', agentid: 1 })],
      ['has an empty encrypt', JSON.stringify({ encrypt: '' })],
      ['has a blank encrypt', JSON.stringify({ encrypt: '   ' })],
      ['has a numeric encrypt', JSON.stringify({ encrypt: 12345 })],
      ['has a null encrypt', JSON.stringify({ encrypt: null })],
      ['has an object encrypt', JSON.stringify({ encrypt: { value: CIPHERTEXT } })],
      ['is cut short', `{"encrypt":"${CIPHERTEXT}"`],
      ['has a trailing comma', `{"encrypt":"${CIPHERTEXT}",}`],
    ])('rejects an envelope that %s with a 400 MalformedPayloadError', (_case, body) => {
      // Act & Assess
      expectWecomError(() => readEnvelope(body), MalformedPayloadError, 400);
    });

    it.each([
      ['an array', JSON.stringify([{ encrypt: CIPHERTEXT }])],
      ['a string', JSON.stringify(CIPHERTEXT)],
      ['a number', '42'],
      ['null', 'null'],
      ['true', 'true'],
    ])('rejects JSON that is %s, not an object', (_case, body) => {
      // Act & Assess
      expectWecomError(() => readEnvelope(body), MalformedPayloadError, 400);
    });
  });

  it.each([
    ['empty', ''],
    ['blank', ' \n\t'],
    ['a bare ciphertext', CIPHERTEXT],
    ['form-encoded', `encrypt=${encodeURIComponent(CIPHERTEXT)}`],
    ['the word success', 'success'],
  ])('rejects a body that is neither XML nor JSON (%s)', (_case, body) => {
    // Act & Assess
    expectWecomError(() => readEnvelope(body), MalformedPayloadError, 400);
  });
});
