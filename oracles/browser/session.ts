/**
 * One headless chromium with one page on the local static server: what every browser backend
 * (the runtime oracles in backend.ts, a user's adapter in adapter.ts) starts from. A crashed
 * renderer ends the host process, so the parent reports it and the next call starts afresh.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { packageRoot } from '../root.js';
import { launchChromium } from './chromium.js';
import { startServer, type StaticServer } from './server.js';

export interface BrowserSession {
  readonly page: Page;
  readonly origin: string;
  close(): Promise<void>;
}

/** Opens the convcheck page; `extraRoots` serves more directories (a user's module under /impl/). */
export async function openSession(label: string, extraRoots: ReadonlyArray<readonly [string, string]> = []): Promise<BrowserSession> {
  const root = packageRoot();
  const server: StaticServer = await startServer(join(root, 'oracles', 'browser', 'page'), join(root, 'dist'), extraRoots);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    page.on('crash', () => {
      process.stderr.write(`${label}: the browser page crashed\n`);
      process.exit(70);
    });
    page.on('pageerror', (e) => process.stderr.write(`${label} page error: ${e.message}\n`));
    await page.goto(server.origin + '/');
    await page.waitForFunction(() => (globalThis as { convcheckLoaded?: boolean }).convcheckLoaded === true, undefined, { timeout: 30_000 });
    const b = browser;
    return {
      page,
      origin: server.origin,
      async close() {
        await b.close().catch(() => undefined);
        await server.close();
      },
    };
  } catch (e) {
    await browser?.close().catch(() => undefined);
    await server.close();
    throw new Error(`${label}: ${firstLine(e)}`);
  }
}

/** page.evaluate wraps a page's exception; keep the runtime's own first line. */
export function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/^page\.(evaluate|goto|waitForFunction): (Error: )?/, '').split('\n')[0]!;
}

/** Runs calls one at a time: the page is single-threaded and answers stay in call order. */
export function serialQueue(): <T>(f: () => Promise<T>) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve();
  return <T>(f: () => Promise<T>): Promise<T> => {
    const p = queue.then(f);
    queue = p.catch(() => undefined);
    return p;
  };
}
