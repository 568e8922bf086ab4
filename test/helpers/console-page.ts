import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';

/** The ADMIN_TOKEN local mode starts with by default. */
export const LOCAL_ADMIN_TOKEN = 'local-admin-token';

/** Every page of the console: its hash and the name its screenshot is saved under. */
export const CONSOLE_PAGES = [
  { name: 'overview', hash: '#/' },
  { name: 'member', hash: '#/members/sunqi' },
  { name: 'review', hash: '#/review' },
  { name: 'appeals', hash: '#/appeals' },
  { name: 'policy', hash: '#/policy' },
] as const;

/** Where the browser tests save their screenshots: `ARTIFACTS_DIR`, else test-artifacts/console (gitignored). */
export function consoleArtifactsDir(): string {
  const dir = resolve(process.env.ARTIFACTS_DIR ?? 'test-artifacts', 'console');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The path of one screenshot. */
export function screenshotPath(name: string): string {
  return join(consoleArtifactsDir(), `${name}.png`);
}

/** A fresh page (its own session storage), 1280×800, with the browser's language set. */
export async function newConsolePage(browser: Browser, locale: 'en-US' | 'zh-CN' = 'en-US'): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 800 } });
  return context.newPage();
}

/** Opens the console and waits for the sign-in form. */
export async function openConsole(page: Page, url: string, hash = ''): Promise<void> {
  await page.goto(`${url}/console${hash}`);
  await page.waitForSelector('html[data-state="signin"]');
}

/** Signs in with a token (English form) and waits until the first page's data is on screen. */
export async function signIn(page: Page, token = LOCAL_ADMIN_TOKEN): Promise<void> {
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForSelector('html[data-state="ready"]');
}

/** What the functions run in the page read (the repository's type-check has no DOM lib outside console/). */
export interface InPage {
  readonly document: {
    readonly activeElement: { readonly id: string } | null;
    readonly documentElement: { readonly lang: string };
    querySelectorAll(selector: string): { readonly length: number };
  };
}

/** Goes to a page by its hash and waits for its heading to take focus (the page is shown). */
export async function showPage(page: Page, hash: string): Promise<void> {
  // A string runs through the DevTools protocol; a function given to waitForFunction runs as the page's code.
  // The same hash again is no navigation: the page stays as it is.
  const target = JSON.stringify(hash);
  await page.evaluate(
    `if (location.hash !== ${target}) { document.documentElement.dataset.state = 'navigating'; location.hash = ${target}; }`,
  );
  await page.waitForSelector('html[data-state="ready"]');
  await page.waitForFunction(
    () => (globalThis as unknown as InPage).document.activeElement?.id === 'page-heading',
  );
  // Sections load on their own; wait until none is still loading.
  await page.waitForFunction(
    () => (globalThis as unknown as InPage).document.querySelectorAll('[aria-busy="true"]').length === 0,
  );
}
