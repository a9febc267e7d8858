/**
 * Debian's headless chromium driven by playwright-core (which never downloads a browser), for
 * the HTML report tests: one page at 1280 × 900 that records console errors and requests.
 */
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

export interface OpenPage {
  readonly browser: import('playwright-core').Browser;
  readonly page: import('playwright-core').Page;
  readonly consoleErrors: string[];
  readonly requests: string[];
}

export async function openChromium(): Promise<OpenPage> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the HTML report test needs Debian's chromium (apt-get install chromium)`);
  }
  process.env['PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD'] = '1';
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('request', (q) => requests.push(q.url()));
  return { browser, page, consoleErrors, requests };
}
