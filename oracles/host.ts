/**
 * The oracle host: a child process that loads one backend and answers calls over IPC.
 * Native runtimes live here so that a crash, an abort or a hang takes down this process, not
 * the harness; the parent (isolated.ts) sees the exit or the timeout and reports it.
 */
import { oracleEntry } from './registry.js';
import type { OracleBackend, OracleCall, OracleResult } from './types.js';

type Request = { id: number; call: OracleCall };

async function main(): Promise<void> {
  const name = process.argv[2]!;
  const entry = oracleEntry(name);
  if (!entry || !process.send) {
    process.exitCode = 2;
    return;
  }
  let backend: OracleBackend;
  try {
    const mod = (await import(entry.module)) as { default: (o: unknown) => Promise<OracleBackend> };
    backend = await mod.default(entry.options);
  } catch (e) {
    process.send({ ready: false, error: e instanceof Error ? e.message : String(e) });
    return;
  }
  // What the backend says about itself (a browser's renderer, say) goes into reports.
  process.send({ ready: true, ...(backend.info ? { info: backend.info } : {}) });
  process.on('message', (msg: Request | 'close') => {
    if (msg === 'close') {
      void (backend.dispose?.() ?? Promise.resolve()).finally(() => process.exit(0));
      return;
    }
    void answer(backend, msg.call).then((result) => process.send!({ id: msg.id, result }));
  });
}

async function answer(backend: OracleBackend, call: OracleCall): Promise<OracleResult> {
  const reason = backend.unsupported(call);
  if (reason !== undefined) return { kind: 'unsupported', reason };
  try {
    const t = await backend.run(call);
    return { kind: 'value', shape: [...t.shape], data: t.data };
  } catch (e) {
    return { kind: 'rejected', error: e instanceof Error ? e.message : String(e) };
  }
}

void main();
