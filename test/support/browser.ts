import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, Page, chromium } from 'playwright-core';

/** Where screenshots of the main pages go during a run (git-ignored). */
export const ARTIFACTS_DIR = join(__dirname, '..', 'artifacts');

/**
 * Debian's Chromium, never a downloaded browser. The flags keep it off the network:
 * this machine has none beyond loopback, and Chromium's background services would
 * otherwise try to reach Google at every start.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}

/** True when the page is wider than its viewport (content a phone user would have to scroll sideways to). */
export async function overflowsHorizontally(page: Page): Promise<boolean> {
  // A string: the test code is compiled without the DOM types.
  return page.evaluate<boolean>('document.documentElement.scrollWidth > document.documentElement.clientWidth + 1');
}
