import { mkdir, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../test/helpers/browser.js';
import { newConsolePage, openConsole, showPage, signIn } from '../test/helpers/console-page.js';
import { replayFirstSteps, replayOpenCase } from '../test/helpers/console-scenario.js';
import { startLocalProcess } from '../test/helpers/local-process.js';

/**
 * `npm run console-screenshots`: the two console screenshots the README shows, regenerated. Starts
 * local mode (a fresh DATA_DIR), replays the first step of events/scenarios/review-confirm.json (a
 * member under review, a case to show) and the first three of contact-add-limit.json (a member
 * suspended for a day, with a countdown), and saves docs/console-member.png and
 * docs/console-review.png (1280×800, each under 150 KB). Chinese text needs a CJK font installed
 * (Debian: fonts-wqy-microhei); without one the case's text shows as boxes.
 */
const DOCS = fileURLToPath(new URL('../docs/', import.meta.url));
const LIMIT_BYTES = 150 * 1024;

async function main(): Promise<void> {
  await mkdir(DOCS, { recursive: true });
  const [local, browser] = await Promise.all([startLocalProcess(), launchChromium()]);
  try {
    await replayOpenCase(local.url);
    await replayFirstSteps(local.url, 'contact-add-limit', 3);
    const page = await newConsolePage(browser);
    await openConsole(page, local.url);
    await signIn(page);
    const shots = [
      { hash: '#/members/zhaoliu', file: `${DOCS}console-member.png` },
      { hash: '#/review', file: `${DOCS}console-review.png` },
    ];
    for (const shot of shots) {
      await showPage(page, shot.hash);
      await page.screenshot({ path: shot.file });
      const { size } = await stat(shot.file);
      console.log(`${shot.file}: ${Math.round(size / 1024)} KB`);
      if (size > LIMIT_BYTES) throw new Error(`${shot.file} is over ${LIMIT_BYTES / 1024} KB`);
    }
  } finally {
    await browser.close();
    await local.stop();
  }
}

await main();
