/**
 * A user's adapter module loaded in a browser page (`convcheck validate --browser --impl PATH`),
 * with navigator.gpu and WebGL at hand: the module's directory is served under /impl/, so its
 * relative imports work. It runs inside an oracle host like every backend, so a hung shader, a lost
 * device or a crashed page is a verdict, and the next call gets a fresh browser.
 *
 * Options: {path: the module's path, options: the --impl-option values}.
 */
import { basename, dirname, resolve } from 'node:path';
import { adapterAnswer, toCaseJson } from '../../src/validate/adapter.js';
import { checkDeclaration, DeclarationError } from '../../src/validate/declaration.js';
import type { BackendInfo, OracleBackend } from '../types.js';
import { firstLine, openSession, serialQueue } from './session.js';

type PageApi = {
  convcheck: {
    loadAdapter(url: string, options: unknown): Promise<{ declaration: Record<string, unknown> } & Record<string, unknown>>;
    runAdapter(c: unknown): Promise<{ shape?: number[]; data?: number[]; unsupported?: string }>;
  };
};

export default async function create(o: { path: string; options?: Readonly<Record<string, string>> }): Promise<OracleBackend> {
  const path = resolve(o.path);
  const session = await openSession(`browser adapter ${basename(path)}`, [['/impl/', dirname(path)]]);
  const { page } = session;
  let info: BackendInfo;
  try {
    const loaded = await page.evaluate(([url, opts]) => (globalThis as unknown as PageApi).convcheck.loadAdapter(url as string, opts), [`/impl/${encodeURIComponent(basename(path))}`, o.options ?? {}] as const);
    const { declaration, ...environment } = loaded;
    info = { ...checkDeclaration(declaration, path), environment };
  } catch (e) {
    await session.close();
    if (e instanceof DeclarationError) throw e;
    throw new Error(`cannot load ${path} in the browser: ${firstLine(e)}`);
  }
  const serially = serialQueue();
  return {
    name: info.name,
    describe: () => info,
    unsupported: () => undefined,
    run: (call) =>
      serially(async () => {
        let out;
        try {
          out = await page.evaluate((c) => (globalThis as unknown as PageApi).convcheck.runAdapter(c), toCaseJson(call) as unknown);
        } catch (e) {
          throw new Error(firstLine(e)); // the adapter threw: it refuses the call
        }
        // Checked as a Node adapter's answer is: {unsupported}, or a shape its data fills.
        return adapterAnswer(out);
      }),
    dispose: () => session.close(),
  };
}
