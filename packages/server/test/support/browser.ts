/**
 * Test support for the web console: Debian's chromium driven by playwright-core, headless. Outside
 * CI the console suites are skipped with a reason when /usr/bin/chromium is absent; in CI (env CI
 * set) its absence is a failure, since .ci/run installs it.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Why the browser suites cannot run here, or undefined when they can. Throws in CI. */
export function browserMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing; CI installs Debian's chromium (.ci/run)`);
  return `${CHROMIUM} is absent (apt-get install chromium to run the console tests)`;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true });
}

/** A page at 1280×800, the size the console is made for. */
export async function consolePage(browser: Browser, baseUrl: string, view?: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  page.setDefaultTimeout(5000);
  await page.goto(`${baseUrl}/_mktows/console/${view ? `#${view}` : ''}`);
  return page;
}

/**
 * Writes a screenshot of the page when MKTOWS_CONSOLE_SCREENSHOTS names a directory (the README's
 * pictures in docs/console/ are made so); otherwise does nothing.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.MKTOWS_CONSOLE_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`) });
}
