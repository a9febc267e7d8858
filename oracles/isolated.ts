/**
 * Runs an oracle backend in a child process with a per-call timeout. A backend that throws is a
 * 'rejected' result; one that crashes, hangs or lets an exception escape is a 'failed' result,
 * and the host is restarted for the next call. A host that dies between calls fails the next
 * call, so nothing that goes wrong is lost.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './root.js';
import type { BackendInfo, Oracle, OracleCall, OracleResult } from './types.js';

/** The compiled host script. Tests run from TypeScript sources, so always look under dist/. */
function hostScript(): string {
  const script = join(packageRoot(), 'dist', 'oracles', 'host.js');
  if (!existsSync(script)) throw new Error(`convcheck: ${script} is missing; run \`npm run build\``);
  return script;
}

export interface IsolatedOptions {
  /** Per-call timeout; a call that takes longer kills the host. */
  readonly timeoutMs?: number;
  /** How long the backend may take to load. */
  readonly startTimeoutMs?: number;
  /**
   * A backend that is not in the registry: a module (path relative to oracles/, or a file URL)
   * whose default export is `create(options)`.
   */
  readonly backend?: { readonly module: string; readonly options: unknown };
}

type Pending = { resolve: (r: OracleResult) => void; timer: NodeJS.Timeout; child: ChildProcess };

/** Kills a process group started by a backend (a protocol program); it may be gone already. */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

export class IsolatedOracle implements Oracle {
  private child: ChildProcess | undefined;
  private starting: Promise<string | undefined> | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly timeoutMs: number;
  private readonly startTimeoutMs: number;
  /** Set when the backend cannot be loaded at all (e.g. tfjs-node not built): every call fails fast. */
  private unavailable: string | undefined;
  /**
   * Set by close(). A property abandoned by fast-check's time limit may still be running and call
   * again after the run has closed the oracle; such a call must fail, not start a new host that
   * nobody will ever close (it kept `convcheck run` from exiting).
   */
  private closed = false;
  private readonly backend: IsolatedOptions['backend'];
  /** What the loaded backend declared about itself (adapter modules, protocol programs). */
  info: BackendInfo | undefined;
  /** Hosts killed on purpose (timeout, close): their exit is no news. */
  private readonly killed = new WeakSet<ChildProcess>();
  /** Hosts asked to close: only a clean exit (code 0, no incident) is no news. */
  private readonly closing = new WeakSet<ChildProcess>();
  /** Process groups each host's backend started; killed with the host. */
  private readonly groups = new WeakMap<ChildProcess, Set<number>>();
  /** What went wrong in a host while no call was waiting: the next call fails with it. */
  private incident: string | undefined;

  constructor(
    readonly name: string,
    opts: IsolatedOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.startTimeoutMs = opts.startTimeoutMs ?? 60_000;
    this.backend = opts.backend;
  }

  /** What went wrong after the last answer, if anything; cleared by reading it. */
  takeIncident(): string | undefined {
    const i = this.incident;
    this.incident = undefined;
    return i;
  }

  private kill(child: ChildProcess): void {
    this.killed.add(child);
    child.kill('SIGKILL');
    for (const pid of this.groups.get(child) ?? []) killGroup(pid);
  }

  /** Starts the host if needed; resolves to an error message when the backend can't load. */
  start(): Promise<string | undefined> {
    if (this.closed) return Promise.resolve(`${this.name}: the oracle was closed`);
    if (this.unavailable !== undefined) return Promise.resolve(this.unavailable);
    if (this.child && this.starting) return this.starting;
    const args = this.backend ? [this.name, JSON.stringify(this.backend)] : [this.name];
    // The per-call timeout goes to the host too: a backend that runs several calls at once (the
    // browser oracles' batches) times them itself and keeps a hang to the call that hung.
    const env = { ...process.env, CONVCHECK_CALL_TIMEOUT_MS: String(this.timeoutMs) };
    const child = fork(hostScript(), args, { serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env });
    let stderr = '';
    let incident: string | undefined;
    let ready = false;
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    this.child = child;
    this.starting = new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.unavailable = `${this.name}: backend did not load within ${this.startTimeoutMs} ms`;
        this.kill(child);
        resolve(this.unavailable);
      }, this.startTimeoutMs);
      const onReady = (m: { ready?: boolean; error?: string; info?: BackendInfo }) => {
        if (typeof m.ready !== 'boolean') return; // e.g. a backend announcing the program it spawned
        child.off('message', onReady);
        clearTimeout(timer);
        if (!m.ready) {
          this.unavailable = `${this.name}: ${m.error ?? 'backend failed to load'}`;
          this.kill(child);
        } else {
          ready = true;
          if (m.info) this.info = m.info;
        }
        resolve(this.unavailable);
      };
      child.on('message', onReady);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        for (const pid of this.groups.get(child) ?? []) killGroup(pid);
        const tail = stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : '';
        const why = incident ? `${this.name}: ${incident}` : `${this.name}: host exited (${signal ?? `code ${code}`})${tail}`;
        if (this.child === child) {
          this.child = undefined;
          this.starting = undefined;
        }
        resolve(why);
        const clean = this.killed.has(child) || (this.closing.has(child) && code === 0 && incident === undefined);
        if (!this.failAll(child, why) && ready && !clean) this.incident ??= `${why} (after its last answer)`;
      });
    });
    child.on('message', (m: { id?: number; result?: OracleResult; incident?: string; spawned?: number }) => {
      if (m.incident !== undefined) incident = m.incident;
      if (m.spawned !== undefined) {
        const set = this.groups.get(child) ?? new Set<number>();
        set.add(m.spawned);
        this.groups.set(child, set);
      }
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
    const earlier = this.takeIncident();
    if (earlier !== undefined) return { kind: 'failed', error: earlier };
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
        this.kill(child);
      }, this.timeoutMs);
      this.pending.set(id, { resolve, timer, child });
      // A failed send means the host is dying: its exit (soon) fails this call with the reason
      // (an incident, a signal), which says more than the broken pipe; the timer is the backstop.
      child.send({ id, call }, () => {});
    });
  }

  /**
   * Fails the calls waiting on one host (a restarted host's calls are not its business); says
   * whether there were any.
   */
  private failAll(child: ChildProcess, why: string): boolean {
    let any = false;
    for (const [id, p] of this.pending) {
      if (p.child !== child) continue;
      clearTimeout(p.timer);
      p.resolve({ kind: 'failed', error: why });
      this.pending.delete(id);
      any = true;
    }
    return any;
  }

  /**
   * A fresh host for the next call: a failure that only shows after a warm-up, or that depends
   * on what the process ran before, is told apart from one that any new process reproduces.
   */
  async restart(): Promise<void> {
    await this.close();
    // Closing for a restart is not the end of the oracle: the next call starts a fresh host.
    this.closed = false;
  }

  /**
   * Asks the host to close and waits for its exit. A host that is already dying (its exit not yet
   * seen) is waited for too, so that an unclean end after the last answer is recorded.
   */
  async close(): Promise<void> {
    this.closed = true;
    const child = this.child;
    this.child = undefined;
    this.starting = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return; // its exit is handled
    this.closing.add(child);
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        this.kill(child);
        resolve();
      }, 5000);
      child.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
      // A failed send means the host is dying on its own: its exit ends the wait.
      if (child.connected) child.send('close', () => {});
    });
  }
}
