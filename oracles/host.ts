/**
 * The oracle host: a child process that loads one backend and answers calls over IPC.
 * Native runtimes and user code live here so that a crash, an abort, a hang or a stray
 * exception takes down this process, not the harness; the parent (isolated.ts) sees the exit,
 * the incident or the timeout and reports it.
 *
 * argv: NAME [SPEC], where SPEC is JSON {module, options} for a backend that is not in the
 * registry (a user's adapter module, a program on the process protocol).
 */
import { Worker } from 'node:worker_threads';
import { oracleEntry } from './registry.js';
import { onSpawned } from './spawned.js';
import { answer, describeThrown, type OracleBackend, type OracleCall, type OracleResult } from './types.js';

type Request = { id: number; call: OracleCall };
/** Calls come one per message or several in one (isolated.ts batches a turn's calls). */
type Message = Request | { batch: Request[] } | 'close';
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

/**
 * The host ends when the run that started it is gone, even while a call keeps its thread busy (a
 * killed `convcheck run` left hosts computing at full CPU, and their chromium or Python program
 * with them): a worker thread, which a busy main thread does not stop, watches the parent and
 * kills this process, and first the process groups its backend started (a hung program does not
 * notice its stdin closing: one kept computing at full CPU). A browser follows when its pipe closes.
 */
function dieWithParent(): void {
  const parent = process.ppid;
  const watch = `
    const { parentPort, workerData } = require('node:worker_threads');
    const groups = new Set();
    const die = () => {
      for (const pid of groups) { try { process.kill(-pid, 'SIGKILL'); } catch {} }
      process.kill(process.pid, 'SIGKILL');
    };
    parentPort.on('message', (m) => (m === 'die' ? die() : groups.add(m)));
    setInterval(() => { if (process.ppid !== workerData.parent) die(); }, 500);
  `;
  const worker = new Worker(watch, { eval: true, workerData: { parent } });
  worker.unref();
  onSpawned((pid) => worker.postMessage(pid));
  process.on('disconnect', () => worker.postMessage('die'));
}

async function main(): Promise<void> {
  const entry = spec();
  if (!entry || !process.send) {
    process.exitCode = 2;
    return;
  }
  dieWithParent();
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
  process.send({ ready: true, ...(info ? { info } : {}), ...(backend.timesCalls ? { timesCalls: backend.timesCalls } : {}) });
  // In order, one at a time, unless the backend orders calls itself: the parent blames a hang or
  // a crash on the oldest unanswered call, which is then the one that was running.
  const queue: Request[] = [];
  let running = false;
  const reply = (r: Request, result: OracleResult) => process.send!({ id: r.id, result });
  const pump = async () => {
    if (running) return;
    running = true;
    for (let r = queue.shift(); r; r = queue.shift()) reply(r, await answer(backend, r.call));
    running = false;
  };
  process.on('message', (msg: Message) => {
    if (msg === 'close') {
      void (backend.dispose?.() ?? Promise.resolve()).finally(() => process.exit(0));
      return;
    }
    const requests = 'batch' in msg ? msg.batch : [msg];
    if (backend.concurrent) {
      for (const r of requests) void answer(backend, r.call).then((result) => reply(r, result));
      return;
    }
    queue.push(...requests);
    void pump();
  });
}

void main();
