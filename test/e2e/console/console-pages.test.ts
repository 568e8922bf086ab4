import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultClassifier } from '../../../shared/classifier/default-classifier.js';
import { launchChromium } from '../../helpers/browser.js';
import { newConsolePage, openConsole, showPage, signIn } from '../../helpers/console-page.js';
import { replayOpenCase } from '../../helpers/console-scenario.js';
import { type LocalProcess, startLocalProcess } from '../../helpers/local-process.js';

/**
 * What the console's pages show of a case under review (sunqi's gambling invitation, the first step
 * of events/scenarios/review-confirm.json), and the review queue's keyboard, against local mode.
 */

const READ = '最新网赌平台上线，百家乐包赢，加我带你玩';

/** The spans the classifier quotes for the gambling hit on READ (the lexicon's terms, then the model's own). */
function quotedSpans(): readonly string[] {
  return defaultClassifier.classify(READ).find((hit) => hit.category === 'gambling')?.matchedTerms ?? [];
}

let local: LocalProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [local, browser] = await Promise.all([startLocalProcess(), launchChromium()]);
  await replayOpenCase(local.url);
  page = await newConsolePage(browser);
  await openConsole(page, local.url);
  await signIn(page, 'local-reviewer-token');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await local?.stop();
});

describe('the pages of a case under review', () => {
  it("marks every matched term in the text the case read, on the member's page", async () => {
    // Act
    await showPage(page, '#/members/sunqi');
    const violation = page.getByRole('article', { name: 'Gambling' });

    // Assess
    expect(await violation.locator('blockquote').textContent()).toBe(READ);
    // The lexicon's terms first of all (whatever spans of its own the model adds beside them).
    // Each span occurs once in READ, none overlapping another, so each is one mark.
    const marks = await violation.locator('blockquote mark').allTextContents();
    expect([...marks].sort()).toEqual([...quotedSpans()].sort());
    expect(marks).toEqual(expect.arrayContaining(['网赌', '百家乐', '包赢']));
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Member sunqi');
  });

  it('lists the case in the queue and shows it with its evidence', async () => {
    // Act
    await showPage(page, '#/review');

    // Assess
    expect(await page.getByRole('navigation', { name: 'Cases to review' }).getByRole('link').count()).toBe(1);
    expect(await page.getByRole('heading', { name: /^Case case-/ }).isVisible()).toBe(true);
    expect(await page.locator('blockquote mark').count()).toBe(quotedSpans().length);
  });

  it('opens the shortcuts with "?"', async () => {
    // Prepare
    await showPage(page, '#/review');
    await page.getByRole('heading', { level: 1 }).focus();

    // Act
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();

    // Assess
    expect(await help.textContent()).toContain('Confirm');
    await page.keyboard.press('Escape');
  });

  it('takes no shortcut while typing in the reason, and asks for a reason before deciding', async () => {
    // Prepare
    await showPage(page, '#/review');
    const reason = page.getByLabel('Reason');

    // Act: "c" typed in the field is text; pressed outside it with no reason, it asks for one
    await reason.pressSequentially('c');
    const typed = await reason.inputValue();
    await reason.fill('');
    await page.getByRole('heading', { level: 1 }).focus();
    await page.keyboard.press('c');
    const refusal = page.getByRole('alert').filter({ hasText: 'reason' });
    await refusal.waitFor();

    // Assess
    expect(typed).toBe('c');
    expect(await refusal.textContent()).toBe('A reason is required to decide a case.');
    expect(await page.getByRole('navigation', { name: 'Cases to review' }).getByRole('link').count()).toBe(1);
  });
});
