import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type ConsoleClientConfig,
  type ConsoleSite,
  consoleAssetsFromBuild,
  consoleConfigFromEnv,
  handleConsoleRequest,
  isConsolePath,
  loadConsoleAssets,
} from '../../../../shared/console/index.js';

const BUILD = {
  files: [
    {
      name: 'app-0123456789.js',
      contentType: 'text/javascript; charset=utf-8',
      body: Buffer.from('export{};'),
    },
    { name: 'app-abcdef0123.css', contentType: 'text/css; charset=utf-8', body: Buffer.from('body{}') },
    {
      name: 'manifest.json',
      contentType: 'application/json',
      body: Buffer.from(JSON.stringify({ script: 'app-0123456789.js', style: 'app-abcdef0123.css' })),
    },
  ],
};
const LOCAL: ConsoleClientConfig = { corpId: 'ww-corp', api: '/admin', auth: { kind: 'token' } };
const COGNITO: ConsoleClientConfig = {
  corpId: 'ww-corp',
  api: '/console/api',
  auth: {
    kind: 'cognito',
    domain: 'https://ops.auth.eu-west-1.amazoncognito.com',
    clientId: 'client-1',
    scopes: ['openid', 'email', 'profile'],
  },
};
const site = (config: ConsoleClientConfig): ConsoleSite => ({
  assets: async () => consoleAssetsFromBuild(BUILD),
  config,
});

describe('handleConsoleRequest', () => {
  it('serves the page at /console and /console/ with the exact CSP and no caching', async () => {
    // Act
    const bare = await handleConsoleRequest('GET', '/console', site(LOCAL));
    const slash = await handleConsoleRequest('GET', '/console/', site(COGNITO));

    // Assess
    expect(bare.statusCode).toBe(200);
    expect(bare.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy':
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
    });
    expect(bare.body).toContain('<script type="module" src="/console/assets/app-0123456789.js"></script>');
    expect(bare.body).toContain('<link rel="stylesheet" href="/console/assets/app-abcdef0123.css">');
    expect(slash.headers['content-security-policy']).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' https://ops.auth.eu-west-1.amazoncognito.com; form-action 'self' https://ops.auth.eu-west-1.amazoncognito.com; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
    );
  });

  it('serves the assets immutable, by their hashed names, and nothing else', async () => {
    // Act
    const script = await handleConsoleRequest('GET', '/console/assets/app-0123456789.js', site(LOCAL));
    const style = await handleConsoleRequest('GET', '/console/assets/app-abcdef0123.css', site(LOCAL));
    const manifest = await handleConsoleRequest('GET', '/console/assets/manifest.json', site(LOCAL));
    const unknown = await handleConsoleRequest('GET', '/console/assets/app-ffffffffff.js', site(LOCAL));
    const outside = await handleConsoleRequest('GET', '/console/other', site(LOCAL));

    // Assess
    expect(script).toMatchObject({ statusCode: 200, body: 'export{};' });
    expect(script.headers).toMatchObject({
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    });
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
    expect([manifest.statusCode, unknown.statusCode, outside.statusCode]).toEqual([404, 404, 404]);
  });

  it('answers 404 to odd asset names (traversal, emoji, U+FFFE, bidi, a long run) without echoing them', async () => {
    // Prepare
    const names = [
      '../../../etc/passwd',
      '..%2F..%2Fpackage.json',
      'app-😀.js',
      'app-\uFFFE.js',
      'app-\u202Esj.0123456789-ppa',
      'a'.repeat(100_000),
      '',
    ];

    // Act
    const answers = await Promise.all(
      names.map((name) => handleConsoleRequest('GET', `/console/assets/${name}`, site(LOCAL))),
    );

    // Assess
    expect(answers.map((a) => a.statusCode)).toEqual(names.map(() => 404));
    for (const [index, answer] of answers.entries()) {
      expect(answer.body.length).toBeLessThan(200);
      if (names[index]) expect(answer.body).not.toContain(names[index]);
    }
  });

  it('serves config.json in both shapes, uncached', async () => {
    // Act
    const local = await handleConsoleRequest('GET', '/console/config.json', site(LOCAL));
    const aws = await handleConsoleRequest('GET', '/console/config.json', site(COGNITO));

    // Assess
    expect(local.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(local.body)).toEqual({ corpId: 'ww-corp', api: '/admin', auth: { kind: 'token' } });
    expect(JSON.parse(aws.body)).toEqual({
      corpId: 'ww-corp',
      api: '/console/api',
      auth: {
        kind: 'cognito',
        domain: 'https://ops.auth.eu-west-1.amazoncognito.com',
        clientId: 'client-1',
        scopes: ['openid', 'email', 'profile'],
      },
    });
  });

  it('answers HEAD without a body and refuses other methods with 405', async () => {
    // Act
    const head = await handleConsoleRequest('HEAD', '/console', site(LOCAL));
    const post = await handleConsoleRequest('POST', '/console/config.json', site(LOCAL));

    // Assess
    expect(head).toMatchObject({ statusCode: 200, body: '' });
    expect(post.statusCode).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('leaves the console API to the admin routes', () => {
    expect([isConsolePath('/console'), isConsolePath('/console/assets/x.js')]).toEqual([true, true]);
    expect([
      isConsolePath('/console/api/me'),
      isConsolePath('/consoles'),
      isConsolePath('/admin/me'),
    ]).toEqual([false, false, false]);
  });
});

describe('the console on Lambda', () => {
  it('loads the files writeConsole wrote into a directory', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'console-'));
    for (const file of BUILD.files) await writeFile(join(dir, file.name), file.body);

    // Act
    const assets = await loadConsoleAssets(dir);

    // Assess
    expect([assets.script, assets.style]).toEqual(['app-0123456789.js', 'app-abcdef0123.css']);
    expect([...assets.files.keys()].sort()).toEqual(['app-0123456789.js', 'app-abcdef0123.css']);
  });

  it('has a console only with a Cognito client id, and then needs the domain and the corp', () => {
    expect(consoleConfigFromEnv({})).toBeUndefined();
    expect(
      consoleConfigFromEnv({
        CONSOLE_CLIENT_ID: 'client-1',
        CONSOLE_AUTH_DOMAIN: 'https://ops.auth.eu-west-1.amazoncognito.com/',
        WECOM_CORP_ID: 'ww-corp',
      }),
    ).toEqual(COGNITO);
    expect(() => consoleConfigFromEnv({ CONSOLE_CLIENT_ID: 'client-1' })).toThrow(/CONSOLE_AUTH_DOMAIN/);
  });
});
