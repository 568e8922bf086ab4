import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../helpers/browser.js';
import { newConsolePage, openConsole, signIn } from '../../helpers/console-page.js';
import { replayOpenCase } from '../../helpers/console-scenario.js';
import { type LocalProcess, startLocalProcess } from '../../helpers/local-process.js';

/** Signing in to the console in Chromium, against `npm start`'s local mode. */

let local: LocalProcess;
let browser: Browser;

beforeAll(async () => {
  [local, browser] = await Promise.all([startLocalProcess(), launchChromium()]);
  await replayOpenCase(local.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await local?.stop();
});

describe('signing in to the console', () => {
  it('shows the corp overview with its data after signing in with ADMIN_TOKEN', async () => {
    // Prepare
    const page = await newConsolePage(browser);
    await openConsole(page, local.url);

    // Act
    await signIn(page);

    // Assess
    await expect(page.getByRole('heading', { level: 1, name: 'Corp overview' }).isVisible()).resolves.toBe(
      true,
    );
    expect(await page.getByRole('heading', { name: 'Limits and trust' }).isVisible()).toBe(true);
    expect(await page.getByRole('table', { name: 'Trust factors' }).textContent()).toContain('Completeness');
    expect(await page.getAttribute('html', 'data-state')).toBe('ready');
    await page.context().close();
  });

  it('shows only the sign-in form without a token, and asks the server for no data', async () => {
    // Prepare
    const page = await newConsolePage(browser);
    const dataRequests: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/admin')) dataRequests.push(request.url());
    });

    // Act
    await openConsole(page, local.url, '#/members/sunqi');
    await page.waitForTimeout(300);

    // Assess
    expect(await page.getByRole('heading', { level: 1, name: 'Sign in' }).isVisible()).toBe(true);
    expect(await page.getByText('sunqi').count()).toBe(0);
    expect(dataRequests).toEqual([]);
    await page.context().close();
  });

  it('refuses a wrong token with a message and stays on the sign-in form', async () => {
    // Prepare
    const page = await newConsolePage(browser);
    await openConsole(page, local.url);

    // Act
    await page.getByLabel('Access token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'refused' }).waitFor();

    // Assess
    expect(await page.getByRole('alert').filter({ hasText: 'refused' }).textContent()).toBe(
      'The token was refused: check it and sign in again.',
    );
    expect(await page.getAttribute('html', 'data-state')).toBe('signin');
    expect(await page.evaluate("sessionStorage.getItem('console.token')")).toBeNull();
    await page.context().close();
  });

  it('switches the language from the header and remembers it', async () => {
    // Prepare
    const page = await newConsolePage(browser);
    await openConsole(page, local.url);
    await signIn(page);

    // Act
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('heading', { level: 1, name: '企业概览' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: '企业概览' }).waitFor();

    // Assess
    expect(await page.getByRole('link', { name: '审核队列' }).isVisible()).toBe(true);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.context().close();
  });

  it('chooses Chinese for a browser that prefers it', async () => {
    // Prepare
    const page = await newConsolePage(browser, 'zh-CN');

    // Act
    await openConsole(page, local.url);

    // Assess
    expect(await page.getByRole('heading', { level: 1, name: '登录' }).isVisible()).toBe(true);
    await page.context().close();
  });
});
