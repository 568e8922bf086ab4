import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_DEFAULTS } from '../../../local/config.js';
import { type LocalProcess, startLocalProcess } from '../../helpers/local-process.js';
import { isLoopback, listeningSockets, processTree } from '../../helpers/process-tree.js';

/** What local mode exposes to the network and to web pages (CONTRACT §4). */

let local: LocalProcess;
let port: number;

beforeAll(async () => {
  local = await startLocalProcess();
  port = Number(new URL(local.url).port);
});

afterAll(async () => {
  await local?.stop();
});

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** One request with exactly these headers (fetch would not let a test set Host). */
function send(path: string, options: { method?: string; headers?: OutgoingHttpHeaders; body?: string } = {}) {
  return new Promise<Answer>((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/** Whether a TCP connection to the address and port is refused. */
function refused(host: string, to: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port: to, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

const admin = { authorization: `Bearer ${DEV_DEFAULTS.ADMIN_TOKEN}` };

describe('local mode on the network', () => {
  it('listens on loopback only: its server, its queue and its store', async () => {
    // Prepare
    const pids = processTree(local.pid).map((process) => process.pid);
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((address) => address !== undefined && !address.internal && !address.address.startsWith('fe80:'))
      .map((address) => address?.address ?? '');

    // Act
    const sockets = listeningSockets(pids);
    const reached = await Promise.all(
      others.flatMap((address) =>
        sockets.map(async (socket) => ({
          address,
          port: socket.port,
          refused: await refused(address, socket.port),
        })),
      ),
    );

    // Assess: the HTTP server, fauxqs and DynamoDB Local at least, each on loopback
    expect(sockets.length).toBeGreaterThanOrEqual(3);
    expect(sockets.map((socket) => socket.port)).toContain(port);
    for (const socket of sockets)
      expect(isLoopback(socket.address), `${socket.address}:${socket.port}`).toBe(true);
    for (const attempt of reached) expect(attempt).toMatchObject({ refused: true });
  });
});

describe('local mode and web pages', () => {
  it('refuses operator routes under a Host that is not its loopback name (DNS rebinding) with 403', async () => {
    // Act
    const answers = await Promise.all([
      send('/local/queue', { headers: { host: `rebind.example:${port}` } }),
      send('/admin/policy', { headers: { ...admin, host: `rebind.example:${port}` } }),
      send('/local/drain', { method: 'POST', headers: { host: `127.0.0.1:${port + 1}` } }),
      send('/console', { headers: { host: `192.0.2.2:${port}` } }),
    ]);
    const allowed = await Promise.all(
      [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].map((host) =>
        send('/local/queue', { headers: { host } }),
      ),
    );

    // Assess
    for (const answer of answers) {
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body)).toEqual({ error: expect.any(String) });
    }
    for (const answer of allowed) expect(answer.status).toBe(200);
  });

  it('refuses cross-origin browser requests to operator routes with 403', async () => {
    // Prepare
    const host = `127.0.0.1:${port}`;

    // Act
    const answers = await Promise.all([
      send('/local/drain', { method: 'POST', headers: { host, origin: 'http://evil.example' } }),
      send('/local/clock', { method: 'POST', headers: { host, origin: 'null' }, body: '{"advanceMs": 0}' }),
      send('/admin/policy', { headers: { ...admin, host, origin: `http://localhost:${port}` } }),
      send('/local/queue', { headers: { host, 'sec-fetch-site': 'cross-site' } }),
      send('/local/queue', { headers: { host, 'sec-fetch-site': 'same-site' } }),
    ]);
    const sameOrigin = await send('/local/drain', {
      method: 'POST',
      headers: { host, origin: `http://${host}`, 'sec-fetch-site': 'same-origin' },
    });

    // Assess
    for (const answer of answers) {
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body)).toEqual({ error: expect.any(String) });
    }
    expect(sameOrigin.status).toBe(200);
  });

  it('leaves /health and the callback routes to any Host and origin', async () => {
    // Act
    const health = await send('/health', {
      headers: { host: 'anything.example', origin: 'http://evil.example' },
    });
    const callback = await send('/callbacks/contact', {
      method: 'POST',
      headers: { host: 'wecom-callbacks.example', 'sec-fetch-site': 'cross-site' },
      body: '<xml/>',
    });

    // Assess
    expect(health.status).toBe(200);
    expect(callback.status).not.toBe(403);
  });
});

describe('the local clock', () => {
  it('refuses a move outside the years 2000-2099 with 400 and stays where it was', async () => {
    // Prepare
    const at = '2026-10-01T00:00:00.000Z';
    const host = `127.0.0.1:${port}`;
    const move = (body: string) => send('/local/clock', { method: 'POST', headers: { host }, body });
    await move(JSON.stringify({ set: at }));

    // Act
    const answers = [];
    for (const body of [
      '{"advanceMs": 1e308}',
      '{"advanceMs": 1e15}',
      '{"advanceMs": 3e12}',
      '{"set": "1999-12-31T23:59:59Z"}',
      '{"set": "2100-01-01T00:00:00Z"}',
      '{"set": "-271821-04-20T00:00:00Z"}',
    ])
      answers.push(await move(body));
    const after = await move('{"advanceMs": 0}');

    // Assess
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toEqual({ error: expect.any(String) });
    }
    expect(after.status).toBe(200);
    expect(JSON.parse(after.body)).toEqual({ now: at });
  });
});

describe('request bodies', () => {
  it('answers a slowly sent 10 MB body with 413 long before the client is done', async () => {
    // Prepare: 10 MB in 64 KiB chunks, a few ms apart, with no Content-Length
    const total = 10 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let written = 0;

    // Act
    const status = await new Promise<number>((resolve, reject) => {
      let answered = false;
      const request = httpRequest(
        { host: '127.0.0.1', port, path: '/callbacks/contact', method: 'POST' },
        (response) => {
          answered = true;
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      // The server closes the connection after its answer; writes after that fail.
      request.on('error', (error) => {
        if (!answered) reject(error);
      });
      const writeMore = () => {
        if (answered || written >= total) {
          request.end();
          return;
        }
        written += chunk.length;
        const flushed = request.write(chunk);
        if (flushed) setTimeout(writeMore, 5);
        else request.once('drain', () => setTimeout(writeMore, 5));
      };
      writeMore();
    });

    // Assess
    expect(status).toBe(413);
    expect(written).toBeLessThan(total / 4);
  });

  it('answers a Content-Length over the limit with 413 before the body is sent', async () => {
    // Act
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path: `/admin/corps/${DEV_DEFAULTS.WECOM_CORP_ID}/members/u1/unblock-application`,
          method: 'POST',
          headers: { ...admin, 'content-length': String(10 * 1024 * 1024) },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', reject);
      request.flushHeaders();
    });

    // Assess
    expect(status).toBe(413);
  });
});

describe('who the admin API takes a bearer token for', () => {
  const asBearer = (token: string) => ({ host: `127.0.0.1:${port}`, authorization: `Bearer ${token}` });

  it('takes ADMIN_TOKEN for a machine client, and REVIEWER_TOKEN and VIEWER_TOKEN for people of those groups', async () => {
    // Act
    const answers = await Promise.all(
      [DEV_DEFAULTS.ADMIN_TOKEN, DEV_DEFAULTS.REVIEWER_TOKEN, DEV_DEFAULTS.VIEWER_TOKEN].map((token) =>
        send('/admin/me', { headers: asBearer(token) }),
      ),
    );

    // Assess
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.map((a) => JSON.parse(a.body))).toMatchObject([
      { kind: 'machine' },
      { kind: 'person', name: 'local-reviewer', roles: ['reviewer'] },
      { kind: 'person', name: 'local-viewer', roles: ['viewer'], permissions: ['read'] },
    ]);
  });

  it('refuses a viewer’s command with 403 and an unknown token with 401', async () => {
    // Prepare
    const path = '/admin/corps/wwlocaldev00000001/members/someone/unblock-application';

    // Act
    const viewer = await send(path, { method: 'POST', headers: asBearer(DEV_DEFAULTS.VIEWER_TOKEN) });
    const unknown = await send('/admin/me', { headers: asBearer('local-viewer-token-2') });

    // Assess
    expect(viewer.status).toBe(403);
    expect(JSON.parse(viewer.body).error).toContain('needs the admin group');
    expect(unknown.status).toBe(401);
  });
});
