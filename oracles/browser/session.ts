/**
 * One headless chromium with one page on the local static server: what every browser backend
 * (the runtime oracles in backend.ts, a user's adapter in adapter.ts) starts from. What a crashed
 * renderer means is the caller's to say (batch.ts replaces the page); by default it ends the
 * host process, so the parent reports it and the next call starts afresh.
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

function exitOnCrash(label: string): () => void {
  return () => {
    process.stderr.write(`${label}: the browser page crashed\n`);
    process.exit(70);
  };
}

/** Opens the convcheck page; `extraRoots` serves more directories (a user's module under /impl/). */
export async function openSession(label: string, extraRoots: ReadonlyArray<readonly [string, string]> = [], onCrash: () => void = exitOnCrash(label)): Promise<BrowserSession> {
  const root = packageRoot();
  const server: StaticServer = await startServer(join(root, 'oracles', 'browser', 'page'), join(root, 'dist'), extraRoots);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    page.on('crash', onCrash);
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

/**
 * Test-only: `convcheckCrash()` in the page crashes its renderer (by navigating to chrome://crash
 * from here, as page script cannot), for the isolation tests of a batch with a crashing call.
 */
export async function installCrashHook(page: Page): Promise<void> {
  await page.exposeBinding('convcheckCrash', () => void page.goto('chrome://crash').catch(() => undefined));
}
