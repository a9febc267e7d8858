/**
 * The oracle host: a child process that loads one backend and answers calls over IPC.
 * Native runtimes and user code live here so that a crash, an abort, a hang or a stray
 * exception takes down this process, not the harness; the parent (isolated.ts) sees the exit,
 * the incident or the timeout and reports it.
 *
 * argv: NAME [SPEC], where SPEC is JSON {module, options} for a backend that is not in the
 * registry (a user's adapter module, a program on the process protocol).
 */
import { oracleEntry } from './registry.js';
import { answer, describeThrown, type OracleBackend, type OracleCall } from './types.js';

type Request = { id: number; call: OracleCall };
type Spec = { module: string; options: unknown };

function spec(): Spec | undefined {
  const name = process.argv[2]!;
  if (process.argv[3] !== undefined) return JSON.parse(process.argv[3]) as Spec;
  return oracleEntry(name);
}

/**
 * Anything that escapes the backend (an unhandled rejection, an exception thrown from a timer)
 * means the implementation misbehaved: say so to the parent, then exit, so the next call gets a
 * fresh host.
 */
function reportIncidents(): void {
  const incident = (what: string) => (e: unknown) => {
    const text = `${what}: ${describeThrown(e).slice(0, 500)}`;
    process.exitCode = 70;
    if (process.connected) process.send!({ incident: text }, () => process.exit(70));
    else process.exit(70);
  };
  process.on('unhandledRejection', incident('unhandled promise rejection'));
  process.on('uncaughtException', incident('uncaught exception'));
}

async function main(): Promise<void> {
  const entry = spec();
  if (!entry || !process.send) {
    process.exitCode = 2;
    return;
  }
  reportIncidents();
  let backend: OracleBackend;
  try {
    const mod = (await import(entry.module)) as { default: (o: unknown) => Promise<OracleBackend> };
    backend = await mod.default(entry.options);
  } catch (e) {
    process.send({ ready: false, error: describeThrown(e) });
    return;
  }
  let info;
  try {
    info = backend.describe?.();
  } catch (e) {
    process.send({ ready: false, error: describeThrown(e) });
    return;
  }
  process.send({ ready: true, ...(info ? { info } : {}) });
  process.on('message', (msg: Request | 'close') => {
    if (msg === 'close') {
      void (backend.dispose?.() ?? Promise.resolve()).finally(() => process.exit(0));
      return;
    }
    void answer(backend, msg.call).then((result) => process.send!({ id: msg.id, result }));
  });
}

void main();
