import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Browser, BrowserContext, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../../console/build.js';
import { localLambdaContext, toApiGatewayEvent } from '../../../local/api-gateway-event.js';
import { createAdminHandler } from '../../../shared/admin/admin-handler.js';
import { CONSOLE_SCOPES, type ConsoleSite, consoleAssetsFromBuild } from '../../../shared/console/index.js';
import { useAdminApi } from '../../helpers/admin-api.js';
import { launchChromium } from '../../helpers/browser.js';
import { showPage } from '../../helpers/console-page.js';
import { CORP_ID, T0 } from '../../helpers/domain-inputs.js';
import { silentLogger, silentMetrics } from '../../helpers/observability.js';

/**
 * The console's sign-in on AWS, in Chromium: the page and its API served by the admin handler as
 * API Gateway serves them (the console routes open, `/console/api/*` behind a JWT authorizer that
 * takes only the tokens issued here), and Cognito's hosted endpoints answered by the test at the
 * pool's domain: the code flow with PKCE, the state check, and a refresh when a token expires.
 */

const DOMAIN = 'https://wecom-test.auth.ap-east-1.amazoncognito.com';
const CLIENT_ID = 'consoleclient0123456789';
const api = useAdminApi();

/** What the fake Cognito saw, and the access tokens the fake JWT authorizer takes. */
const cognito = {
  authorize: [] as URLSearchParams[],
  token: [] as URLSearchParams[],
  valid: new Set<string>(),
  issued: 0,
};
let server: Server;
let base: string;
let browser: Browser;

/** API Gateway in front of the admin function: a JWT for `/console/api/*`, nothing for the console's files. */
async function apiGateway(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const path = new URL(request.url ?? '/', base).pathname;
  const event = toApiGatewayEvent(request, Buffer.concat(chunks), 'ANY /console/{proxy+}');
  if (path.startsWith('/console/api/')) {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!token || !cognito.valid.has(token)) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Unauthorized"}');
      return;
    }
    (event.requestContext as { authorizer?: unknown }).authorizer = {
      jwt: { claims: { username: 'li.reviewer', 'cognito:groups': '[reviewer]', client_id: CLIENT_ID } },
    };
  }
  const result = (await handler(event, localLambdaContext('admin-api'))) as APIGatewayProxyStructuredResultV2;
  response
    .writeHead(result.statusCode ?? 200, result.headers as Record<string, string>)
    .end(result.body ?? '');
}

let handler: ReturnType<typeof createAdminHandler>;

/** Cognito's hosted endpoints, as the browser reaches them at the pool's domain. */
async function hostedCognito(route: Route): Promise<void> {
  const url = new URL(route.request().url());
  const cors = { 'access-control-allow-origin': base };
  if (url.pathname === '/oauth2/authorize') {
    cognito.authorize.push(url.searchParams);
    const back = new URL(url.searchParams.get('redirect_uri') ?? '');
    back.search = new URLSearchParams({
      code: 'code-1',
      state: url.searchParams.get('state') ?? '',
    }).toString();
    await route.fulfill({ status: 302, headers: { location: back.toString() } });
    return;
  }
  if (url.pathname === '/oauth2/token') {
    const form = new URLSearchParams(route.request().postData() ?? '');
    cognito.token.push(form);
    // The challenge of the latest sign-in started: the verifier must be that tab's.
    const challenge = cognito.authorize.at(-1)?.get('code_challenge');
    const verified =
      form.get('grant_type') === 'authorization_code'
        ? form.get('code') === 'code-1' &&
          createHash('sha256')
            .update(form.get('code_verifier') ?? '')
            .digest('base64url') === challenge
        : form.get('grant_type') === 'refresh_token' && form.get('refresh_token') === 'refresh-1';
    if (!verified) {
      await route.fulfill({ status: 400, headers: cors, json: { error: 'invalid_grant' } });
      return;
    }
    const access = `access-${++cognito.issued}`;
    cognito.valid.add(access);
    await route.fulfill({
      status: 200,
      headers: cors,
      json: { access_token: access, refresh_token: 'refresh-1', token_type: 'Bearer', expires_in: 900 },
    });
    return;
  }
  await route.fulfill({ status: 404, headers: cors, body: 'not found' });
}

/** A browser context with Cognito's domain answered by the test. */
async function contextWithCognito(): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'en-US' });
  await context.route(`${DOMAIN}/**`, hostedCognito);
  return context;
}

beforeAll(async () => {
  api.at(T0);
  const build = await buildConsole();
  const site: ConsoleSite = {
    config: {
      corpId: CORP_ID,
      api: '/console/api',
      auth: { kind: 'cognito', domain: DOMAIN, clientId: CLIENT_ID, scopes: [...CONSOLE_SCOPES] },
    },
    assets: async () => consoleAssetsFromBuild(build),
  };
  handler = createAdminHandler(api.deps(), silentLogger(), silentMetrics(), site);
  server = createServer((request, response) => {
    apiGateway(request, response).catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe('signing in to the console through Cognito', () => {
  it('runs the code flow with PKCE and shows the corp to the person the token names', async () => {
    // Prepare
    const context = await contextWithCognito();
    const page = await context.newPage();
    await page.goto(`${base}/console/`);
    await page.waitForSelector('html[data-state="signin"]');

    // Act
    await page.getByRole('button', { name: 'Sign in with your organization account' }).click();
    await page.waitForSelector('html[data-state="ready"]');

    // Assess: S256 challenge, the console as callback, the verifier that matches it (checked above)
    const [authorize] = cognito.authorize;
    expect(Object.fromEntries(authorize ?? [])).toMatchObject({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: `${base}/console/`,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
    });
    expect(cognito.token.map((form) => form.get('grant_type'))).toEqual(['authorization_code']);
    // The code and the state are gone from the address once used.
    expect(page.url()).toBe(`${base}/console/`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Corp overview');
    expect(await page.getByRole('banner').textContent()).toContain('li.reviewer');
    await context.close();
  });

  it('renews an expired access token with the refresh token, and the page goes on', async () => {
    // Prepare: signed in, then every token issued so far expires
    const context = await contextWithCognito();
    const page = await context.newPage();
    await page.goto(`${base}/console/`);
    await page.getByRole('button', { name: 'Sign in with your organization account' }).click();
    await page.waitForSelector('html[data-state="ready"]');
    cognito.valid.clear();
    const grants = cognito.token.length;

    // Act
    await showPage(page, '#/policy');

    // Assess: one refresh, shared by the page's requests refused together
    expect(cognito.token.slice(grants).map((form) => form.get('grant_type'))).toEqual(['refresh_token']);
    expect(await page.getByRole('button', { name: 'Sign in with your organization account' }).count()).toBe(
      0,
    );
    await context.close();
  });

  it('refuses a callback whose state this tab did not send: no token is asked for, the sign-in says why', async () => {
    // Prepare
    const context = await contextWithCognito();
    const page = await context.newPage();
    const grants = cognito.token.length;

    // Act: a code delivered to the console with a forged state
    await page.goto(`${base}/console/?code=code-1&state=forged`);
    await page.waitForSelector('html[data-state="signin"]');

    // Assess
    expect(cognito.token.length).toBe(grants);
    expect(await page.getByRole('alert').textContent()).toContain('sign-in state mismatch');
    expect(page.url()).toBe(`${base}/console/`);
    await context.close();
  });
});
