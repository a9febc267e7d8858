/**
 * Runs an oracle backend in a child process with a per-call timeout. A backend that throws is a
 * 'rejected' result; one that crashes or hangs is a 'failed' result, and the host is restarted
 * for the next call.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Oracle, OracleCall, OracleResult } from './types.js';

/** The compiled host script. Tests run from TypeScript sources, so always look under dist/. */
function hostScript(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('convcheck: cannot find the package root for the oracle host');
    dir = up;
  }
  const script = join(dir, 'dist', 'oracles', 'host.js');
  if (!existsSync(script)) throw new Error(`convcheck: ${script} is missing; run \`npm run build\``);
  return script;
}

export interface IsolatedOptions {
  /** Per-call timeout; a call that takes longer kills the host. */
  readonly timeoutMs?: number;
  /** How long the backend may take to load. */
  readonly startTimeoutMs?: number;
}

type Pending = { resolve: (r: OracleResult) => void; timer: NodeJS.Timeout; child: ChildProcess };

export class IsolatedOracle implements Oracle {
  private child: ChildProcess | undefined;
  private starting: Promise<string | undefined> | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly timeoutMs: number;
  private readonly startTimeoutMs: number;
  /** Set when the backend cannot be loaded at all (e.g. tfjs-node not built): every call fails fast. */
  private unavailable: string | undefined;

  constructor(
    readonly name: string,
    opts: IsolatedOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.startTimeoutMs = opts.startTimeoutMs ?? 60_000;
  }

  /** Starts the host if needed; resolves to an error message when the backend can't load. */
  start(): Promise<string | undefined> {
    if (this.unavailable !== undefined) return Promise.resolve(this.unavailable);
    if (this.child && this.starting) return this.starting;
    const child = fork(hostScript(), [this.name], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    this.child = child;
    this.starting = new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.unavailable = `${this.name}: backend did not load within ${this.startTimeoutMs} ms`;
        child.kill('SIGKILL');
        resolve(this.unavailable);
      }, this.startTimeoutMs);
      child.once('message', (m: { ready: boolean; error?: string }) => {
        clearTimeout(timer);
        if (!m.ready) {
          this.unavailable = `${this.name}: ${m.error ?? 'backend failed to load'}`;
          child.kill();
        }
        resolve(this.unavailable);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        const why = `${this.name}: host exited (${signal ?? `code ${code}`})${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`;
        if (this.child === child) {
          this.child = undefined;
          this.starting = undefined;
        }
        resolve(why);
        this.failAll(child, why);
      });
    });
    child.on('message', (m: { id?: number; result?: OracleResult }) => {
      if (m.id === undefined || !m.result) return;
      const p = this.pending.get(m.id);
      if (!p) return;
      clearTimeout(p.timer);
      this.pending.delete(m.id);
      p.resolve(m.result);
    });
    return this.starting;
  }

  async run(call: OracleCall): Promise<OracleResult> {
    const err = await this.start();
    if (err !== undefined) return { kind: 'failed', error: err };
    const child = this.child!;
    const id = this.nextId++;
    return new Promise<OracleResult>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ kind: 'failed', error: `${this.name}: no answer within ${this.timeoutMs} ms (host killed)` });
        // Forget the hung host at once, so the next call starts a fresh one instead of waiting
        // for this one's exit.
        if (this.child === child) {
          this.child = undefined;
          this.starting = undefined;
        }
        child.kill('SIGKILL');
      }, this.timeoutMs);
      this.pending.set(id, { resolve, timer, child });
      child.send({ id, call }, (err) => {
        if (!err) return;
        clearTimeout(timer);
        this.pending.delete(id);
        resolve({ kind: 'failed', error: `${this.name}: host is gone (${err.message})` });
      });
    });
  }

  /** Fails the calls waiting on one host (a restarted host's calls are not its business). */
  private failAll(child: ChildProcess, why: string): void {
    for (const [id, p] of this.pending) {
      if (p.child !== child) continue;
      clearTimeout(p.timer);
      p.resolve({ kind: 'failed', error: why });
      this.pending.delete(id);
    }
  }

  /**
   * A fresh host for the next call: a failure that only shows after a warm-up, or that depends
   * on what the process ran before, is told apart from one that any new process reproduces.
   */
  async restart(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    this.starting = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null || !child.connected) {
      child?.kill('SIGKILL');
      return;
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        child.kill('SIGKILL');
        resolve();
      }, 5000);
      child.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
      // The host may die between the check and the send: a failed send is a closed host.
      child.send('close', (err) => {
        if (err) {
          child.kill('SIGKILL');
          clearTimeout(t);
          resolve();
        }
      });
    });
  }
}
