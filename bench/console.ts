import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../test/helpers/browser.js';
import { BENCH_ADMIN_TOKEN, type RunningServer, startServer } from './local-http.js';
import { type Figure, median, percentile, printTable } from './measure.js';
import type { BenchSection } from './types.js';

/** Loads measured of each kind (after one warm-up of each, not counted). */
const ROUNDS = 15;
/** The target for the console's first load to interactive, here (2 cores, local mode). */
const FIRST_LOAD_TARGET_MS = 500;
/** Hang guard of one wait in the page: a load that never gets ready fails the bench instead of stalling it. */
const WAIT_LIMIT_MS = 30_000;

/**
 * Records, from the page's own clock (ms since navigation start), when the document's `data-state`
 * first becomes each value: the console sets `signin` when its sign-in form is up and `ready` when
 * its first page's data is on screen. Runs before any script of the page (through the DevTools
 * protocol, which the console's CSP does not govern).
 */
const RECORD_STATES = `(() => {
  const seen = (window.__consoleStates = {});
  // The document has no element yet when this runs: watch it whole for the attribute.
  new MutationObserver(() => {
    const state = document.documentElement?.dataset.state;
    if (state && !(state in seen)) seen[state] = performance.now();
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-state'] });
})();`;

/** The operator console in Chromium against local mode, beside GET /health in the same browser. */
export const consoleLoad: BenchSection = {
  name: 'console',
  description:
    'operator console in Chromium against local mode: first load to interactive, beside GET /health',
  run: async () => {
    const server = await startServer();
    const browser = await launchChromium();
    try {
      const health: number[] = [];
      const signIn: number[] = [];
      const overview: number[] = [];
      for (let round = 0; round <= ROUNDS; round++) {
        const loads = await loadOnce(browser, server);
        if (round === 0) continue;
        health.push(loads.health);
        signIn.push(loads.signIn);
        overview.push(loads.overview);
      }
      const reference = { name: 'GET /health', value: median(health) };
      const figures: Figure[] = [
        { name: 'GET /health, navigation to load (median)', value: median(health), unit: 'ms' },
        {
          name: 'console, cold: navigation to the sign-in form (median)',
          value: median(signIn),
          unit: 'ms',
          reference,
          target: { on: 'value', max: FIRST_LOAD_TARGET_MS },
        },
        {
          name: 'console, signed in, no cache: navigation to the overview drawn (median)',
          value: median(overview),
          unit: 'ms',
          reference,
          target: { on: 'value', max: FIRST_LOAD_TARGET_MS },
        },
        {
          name: 'console, signed in, no cache: the same, p90',
          value: percentile(overview, 90),
          unit: 'ms',
          reference: { name: 'GET /health p90', value: percentile(health, 90) },
        },
      ];
      printTable(
        `console: first load in Chromium (${ROUNDS} loads of each, a fresh browser context each)`,
        figures,
        [
          'times from the page’s navigation start (performance.now) to the moment the document’s data-state',
          '  became `signin` (sign-in form up) or `ready` (the overview’s data on screen), seen by a MutationObserver',
          '  installed before the page’s own scripts; GET /health is the same navigation to the load event',
          'signed in: the token is entered in the form, then the page is reloaded with the browser cache disabled,',
          '  so every asset and every API call of the overview is fetched again (what a first visit costs, signed in)',
        ],
      );
    } finally {
      await browser.close();
      await server.stop();
    }
  },
};

/** One round: GET /health, the console cold to its sign-in form, then signed in and reloaded without cache. */
async function loadOnce(
  browser: Browser,
  server: RunningServer,
): Promise<{ health: number; signIn: number; overview: number }> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(RECORD_STATES);
    await page.goto(`${server.url}/health`, { waitUntil: 'load' });
    // Evaluated in the page (the DOM's types are not this program's): the navigation's load event.
    const health = Number(await page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"));
    await page.goto(`${server.url}/console/`);
    const signIn = await stateReached(page, 'signin');
    await page.getByLabel('Access token').fill(BENCH_ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await stateReached(page, 'ready');
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await page.reload();
    const overview = await stateReached(page, 'ready');
    return { health, signIn, overview };
  } finally {
    await context.close();
  }
}

/** When (ms from navigation start) the document first took `data-state=state`. */
async function stateReached(page: Page, state: string): Promise<number> {
  // A function, not a string: the console's CSP refuses eval, which a string predicate needs.
  const handle = await page.waitForFunction(
    (name) => (globalThis as { __consoleStates?: Record<string, number> }).__consoleStates?.[name],
    state,
    { timeout: WAIT_LIMIT_MS },
  );
  return Number(await handle.jsonValue());
}
