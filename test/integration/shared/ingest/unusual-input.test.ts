import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { localLambdaContext } from '../../../../local/api-gateway-event.js';
import { SqsEventQueue } from '../../../../shared/adapters/sqs-event-queue.js';
import { parseEngineInput } from '../../../../shared/domain/commands.js';
import type { DomainEvent } from '../../../../shared/domain/events.js';
import { createCallbackHandler } from '../../../../shared/ingest/callback-handler.js';
import { deriveAesKey } from '../../../../shared/wecom/crypto.js';
import { apiEvent, signedPost, TEST_KEYS, useCallbackHarness } from '../../../helpers/callback-harness.js';
import { silentLogger, silentMetrics } from '../../../helpers/observability.js';
import { renderWecomXml } from '../../../helpers/wecom-event-xml.js';
import { archiveTextRecord, contactEventXml, unique } from '../../../helpers/wecom-payloads.js';

// Issue 10, items 1, 2 and 9: what WeCom users type and what ids look like never loses an event,
// and nothing answered 200 is refused by the evaluator afterwards.

const harness = useCallbackHarness();

type Route = 'contact' | 'message' | 'wechat-status';

function post(route: Route, plaintext: string, envelope: 'xml' | 'json' = 'xml') {
  const request = signedPost(plaintext, { envelope });
  return harness.invoke(route, apiEvent(route, 'POST', request.rawQueryString, request.body));
}

/** What the evaluator reads of each queued message, through its own parser. */
async function evaluatorReads(): Promise<DomainEvent[]> {
  const messages = await harness.queue.list();
  return messages.map((message) => parseEngineInput(message.body) as DomainEvent);
}

function messageOf(text: string): string {
  return JSON.stringify(archiveTextRecord('zhangsan', text));
}

describe('characters in message text', () => {
  it.each([
    ['an emoji', '好的😀👍🏽 see you'],
    ['a CJK character outside the BMP', '𠮷野家 开业'],
    ['U+FFFE and U+FFFF', 'a\uFFFEb\uFFFFc'],
    ['a lone surrogate', 'broken \uD83D pair'],
    ['control characters', 'bell\u0007 del\u007F nel\u0085 nul\u0000'],
    ['right-to-left override and zero-width joiner', 'abc\u202Edef\u200Dghi'],
  ])('queues %s and hands the evaluator the very same text (200)', async (_name, text) => {
    // Act
    const response = await post('message', messageOf(text), 'json');

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('success');
    const [event, ...rest] = await evaluatorReads();
    expect(rest).toEqual([]);
    expect(event?.type).toBe('message.sent');
    expect(event?.type === 'message.sent' ? event.text : undefined).toBe(text);
  });

  it('queues every message body as printable ASCII', async () => {
    // Act
    const response = await post('message', messageOf('表情😀 and 𠮷 and \uFFFF'), 'json');

    // Assess
    expect(response.statusCode).toBe(200);
    const [message] = await harness.queue.list();
    expect(message?.body).toMatch(/^[\x20-\x7e]+$/);
  });

  it('queues a callback near 256 KiB made of emoji whole (200)', async () => {
    // Prepare: 4 UTF-8 bytes each, 12 once escaped; the envelope's base64 stays under the limit.
    const text = '😀'.repeat(45_000);

    // Act
    const response = await post('message', messageOf(text), 'json');

    // Assess
    expect(response.statusCode).toBe(200);
    const [event] = await evaluatorReads();
    expect(event?.type === 'message.sent' ? event.text : undefined).toBe(text);
  });
});

describe('a queue that refuses an event for its content', () => {
  it('answers 500 at once, not 503 after retries: delivering again cannot help', async () => {
    // Prepare: a queue that takes at most 1 KiB per message, so a longer event is a sender fault.
    const small = await harness.queue.client.send(
      new CreateQueueCommand({
        QueueName: `small-${unique()}.fifo`,
        Attributes: { FifoQueue: 'true', MaximumMessageSize: '1024' },
      }),
    );
    const queue = new SqsEventQueue({
      client: harness.queue.client,
      queueUrl: small.QueueUrl ?? '',
      budgetMs: 60_000,
    });
    const keys = async () => ({
      corpId: TEST_KEYS.corpId,
      token: TEST_KEYS.token,
      aes: deriveAesKey(TEST_KEYS.encodingAesKey),
    });
    const handler = createCallbackHandler('message', { keys, queue }, silentLogger(), silentMetrics());
    const request = signedPost(messageOf('x'.repeat(4_000)), { envelope: 'json' });
    const started = Date.now();

    // Act
    const response = (await handler(
      apiEvent('message', 'POST', request.rawQueryString, request.body),
      localLambdaContext('message-callback'),
    )) as { statusCode: number; body: string };

    // Assess: no back-off over the 60 s budget (a generous bound: one request, not a retry loop).
    expect(response.statusCode).toBe(500);
    expect(response.body).toMatch(/refused an event for its content/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});

describe('profile changes with unusual element names', () => {
  it.each([
    'constructor',
    'toString',
    'hasOwnProperty',
    'valueOf',
  ])('accepts an update_user with a <%s> element and the evaluator reads it (200)', async (name) => {
    // Prepare
    const xml = renderWecomXml({
      ToUserName: TEST_KEYS.corpId,
      FromUserName: 'sys',
      CreateTime: 1795000000,
      MsgType: 'event',
      Event: 'change_contact',
      ChangeType: 'update_user',
      UserID: 'zhangsan',
      Name: '张三',
      [name]: 'x',
    });

    // Act
    const response = await post('contact', xml);

    // Assess
    expect(response.statusCode).toBe(200);
    const [event] = await evaluatorReads();
    expect(event?.type).toBe('member.profile-changed');
    expect(event?.type === 'member.profile-changed' ? event.changes[name] : undefined).toBe('x');
  });
});

describe('ids (CONTRACT §3)', () => {
  // NUL cannot travel in XML (the parser drops XML's forbidden controls), so only JSON routes carry it.
  const nul: [string, string] = ['NUL', 'zhang\u0000san'];
  const badMemberIds: [string, string][] = [
    ['a lone surrogate', 'zhang\uD800san'],
    ['a bidi override', 'zhang\u202Esan'],
    ['a zero-width space', 'zhang\u200Bsan'],
    ['a look-alike Cyrillic a', 'zh\u0430ngsan'],
    ['a full-width letter', 'ｚhangsan'],
    ['a leading dot', '.zhangsan'],
    ['a space', 'zhang san'],
    ['65 characters', 'z'.repeat(65)],
  ];

  it.each(
    badMemberIds,
  )('refuses a contact event whose member id holds %s (400, nothing queued)', async (_n, id) => {
    // Act
    const response = await post('contact', contactEventXml({ userId: id }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(await harness.queue.list()).toEqual([]);
  });

  it.each([
    nul,
    ...badMemberIds,
  ])('refuses a WeChat status whose member id holds %s (400, nothing queued)', async (_n, id) => {
    // Act
    const response = await post(
      'wechat-status',
      JSON.stringify({ id: `s-${unique()}`, userId: id, status: 'banned', time: 1795000000000 }),
      'json',
    );

    // Assess
    expect(response.statusCode).toBe(400);
    expect(await harness.queue.list()).toEqual([]);
  });

  it.each([
    nul,
    ...badMemberIds,
  ])('refuses a message sent by a member id holding %s (400, nothing queued)', async (_n, id) => {
    // Act
    const response = await post('message', JSON.stringify(archiveTextRecord(id, 'hello')), 'json');

    // Assess
    expect(response.statusCode).toBe(400);
    expect(await harness.queue.list()).toEqual([]);
  });

  it('refuses an external user id or a record id outside printable ASCII (400, nothing queued)', async () => {
    // Act
    const external = await post('contact', contactEventXml({ externalUserId: 'wm客户\u200B' }));
    const complaint = await post(
      'message',
      JSON.stringify({
        type: 'complaint',
        id: 'c-😀',
        from: 'wmCustomer000000000000000000001',
        userId: 'zhangsan',
        time: 1795000000000,
      }),
      'json',
    );

    // Assess
    expect(external.statusCode).toBe(400);
    expect(complaint.statusCode).toBe(400);
    expect(await harness.queue.list()).toEqual([]);
  });

  it('accepts every character WeCom documents for a member id (200)', async () => {
    // Act
    const response = await post('contact', contactEventXml({ userId: 'Zhang.San_01-ops@acme.example' }));

    // Assess
    expect(response.statusCode).toBe(200);
    const [event] = await evaluatorReads();
    expect(event?.userId).toBe('Zhang.San_01-ops@acme.example');
  });
});
