/**
 * Throughput of the Python bridge (bridge/convcheck_bridge.py, --framework torch), side by side on
 * the same generated torch cases:
 *   1. a raw Python loop of the same torch.nn.functional calls, tensors prebuilt (bench/python_loop.py);
 *   2. the bridge alone: every case piped to it at once, all answers read (JSON + torch + JSON);
 *   3. `convcheck run --oracles torch --properties differential` (generation, the out-of-process
 *      oracle host, the protocol client, the reference and the tolerance model).
 * Rates 2 and 3 exclude start-up (Python and torch import, seconds): timed from the bridge's hello,
 * and on an oracle already open.
 * Medians of 3. Needs `npm run setup` (.venv with torch).
 *
 * `run` keeps 16 cases in flight and the oracle host passes them to the bridge up to its window,
 * so the round trips (parent -> oracle host -> bridge and back) overlap each other and the
 * reference; the README quotes the figures of one run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { pythonPath } from '../oracles/process/backend.js';
import { packageRoot } from '../oracles/root.js';
import { anyCaseArb } from '../src/generators/cases.js';
import { openImplementation } from '../src/runner/implementations.js';
import { runImplementation } from '../src/runner/run.js';
import { median, timeIt } from './stats.js';

const TORCH_OPS = ['conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d'].map((op) => ['torch', op] as const);

function python(args: string[], input?: string): string {
  const r = spawnSync(pythonPath(packageRoot()), args, { cwd: packageRoot(), input, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return r.stdout;
}

/** Cases/s of the bridge fed every case at once, timed from its hello to its last answer. */
async function bridgeRate(jsonl: string, n: number): Promise<number> {
  const child = spawn(pythonPath(packageRoot()), ['bridge/convcheck_bridge.py', '--framework', 'torch'], { cwd: packageRoot(), stdio: ['pipe', 'pipe', 'ignore'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const hello = await lines.next();
  if (hello.done || JSON.parse(hello.value).unavailable) throw new Error(`the torch bridge did not start: ${hello.value ?? ''}`);
  const t = performance.now();
  child.stdin.end(jsonl);
  let answers = 0;
  for (let l = await lines.next(); !l.done; l = await lines.next()) answers++;
  const ms = performance.now() - t;
  if (answers !== n) throw new Error(`the bridge answered ${answers} of ${n} cases`);
  return n / (ms / 1000);
}

async function main(): Promise<void> {
  const n = Number(process.env['BENCH_CASES'] ?? 2000);
  const seed = 7;
  // Cases of every torch op from the generators (the differential property draws its own, from the same generators).
  const cases = fc.sample(anyCaseArb(TORCH_OPS), { numRuns: n, seed }).map((c, i) => ({ ...c, id: `b${i}`, dtype: c.dtype ?? 'float32' }));
  const dir = mkdtempSync(path.join(tmpdir(), 'convcheck-bench-'));
  const file = path.join(dir, 'cases.jsonl');
  const jsonl = cases.map((c) => JSON.stringify(c)).join('\n') + '\n';
  writeFileSync(file, jsonl);

  const loop = JSON.parse(python(['bench/python_loop.py', file, '3'])) as { cases: number; ms: number[] };
  const raw = loop.cases / (median(loop.ms) / 1000);

  // Start-up (Python + torch import: seconds, and noisy) is left out of both rates below: the
  // clock starts once the program has said hello / the oracle is open.
  const rates: number[] = [];
  for (let i = 0; i < 3; i++) rates.push(await bridgeRate(jsonl, n));
  const alone = median(rates);

  const opened = await openImplementation('torch', 60_000);
  if (!opened.impl) throw new Error(`torch oracle unavailable: ${opened.unavailable}`);
  let ran = 0;
  const run = median(
    await timeIt(3, async () => {
      const cells = await runImplementation({ properties: ['differential'], runs: n, seed, timeBudgetMs: 600_000, shard: { index: 1, count: 1 }, regressionsDir: null }, opened.impl!);
      ran = cells[0]!.cases;
    }),
  );
  await opened.close();
  const steady = ran / (run / 1000);

  console.log(`torch.nn.functional conv/conv_transpose 1-3-D, ${n} generated cases (seed ${seed}), medians of 3`);
  console.log(`  raw Python loop (tensors prebuilt)          ${Math.round(raw)} cases/s`);
  console.log(`  bridge alone (JSON in, torch, JSON out)     ${Math.round(alone)} cases/s  (start-up excluded)`);
  console.log(`  convcheck run --oracles torch, differential ${Math.round(steady)} cases/s  (start-up excluded; ${ran} cases)`);
  console.log(`  run / raw = ${(steady / raw).toFixed(3)}`);
}

void main().catch((e: unknown) => {
  console.error(`bench:python: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
