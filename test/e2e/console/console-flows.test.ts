import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_DEFAULTS } from '../../../local/config.js';
import { launchChromium } from '../../helpers/browser.js';
import { newConsolePage, openConsole, showPage, signIn } from '../../helpers/console-page.js';
import { replayFirstSteps, replayOpenCase } from '../../helpers/console-scenario.js';
import { type LocalProcess, startLocalProcess } from '../../helpers/local-process.js';

/**
 * What an operator does in the console, end to end in Chromium against local mode: state made by
 * replayed scenarios (sunqi's gambling invitation under review; zhaoliu over the daily contact-add
 * limit, suspended), then a countdown read, a case confirmed, an appeal filed and decided, and a
 * viewer refused by the server.
 */

const CORP = DEV_DEFAULTS.WECOM_CORP_ID;
let local: LocalProcess;
let browser: Browser;

/** The fields of the admin API's answers that the checks beside the browser read. */
interface Listed {
  readonly id: string;
  readonly status: string;
  readonly decision?: { readonly decision: string; readonly reviewer: string } | null;
}
/** What the function run in the page reads of it (the repository's type-check has no DOM lib here). */
interface InPageDocument {
  readonly document: { querySelector(selector: string): { readonly textContent: string } | null };
}
interface MemberJson {
  readonly interop: { readonly status: string; readonly until: string };
  readonly asOf: string;
}

/** The admin API's answer to a machine client (ADMIN_TOKEN), at a path of the corp or (absolute) of the API. */
async function adminGet<T>(path: string): Promise<T> {
  const url = path.startsWith('/admin/') ? path : `/admin/corps/${CORP}${path}`;
  const response = await fetch(`${local.url}${url}`, {
    headers: { authorization: `Bearer ${DEV_DEFAULTS.ADMIN_TOKEN}` },
  });
  return (await response.json()) as T;
}

/** A console page signed in with `token`, showing `hash`. */
async function signedIn(token: string, hash: string): Promise<Page> {
  const page = await newConsolePage(browser);
  await openConsole(page, local.url);
  await signIn(page, token);
  await showPage(page, hash);
  return page;
}

/** `1d 02:03:04` (days only when there are some) as milliseconds. */
function durationMs(text: string): number {
  const match = /(?:(\d+)d )?(\d+):(\d\d):(\d\d)/.exec(text);
  if (!match) throw new Error(`no duration in ${text}`);
  const [, days = '0', hours = '0', minutes = '0', seconds = '0'] = match;
  return (((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000;
}

beforeAll(async () => {
  [local, browser] = await Promise.all([startLocalProcess(), launchChromium()]);
  await replayOpenCase(local.url);
  // contact-add-limit up to the adds after the breach: zhaoliu suspended for a day, 114 adds today.
  await replayFirstSteps(local.url, 'contact-add-limit', 3);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await local?.stop();
});

describe('the operator console, end to end', () => {
  it('counts down to the end of a suspension a replayed scenario applied, by the server’s clock', async () => {
    // Prepare
    const page = await signedIn(DEV_DEFAULTS.ADMIN_TOKEN, '#/members/zhaoliu');
    const member = await adminGet<MemberJson>('/members/zhaoliu');

    // Act
    const shown = await page.locator('.countdown .remaining').first().textContent();
    const later = await page.waitForFunction(
      (before) => {
        const { document } = globalThis as unknown as InPageDocument;
        const now = document.querySelector('.countdown .remaining')?.textContent;
        return now !== before ? now : null;
      },
      shown,
      { timeout: 10_000 },
    );

    // Assess: until − the server's now, counted down live (not from the browser's clock, a year on)
    const expected = Date.parse(member.interop.until) - Date.parse(member.asOf);
    expect(member.interop.status).toBe('suspended');
    expect(expected).toBeGreaterThan(60_000);
    expect(durationMs(shown ?? '')).toBeLessThanOrEqual(expected);
    expect(durationMs(shown ?? '')).toBeGreaterThan(expected - 60_000);
    expect(durationMs(String(await later.jsonValue()))).toBeLessThan(durationMs(shown ?? ''));
    await page.context().close();
  });

  it('shows the suspended member among the suspended and the top adders against the limit on the overview', async () => {
    // Prepare
    const page = await signedIn(DEV_DEFAULTS.VIEWER_TOKEN, '#/');

    // Act
    const suspended = await page.getByRole('table', { name: 'Suspended' }).textContent();
    const adders = page.getByRole('table', { name: 'Members with most adds today' });
    const row = await adders.getByRole('row').filter({ hasText: 'zhaoliu' }).textContent();

    // Assess
    expect(suspended).toContain('zhaoliu');
    expect(row).toContain('114');
    await page.context().close();
  });

  it('lets a viewer see the queue but not decide: no buttons, and the server refuses the request (403)', async () => {
    // Prepare
    const page = await signedIn(DEV_DEFAULTS.VIEWER_TOKEN, '#/review');
    const [open] = (await adminGet<{ cases: Listed[] }>('/cases?status=open')).cases;

    // Act: the request the page would make, sent from the page with the viewer's token
    const buttons = await page.getByRole('button', { name: 'Confirm' }).count();
    const answer = await page.evaluate(
      async ({ path, token }) => {
        const response = await fetch(path, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ decision: 'confirm', reviewer: 'local-viewer', reason: 'trying' }),
        });
        return { status: response.status, body: (await response.json()) as { error: string } };
      },
      { path: `/admin/corps/${CORP}/cases/${open?.id}/decision`, token: DEV_DEFAULTS.VIEWER_TOKEN },
    );
    const after = await adminGet<Listed>(`/cases/${open?.id}`);

    // Assess
    expect(buttons).toBe(0);
    expect(answer.status).toBe(403);
    expect(answer.body.error).toContain('needs the reviewer group (you have: viewer)');
    expect(after).toMatchObject({ status: 'open', decision: null });
    await page.context().close();
  });

  it('confirms a case from the queue: the queue empties and the member’s page shows the penalty, decided in the reviewer’s name', async () => {
    // Prepare
    const page = await signedIn(DEV_DEFAULTS.REVIEWER_TOKEN, '#/members/sunqi');
    const standing = page.getByRole('region', { name: 'Standing' });
    const before = await standing.textContent();
    const [open] = (await adminGet<{ cases: Listed[] }>('/cases?status=open')).cases;

    // Act
    await showPage(page, '#/review');
    await page.getByLabel('Reason').fill('invites a customer to online gambling');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('No case waits for review.').waitFor();
    await showPage(page, '#/members/sunqi');
    const after = await standing.textContent();
    const decided = await adminGet<Listed>(`/cases/${open?.id}`);

    // Assess
    expect(before).toContain('provisional, under review');
    expect(after).not.toContain('provisional, under review');
    expect(after).toContain('blocked');
    expect(decided.decision).toMatchObject({ decision: 'confirm', reviewer: 'local-reviewer' });
    await page.context().close();
  });

  it('files a member’s appeal and approves it from the appeals page', async () => {
    // Prepare
    const page = await signedIn(DEV_DEFAULTS.ADMIN_TOKEN, '#/members/zhaoliu');

    // Act: file it from the member's page
    await page.getByRole('button', { name: 'File appeal' }).click();
    const dialog = page.getByRole('dialog', { name: 'File an appeal' });
    await dialog.getByRole('button', { name: 'Submit appeal' }).click();
    await page.getByText('Appeal filed.').waitFor();
    const [filed] = (
      await adminGet<{ appeals: (Listed & { userId: string; kind: string })[] }>('/appeals?status=open')
    ).appeals;
    //      and decide it from the appeals page
    await showPage(page, '#/appeals');
    const row = page
      .getByRole('table', { name: 'Open appeals' })
      .getByRole('row')
      .filter({ hasText: 'zhaoliu' });
    await row.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Appeal approved.').waitFor();
    const decided = await adminGet<Listed>(`/admin/appeals/${filed?.id}`);
    const stillOpen = (await adminGet<{ appeals: Listed[] }>('/appeals?status=open')).appeals;
    const member = await adminGet<MemberJson>('/members/zhaoliu');

    // Assess
    expect(filed).toMatchObject({ userId: 'zhaoliu', status: 'open', kind: 'penalty' });
    expect(decided.status).toBe('approved');
    expect(stillOpen).toEqual([]);
    expect(member.interop.status).toBe('active');
    await page.context().close();
  });
});
