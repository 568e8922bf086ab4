import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { localLambdaContext } from '../../../../local/api-gateway-event.js';
import { domainEventSchema } from '../../../../shared/domain/events.js';
import { deriveAesKey, encrypt, sign } from '../../../../shared/wecom/crypto.js';
import {
  apiEvent,
  signedEnvelope,
  signedPost,
  TEST_KEYS,
  unreachableQueueHandler,
  useCallbackHarness,
} from '../../../helpers/callback-harness.js';
import { archiveTextRecord, contactEventXml, unique } from '../../../helpers/wecom-payloads.js';

const harness = useCallbackHarness();

const aes = deriveAesKey(TEST_KEYS.encodingAesKey);

/** An encrypted echostr that contains a '+', the character form decoding turns into a space. */
function echostrWithPlus(prefix: string): string {
  for (let i = 0; ; i++) {
    const echo = encrypt(aes, `${prefix}-${i}`, TEST_KEYS.corpId);
    if (echo.includes('+')) return echo;
  }
}

function post(
  route: 'contact' | 'message' | 'wechat-status',
  request: { rawQueryString: string; body: string },
) {
  return harness.invoke(route, apiEvent(route, 'POST', request.rawQueryString, request.body));
}

describe('URL verification (GET)', () => {
  it('answers the decrypted echostr as bare text/plain on every route', async () => {
    // Prepare
    const echo = encrypt(aes, '6245366342893749', TEST_KEYS.corpId);
    const signature = sign(TEST_KEYS.token, '1795000000', '42', echo);
    const query = `msg_signature=${signature}&timestamp=1795000000&nonce=42&echostr=${encodeURIComponent(echo)}`;

    for (const route of ['contact', 'message', 'wechat-status'] as const) {
      // Act
      const response = await harness.invoke(route, apiEvent(route, 'GET', query));

      // Assess
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe('6245366342893749');
      expect(String(response.headers?.['content-type'])).toMatch(/^text\/plain/);
    }
  });

  it('refuses an echostr whose + was turned into a space by form decoding (401)', async () => {
    // Prepare: find an echostr that contains a '+'
    const echo = echostrWithPlus('echo');
    const signature = sign(TEST_KEYS.token, '1795000000', '42', echo);
    const spaced = echo.replaceAll('+', '%20');

    // Act
    const response = await harness.invoke(
      'contact',
      apiEvent(
        'contact',
        'GET',
        `msg_signature=${signature}&timestamp=1795000000&nonce=42&echostr=${spaced}`,
      ),
    );

    // Assess
    expect(response.statusCode).toBe(401);
  });

  it('accepts a literal + in the raw query (it is not a space)', async () => {
    // Prepare
    const echo = echostrWithPlus('plus');
    const signature = sign(TEST_KEYS.token, '1795000000', '42', echo);
    const literal = echo.replaceAll('/', '%2F').replaceAll('=', '%3D');

    // Act
    const response = await harness.invoke(
      'contact',
      apiEvent(
        'contact',
        'GET',
        `msg_signature=${signature}&timestamp=1795000000&nonce=42&echostr=${literal}`,
      ),
    );

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(/^plus-\d+$/);
  });

  it('refuses a query that was decoded twice on the way (%252B) with 401', async () => {
    // Prepare
    const echo = echostrWithPlus('double');
    const signature = sign(TEST_KEYS.token, '1795000000', '42', echo);
    const doubleEncoded = encodeURIComponent(encodeURIComponent(echo));

    // Act
    const response = await harness.invoke(
      'contact',
      apiEvent(
        'contact',
        'GET',
        `msg_signature=${signature}&timestamp=1795000000&nonce=42&echostr=${doubleEncoded}`,
      ),
    );

    // Assess
    expect(response.statusCode).toBe(401);
  });

  it('refuses URL verification without echostr (400) and without a signature (401)', async () => {
    // Act
    const noEcho = await harness.invoke(
      'contact',
      apiEvent('contact', 'GET', 'msg_signature=ab&timestamp=1&nonce=2'),
    );
    const unsigned = await harness.invoke('contact', apiEvent('contact', 'GET', 'echostr=abc'));

    // Assess
    expect(noEcho.statusCode).toBe(400);
    expect(unsigned.statusCode).toBe(401);
  });
});

describe('accepted callbacks', () => {
  it('queues add_external_contact once, in the member group, deduplicated by its own id', async () => {
    // Prepare
    const xml = contactEventXml({ userId: 'zhangsan', state: 'qr-campaign-7' });

    // Act
    const response = await post('contact', signedPost(xml));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('success');
    const [event, ...rest] = await harness.queued();
    expect(rest).toHaveLength(0);
    expect(domainEventSchema.parse(event)).toMatchObject({
      type: 'contact.added',
      corpId: TEST_KEYS.corpId,
      userId: 'zhangsan',
      viaContactMe: true,
      at: 1795000000 * 1000,
    });
    expect(await harness.groups()).toEqual([`${TEST_KEYS.corpId}:zhangsan`]);
    expect((await harness.queue.list())[0]?.deduplicationId).toBe(event?.id);
  });

  it('takes a callback delivered three times (new nonce and timestamp each time) into the queue once', async () => {
    // Prepare
    const xml = contactEventXml({ changeType: 'del_follow_user' });
    const encrypted = encrypt(aes, xml, TEST_KEYS.corpId);

    // Act
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const request = signedEnvelope(encrypted, {
        timestamp: String(1795000000 + i),
        nonce: String(1000 + i),
      });
      answers.push((await post('contact', request)).statusCode);
    }
    // A re-encryption (fresh random bytes) of the same event is the same event too.
    answers.push((await post('contact', signedPost(xml))).statusCode);

    // Assess
    expect(answers).toEqual([200, 200, 200, 200]);
    expect((await harness.queued()).map((event) => event.type)).toEqual(['contact.deleted-by-customer']);
  });

  it('accepts the JSON envelope and queues every record of a batch in its member group', async () => {
    // Prepare
    const records = [
      archiveTextRecord('lisi', '您好，这是本周的报价单'),
      archiveTextRecord('wangwu', 'hello'),
      {
        type: 'complaint',
        id: `c-${unique()}`,
        from: 'wmCustomer000000000000000000001',
        userId: 'lisi',
        reason: 'spam',
        time: 1795000001000,
      },
    ];

    // Act
    const response = await post('message', signedPost(JSON.stringify({ records }), { envelope: 'json' }));

    // Assess
    expect(response.statusCode).toBe(200);
    const queued = await harness.queued();
    expect(queued.map((event) => event.type).sort()).toEqual([
      'complaint.received',
      'message.sent',
      'message.sent',
    ]);
    expect(new Set(await harness.groups())).toEqual(
      new Set([`${TEST_KEYS.corpId}:lisi`, `${TEST_KEYS.corpId}:wangwu`]),
    );
  });

  it('queues WeChat banned and unbanned records with their own event time', async () => {
    // Prepare
    const banned = { id: `s-${unique()}`, userId: 'zhaoliu', status: 'banned', time: 1795000000000 };
    const unbanned = { id: `s-${unique()}`, userId: 'zhaoliu', status: 'unbanned', time: 1795086400000 };

    // Act
    const first = await post('wechat-status', signedPost(JSON.stringify(banned), { envelope: 'json' }));
    const second = await post('wechat-status', signedPost(JSON.stringify(unbanned)));

    // Assess
    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    expect((await harness.queued()).map((event) => [event.type, event.at])).toEqual([
      ['wechat.status-changed', 1795000000000],
      ['wechat.status-changed', 1795086400000],
    ]);
  });

  it('accepts and ignores unknown events and app messages (200, nothing queued)', async () => {
    // Prepare
    const appMessage =
      `<xml><ToUserName><![CDATA[${TEST_KEYS.corpId}]]></ToUserName><FromUserName><![CDATA[mycreate]]></FromUserName>` +
      '<CreateTime>1409659813</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hello]]></Content>' +
      '<MsgId>4561255354251345929</MsgId><AgentID>218</AgentID></xml>';
    const unknownEvent = contactEventXml({ changeType: 'some_future_change' });

    // Act
    const answers = [
      await post('contact', signedPost(appMessage)),
      await post('contact', signedPost(unknownEvent)),
      await post('contact', signedPost(contactEventXml({ changeType: 'edit_external_contact' }))),
    ];

    // Assess
    expect(answers.map((answer) => [answer.statusCode, answer.body])).toEqual([
      [200, 'success'],
      [200, 'success'],
      [200, 'success'],
    ]);
    expect(await harness.queued()).toEqual([]);
  });

  it('drops control characters from the decrypted XML instead of losing the event', async () => {
    // Prepare
    const xml = contactEventXml({ userId: 'zhang\u0010san', state: 'qr\u0001' });

    // Act
    const response = await post('contact', signedPost(xml));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(await harness.queued()).toMatchObject([
      { type: 'contact.added', userId: 'zhangsan', state: 'qr' },
    ]);
  });

  it('accepts a base64-encoded body (non-text content type through API Gateway)', async () => {
    // Prepare
    const request = signedPost(contactEventXml());

    // Act
    const response = await harness.invoke(
      'contact',
      apiEvent('contact', 'POST', request.rawQueryString, Buffer.from(request.body).toString('base64'), true),
    );

    // Assess
    expect(response.statusCode).toBe(200);
    expect(await harness.queued()).toHaveLength(1);
  });

  it('accepts whitespace around the ciphertext whether or not it was signed', async () => {
    // Prepare
    const encrypted = encrypt(aes, contactEventXml(), TEST_KEYS.corpId);
    const signedTrimmed = signedEnvelope(encrypted);
    const body = signedTrimmed.body.replace(`<![CDATA[${encrypted}]]>`, `\n  ${encrypted}\n`);

    // Act
    const response = await post('contact', { rawQueryString: signedTrimmed.rawQueryString, body });

    // Assess
    expect(response.statusCode).toBe(200);
    expect(await harness.queued()).toHaveLength(1);
  });
});

describe('bad input: a clear error, nothing queued', () => {
  const cases: {
    name: string;
    route?: 'contact' | 'message' | 'wechat-status';
    request: () => { rawQueryString: string; body: string };
    status: number;
  }[] = [
    {
      name: 'tampered signature',
      request: () => {
        const r = signedPost(contactEventXml());
        return {
          ...r,
          rawQueryString: r.rawQueryString.replace(
            /msg_signature=(.)/,
            (_, c: string) => `msg_signature=${c === '0' ? '1' : '0'}`,
          ),
        };
      },
      status: 401,
    },
    {
      name: 'missing signature',
      request: () => ({ rawQueryString: 'timestamp=1&nonce=2', body: signedPost(contactEventXml()).body }),
      status: 401,
    },
    {
      name: 'tampered ciphertext',
      request: () => {
        const r = signedPost(contactEventXml());
        const flipped = `${r.encrypted.slice(0, 10)}${r.encrypted[10] === 'A' ? 'B' : 'A'}${r.encrypted.slice(11)}`;
        return { ...r, body: r.body.replace(r.encrypted, flipped) };
      },
      status: 401,
    },
    {
      name: 'wrong EncodingAESKey (signed with the right token)',
      request: () =>
        signedPost(contactEventXml(), { encodingAesKey: 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut' }),
      status: 401,
    },
    {
      name: 'bad padding',
      request: () => {
        // 32 bytes whose decryption ends in a pad byte of 0.
        const cipher = createCipheriv('aes-256-cbc', aes.key, aes.iv);
        cipher.setAutoPadding(false);
        const block = Buffer.alloc(32, 7);
        block[31] = 0;
        return signedEnvelope(Buffer.concat([cipher.update(block), cipher.final()]).toString('base64'));
      },
      status: 401,
    },
    {
      name: 'truncated ciphertext',
      request: () => {
        const r = signedPost(contactEventXml());
        return signedEnvelope(r.encrypted.slice(0, 40));
      },
      status: 400,
    },
    {
      name: 'non-base64 ciphertext',
      request: () => signedEnvelope('this is not base64 at all!!'),
      status: 400,
    },
    {
      name: 'foreign receive id',
      request: () => signedPost(contactEventXml(), { receiveId: 'wwsomeoneelse00001' }),
      status: 401,
    },
    {
      name: 'extra bytes after the receive id',
      request: () => signedPost(contactEventXml(), { receiveId: `${TEST_KEYS.corpId}\u0000junk` }),
      status: 401,
    },
    {
      name: 'malformed envelope XML',
      request: () => ({
        rawQueryString: signedPost(contactEventXml()).rawQueryString,
        body: '<xml><Encrypt>abc</xml>',
      }),
      status: 400,
    },
    {
      name: 'envelope that is neither XML nor JSON',
      request: () => ({ rawQueryString: signedPost(contactEventXml()).rawQueryString, body: 'encrypt=abc' }),
      status: 400,
    },
    {
      name: 'malformed event XML',
      request: () => signedPost('<xml><ToUserName>a</ToUserName>'),
      status: 400,
    },
    {
      name: 'entity expansion (billion laughs) in the event',
      request: () =>
        signedPost(
          '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>' +
            '<xml><ToUserName>&lol2;</ToUserName></xml>',
        ),
      status: 400,
    },
    {
      name: 'external entity in the event',
      request: () =>
        signedPost(
          '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><UserID>&xxe;</UserID></xml>',
        ),
      status: 400,
    },
    {
      name: 'external entity in the envelope',
      request: () => {
        const r = signedPost(contactEventXml());
        return {
          ...r,
          body: `<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${r.body.replace('</xml>', '<X>&xxe;</X></xml>')}`,
        };
      },
      status: 400,
    },
    {
      name: 'contact event without ExternalUserID',
      request: () => signedPost(contactEventXml().replace(/<ExternalUserID>.*<\/ExternalUserID>/, '')),
      status: 400,
    },
    {
      name: 'message route with malformed JSON',
      route: 'message',
      request: () => signedPost('{"msgid": ', { envelope: 'json' }),
      status: 400,
    },
    {
      name: 'message route with a record of the wrong shape',
      route: 'message',
      request: () =>
        signedPost(JSON.stringify({ msgid: 'm1', action: 'send', from: 'a', msgtime: 'yesterday' })),
      status: 400,
    },
    {
      name: 'batch with one bad record (none of the batch is queued)',
      route: 'message',
      request: () =>
        signedPost(
          JSON.stringify({ records: [archiveTextRecord('lisi', 'ok'), { msgid: 'x', action: 'fly' }] }),
        ),
      status: 400,
    },
    {
      name: 'wechat-status with an unknown status',
      route: 'wechat-status',
      request: () => signedPost(JSON.stringify({ id: 's1', userId: 'u', status: 'frozen', time: 1 })),
      status: 400,
    },
    {
      name: 'JSON envelope without encrypt',
      route: 'wechat-status',
      request: () => ({ rawQueryString: signedPost('{}').rawQueryString, body: '{"encrypted": "abc"}' }),
      status: 400,
    },
    {
      name: 'empty body',
      request: () => ({ rawQueryString: signedPost(contactEventXml()).rawQueryString, body: '' }),
      status: 400,
    },
  ];

  for (const testCase of cases) {
    it(`${testCase.name} → ${testCase.status}`, async () => {
      // Prepare
      const route = testCase.route ?? 'contact';
      const request = testCase.request();

      // Act
      const response = await post(route, request);

      // Assess
      expect(response.statusCode).toBe(testCase.status);
      expect(response.body).not.toBe('success');
      expect(response.body ?? '').not.toMatch(/at .*\.(ts|js):\d+/);
      expect(await harness.queued()).toEqual([]);
    });
  }

  it('refuses a body over 256 KiB with 413 and queues nothing', async () => {
    // Prepare
    const request = signedPost(contactEventXml({ extra: `<Padding>${'x'.repeat(300 * 1024)}</Padding>` }));

    // Act
    const response = await post('contact', request);

    // Assess
    expect(response.statusCode).toBe(413);
    expect(await harness.queued()).toEqual([]);
  });

  it('answers 503 when the queue cannot be reached, so that WeCom delivers again', async () => {
    // Prepare
    const handler = unreachableQueueHandler('contact');
    const request = signedPost(contactEventXml());

    // Act
    const response = await handler(
      apiEvent('contact', 'POST', request.rawQueryString, request.body),
      localLambdaContext('contact-callback'),
    );

    // Assess
    expect(response).toMatchObject({ statusCode: 503 });
    expect(await harness.queued()).toEqual([]);
  });
});
