/**
 * Runs an oracle backend in a child process with a per-call timeout. A backend that throws is a
 * 'rejected' result; one that crashes, hangs or lets an exception escape is a 'failed' result,
 * and the host is restarted for the next call. A host that dies between calls fails the next
 * call, so nothing that goes wrong is lost.
 *
 * Several calls may be outstanding (the runner keeps a few cases in flight): calls made in one
 * turn of the event loop travel as one message. The host answers them in order (a backend that
 * orders calls itself may overlap them), so when it hangs or dies, the oldest unanswered call is
 * the one it was running: that call gets the verdict, and the others are sent again to a fresh
 * host, so that no innocent call is failed with a neighbour's crash.
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

type Pending = { readonly id: number; readonly call: OracleCall; readonly resolve: (r: OracleResult) => void; child: ChildProcess | undefined };

/** Kills a process group started by a backend (a protocol program); it may be gone already. */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/** What a backend reads of a call; a parsed case also carries its source JSON, twice the bytes. */
function wire(c: OracleCall): OracleCall {
  return { framework: c.framework, op: c.op, attrs: c.attrs, inputs: c.inputs, dtype: c.dtype };
}

export class IsolatedOracle implements Oracle {
  private child: ChildProcess | undefined;
  private starting: Promise<string | undefined> | undefined;
  private nextId = 0;
  /** Unanswered calls, oldest first (ids only grow). */
  private readonly pending = new Map<number, Pending>();
  /** Calls waiting for this turn of the event loop to end, to go in one message. */
  private outbox: Pending[] = [];
  /** Per host: fires when it has calls and has answered none of them for timeoutMs. */
  private readonly watchdogs = new Map<ChildProcess, { timer: NodeJS.Timeout; ms: number; since: number }>();
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
  /** Hosts that loaded their backend. */
  private readonly ready = new WeakSet<ChildProcess>();
  /**
   * Hosts whose backend times each call itself (browser batches), with the most calls it runs
   * together: the watchdog only backs it up.
   */
  private readonly timesCalls = new WeakMap<ChildProcess, number>();
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

  /** Calls made and not yet answered (a pool sends the next call to the host with the fewest). */
  get unanswered(): number {
    return this.pending.size;
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
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    this.child = child;
    this.starting = new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.unavailable = `${this.name}: backend did not load within ${this.startTimeoutMs} ms`;
        this.kill(child);
        resolve(this.unavailable);
      }, this.startTimeoutMs);
      const onReady = (m: { ready?: boolean; error?: string; info?: BackendInfo; timesCalls?: number }) => {
        if (typeof m.ready !== 'boolean') return; // e.g. a backend announcing the program it spawned
        child.off('message', onReady);
        clearTimeout(timer);
        if (!m.ready) {
          this.unavailable = `${this.name}: ${m.error ?? 'backend failed to load'}`;
          this.kill(child);
        } else {
          this.ready.add(child);
          if (m.timesCalls) this.timesCalls.set(child, Math.max(1, m.timesCalls));
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
        if (!this.blame(child, why) && this.ready.has(child) && !clean) this.incident ??= `${why} (after its last answer)`;
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
      if (!p || p.child !== child) return;
      this.pending.delete(m.id);
      p.resolve(m.result);
      // Progress: the watchdog starts over for the calls still waiting.
      this.disarm(child);
      this.arm(child);
    });
    return this.starting;
  }

  async run(call: OracleCall): Promise<OracleResult> {
    const earlier = this.takeIncident();
    if (earlier !== undefined) return { kind: 'failed', error: earlier };
    return new Promise<OracleResult>((resolve) => {
      const p: Pending = { id: this.nextId++, call, resolve, child: undefined };
      this.pending.set(p.id, p);
      void this.dispatch(p);
    });
  }

  /** Queues a call for the current host (started if need be). */
  private async dispatch(p: Pending): Promise<void> {
    // A running host takes the call in this turn (no await): its message leaves before the caller
    // goes on to compute the reference.
    const err = this.child && this.ready.has(this.child) && !this.closed ? undefined : await this.start();
    if (!this.pending.has(p.id)) return;
    if (err !== undefined) {
      this.settle(p, { kind: 'failed', error: err });
      return;
    }
    const child = this.child!;
    p.child = child;
    this.outbox.push(p);
    // setImmediate, not a microtask: the calls of every case the runner starts in this turn go together.
    if (this.outbox.length === 1) setImmediate(() => this.flush());
    this.arm(child);
  }

  private flush(): void {
    const out = this.outbox;
    this.outbox = [];
    const byHost = new Map<ChildProcess, Pending[]>();
    for (const p of out) {
      // A call whose host died meanwhile was settled or queued again by the exit handler.
      if (!p.child || !this.pending.has(p.id)) continue;
      const list = byHost.get(p.child) ?? [];
      list.push(p);
      byHost.set(p.child, list);
    }
    // A failed send means the host is dying: its exit (soon) settles these calls with the reason
    // (an incident, a signal), which says more than the broken pipe; the watchdog is the backstop.
    for (const [child, list] of byHost) child.send({ batch: list.map((p) => ({ id: p.id, call: wire(p.call) })) }, () => {});
  }

  private settle(p: Pending, r: OracleResult): void {
    this.pending.delete(p.id);
    p.resolve(r);
  }

  private waiting(child: ChildProcess): Pending[] {
    return [...this.pending.values()].filter((p) => p.child === child);
  }

  private arm(child: ChildProcess): void {
    const together = this.timesCalls.get(child);
    const dog = this.watchdogs.get(child);
    if (dog && together === undefined) return;
    const waiting = this.waiting(child).length;
    if (waiting === 0) return;
    // A backend that runs calls together gives a batch its length times the per-call timeout
    // before it re-runs the calls one by one on a fresh page: the watchdog outwaits that, for the
    // batch in progress only (an answer restarts the watchdog), not for every call waiting. Calls
    // sent after it was armed may make that batch longer: the wait grows, counted from the same
    // moment (the host's last progress).
    // (A Node timer fires at once past 2³¹ − 1 ms.)
    const ms = Math.min(2 ** 31 - 1, together !== undefined ? this.timeoutMs * (2 * Math.min(waiting, together) + 2) : this.timeoutMs);
    if (dog && dog.ms >= ms) return;
    const since = dog?.since ?? Date.now();
    if (dog) clearTimeout(dog.timer);
    this.watchdogs.set(child, {
      ms,
      since,
      timer: setTimeout(() => {
        this.watchdogs.delete(child);
        // Forget the hung host at once, so the calls sent again start a fresh one instead of
        // waiting for this one's exit.
        if (this.child === child) {
          this.child = undefined;
          this.starting = undefined;
        }
        this.blame(child, `${this.name}: no answer within ${ms} ms (host killed)`);
        this.kill(child);
      }, since + ms - Date.now()),
    });
  }

  private disarm(child: ChildProcess): void {
    clearTimeout(this.watchdogs.get(child)?.timer);
    this.watchdogs.delete(child);
  }

  /**
   * A host hung or died with calls waiting: the oldest is the one it was running and gets the
   * verdict; the others go to a fresh host. Says whether any call was waiting. There is no limit
   * on how often a call is sent again: every death settles one call, so a call waits through at
   * most as many deaths as there are calls ahead of it (a limit of 3 failed an innocent call
   * queued behind three of tfjs-cpu's endless zero-stride transposes).
   */
  private blame(child: ChildProcess, why: string): boolean {
    this.disarm(child);
    const waiting = this.waiting(child);
    const [culprit, ...others] = waiting;
    if (!culprit) return false;
    this.settle(culprit, { kind: 'failed', error: why });
    for (const p of others) {
      p.child = undefined;
      void this.dispatch(p);
    }
    return true;
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
