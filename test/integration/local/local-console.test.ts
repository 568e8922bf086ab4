import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalProcess, startLocalProcess } from '../../helpers/local-process.js';

/** The console as `npm start` serves it: built in memory at start, no bearer token for its files. */

let local: LocalProcess;

beforeAll(async () => {
  local = await startLocalProcess({ WECOM_CORP_ID: 'wwconsoletest0001' });
});

afterAll(async () => {
  await local?.stop();
});

describe('the console in local mode', () => {
  it('serves the page with its CSP, and the script and style it names, without a token', async () => {
    // Act
    const page = await fetch(`${local.url}/console`);
    const html = await page.text();
    const [script, style] = [/src="([^"]+\.js)"/, /href="([^"]+\.css)"/].map(
      (pattern) => pattern.exec(html)?.[1],
    );
    const scriptAnswer = await fetch(`${local.url}${script}`);
    const styleAnswer = await fetch(`${local.url}${style}`);

    // Assess
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'self'; script-src 'self';/);
    expect(scriptAnswer.status).toBe(200);
    expect(scriptAnswer.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await scriptAnswer.text()).length).toBeGreaterThan(1000);
    expect(styleAnswer.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('says the console signs in with a token and calls /admin, for the local corp', async () => {
    // Act
    const config = await (await fetch(`${local.url}/console/config.json`)).json();

    // Assess
    expect(config).toEqual({ corpId: 'wwconsoletest0001', api: '/admin', auth: { kind: 'token' } });
  });

  it('serves no console API locally, and no data without the token', async () => {
    // Act
    const consoleApi = await fetch(`${local.url}/console/api/me`);
    const admin = await fetch(`${local.url}/admin/me`);

    // Assess
    expect(consoleApi.status).toBe(404);
    expect(admin.status).toBe(401);
  });

  it('refuses the console to another site', async () => {
    // Act
    const response = await fetch(`${local.url}/console`, { headers: { origin: 'https://evil.example' } });

    // Assess
    expect(response.status).toBe(403);
  });
});
