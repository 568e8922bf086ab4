import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { localLambdaContext } from '../../../../local/api-gateway-event.js';
import { SqsEventQueue } from '../../../../shared/adapters/sqs-event-queue.js';
import { loadCallbackKeys } from '../../../../shared/config/callback-keys.js';
import { memoizeAsync } from '../../../../shared/config/env.js';
import { createCallbackHandler } from '../../../../shared/ingest/callback-handler.js';
import { encrypt, sign } from '../../../../shared/wecom/crypto.js';
import { deriveAesKey } from '../../../../shared/wecom/index.js';
import { apiEvent, signedPost, TEST_KEYS, useCallbackHarness } from '../../../helpers/callback-harness.js';
import { silentLogger, silentMetrics } from '../../../helpers/observability.js';
import { contactEventXml } from '../../../helpers/wecom-payloads.js';

/**
 * The callbacks' wait for the WeCom keys: the Secrets Manager read (mocked at the SDK's edge) starts
 * at init, and a request waits for it only so long before it answers 503, so WeCom delivers again
 * instead of timing out (1 s for URL verification, 5 s for a POST). The queue is a real local SQS.
 */
const harness = useCallbackHarness();
const secrets = mockClient(SecretsManagerClient);
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:wecom-AbCdEf';
const SECRET = {
  SecretString: JSON.stringify({ token: TEST_KEYS.token, encodingAesKey: TEST_KEYS.encodingAesKey }),
};
/** The test's deadline: short, so that no test waits long. */
const DEADLINE_MS = 50;

afterEach(() => {
  secrets.reset();
  vi.restoreAllMocks();
});

/** The contact route wired as on Lambda: the keys memoized from the secret, the deadline, the local queue. */
function contactHandler() {
  const keys = memoizeAsync(() =>
    loadCallbackKeys(
      { WECOM_CORP_ID: TEST_KEYS.corpId, WECOM_SECRET_ARN: ARN },
      async () => new SecretsManagerClient({ region: 'us-east-1' }),
    ),
  );
  keys().catch(() => undefined);
  const queue = new SqsEventQueue({
    client: harness.queue.client,
    queueUrl: harness.queue.queueUrl,
    budgetMs: 1_000,
  });
  const handler = createCallbackHandler(
    'contact',
    { keys, queue, keysDeadlineMs: DEADLINE_MS },
    silentLogger(),
    silentMetrics(),
  );
  const post = () => {
    const request = signedPost(contactEventXml());
    return handler(
      apiEvent('contact', 'POST', request.rawQueryString, request.body),
      localLambdaContext('contact-callback'),
    );
  };
  const verify = () => {
    const echo = encrypt(deriveAesKey(TEST_KEYS.encodingAesKey), '5012345678', TEST_KEYS.corpId);
    const signature = sign(TEST_KEYS.token, '1795000000', '7', echo);
    const query = `msg_signature=${signature}&timestamp=1795000000&nonce=7&echostr=${encodeURIComponent(echo)}`;
    return handler(apiEvent('contact', 'GET', query), localLambdaContext('contact-callback'));
  };
  return { post, verify };
}

/** Resolves after `ms`. */
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the wait for the WeCom keys', () => {
  it('answers a POST 503 when Secrets Manager never answers, and queues nothing', async () => {
    // Prepare
    secrets.on(GetSecretValueCommand).callsFake(() => new Promise(() => undefined));
    const { post } = contactHandler();

    // Act
    const response = await post();

    // Assess
    expect(response).toMatchObject({ statusCode: 503 });
    expect(await harness.queued()).toEqual([]);
  });

  it('answers URL verification 503 when Secrets Manager never answers, never the echostr', async () => {
    // Prepare
    secrets.on(GetSecretValueCommand).callsFake(() => new Promise(() => undefined));
    const { verify } = contactHandler();

    // Act
    const response = await verify();

    // Assess
    expect(response).toMatchObject({ statusCode: 503 });
    expect(JSON.stringify(response)).not.toContain('5012345678');
  });

  it('keeps a secret that arrives after the deadline: 503 first, then 200 without reading it again', async () => {
    // Prepare
    secrets.on(GetSecretValueCommand).callsFake(() => delay(4 * DEADLINE_MS).then(() => SECRET));
    const { post } = contactHandler();

    // Act
    const early = await post();
    await delay(5 * DEADLINE_MS);
    const late = await post();

    // Assess
    expect(early).toMatchObject({ statusCode: 503 });
    expect(late).toMatchObject({ statusCode: 200, body: 'success' });
    expect(await harness.queued()).toHaveLength(1);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('reads the secret again after a failed read: 503, then 200', async () => {
    // Prepare
    secrets.on(GetSecretValueCommand).rejectsOnce(new Error('connect ETIMEDOUT')).resolves(SECRET);
    const { post, verify } = contactHandler();

    // Act
    const failed = await post();
    const recovered = await post();
    const verified = await verify();

    // Assess
    expect(failed).toMatchObject({ statusCode: 503 });
    expect(recovered).toMatchObject({ statusCode: 200, body: 'success' });
    expect(verified).toMatchObject({ statusCode: 200, body: '5012345678' });
    expect(await harness.queued()).toHaveLength(1);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('answers at once when the secret is there in time', async () => {
    // Prepare
    secrets.on(GetSecretValueCommand).resolves(SECRET);
    const { post } = contactHandler();

    // Act
    const response = await post();

    // Assess
    expect(response).toMatchObject({ statusCode: 200, body: 'success' });
    expect(await harness.queued()).toHaveLength(1);
  });

  it('sets a deadline only while the keys are loading: once they are in, a request takes them at once', async () => {
    // Prepare
    secrets.on(GetSecretValueCommand).resolves(SECRET);
    const { post, verify } = contactHandler();
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const deadlinesSet = () => timers.mock.calls.filter(([, ms]) => ms === DEADLINE_MS).length;

    // Act
    const cold = await post();
    const afterCold = deadlinesSet();
    const warm = await post();
    const verified = await verify();

    // Assess
    expect(cold).toMatchObject({ statusCode: 200, body: 'success' });
    expect(warm).toMatchObject({ statusCode: 200, body: 'success' });
    expect(verified).toMatchObject({ statusCode: 200, body: '5012345678' });
    expect(afterCold).toBe(1);
    expect(deadlinesSet()).toBe(1);
    expect(await harness.queued()).toHaveLength(2);
  });
});
