/**
 * A user's adapter module loaded in a browser page (`convcheck validate --browser --impl PATH`),
 * with navigator.gpu and WebGL at hand: the module's directory is served under /impl/, so its
 * relative imports work. It runs inside an oracle host like every backend, and its calls go to
 * the page as the runtime oracles' do (batch.ts): several per message when several are in flight,
 * a throw being that call's refusal, and a hung shader, a lost device or a crashed page the
 * culprit call's verdict, after which the page is replaced (the module loaded afresh).
 *
 * Options: {path: the module's path, options: the --impl-option values, and for tests testHooks
 * (the page gets convcheckCrash()) and callTimeoutMs}.
 */
import { basename, dirname, resolve } from 'node:path';
import { adapterAnswer, toCaseJson } from '../../src/validate/adapter.js';
import { checkDeclaration, DeclarationError } from '../../src/validate/declaration.js';
import type { BackendInfo, OracleBackend } from '../types.js';
import { callBudgetMs, callBytes, PageBatcher } from './batch.js';
import { firstLine, installCrashHook, openSession } from './session.js';

type PageApi = {
  convcheck: {
    loadAdapter(url: string, options: unknown): Promise<{ declaration: Record<string, unknown> } & Record<string, unknown>>;
  };
};

type AdapterBackendOptions = { path: string; options?: Readonly<Record<string, string>>; testHooks?: boolean; callTimeoutMs?: number };

export default async function create(o: AdapterBackendOptions): Promise<OracleBackend & { readonly stats: PageBatcher['stats'] }> {
  const path = resolve(o.path);
  let info: BackendInfo | undefined;
  // Every page, the first and those replacing a hung or crashed one, loads the module the same way.
  const open = async (onCrash: () => void) => {
    const session = await openSession(`browser adapter ${basename(path)}`, [['/impl/', dirname(path)]], onCrash);
    try {
      if (o.testHooks) await installCrashHook(session.page);
      const loaded = await session.page.evaluate(([url, opts]) => (globalThis as unknown as PageApi).convcheck.loadAdapter(url as string, opts), [`/impl/${encodeURIComponent(basename(path))}`, o.options ?? {}] as const);
      const { declaration, ...environment } = loaded;
      info ??= { ...checkDeclaration(declaration, path), environment };
    } catch (e) {
      await session.close();
      if (e instanceof DeclarationError) throw e;
      throw new Error(`cannot load ${path} in the browser: ${firstLine(e)}`);
    }
    return session;
  };
  const batcher = new PageBatcher({ label: `browser adapter ${basename(path)}`, kind: 'adapter', open, callMs: o.callTimeoutMs ?? callBudgetMs() });
  await batcher.start();
  const declared = info!;
  return {
    name: declared.name,
    describe: () => declared,
    unsupported: () => undefined,
    run: async (call) => {
      // The inputs as float64 bytes (batch.ts encode); the page makes them a case file's arrays.
      const request = { ...toCaseJson({ ...call, inputs: {} }), inputs: Object.fromEntries(Object.entries(call.inputs).map(([k, t]) => [k, { shape: [...t.shape], data: t.data }])) };
      const outcome = await batcher.run({ request }, callBytes(call));
      if ('error' in outcome) throw new Error(outcome.error); // the adapter threw: it refuses the call
      // Checked as a Node adapter's answer is: {unsupported}, or a shape its data fills.
      return adapterAnswer(outcome.ok);
    },
    dispose: () => batcher.close(),
    stats: batcher.stats,
    // The batcher orders the calls and keeps a hang or a crash to its own call (batch.ts).
    concurrent: true,
    timesCalls: batcher.together,
  };
}
