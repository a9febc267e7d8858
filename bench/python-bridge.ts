/**
 * Throughput of the Python bridge (bridge/convcheck_bridge.py, --framework torch), side by side on
 * the same generated torch cases:
 *   1. a raw Python loop of the same torch.nn.functional calls, tensors prebuilt (bench/python_loop.py);
 *   2. the bridge alone: every case piped to it at once, all answers read (JSON + torch + JSON);
 *   3. `convcheck run --oracles torch --properties differential` (generation, the out-of-process
 *      oracle host, the protocol client, the reference and the tolerance model).
 * Rates 2 and 3 exclude start-up: each is the difference between n cases and n/5 cases.
 * Medians of 3. Needs `npm run setup` (.venv with torch).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { pythonPath } from '../oracles/process/backend.js';
import { packageRoot } from '../oracles/root.js';
import { anyCaseArb } from '../src/generators/cases.js';
import { runSuite } from '../src/runner/run.js';
import { median, timeIt } from './stats.js';

const TORCH_OPS = ['conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d'].map((op) => ['torch', op] as const);

function python(args: string[], input?: string): string {
  const r = spawnSync(pythonPath(packageRoot()), args, { cwd: packageRoot(), input, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return r.stdout;
}

async function main(): Promise<void> {
  const n = Number(process.env['BENCH_CASES'] ?? 2000);
  const seed = 7;
  // What the differential property draws for torch: the same arbitrary, the same seed.
  const cases = fc.sample(anyCaseArb(TORCH_OPS), { numRuns: n, seed }).map((c, i) => ({ ...c, id: `b${i}`, dtype: c.dtype ?? 'float32' }));
  const dir = mkdtempSync(path.join(tmpdir(), 'convcheck-bench-'));
  const file = path.join(dir, 'cases.jsonl');
  const jsonl = cases.map((c) => JSON.stringify(c)).join('\n') + '\n';
  writeFileSync(file, jsonl);

  const loop = JSON.parse(python(['bench/python_loop.py', file, '3'])) as { cases: number; ms: number[] };
  const raw = loop.cases / (median(loop.ms) / 1000);

  // Start-up (Python + torch import, seconds) would swamp the per-case cost and varies from run
  // to run, so each rate is the difference of two runs: all n cases and the first n/5.
  const small = Math.floor(n / 5);
  const bridge = ['bridge/convcheck_bridge.py', '--framework', 'torch'];
  const pipeAll = median(await timeIt(3, () => python(bridge, jsonl)));
  const pipeSmall = median(await timeIt(3, () => python(bridge, cases.slice(0, small).map((c) => JSON.stringify(c)).join('\n') + '\n')));
  const alone = (n - small) / ((pipeAll - pipeSmall) / 1000);

  const counted = { n: 0 };
  const runOf = (runs: number) => async () => {
    const cells = await runSuite({ oracles: ['torch'], properties: ['differential'], runs, seed, timeBudgetMs: 600_000, shard: { index: 1, count: 1 }, regressionsDir: null });
    if (cells[0]!.status !== 'ran') throw new Error(`torch: ${cells[0]!.status} ${cells[0]!.note ?? ''}`);
    counted.n = cells[0]!.cases;
  };
  const runAll = median(await timeIt(3, runOf(n)));
  const ranAll = counted.n;
  const runSmall = median(await timeIt(3, runOf(small)));
  const ranSmall = counted.n;
  const steady = (ranAll - ranSmall) / ((runAll - runSmall) / 1000);
  const withStart = ranAll / (runAll / 1000);

  console.log(`torch.nn.functional conv/conv_transpose 1-3-D, ${n} generated cases (seed ${seed}), medians of 3`);
  console.log(`  raw Python loop (tensors prebuilt)          ${Math.round(raw)} cases/s`);
  console.log(`  bridge alone (JSON in, torch, JSON out)     ${Math.round(alone)} cases/s  (start-up excluded)`);
  console.log(`  convcheck run --oracles torch, differential ${Math.round(steady)} cases/s  (start-up excluded; ${Math.round(withStart)} cases/s for a whole run of ${ranAll} cases)`);
  console.log(`  run / raw = ${(steady / raw).toFixed(3)}`);
}

void main().catch((e: unknown) => {
  console.error(`bench:python: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
