import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Where Debian's `chromium` package puts the browser; `CHROMIUM_PATH` names another. */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'] as const;

/**
 * The Chromium the browser tests drive: `CHROMIUM_PATH`, or Debian's `chromium` package (which
 * `.ci/run` installs where it is missing). Nothing downloads a browser: without one this throws,
 * naming the package to install.
 */
export function chromiumPath(): string {
  const given = process.env.CHROMIUM_PATH;
  if (given) {
    if (!existsSync(given)) throw new Error(`CHROMIUM_PATH=${given} does not exist`);
    return given;
  }
  const found = CANDIDATES.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      `no Chromium found at ${CANDIDATES.join(', ')}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
  return found;
}

/**
 * Flags for a headless Chromium on a closed network: no background connections to Google's
 * services (they are refused here, many at a time, and slow every start), no sandbox when run as
 * root (CI containers). Playwright gives each launch a fresh temporary profile of its own.
 */
const FLAGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--metrics-recording-only',
  '--no-default-browser-check',
] as const;

/** Launches Debian's Chromium through playwright-core's `executablePath`. */
export function launchChromium(): Promise<Browser> {
  const args: string[] = [...FLAGS];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return chromium.launch({ executablePath: chromiumPath(), args, headless: true, timeout: 60_000 });
}
