import { request as httpRequest } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SealKeys, sealCallback, signAndWrap } from '../../local/seal-callback.js';
import { deriveAesKey, encrypt } from '../../shared/wecom/crypto.js';
import {
  type CallbackRoute,
  E2E_KEYS,
  externalId,
  type MemberJson,
  scenarioStart,
  uniqueId,
} from '../helpers/e2e-client.js';
import { FAITHFUL_POLICY_FILE, useLocalPipeline } from '../helpers/e2e-setup.js';

/**
 * Issue 10's hostile-input suite: forged, truncated, oversized, mistyped, oddly written and
 * replayed requests to the three callback routes, the admin API and the local routes of a real
 * `npm start`. Each refused request is answered with its status, leaves nothing written (no event
 * queued or evaluated, no outbound event, no dead letter, the target member as it was) and
 * `/health` answers right after it. Each accepted one is evaluated exactly once.
 */

const CORP = 'wwe2ehostile000001';
/** The member the forged and malformed requests name. */
const VICTIM = 'victim';
const START = scenarioStart(5);

const { client: wecom } = useLocalPipeline(CORP, { policyFile: FAITHFUL_POLICY_FILE });
let port: number;

beforeAll(async () => {
  port = Number(new URL(wecom.url).port);
  await wecom.setClock(START);
});

interface RawAnswer {
  readonly status: number;
  readonly body: string;
}

/** One HTTP request with full control over its headers (Host included) and body. */
function raw(
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method, path, headers: options.headers ?? {} },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    // The server may answer and close before a refused body is sent whole.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

const KEYS: SealKeys = { corpId: CORP, token: E2E_KEYS.token, encodingAesKey: E2E_KEYS.encodingAesKey };
const contentType = (route: CallbackRoute) => (route === 'contact' ? 'text/xml' : 'application/json');
const envelopeOf = (route: CallbackRoute) => (route === 'contact' ? 'xml' : 'json');

/** POSTs a sealed callback whose query or body a test may spoil on the way. */
function postSealed(
  route: CallbackRoute,
  plaintext: string,
  options: {
    keys?: Partial<SealKeys>;
    receiveId?: string;
    spoil?: (sealed: { query: string; body: string }) => { query: string; body: string };
  } = {},
): Promise<RawAnswer> {
  const sealed = sealCallback(
    plaintext,
    { ...KEYS, ...options.keys },
    {
      envelope: envelopeOf(route),
      ...(options.receiveId === undefined ? {} : { receiveId: options.receiveId }),
    },
  );
  const { query, body } = options.spoil ? options.spoil(sealed) : sealed;
  return raw('POST', `/callbacks/${route}?${query}`, {
    headers: { 'content-type': contentType(route) },
    body,
  });
}

/** POSTs an already encrypted text, signed with the corp's token as it is, in the route's envelope. */
function postSigned(route: CallbackRoute, encrypted: string): Promise<RawAnswer> {
  const sealed = signAndWrap(encrypted, KEYS, { envelope: envelopeOf(route) });
  return raw('POST', `/callbacks/${route}?${sealed.query}`, {
    headers: { 'content-type': contentType(route) },
    body: sealed.body,
  });
}

/** A well-formed plaintext of each route, about the victim. */
function plaintextOf(route: CallbackRoute, userId = VICTIM): string {
  switch (route) {
    case 'contact':
      return wecom.contactXml('add_external_contact', userId, externalId(userId, 1), START);
    case 'message':
      return JSON.stringify(wecom.textRecord(userId, 'hello', START));
    case 'wechat-status':
      return JSON.stringify({ id: uniqueId('ws'), userId, status: 'banned', time: START });
  }
}

const ROUTES: readonly CallbackRoute[] = ['contact', 'message', 'wechat-status'];

interface Fingerprint {
  readonly outbound: number;
  readonly queued: number;
  readonly deadLetters: number;
  readonly victim: MemberJson;
}

async function fingerprint(): Promise<Fingerprint> {
  const queue = await wecom.queue();
  return {
    outbound: (await wecom.events()).length,
    queued: queue.queue.length,
    deadLetters: queue.deadLetterQueue.length,
    victim: await wecom.member(VICTIM),
  };
}

/** Runs a refused request: its status, nothing written or evaluated, `/health` fine right after. */
async function expectRefused(send: () => Promise<RawAnswer>, status: number): Promise<RawAnswer> {
  // Prepare
  const before = await fingerprint();

  // Act
  const answer = await send();
  const health = await raw('GET', '/health');

  // Assess
  expect(answer.status, answer.body).toBe(status);
  expect(health.status).toBe(200);
  expect(await wecom.drain()).toBe(0);
  expect(await fingerprint()).toEqual(before);
  return answer;
}

// ---- callbacks ---------------------------------------------------------------------------------

describe.each(
  ROUTES,
)('forged and broken callbacks on /callbacks/%s, under policies/wecom-faithful.json', (route) => {
  it('refuses a callback signed with another token (401)', async () => {
    await expectRefused(
      () => postSealed(route, plaintextOf(route), { keys: { token: 'not-the-token' } }),
      401,
    );
  });

  it('refuses a callback encrypted with another EncodingAESKey (401 or 400 never: 401)', async () => {
    await expectRefused(
      () =>
        postSealed(route, plaintextOf(route), {
          keys: { encodingAesKey: 'ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlkj' },
        }),
      401,
    );
  });

  it('refuses a callback for another corp (receive id) (401)', async () => {
    await expectRefused(
      () => postSealed(route, plaintextOf(route), { receiveId: 'wwsomeoneelse00001' }),
      401,
    );
  });

  it('refuses a callback without msg_signature (401)', async () => {
    await expectRefused(
      () =>
        postSealed(route, plaintextOf(route), {
          spoil: ({ query, body }) => ({ query: query.replace(/msg_signature=[^&]*&/, ''), body }),
        }),
      401,
    );
  });

  it('refuses a signature with one character changed (401)', async () => {
    await expectRefused(
      () =>
        postSealed(route, plaintextOf(route), {
          spoil: ({ query, body }) => ({
            query: query.replace(
              /msg_signature=(.)/,
              (_m, c: string) => `msg_signature=${c === 'a' ? 'b' : 'a'}`,
            ),
            body,
          }),
        }),
      401,
    );
  });

  it('refuses a body cut in half (400)', async () => {
    await expectRefused(
      () =>
        postSealed(route, plaintextOf(route), {
          spoil: ({ query, body }) => ({ query, body: body.slice(0, Math.floor(body.length / 2)) }),
        }),
      400,
    );
  });

  it('refuses a ciphertext that is not base64, signed as it is (400)', async () => {
    await expectRefused(() => postSigned(route, '***not base64***'), 400);
  });

  it('refuses a ciphertext truncated to a block that is not whole, signed as it is (400)', async () => {
    const aes = deriveAesKey(E2E_KEYS.encodingAesKey);
    const encrypted = encrypt(aes, plaintextOf(route), CORP);
    await expectRefused(() => postSigned(route, encrypted.slice(0, 30)), 400);
  });

  it('refuses a body over 256 KiB (413)', async () => {
    await expectRefused(
      () =>
        postSealed(route, plaintextOf(route), {
          spoil: ({ query, body }) => ({ query, body: body + ' '.repeat(256 * 1024) }),
        }),
      413,
    );
  });

  it('refuses an empty body (400)', async () => {
    await expectRefused(() => raw('POST', `/callbacks/${route}?msg_signature=a&timestamp=1&nonce=2`), 400);
  });

  it('refuses PUT (405)', async () => {
    await expectRefused(
      () => raw('PUT', `/callbacks/${route}?msg_signature=a&timestamp=1&nonce=2`, { body: 'x' }),
      405,
    );
  });

  it('refuses an envelope with a DOCTYPE and entities (400)', async () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>' +
      '<xml><ToUserName>&b;</ToUserName><Encrypt>x</Encrypt></xml>';
    await expectRefused(
      () =>
        raw('POST', `/callbacks/${route}?msg_signature=a&timestamp=1&nonce=2`, {
          headers: { 'content-type': 'text/xml' },
          body: bomb,
        }),
      400,
    );
  });

  it('refuses a member id with a bidi override (400)', async () => {
    await expectRefused(() => postSealed(route, plaintextOf(route, 'vict\u202Eim')), 400);
  });

  it('refuses a member id with a zero-width space (400)', async () => {
    await expectRefused(() => postSealed(route, plaintextOf(route, 'vic\u200Btim')), 400);
  });

  it('refuses a member id written with a Cyrillic look-alike (400)', async () => {
    await expectRefused(() => postSealed(route, plaintextOf(route, 'vict\u0456m')), 400);
  });
});

describe('malformed decrypted content, under policies/wecom-faithful.json', () => {
  const cases: [string, CallbackRoute, string][] = [
    ['contact XML that is not well formed', 'contact', '<xml><ToUserName>x</ToUserName'],
    [
      'contact XML nested 20,000 deep',
      'contact',
      `<xml>${'<a>'.repeat(20_000)}${'</a>'.repeat(20_000)}</xml>`,
    ],
    [
      'contact XML with an internal entity',
      'contact',
      `<!DOCTYPE xml [<!ENTITY e "${VICTIM}">]><xml><UserID>&e;</UserID></xml>`,
    ],
    [
      'an add with CreateTime in milliseconds',
      'contact',
      `<xml><ToUserName>${CORP}</ToUserName><CreateTime>${START}</CreateTime><MsgType>event</MsgType><Event>change_external_contact</Event><ChangeType>add_external_contact</ChangeType><UserID>${VICTIM}</UserID><ExternalUserID>wmX</ExternalUserID></xml>`,
    ],
    ['message JSON cut short', 'message', '{"msgid": "m1", "action": "send"'],
    ['message JSON nested 60,000 deep', 'message', `${'['.repeat(60_000)}${']'.repeat(60_000)}`],
    [
      'a message record whose text is nested arrays',
      'message',
      JSON.stringify({
        msgid: 'deep-1',
        action: 'send',
        from: VICTIM,
        tolist: ['wmA'],
        msgtime: START,
        msgtype: 'text',
        text: { content: JSON.parse(`${'['.repeat(1_000)}${']'.repeat(1_000)}`) },
      }),
    ],
    [
      'a message time as a string',
      'message',
      JSON.stringify({ msgid: 'm2', action: 'send', from: VICTIM, msgtime: String(START) }),
    ],
    [
      'a message time in seconds',
      'message',
      JSON.stringify({ msgid: 'm3', action: 'send', from: VICTIM, msgtime: START / 1000 }),
    ],
    ['records that are not a list', 'message', '{"records": {"0": {}}}'],
    [
      '101 records in one callback',
      'message',
      JSON.stringify({ records: Array.from({ length: 101 }, () => ({})) }),
    ],
    [
      'a complaint without its member',
      'message',
      JSON.stringify({ type: 'complaint', id: 'c1', from: 'wmA', time: START }),
    ],
    [
      'a status that is neither banned nor unbanned',
      'wechat-status',
      JSON.stringify({ id: 's1', userId: VICTIM, status: 'maybe', time: START }),
    ],
    [
      'a status with a time in the year 2200',
      'wechat-status',
      JSON.stringify({ id: 's2', userId: VICTIM, status: 'banned', time: Date.UTC(2200, 0, 1) }),
    ],
    ['a status as a JSON string', 'wechat-status', '"banned"'],
    [
      'a status with a __proto__ member id',
      'wechat-status',
      '{"id": "s3", "__proto__": {"userId": "victim"}, "status": "banned", "time": 1}',
    ],
  ];

  it.each(cases)('refuses %s (400)', async (_name, route, plaintext) => {
    await expectRefused(() => postSealed(route, plaintext), 400);
  });
});

describe('accepted callbacks with unusual content: evaluated once, nothing lost, under policies/wecom-faithful.json', () => {
  /** A message that breaks rule 1 (inducing sharing), so its evaluation shows as one strike. */
  const SHARING = '亲，帮忙转发朋友圈，集赞有礼';

  /** Delivers `times` times, drains, and tells what a user would see of it. */
  async function deliverAndSee(route: CallbackRoute, plaintext: string, userId: string, times = 1) {
    const statuses: number[] = [];
    for (let i = 0; i < times; i++) statuses.push((await postSealed(route, plaintext)).status);
    await wecom.drain();
    const health = await raw('GET', '/health');
    return {
      statuses,
      violations: (await wecom.violations(userId)).length,
      health: health.status,
      deadLetters: (await wecom.queue()).deadLetterQueue.length,
    };
  }

  it.each([
    ['emoji', '好的😀👍🏽'],
    ['a rare CJK character outside the BMP', '𠮷野家'],
    ['U+FFFE and U+FFFF', 'x\uFFFEy\uFFFF'],
    ['control characters', 'a\u0001b\u007Fc\u0085d'],
    ['a bidi override', 'abc\u202Edef'],
    ['1,000 lines of emoji', '😀\n'.repeat(1_000)],
  ])('takes a message with %s: 200, evaluated once, no dead letter', async (_name, text) => {
    // Prepare
    const member = uniqueId('chars');

    // Act
    const seen = await deliverAndSee(
      'message',
      JSON.stringify(wecom.textRecord(member, `${text} ${SHARING}`, START)),
      member,
    );

    // Assess
    expect(seen).toEqual({ statuses: [200], violations: 1, health: 200, deadLetters: 0 });
  });

  it('takes an update_user with a <constructor> element: 200, evaluated once, no dead letter', async () => {
    // Prepare: a name that breaks rule 3, so the evaluation shows
    const member = uniqueId('profile');
    const xml =
      `<xml><ToUserName>${CORP}</ToUserName><CreateTime>${START / 1000}</CreateTime><MsgType>event</MsgType>` +
      `<Event>change_contact</Event><ChangeType>update_user</ChangeType><UserID>${member}</UserID>` +
      '<constructor>x</constructor><Name>澳门赌场客服</Name></xml>';

    // Act
    const seen = await deliverAndSee('contact', xml, member);

    // Assess
    expect(seen).toEqual({ statuses: [200], violations: 1, health: 200, deadLetters: 0 });
    expect((await wecom.member(member)).account.status).toBe('blocked');
  });

  it('takes an unknown WeCom event and ignores it: 200, nothing queued or written', async () => {
    await expectRefused(
      () =>
        postSealed(
          'contact',
          `<xml><ToUserName>${CORP}</ToUserName><CreateTime>${START / 1000}</CreateTime><MsgType>event</MsgType><Event>something_new</Event></xml>`,
        ),
      200,
    );
  });

  it.each([
    ['message', (member: string) => JSON.stringify(wecom.textRecord(member, SHARING, START))],
    [
      'wechat-status',
      (member: string) =>
        JSON.stringify({ id: uniqueId('ws'), userId: member, status: 'banned', time: START }),
    ],
    [
      'contact',
      (member: string) =>
        `<xml><ToUserName>${CORP}</ToUserName><CreateTime>${START / 1000}</CreateTime><MsgType>event</MsgType>` +
        `<Event>change_contact</Event><ChangeType>update_user</ChangeType><UserID>${member}</UserID>` +
        '<Name>澳门赌场客服</Name></xml>',
    ],
  ] as const)('takes one callback on /callbacks/%s delivered five times once', async (route, plaintextFor) => {
    // Prepare
    const member = uniqueId('replay');

    // Act
    const seen = await deliverAndSee(route, plaintextFor(member), member, 5);

    // Assess
    expect(seen).toEqual({ statuses: [200, 200, 200, 200, 200], violations: 1, health: 200, deadLetters: 0 });
  });

  it('takes a burst of 60 distinct callbacks at once, each evaluated once, /health answering during it', async () => {
    // Prepare: 60 members, each sending one message that breaks rule 1
    const members = Array.from({ length: 60 }, () => uniqueId('burst'));

    // Act
    const [answers, health] = await Promise.all([
      Promise.all(
        members.map((member) =>
          postSealed('message', JSON.stringify(wecom.textRecord(member, `😀 ${SHARING}`, START))),
        ),
      ),
      raw('GET', '/health'),
    ]);
    await wecom.drain();

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual(members.map(() => 200));
    expect(health.status).toBe(200);
    const strikes = await Promise.all(members.map(async (member) => (await wecom.member(member)).strikes));
    expect(strikes).toEqual(members.map(() => 1));
    expect((await wecom.queue()).deadLetterQueue).toEqual([]);
  });

  it('does not let a captured ban replayed after an unban suspend the member again', async () => {
    // Prepare: banned, unbanned, then the ban callback captured and sent again
    const member = uniqueId('replay');
    const ban = JSON.stringify({ id: uniqueId('ban'), userId: member, status: 'banned', time: START });
    const unban = JSON.stringify({
      id: uniqueId('unban'),
      userId: member,
      status: 'unbanned',
      time: START + 1_000,
    });
    await postSealed('wechat-status', ban);
    await postSealed('wechat-status', unban);
    await wecom.drain();
    const before = await wecom.member(member);

    // Act
    const answer = await postSealed('wechat-status', ban);
    await wecom.drain();

    // Assess
    expect(answer.status).toBe(200);
    expect(await wecom.member(member)).toEqual(before);
    expect(await wecom.violations(member)).toHaveLength(1);
  });
});

// ---- admin API ---------------------------------------------------------------------------------

describe('the admin API, under policies/wecom-faithful.json', () => {
  const auth = { authorization: `Bearer ${E2E_KEYS.adminToken}` };
  const victimPath = `/admin/corps/${CORP}/members/${VICTIM}`;

  it.each([
    ['no credentials', {}],
    ['a wrong token', { authorization: 'Bearer not-the-token' }],
    ['a token one character short', { authorization: `Bearer ${E2E_KEYS.adminToken.slice(0, -1)}` }],
    [
      'basic credentials',
      { authorization: `Basic ${Buffer.from(`admin:${E2E_KEYS.adminToken}`).toString('base64')}` },
    ],
  ])('refuses %s (401)', async (_name, headers) => {
    await expectRefused(() => raw('GET', victimPath, { headers }), 401);
  });

  it.each([
    ['a bidi override', 'vict%E2%80%AEim'],
    ['a zero-width space', 'vic%E2%80%8Btim'],
    ['NUL', 'vic%00tim'],
    ['a lone surrogate (invalid UTF-8)', 'vic%ED%A0%80tim'],
    ['a Cyrillic look-alike', 'vict%D1%96m'],
    ['65 characters', 'v'.repeat(65)],
    ['a slash', 'vic%2Ftim'],
    ['broken percent-encoding', 'vic%E2tim'],
  ])('refuses a member id with %s (400)', async (_name, id) => {
    await expectRefused(() => raw('GET', `/admin/corps/${CORP}/members/${id}`, { headers: auth }), 400);
  });

  it.each([
    ['a body that is not JSON', '{"category": '],
    ['a JSON array', '[]'],
    ['an unknown category', JSON.stringify({ category: 'no-such-thing', reviewer: 'r' })],
    ['a field of the wrong type', JSON.stringify({ category: 'gambling', reviewer: 42 })],
    ['an unknown field', JSON.stringify({ category: 'gambling', reviewer: 'r', admin: true })],
    ['JSON nested 30,000 deep', `{"category": ${'['.repeat(30_000)}${']'.repeat(30_000)}}`],
    ['a __proto__ field', '{"__proto__": {"category": "gambling"}, "reviewer": "r"}'],
  ])('refuses a report with %s (400)', async (_name, body) => {
    await expectRefused(
      () =>
        raw('POST', `${victimPath}/violations`, {
          headers: { ...auth, 'content-type': 'application/json' },
          body,
        }),
      400,
    );
  });

  it('refuses a report body over the limit (413)', async () => {
    await expectRefused(
      () =>
        raw('POST', `${victimPath}/violations`, {
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ category: 'gambling', reviewer: 'r', note: 'x'.repeat(300 * 1024) }),
        }),
      413,
    );
  });

  it('refuses a malformed Idempotency-Key (400)', async () => {
    await expectRefused(
      () =>
        raw('POST', `${victimPath}/violations`, {
          headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': 'key with spaces' },
          body: JSON.stringify({ category: 'gambling', reviewer: 'r' }),
        }),
      400,
    );
  });

  it.each([
    ['a parked id that is not one', 'POST', '/admin/parked/not-an-id/retry', undefined, 400],
    ['an unknown parked id', 'POST', `/admin/parked/${'0'.repeat(32)}/discard`, undefined, 404],
    [
      'a discard body with an unknown field',
      'POST',
      `/admin/parked/${'0'.repeat(32)}/discard`,
      '{"admin": true}',
      404,
    ],
    ['GET on a retry', 'GET', `/admin/parked/${'0'.repeat(32)}/retry`, undefined, 405],
  ] as const)('refuses %s on the parked inputs', async (_name, method, path, body, status) => {
    await expectRefused(
      () =>
        raw(method, path, {
          headers: { ...auth, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body }),
        }),
      status,
    );
  });

  it('answers an unknown route with 404', async () => {
    await expectRefused(() => raw('GET', '/admin/nothing/here', { headers: auth }), 404);
  });
});

// ---- local routes ------------------------------------------------------------------------------

describe('the local routes, under policies/wecom-faithful.json', () => {
  it.each([
    ['advanceMs 1e308', { advanceMs: 1e308 }],
    ['advanceMs −1e15 (before 2000)', { advanceMs: -1e15 }],
    ['set to 1999', { set: '1999-12-31T23:59:59Z' }],
    ['set to 2100', { set: '2100-01-01T00:00:00Z' }],
    ['set to a date that is no date', { set: 'yesterday' }],
    ['advanceMs as a string', { advanceMs: '1000' }],
    ['both moves at once', { advanceMs: 1, set: '2030-01-01T00:00:00Z' }],
  ])('refuses a clock move of %s with 400 and leaves the clock where it was', async (_name, move) => {
    // Act
    await expectRefused(
      () =>
        raw('POST', '/local/clock', {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(move),
        }),
      400,
    );

    // Assess: the clock still moves as asked afterwards
    expect(await wecom.advanceClock(0)).toBe(new Date(START).toISOString());
  });

  const foreign: [string, string, Record<string, string>][] = [
    ['a DNS-rebound Host on /local/drain', '/local/drain', { host: 'attacker.example:80' }],
    ['a DNS-rebound Host on /admin', `/admin/corps/${CORP}/members/${VICTIM}`, { host: 'evil.test' }],
    ['a foreign Origin on /local/clock', '/local/clock', { origin: 'http://evil.test' }],
    [
      'a foreign Origin on /admin',
      `/admin/corps/${CORP}/members/${VICTIM}`,
      { origin: 'https://example.com' },
    ],
    ['Origin null on /admin', `/admin/corps/${CORP}/members/${VICTIM}`, { origin: 'null' }],
    ['Sec-Fetch-Site cross-site on /local/clock', '/local/clock', { 'sec-fetch-site': 'cross-site' }],
    ['a foreign Host on /console', '/console', { host: 'rebound.example' }],
  ];

  it.each(foreign)('refuses %s (403)', async (_name, path, headers) => {
    await expectRefused(
      () =>
        raw('POST', path, {
          headers: {
            authorization: `Bearer ${E2E_KEYS.adminToken}`,
            'content-type': 'application/json',
            ...headers,
          },
          body: JSON.stringify({ set: '2030-01-01T00:00:00Z', category: 'gambling', reviewer: 'r' }),
        }),
      403,
    );
  });

  it('refuses a clock body that is not JSON (400)', async () => {
    await expectRefused(
      () => raw('POST', '/local/clock', { headers: { 'content-type': 'application/json' }, body: '{"set":' }),
      400,
    );
  });
});
