/**
 * Test harness for the Python bridge (bridge/convcheck_bridge.py): spawns it, reads its hello,
 * and sends cases with ids, several in flight. This is NOT convcheck's protocol client (that is
 * oracles/process/backend.ts, with the isolation, timeouts and restarts); it exists so the tests
 * can drive the bridge itself, and it refuses to go on after any protocol surprise rather than
 * recovering from it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { OracleCall, OracleResult } from '../../oracles/types.js';
import type { Implementation, OpRef } from '../../properties/implementation.js';
import type { CaseJson } from '../../src/case/case.js';
import type { Framework } from '../../src/conventions/index.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BRIDGE = path.join(ROOT, 'bridge', 'convcheck_bridge.py');
export const VENV_PYTHON = path.join(ROOT, '.venv', 'bin', 'python');

/** The interpreter the oracles use: $CONVCHECK_PYTHON, else .venv (npm run setup), else python3. */
export function pythonPath(): string {
  return process.env['CONVCHECK_PYTHON'] ?? (existsSync(VENV_PYTHON) ? VENV_PYTHON : 'python3');
}

/** Whether the frameworks must be present: set up here (.venv), or an interpreter named explicitly. */
export const PYTHON_REQUIRED = existsSync(VENV_PYTHON) || process.env['CONVCHECK_PYTHON'] !== undefined;

export interface Hello {
  readonly convcheck: number;
  readonly name?: string;
  readonly framework?: Framework;
  readonly ops?: string[];
  readonly capabilities?: { dtypes?: string[] };
  readonly window?: number;
  readonly options?: Record<string, unknown>;
  readonly versions?: Record<string, string>;
  readonly unavailable?: string;
}

export type Answer = { id: string; shape: number[]; data: Array<number | string> } | { id: string; error: string } | { id: string; unsupported: string };

export class Bridge {
  private readonly waiting = new Map<string, (a: Answer) => void>();
  private next = 0;
  private closed: Promise<number | null>;
  stderr = '';

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly hello: Hello,
    lines: AsyncIterator<string>,
  ) {
    this.closed = new Promise((resolve) => child.on('close', (code) => resolve(code)));
    void this.pump(lines);
  }

  static async start(framework: string, extra: string[] = []): Promise<Bridge> {
    const child = spawn(pythonPath(), [BRIDGE, '--framework', framework, ...extra], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const first = await lines.next();
    if (first.done) throw new Error(`bridge --framework ${framework} printed no hello; stderr:\n${stderr}`);
    const b = new Bridge(child, JSON.parse(first.value) as Hello, lines);
    child.stderr.on('data', (d: Buffer) => (b.stderr += d.toString()));
    return b;
  }

  private async pump(lines: AsyncIterator<string>): Promise<void> {
    for (let l = await lines.next(); !l.done; l = await lines.next()) {
      const a = JSON.parse(l.value) as Answer;
      const done = this.waiting.get(a.id);
      if (!done) throw new Error(`bridge answered an id nobody asked for: ${l.value.slice(0, 200)}`);
      this.waiting.delete(a.id);
      done(a);
    }
  }

  /** Sends one case (its id replaced by a fresh one) and resolves with the answer. */
  send(c: Omit<CaseJson, 'id'> & { dtype?: string }): Promise<Answer> {
    const id = `c${this.next++}`;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.child.stdin.write(JSON.stringify({ ...c, id }) + '\n');
    });
  }

  /** Sends a raw line (for malformed-input tests). */
  sendRaw(line: string): void {
    this.child.stdin.write(line + '\n');
  }

  async close(): Promise<number | null> {
    this.child.stdin.end();
    return this.closed;
  }
}

/** The bridge as an Implementation, so properties can run on it (tests only). */
export function bridgeImpl(name: string, b: Bridge): Implementation {
  const fw = b.hello.framework!;
  const ops: OpRef[] = b.hello.ops!.map((op) => [fw, op] as const);
  return {
    name,
    ops,
    float64: b.hello.capabilities?.dtypes?.includes('float64') ?? false,
    run: async (call: OracleCall): Promise<OracleResult> => {
      const inputs = Object.fromEntries(Object.entries(call.inputs).map(([k, t]) => [k, { shape: [...t.shape], data: Array.from(t.data, jsonNumber) }]));
      const a = await b.send({ framework: call.framework, op: call.op, attrs: call.attrs as Record<string, unknown>, inputs, dtype: call.dtype });
      if ('error' in a) return { kind: 'rejected', error: a.error };
      if ('unsupported' in a) return { kind: 'unsupported', reason: a.unsupported };
      return { kind: 'value', shape: a.shape, data: Float64Array.from(a.data, Number) };
    },
  };
}

function jsonNumber(v: number): number | string {
  return Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : v;
}
