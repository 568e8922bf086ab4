import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_DEFAULTS } from '../../../local/config.js';
import { deriveAesKey, encrypt, sign } from '../../../shared/wecom/crypto.js';
import { FAITHFUL_POLICY_FILE, type LocalProcess, startLocalProcess } from '../../helpers/local-process.js';
import { archiveTextRecord } from '../../helpers/wecom-payloads.js';

const corpId = 'wwlocalmodetest001';
let local: LocalProcess;

beforeAll(async () => {
  local = await startLocalProcess({ WECOM_CORP_ID: corpId, POLICY_FILE: FAITHFUL_POLICY_FILE });
});

afterAll(async () => {
  await local?.stop();
});

function signedContactCallback(externalUserId: string): { query: string; body: string } {
  const aes = deriveAesKey(DEV_DEFAULTS.WECOM_ENCODING_AES_KEY);
  const xml =
    `<xml><ToUserName><![CDATA[${corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>` +
    '<CreateTime>1795000000</CreateTime><MsgType><![CDATA[event]]></MsgType>' +
    '<Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[add_external_contact]]></ChangeType>' +
    `<UserID><![CDATA[zhangsan]]></UserID><ExternalUserID><![CDATA[${externalUserId}]]></ExternalUserID></xml>`;
  const encrypted = encrypt(aes, xml, corpId);
  const signature = sign(DEV_DEFAULTS.WECOM_TOKEN, '1795000000', '7', encrypted);
  return {
    query: `msg_signature=${signature}&timestamp=1795000000&nonce=7`,
    body: `<xml><ToUserName><![CDATA[${corpId}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt><AgentID><![CDATA[1]]></AgentID></xml>`,
  };
}

function signedJsonCallback(record: Record<string, unknown>): { query: string; body: string } {
  const aes = deriveAesKey(DEV_DEFAULTS.WECOM_ENCODING_AES_KEY);
  const encrypted = encrypt(aes, JSON.stringify(record), corpId);
  const signature = sign(DEV_DEFAULTS.WECOM_TOKEN, '1795000001', '8', encrypted);
  return {
    query: `msg_signature=${signature}&timestamp=1795000001&nonce=8`,
    body: JSON.stringify({ encrypt: encrypted }),
  };
}

describe('npm start (local mode), under policies/wecom-faithful.json', () => {
  it('prints the dev defaults it uses and the listening line', () => {
    // Assess
    expect(local.output()).toContain(`WECOM_TOKEN=${DEV_DEFAULTS.WECOM_TOKEN}`);
    expect(local.output()).toContain(`WECOM_ENCODING_AES_KEY=${DEV_DEFAULTS.WECOM_ENCODING_AES_KEY}`);
    expect(local.output()).not.toContain(`WECOM_CORP_ID=${DEV_DEFAULTS.WECOM_CORP_ID}`);
    expect(local.output()).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/m);
  });

  it('answers GET /health with {"status":"ok"}', async () => {
    // Act
    const response = await fetch(`${local.url}/health`);

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('verifies the callback URL with the bare decrypted echostr', async () => {
    // Prepare
    const aes = deriveAesKey(DEV_DEFAULTS.WECOM_ENCODING_AES_KEY);
    const echostr = encrypt(aes, '8917237827382734', corpId);
    const signature = sign(DEV_DEFAULTS.WECOM_TOKEN, '1795000000', '9', echostr);

    // Act
    const response = await fetch(
      `${local.url}/callbacks/wechat-status?msg_signature=${signature}&timestamp=1795000000&nonce=9&echostr=${encodeURIComponent(echostr)}`,
    );

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe('8917237827382734');
  });

  it('takes a callback delivered three times into effect once, visible in the admin API', async () => {
    // Prepare: a message inducing sharing, as the message route receives it
    const msgtime = Date.UTC(2026, 8, 1, 8, 0, 0);
    const record = {
      ...archiveTextRecord('zhangsan', '亲，帮忙转发朋友圈', msgtime),
      tolist: ['wmLocalModeCustomer03'],
    };
    const callback = signedJsonCallback(record);
    const admin = { authorization: `Bearer ${DEV_DEFAULTS.ADMIN_TOKEN}` };

    // Act: the clock at the message's time first (on the real clock its one-day suspension would
    // already be over), then the same callback three times
    const clock = await fetch(`${local.url}/local/clock`, {
      method: 'POST',
      body: JSON.stringify({ set: new Date(msgtime + 60_000).toISOString() }),
    });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${local.url}/callbacks/message?${callback.query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: callback.body,
      });
      statuses.push(response.status);
      expect(await response.text()).toBe('success');
    }
    await fetch(`${local.url}/local/drain`, { method: 'POST' });
    const member = await fetch(`${local.url}/admin/corps/${corpId}/members/zhangsan`, { headers: admin });
    const listing = (await (await fetch(`${local.url}/local/queue`)).json()) as { queue: unknown[] };

    // Assess: one strike, a first-step suspension, nothing left queued
    expect(statuses).toEqual([200, 200, 200]);
    expect(await clock.json()).toEqual({ now: new Date(msgtime + 60_000).toISOString() });
    expect(await member.json()).toMatchObject({
      strikes: 1,
      interop: {
        status: 'suspended',
        until: new Date(msgtime + 86_400_000).toISOString(),
        canApplyForUnblock: true,
      },
    });
    expect(listing.queue).toEqual([]);
  });

  it('evaluates on its own thread and counts what it did in GET /local/evaluator, every record in a batch', async () => {
    // Prepare
    type Counts = { processed: number; failed: number; batches: number[] };
    const read = async () => (await (await fetch(`${local.url}/local/evaluator`)).json()) as Counts;
    const records = (counts: Counts) => counts.batches.reduce((sum, count, size) => sum + count * size, 0);
    await fetch(`${local.url}/local/drain`, { method: 'POST' });
    const before = await read();

    // Act: five customers added at once, then drained
    const answers = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => {
        const callback = signedContactCallback(`wmLocalModeEvaluator0000${n}`);
        return fetch(`${local.url}/callbacks/contact?${callback.query}`, {
          method: 'POST',
          body: callback.body,
        });
      }),
    );
    await fetch(`${local.url}/local/drain`, { method: 'POST' });
    const after = await read();
    const post = await fetch(`${local.url}/local/evaluator`, { method: 'POST' });

    // Assess: five more evaluated, none failed, each in one of the batches counted
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(after.processed - before.processed).toBe(5);
    expect(after.failed).toBe(before.failed);
    expect(after.batches).toHaveLength(11);
    expect(records(after) - records(before)).toBe(5);
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
  });

  it.runIf(process.platform === 'linux')(
    'answers callbacks at normal priority, with the evaluator thread and DynamoDB Local at nice 10',
    () => {
      // Prepare: each thread's nice value, field 19 of /proc/<pid>/task/<tid>/stat (Linux)
      const nice = (pid: number, tid: number) => {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      };
      const threads = (pid: number) => readdirSync(`/proc/${pid}/task`).map(Number);
      const children = threads(local.pid).flatMap((tid) =>
        readFileSync(`/proc/${local.pid}/task/${tid}/children`, 'utf8')
          .trim()
          .split(/\s+/)
          .filter(Boolean)
          .map(Number),
      );

      // Act
      const ours = threads(local.pid).map((tid) => nice(local.pid, tid));
      // The JVM, not another child (esbuild's service, which builds the console, runs too).
      const jvm = children.filter((pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'java');
      const java = jvm.flatMap((pid) => threads(pid).map((tid) => nice(pid, tid)));

      // Assess: the main (HTTP) thread at 0, one thread (the evaluator's) at 10, the JVM's all at 10
      expect(nice(local.pid, local.pid)).toBe(0);
      expect(ours.filter((value) => value === 10)).toHaveLength(1);
      expect(jvm).toHaveLength(1);
      expect(java.length).toBeGreaterThan(1);
      expect(new Set(java)).toEqual(new Set([10]));
    },
  );

  it('refuses a malformed clock move with 400 and leaves the clock where it was', async () => {
    // Prepare: a frozen clock
    const at = '2026-10-01T00:00:00.000Z';
    await fetch(`${local.url}/local/clock`, { method: 'POST', body: JSON.stringify({ set: at }) });
    const move = (body: string) => fetch(`${local.url}/local/clock`, { method: 'POST', body });

    // Act
    const answers = await Promise.all(
      [
        '{"advanceMs": -5}',
        'not json',
        '{"set": "yesterday"}',
        '{"advanceMs": 1, "set": "2026-01-01T00:00:00Z"}',
        '[]',
      ].map(async (body) => {
        const response = await move(body);
        return { status: response.status, body: (await response.json()) as { error?: string } };
      }),
    );
    const after = (await (await move('{"advanceMs": 0}')).json()) as { now: string };
    const wrongMethod = await fetch(`${local.url}/local/clock`);

    // Assess
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.body.error).toEqual(expect.any(String));
    }
    expect(after.now).toBe(at);
    expect(wrongMethod.status).toBe(405);
  });

  it('keeps the admin API behind the bearer token', async () => {
    // Act
    const missing = await fetch(`${local.url}/admin/policy`);
    const wrong = await fetch(`${local.url}/admin/policy`, { headers: { authorization: 'Bearer nope' } });
    const right = await fetch(`${local.url}/admin/policy`, {
      headers: { authorization: `Bearer ${DEV_DEFAULTS.ADMIN_TOKEN}` },
    });

    // Assess
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: expect.stringMatching(/bearer/i) });
    expect(wrong.status).toBe(401);
    expect(right.status).toBe(200);
  });

  it('refuses forged callbacks (401) and oversized bodies (413) through HTTP', async () => {
    // Prepare
    const callback = signedContactCallback('wmLocalModeCustomer0000000002');

    // Act
    const forged = await fetch(
      `${local.url}/callbacks/contact?${callback.query.replace(/msg_signature=(.)/, (_, c: string) => `msg_signature=${c === '0' ? '1' : '0'}`)}`,
      {
        method: 'POST',
        body: callback.body,
      },
    );
    const huge = await fetch(`${local.url}/callbacks/contact?${callback.query}`, {
      method: 'POST',
      body: 'x'.repeat(300 * 1024),
    });

    // Assess
    expect(forged.status).toBe(401);
    expect(huge.status).toBe(413);
  });

  it('answers unknown routes with a JSON 404', async () => {
    // Act
    const response = await fetch(`${local.url}/callbacks/unknown`);

    // Assess
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'not found' });
  });

  it('stops cleanly on SIGTERM', async () => {
    // Act
    const code = await local.stop('SIGTERM');

    // Assess
    expect(code).toBe(0);
    await expect(fetch(`${local.url}/health`)).rejects.toThrow();
  });
});
