import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../helpers/browser.js';
import {
  CONSOLE_PAGES,
  type InPage,
  newConsolePage,
  openConsole,
  screenshotPath,
  showPage,
  signIn,
} from '../../helpers/console-page.js';
import { replayOpenCase } from '../../helpers/console-scenario.js';
import { type LocalProcess, startLocalProcess } from '../../helpers/local-process.js';

/**
 * Every console page in both languages: axe-core finds no serious or critical violation, and a
 * screenshot of each is saved (test-artifacts/console/, or ARTIFACTS_DIR) for a reviewer to look at.
 */

const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[] }[];
}

let local: LocalProcess;
let browser: Browser;
let page: Page;

/** axe-core's serious and critical violations on the page as it is. */
async function seriousViolations(): Promise<string[]> {
  // axe is injected through the DevTools protocol: the console's CSP refuses inline script tags.
  await page.evaluate(axeSource);
  const violations = (await page.evaluate('axe.run(document).then((r) => r.violations)')) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

beforeAll(async () => {
  [local, browser] = await Promise.all([startLocalProcess(), launchChromium()]);
  await replayOpenCase(local.url);
  page = await newConsolePage(browser);
  await openConsole(page, local.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await local?.stop();
});

describe('the console is accessible in both languages', () => {
  it('has no serious or critical violation on the sign-in form', async () => {
    // Act
    const found = await seriousViolations();
    await page.screenshot({ path: screenshotPath('signin-en') });

    // Assess
    expect(found).toEqual([]);
  });

  describe.each(['en', 'zh-CN'] as const)('in %s', (lang) => {
    beforeAll(async () => {
      if ((await page.getAttribute('html', 'data-state')) === 'signin') await signIn(page);
      // The select by its id: its label is in the language shown before.
      await page.locator('#lang-select').selectOption(lang);
      await page.waitForFunction(
        (wanted) => (globalThis as unknown as InPage).document.documentElement.lang === wanted,
        lang,
      );
    }, 60_000);

    it.each(
      CONSOLE_PAGES.map((p) => [p.name, p] as const),
    )('has none on the %s page', async (name, shown) => {
      // Prepare
      await showPage(page, shown.hash);

      // Act
      const found = await seriousViolations();
      await page.screenshot({ path: screenshotPath(`${name}-${lang}`), fullPage: true });

      // Assess
      expect(found).toEqual([]);
    });
  });
});
