import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { localLambdaContext } from '../../../../local/api-gateway-event.js';
import { CALLBACK_RESPONSES_METRIC } from '../../../../shared/http/count-responses.js';
import { createCallbackHandler } from '../../../../shared/ingest/callback-handler.js';
import { deriveAesKey } from '../../../../shared/wecom/crypto.js';
import { apiEvent, signedPost, TEST_KEYS } from '../../../helpers/callback-harness.js';
import { silentLogger } from '../../../helpers/observability.js';
import { contactEventXml } from '../../../helpers/wecom-payloads.js';

/** The embedded-metric-format documents a handler printed while `act` ran. */
async function emfPrintedBy(act: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await act();
  } finally {
    write.mockRestore();
  }
  return lines
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function handlerWith(queueSend: () => Promise<void>) {
  const metrics = new Metrics({ namespace: 'WecomEnforcementTest', serviceName: 'contact-callback' });
  const keys = async () => ({
    corpId: TEST_KEYS.corpId,
    token: TEST_KEYS.token,
    aes: deriveAesKey(TEST_KEYS.encodingAesKey),
  });
  return createCallbackHandler('contact', { keys, queue: { send: queueSend } }, silentLogger(), metrics);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('callback metrics', () => {
  it.each([
    ['an accepted callback', () => signedPost(contactEventXml()), 200],
    [
      'a forged one',
      () => ({ ...signedPost(contactEventXml()), rawQueryString: 'msg_signature=00&timestamp=1&nonce=2' }),
      401,
    ],
  ])('counts %s under its status', async (_case, request, status) => {
    // Prepare
    const handler = handlerWith(async () => undefined);
    const { rawQueryString, body } = request();

    // Act
    const documents = await emfPrintedBy(() =>
      handler(apiEvent('contact', 'POST', rawQueryString, body), localLambdaContext('contact-callback')),
    );

    // Assess
    const counted = documents.find((doc) => CALLBACK_RESPONSES_METRIC in doc);
    expect(counted).toMatchObject({
      [CALLBACK_RESPONSES_METRIC]: 1,
      status: String(status),
      service: 'contact-callback',
    });
  });

  it('counts a 503 when the queue cannot take the events', async () => {
    // Prepare
    const { QueueUnavailableError } = await import('../../../../shared/errors.js');
    const handler = handlerWith(async () => {
      throw new QueueUnavailableError();
    });
    const { rawQueryString, body } = signedPost(contactEventXml());

    // Act
    const documents = await emfPrintedBy(() =>
      handler(apiEvent('contact', 'POST', rawQueryString, body), localLambdaContext('contact-callback')),
    );

    // Assess
    expect(documents.find((doc) => CALLBACK_RESPONSES_METRIC in doc)).toMatchObject({ status: '503' });
  });
});
