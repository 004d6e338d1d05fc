/**
 * Debian's Chromium driven by playwright-core for the console tests: never a downloaded browser
 * (`npm test` installs the chromium package first, scripts/ensure-packages.mjs). Screenshots go
 * to test-output/console/ (gitignored). Every request the page makes is recorded, so a test can
 * prove the console loads nothing from another origin, and CSP violations are collected.
 *
 *   const b = await openBrowser();
 *   const page = await b.page(server, { width: 390, height: 844 });
 *   await b.shot(page, 'narrow-images');
 *   assert.deepEqual(b.foreignRequests(server), []);
 *   await b.close();
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = resolve(import.meta.dirname, '../../../test-output/console');

export interface ConsoleBrowser {
  page(origin: string, viewport?: { width: number; height: number }): Promise<Page>;
  shot(page: Page, name: string): Promise<void>;
  /** Requests to anything but `origin`. */
  foreignRequests(origin: string): string[];
  /** Console messages that report a Content-Security-Policy violation or a page error. */
  readonly problems: string[];
  close(): Promise<void>;
}

export async function openBrowser(): Promise<ConsoleBrowser> {
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking'],
    timeout: 60_000,
  });
  mkdirSync(SHOTS, { recursive: true });
  const requests: string[] = [];
  const problems: string[] = [];
  return {
    async page(origin, viewport = { width: 1280, height: 800 }) {
      const context = await browser.newContext({ viewport, baseURL: origin });
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      page.on('request', (r) => requests.push(r.url()));
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('console', (m) => {
        if (/Content.Security.Policy|Refused to/i.test(m.text())) problems.push(m.text());
      });
      return page;
    },
    async shot(page, name) {
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    },
    foreignRequests(origin) {
      return requests.filter((u) => !u.startsWith(`${origin}/`));
    },
    problems,
    close: () => browser.close(),
  };
}

/** Waits until the locator's text matches (playwright-core has no `expect`). */
export async function waitForText(locator: Locator, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = (await locator.count()) > 0 ? ((await locator.first().textContent()) ?? '') : '';
    if (pattern.test(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`text ${pattern} not seen within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
}

/** Signs in from the keyboard: Token, Tab, Folder ID, Enter. */
export async function signIn(page: Page, token: string, folderId: string): Promise<void> {
  await page.goto('/console');
  await page.getByLabel('Token', { exact: true }).click();
  await page.keyboard.type(token);
  await page.keyboard.press('Tab');
  await page.keyboard.type(folderId);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Desktop images' }).waitFor();
}

/** Inputs, selects and textareas without an accessible name (label, aria-label or aria-labelledby). */
export function unnamedInputs(page: Page): Promise<string[]> {
  // Runs in the page (a string: the server's TypeScript project has no DOM types).
  return page.evaluate<string[]>(`[...document.querySelectorAll('input, select, textarea')]
    .filter((e) => ![...(e.labels ?? [])].some((l) => l.textContent.trim() !== '')
      && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
    .map((e) => e.outerHTML)`);
}
