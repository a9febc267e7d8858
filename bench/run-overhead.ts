/**
 * Harness overhead: cases/s of the differential property through `convcheck run`'s machinery
 * (generation, out-of-process oracle, reference, tolerance model) against a raw loop of the same
 * onnxruntime calls in process, on the same cases. Medians of 3, side by side.
 */
import fc from 'fast-check';
import createOrt from '../oracles/ort/backend.js';
import { parseCase } from '../src/case/case.js';
import { anyCaseArb } from '../src/generators/cases.js';
import { runSuite } from '../src/runner/run.js';
import { median, timeIt } from './stats.js';

async function main(): Promise<void> {
  const n = Number(process.env['BENCH_CASES'] ?? 1000);
  const seed = 7;
  const calls = fc.sample(anyCaseArb([['onnx', 'Conv'], ['onnx', 'ConvTranspose']]), { numRuns: n, seed }).map((c) => parseCase(c, 'bench'));
  const ort = await createOrt({});
  const raw = await timeIt(3, async () => {
    for (const c of calls) {
      try {
        await ort.run(c);
      } catch {
        // rejected calls cost what they cost
      }
    }
  });
  let cases = 0;
  const harness = await timeIt(3, async () => {
    const cells = await runSuite({ oracles: ['ort'], properties: ['differential'], runs: n, seed, timeBudgetMs: 600_000, shard: { index: 1, count: 1 }, regressionsDir: null });
    cases = cells[0]!.cases;
  });
  await ort.dispose?.();
  const r = n / (median(raw) / 1000);
  const h = cases / (median(harness) / 1000);
  console.log(`onnx Conv/ConvTranspose, ${n} cases`);
  console.log(`  raw in-process ORT loop      ${Math.round(r)} cases/s`);
  console.log(`  convcheck run (differential) ${Math.round(h)} cases/s (${cases} cases per run, host start-up included)`);
  console.log(`  harness / raw = ${(h / r).toFixed(2)}x of the raw rate`);
}

void main();
