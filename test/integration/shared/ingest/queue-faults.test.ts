import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localLambdaContext } from '../../../../local/api-gateway-event.js';
import { LOCAL_AWS, type LocalQueue, startLocalQueue } from '../../../../local/local-queue.js';
import { SqsEventQueue } from '../../../../shared/adapters/sqs-event-queue.js';
import { createCallbackHandler } from '../../../../shared/ingest/callback-handler.js';
import { deriveAesKey } from '../../../../shared/wecom/crypto.js';
import { apiEvent, signedPost, TEST_KEYS } from '../../../helpers/callback-harness.js';
import { type FaultProxy, startFaultProxy } from '../../../helpers/fault-proxy.js';
import { silentLogger, silentMetrics } from '../../../helpers/observability.js';
import { archiveTextRecord, contactEventXml } from '../../../helpers/wecom-payloads.js';

let queue: LocalQueue;
let proxy: FaultProxy;
let client: SQSClient;

beforeAll(async () => {
  queue = await startLocalQueue();
  proxy = await startFaultProxy(queue.endpoint);
  client = new SQSClient({ ...LOCAL_AWS, endpoint: proxy.endpoint, maxAttempts: 1 });
});

afterAll(async () => {
  client.destroy();
  await proxy.close();
  await queue.stop();
});

beforeEach(() => {
  proxy.setPlan(() => 'forward');
});

function handlerWithBudget(route: 'contact' | 'message', budgetMs: number) {
  const eventQueue = new SqsEventQueue({ client, queueUrl: queue.queueUrl, budgetMs, baseDelayMs: 20 });
  const keys = async () => ({
    corpId: TEST_KEYS.corpId,
    token: TEST_KEYS.token,
    aes: deriveAesKey(TEST_KEYS.encodingAesKey),
  });
  return createCallbackHandler(route, { keys, queue: eventQueue }, silentLogger(), silentMetrics());
}

describe('ingest against an unreliable queue connection', () => {
  it('retries with back-off inside the budget and answers success once the event is stored', async () => {
    // Prepare
    const before = (await queue.list()).length;
    const firstSeen = proxy.count();
    proxy.setPlan((n) => (n - firstSeen <= 2 ? 'reset' : 'forward'));
    const handler = handlerWithBudget('contact', 3_000);
    const request = signedPost(contactEventXml());

    // Act
    const response = await handler(
      apiEvent('contact', 'POST', request.rawQueryString, request.body),
      localLambdaContext('contact-callback'),
    );

    // Assess
    expect(response).toMatchObject({ statusCode: 200, body: 'success' });
    expect(proxy.count() - firstSeen).toBe(3);
    expect((await queue.list()).length - before).toBe(1);
  });

  it('answers 503 when part of a batch cannot be stored, and a redelivery completes it with no duplicate', async () => {
    // Prepare: 15 records go out as two SendMessageBatch requests; the one with entry "10" keeps failing.
    const before = (await queue.list()).length;
    const records = Array.from({ length: 15 }, (_, i) => archiveTextRecord(`member${i}`, `text ${i}`));
    const request = signedPost(JSON.stringify({ records }));
    const event = apiEvent('message', 'POST', request.rawQueryString, request.body);
    proxy.setPlan((_, body) => (body.includes('"Id":"10"') ? 'reset' : 'forward'));

    // Act
    const first = await handlerWithBudget('message', 400)(event, localLambdaContext('message-callback'));
    const storedAfterFailure = (await queue.list()).length - before;
    proxy.setPlan(() => 'forward');
    const redelivery = await handlerWithBudget('message', 2_000)(
      event,
      localLambdaContext('message-callback'),
    );

    // Assess
    expect(first).toMatchObject({ statusCode: 503 });
    expect(storedAfterFailure).toBe(10);
    expect(redelivery).toMatchObject({ statusCode: 200, body: 'success' });
    const bodies = (await queue.list())
      .slice(before)
      .map((message) => JSON.parse(message.body) as { userId: string });
    expect(bodies).toHaveLength(15);
    expect(new Set(bodies.map((body) => body.userId)).size).toBe(15);
  });

  it('answers 503 and queues nothing while the WeCom keys cannot be loaded (Secrets Manager down)', async () => {
    // Prepare
    const before = (await queue.list()).length;
    const eventQueue = new SqsEventQueue({ client, queueUrl: queue.queueUrl, budgetMs: 500 });
    const keys = async (): Promise<never> => {
      throw new Error('connect ETIMEDOUT secretsmanager');
    };
    const handler = createCallbackHandler(
      'contact',
      { keys, queue: eventQueue },
      silentLogger(),
      silentMetrics(),
    );
    const request = signedPost(contactEventXml());

    // Act
    const response = await handler(
      apiEvent('contact', 'POST', request.rawQueryString, request.body),
      localLambdaContext('contact-callback'),
    );

    // Assess
    expect(response).toMatchObject({ statusCode: 503 });
    expect((await queue.list()).length).toBe(before);
  });
});
