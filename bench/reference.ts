/**
 * The reference's speed and costs, each as a ratio measured side by side in one run:
 *   - convcheck's reference vs torch float64 on one thread (python3 + torch, bench/torch_conv.py),
 *     on three large torch cases, interleaved, medians of BENCH_REPS (default 5); CPU time is the
 *     headline (the machine is shared: wall time carries other processes' load), wall time shown;
 *   - the fast path vs the plain path (the specification), same cases;
 *   - value + error-bound magnitude in one pass vs the value alone;
 *   - the ORT oracle's session-cache hit rate and cases per CPU second (bench/ort.ts);
 *   - eval peak memory per input element on a 10⁷-element case (bench/memory.ts; BENCH_MEMORY=0 skips).
 * Both sides compute the same integer-valued data, so their output sums must agree exactly.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { lower, reference, referenceWithMagnitude, type ConvCall } from '../src/conventions/index.js';
import { convInLayout, type ReferencePath } from '../src/core/reference.js';
import { ortFigures, ORT_CONFIGS } from './ort.js';
import { memoryFigure, printMemory } from './memory.js';
import { median } from './stats.js';

interface Case {
  readonly name: string;
  readonly op: string;
  readonly x: readonly number[];
  readonly w: readonly number[];
  readonly attrs: Record<string, unknown>;
}

export const CASES: readonly Case[] = [
  { name: 'conv2d [8,32,64,64]×[64,32,3,3] p1', op: 'conv2d', x: [8, 32, 64, 64], w: [64, 32, 3, 3], attrs: { padding: 1 } },
  { name: 'conv_transpose2d [8,64,32,32]×[64,32,4,4] s2 p1', op: 'conv_transpose2d', x: [8, 64, 32, 32], w: [64, 32, 4, 4], attrs: { stride: 2, padding: 1 } },
  { name: 'conv3d [2,16,16,32,32]×[32,16,3,3,3] p1', op: 'conv3d', x: [2, 16, 16, 32, 32], w: [32, 16, 3, 3, 3], attrs: { padding: 1 } },
];

/** Same pattern as torch_conv.py: ((i·mul) mod m) − off, small integers. */
function pattern(shape: readonly number[], mul: number, mod: number, off: number): Float64Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = Number((BigInt(i) * BigInt(mul)) % BigInt(mod)) - off;
  return d;
}

function callOf(c: Case): ConvCall {
  return {
    framework: 'torch',
    op: c.op,
    attrs: c.attrs,
    inputs: { input: { shape: c.x, data: pattern(c.x, 7919, 13, 6) }, weight: { shape: c.w, data: pattern(c.w, 104729, 11, 5) } },
  };
}

interface Time {
  readonly cpu: number;
  readonly wall: number;
}

function timed<T>(f: () => T): { t: Time; value: T } {
  const c = process.cpuUsage();
  const w = performance.now();
  const value = f();
  const u = process.cpuUsage(c);
  return { t: { cpu: (u.user + u.system) / 1e6, wall: (performance.now() - w) / 1000 }, value };
}

/** The torch side: one python process answering one request per line. */
class Torch {
  private readonly lines: AsyncIterator<string>;
  private constructor(private readonly proc: ReturnType<typeof spawn>) {
    this.lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  }

  static async start(): Promise<{ torch: Torch; version: string } | { error: string }> {
    const script = fileURLToPath(new URL('../../bench/torch_conv.py', import.meta.url));
    const proc = spawn('python3', [script], { stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const t = new Torch(proc);
    const first = await t.lines.next();
    if (first.done) return { error: `python3 torch_conv.py: ${err.trim().split('\n').pop() ?? 'no output'}` };
    const ready = JSON.parse(first.value) as { ready: string; threads: number };
    return { torch: t, version: `torch ${ready.ready}, ${ready.threads} thread` };
  }

  async run(c: Case): Promise<Time & { sum: number }> {
    this.proc.stdin!.write(JSON.stringify({ op: c.op, x: c.x, w: c.w, attrs: c.attrs }) + '\n');
    const r = await this.lines.next();
    if (r.done) throw new Error('torch_conv.py exited');
    return JSON.parse(r.value) as Time & { sum: number };
  }

  stop(): void {
    this.proc.stdin!.end();
  }
}

function runPath(call: ConvCall, path: ReferencePath) {
  const l = lower(call);
  return convInLayout(l.op, l.lhs, l.rhs, l.spec, l.layout, path);
}

const sum = (d: Float64Array) => d.reduce((a, b) => a + b, 0);
const fmt = (t: Time) => `${(t.cpu * 1000).toFixed(0)} ms cpu / ${(t.wall * 1000).toFixed(0)} ms wall`;
const med = (ts: readonly Time[]): Time => ({ cpu: median(ts.map((t) => t.cpu)), wall: median(ts.map((t) => t.wall)) });
const geo = (xs: readonly number[]) => Math.exp(xs.reduce((a, b) => a + Math.log(b), 0) / xs.length);

async function main(): Promise<void> {
  const reps = Number(process.env['BENCH_REPS'] ?? 5);
  const plainReps = Number(process.env['BENCH_PLAIN_REPS'] ?? 2);
  const started = await Torch.start();
  const torch = 'torch' in started ? started.torch : undefined;
  console.log(`reference vs ${'torch' in started ? started.version : `torch (unavailable: ${started.error})`}; ${reps} interleaved reps, medians`);
  const vsTorch: Time[] = [];
  const vsPlain: number[] = [];
  for (const c of CASES) {
    const call = callOf(c);
    const ours: Time[] = [];
    const theirs: Time[] = [];
    const fused: Time[] = [];
    let agree = true;
    for (let i = 0; i < reps; i++) {
      const r = timed(() => reference(call));
      ours.push(r.t);
      fused.push(timed(() => referenceWithMagnitude(call)).t);
      if (torch) {
        const t = await torch.run(c);
        theirs.push(t);
        agree &&= t.sum === sum(r.value.data);
      }
    }
    const plain: Time[] = [];
    for (let i = 0; i < plainReps; i++) plain.push(timed(() => runPath(call, 'plain')).t);
    const o = med(ours);
    const p = med(plain);
    const f = med(fused);
    console.log(`${c.name}`);
    console.log(`  reference (fast path)       ${fmt(o)}`);
    if (plainReps > 0) console.log(`  plain path (specification)  ${fmt(p)}   fast / plain speed: ${(p.cpu / o.cpu).toFixed(1)}x`);
    console.log(`  value + bound magnitude     ${fmt(f)}   cost vs value alone: ${(f.cpu / o.cpu).toFixed(2)}x (before: 2 full runs)`);
    if (plainReps > 0) vsPlain.push(p.cpu / o.cpu);
    if (torch) {
      const t = med(theirs);
      console.log(`  torch float64, 1 thread     ${fmt(t)}   reference / torch speed: ${(t.cpu / o.cpu).toFixed(2)}x cpu, ${(t.wall / o.wall).toFixed(2)}x wall; sums ${agree ? 'agree exactly' : 'DIFFER'}`);
      vsTorch.push({ cpu: t.cpu / o.cpu, wall: t.wall / o.wall });
    }
  }
  torch?.stop();
  if (vsTorch.length) {
    console.log(`geometric mean, reference / torch float64 one thread: ${geo(vsTorch.map((v) => v.cpu)).toFixed(2)}x (cpu time), ${geo(vsTorch.map((v) => v.wall)).toFixed(2)}x (wall)`);
  }
  if (vsPlain.length) console.log(`geometric mean, fast / plain path: ${geo(vsPlain).toFixed(1)}x`);

  const n = Number(process.env['BENCH_ORT_CASES'] ?? 1000);
  console.log(`ORT sessions, ${n} generated onnx Conv/ConvTranspose calls, one cold pass each (cases per CPU second)`);
  for (const f of await ortFigures(n, ORT_CONFIGS)) {
    console.log(`  ${f.label.padEnd(44)} ${Math.round(f.casesPerSecond)} cases/s, cache hit rate ${(100 * f.hitRate).toFixed(1)}% (${f.sessionsCreated} sessions created)`);
  }
  if (process.env['BENCH_MEMORY'] !== '0') printMemory(memoryFigure());
}

void main();
