/**
 * The client of the process protocol (docs/protocol.md): an implementation in any language is a
 * program that prints a hello line, then answers case lines on stdin with one line each. This
 * backend runs inside an oracle host (oracles/host.ts), so the parent's per-call timeout kills
 * the host and, with it, the program's process group. What only the client can see is reported
 * here: a program that exits or dies by a signal, garbage on stdout, an answer with a missing,
 * unknown or repeated id. Each fails the calls in flight (or, with none, the next call) and the
 * program is restarted for the following call.
 *
 * Options: {argv: [...]} runs a program directly, from the package root; argv[0] `$PYTHON` is
 * $CONVCHECK_PYTHON, else <root>/.venv/bin/python, else python3. {shell: "..."} runs a command
 * line through /bin/sh in the current directory. `options` (string → string) reach the program
 * as the JSON object in $CONVCHECK_OPTIONS.
 */
import { announceSpawned } from '../spawned.js';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { decodeTensor } from '../../src/case/case.js';
import type { Tensor } from '../../src/core/tensor.js';
import { toCaseJson } from '../../src/validate/adapter.js';
import { checkDeclaration } from '../../src/validate/declaration.js';
import { packageRoot } from '../root.js';
import { BackendFailure, Unsupported, type BackendInfo, type OracleBackend, type OracleCall } from '../types.js';

export interface ProcessOptions {
  readonly argv?: readonly string[];
  readonly shell?: string;
  /** Passed to the program as JSON in $CONVCHECK_OPTIONS. */
  readonly options?: Readonly<Record<string, string>>;
}

/** How many cases may be in flight at most, whatever the program asks for. */
const MAX_WINDOW = 4096;

export function pythonPath(root: string): string {
  const fromEnv = process.env['CONVCHECK_PYTHON'];
  if (fromEnv) return fromEnv;
  const venv = join(root, '.venv', 'bin', 'python');
  return existsSync(venv) ? venv : 'python3';
}

/** How a program ended; a shell reports a child's death by signal N as exit code 128 + N. */
function ended(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `program exited (${signal})`;
  const sig = code !== null && code > 128 ? Object.entries(constants.signals).find(([, n]) => n === code - 128)?.[0] : undefined;
  return `program exited (code ${code}${sig ? `: killed by ${sig}` : ''})`;
}

function clip(s: string, n = 200): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

type Waiter = { resolve: (t: Tensor) => void; reject: (e: Error) => void };

/** A call that was still waiting for the window when its program broke. */
class NotSent extends Error {}

/** One running program: its hello, its cases in flight, and how it ended. */
class Program {
  readonly info: BackendInfo;
  readonly window: number;
  private readonly inFlight = new Map<string, Waiter>();
  private readonly answered = new Set<string>();
  private readonly queue: Array<() => void> = [];
  /** Why this program can no longer be used; the next call after it restarts. */
  broken: string | undefined;
  /** A failure no call was waiting for: the next call reports it. */
  unclaimed: string | undefined;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    hello: { info: BackendInfo; window: number },
    private readonly lines: AsyncIterator<string>,
    private readonly stderrTail: () => string,
    private readonly closed: Promise<string>,
  ) {
    this.info = hello.info;
    this.window = hello.window;
    void this.readAnswers();
  }

  static async start(o: ProcessOptions): Promise<Program> {
    const root = packageRoot();
    const env = { ...process.env, CONVCHECK_OPTIONS: JSON.stringify(o.options ?? {}) };
    let child: ChildProcessWithoutNullStreams;
    let label: string;
    if (o.shell !== undefined) {
      label = o.shell;
      child = spawn('/bin/sh', ['-c', o.shell], { env, detached: true });
    } else if (o.argv && o.argv.length > 0) {
      const [first, ...rest] = o.argv;
      const cmd = first === '$PYTHON' ? pythonPath(root) : first!;
      label = [cmd, ...rest].join(' ');
      child = spawn(cmd, rest, { env, cwd: root, detached: true });
    } else throw new Error('process backend: options need argv (a list) or shell (a command line)');
    // This process group is killed along with the host, so a hung program never outlives it.
    if (child.pid !== undefined) announceSpawned(child.pid);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    const tail = () => (stderr.trim() ? `: ${clip(stderr.trim().split('\n').slice(-3).join(' | '), 600)}` : '');
    child.stdin.on('error', () => {}); // a dead program's stdin: its exit is what gets reported
    const spawnError = new Promise<string>((resolve) => child.once('error', (e) => resolve(`cannot start ${label}: ${e.message}`)));
    // 'close' comes after the program's stdio is drained, so the stderr tail is complete.
    const closed = new Promise<string>((resolve) => child.once('close', (code, signal) => resolve(ended(code, signal))));
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity })[Symbol.asyncIterator]();
    const first = lines.next().then((r) => (r.done ? undefined : r.value));
    const line = await Promise.race([first, spawnError.then((error) => ({ error }))]);
    if (line === undefined || typeof line === 'object') {
      const why = typeof line === 'object' ? line.error : await Promise.race([spawnError, closed.then((how) => `${how} before its hello line${tail()}`)]);
      killTree(child);
      throw new Error(why);
    }
    let hello;
    try {
      hello = parseHello(line);
    } catch (e) {
      killTree(child);
      throw e;
    }
    return new Program(child, hello, lines, tail, closed);
  }

  async run(call: OracleCall, id: string): Promise<Tensor> {
    if (this.inFlight.size >= this.window) await new Promise<void>((r) => this.queue.push(r));
    // Waiting for a place in the window when the program broke: never sent, so not this call's
    // failure; it goes to the restarted program.
    if (this.broken !== undefined) throw new NotSent();
    return new Promise<Tensor>((resolve, reject) => {
      this.inFlight.set(id, { resolve, reject });
      this.child.stdin.write(JSON.stringify({ id, ...toCaseJson(call) }) + '\n');
    });
  }

  private settle(id: string): Waiter | undefined {
    const w = this.inFlight.get(id);
    this.inFlight.delete(id);
    this.answered.add(id);
    this.queue.shift()?.();
    return w;
  }

  /** The program broke: fail every call in flight (or keep the reason for the next), stop it. */
  private fail(why: string): void {
    if (this.broken !== undefined) return;
    this.broken = why;
    if (this.inFlight.size === 0) this.unclaimed = why;
    for (const w of this.inFlight.values()) w.reject(new BackendFailure(why));
    this.inFlight.clear();
    for (const go of this.queue.splice(0)) go();
    killTree(this.child);
  }

  private async readAnswers(): Promise<void> {
    for (;;) {
      const r = await this.lines.next();
      if (r.done) break;
      this.answer(r.value);
      if (this.broken !== undefined) return;
    }
    // stdout closed: the program is ending; report how, with what it said on stderr.
    const how = await this.closed;
    this.fail(`${how}${this.stderrTail()}`);
  }

  private answer(line: string): void {
    if (line.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      this.fail(`garbage output (not a JSON line): ${JSON.stringify(clip(line))}`);
      return;
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return this.fail(`garbage output (not a JSON object): ${JSON.stringify(clip(line))}`);
    const o = v as Record<string, unknown>;
    if (typeof o['id'] !== 'string') return this.fail(`an answer without a string id: ${clip(line)}`);
    const id = o['id'];
    if (this.answered.has(id)) return this.fail(`answered case ${JSON.stringify(id)} twice`);
    if (!this.inFlight.has(id)) return this.fail(`answered case ${JSON.stringify(id)}, which was never sent`);
    const w = this.settle(id)!;
    if (typeof o['unsupported'] === 'string') w.reject(new Unsupported(o['unsupported']));
    else if (typeof o['error'] === 'string') w.reject(new Error(o['error']));
    else if ('shape' in o || 'data' in o) {
      try {
        w.resolve(decodeTensor(id, 'answer', { shape: o['shape'], data: o['data'] }));
      } catch (e) {
        w.reject(new BackendFailure(`malformed answer: ${(e as Error).message}`));
      }
    } else w.reject(new BackendFailure(`malformed answer for case ${JSON.stringify(id)}: needs shape and data, error, or unsupported: ${clip(line)}`));
  }

  async stop(): Promise<void> {
    this.child.stdin.end();
    const t = setTimeout(() => killTree(this.child), 2000);
    await this.closed;
    clearTimeout(t);
  }
}

function killTree(child: ChildProcessWithoutNullStreams): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** The hello line: a declaration, or `unavailable`, which makes the oracle UNAVAILABLE. */
export function parseHello(line: string): { info: BackendInfo; window: number } {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    throw new Error(`the first line is not a JSON hello: ${JSON.stringify(clip(line))}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`the hello must be a JSON object, got ${JSON.stringify(clip(line))}`);
  const o = v as Record<string, unknown>;
  if (o['convcheck'] !== 1) throw new Error(`the hello must start {"convcheck": 1, ...} (protocol version 1), got ${JSON.stringify(clip(line))}`);
  if (typeof o['unavailable'] === 'string') throw new Error(`unavailable: ${o['unavailable']}`);
  const info = checkDeclaration(o, 'hello');
  const w = o['window'] ?? 1;
  if (!Number.isInteger(w) || (w as number) < 1) throw new Error(`hello: window must be a positive integer, got ${JSON.stringify(w)}`);
  return { info, window: Math.min(w as number, MAX_WINDOW) };
}

export default async function create(o: ProcessOptions): Promise<OracleBackend> {
  let program = await Program.start(o);
  let restarting: Promise<Program> | undefined;
  let next = 0;
  const current = async (): Promise<Program> => {
    if (restarting) return restarting;
    if (program.broken === undefined) return program;
    const why = program.unclaimed;
    program.unclaimed = undefined;
    restarting = Program.start(o).catch((e: Error) => {
      throw new BackendFailure(`restarting the program after a failure: ${e.message}`);
    });
    try {
      program = await restarting;
    } finally {
      restarting = undefined;
    }
    if (why !== undefined) throw new BackendFailure(`${why} (after its last answer)`);
    return program;
  };
  return {
    name: program.info.name,
    describe: () => program.info,
    unsupported: () => undefined,
    async run(call) {
      for (;;) {
        const p = await current();
        try {
          return await p.run(call, `c${next++}`);
        } catch (e) {
          if (!(e instanceof NotSent)) throw e;
        }
      }
    },
    dispose: () => program.stop(),
    // Calls overlap up to the program's window; the program's answers carry their ids.
    concurrent: true,
  };
}
