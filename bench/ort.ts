/**
 * ORT session cache: on one stream of generated onnx Conv/ConvTranspose calls (a `convcheck run`
 * cell's diet), cases/s, the cache hit rate and the time per call, for ORT's default graph
 * optimisation against none, and for the cache sizes. A fresh backend per configuration, the
 * stream run once (cold: what a cell sees). Side by side in one process.
 */
import fc from 'fast-check';
import createOrt, { type OrtOptions } from '../oracles/ort/backend.js';
import { parseCase } from '../src/case/case.js';
import { anyCaseArb } from '../src/generators/cases.js';

export interface OrtFigure {
  readonly label: string;
  /** Cases per CPU second of this process. */
  readonly casesPerSecond: number;
  readonly hitRate: number;
  readonly sessionsCreated: number;
}

export async function ortFigures(n: number, configs: ReadonlyArray<[string, OrtOptions]>): Promise<OrtFigure[]> {
  const calls = fc.sample(anyCaseArb([['onnx', 'Conv'], ['onnx', 'ConvTranspose']]), { numRuns: n, seed: 7 }).map((c) => parseCase(c, 'bench'));
  const out: OrtFigure[] = [];
  for (const [label, options] of configs) {
    const ort = await createOrt(options);
    const cpu = process.cpuUsage();
    for (const c of calls) {
      if (ort.unsupported(c)) continue;
      try {
        await ort.run(c);
      } catch {
        // a refused call costs what it costs
      }
    }
    // CPU time, not wall time: the machine is shared, and ORT runs on this thread (1 intra-op thread).
    const used = process.cpuUsage(cpu);
    const s = (used.user + used.system) / 1e6;
    const st = ort.stats();
    out.push({ label, casesPerSecond: n / s, hitRate: st.cacheHits / Math.max(1, st.cacheHits + st.sessionsCreated), sessionsCreated: st.sessionsCreated });
    await ort.dispose();
  }
  return out;
}

export const ORT_CONFIGS: ReadonlyArray<[string, OrtOptions]> = [
  ['before: optimisation all, 64 sessions', { graphOptimizationLevel: 'all', maxSessions: 64 }],
  ['optimisation disabled, 64 sessions', { graphOptimizationLevel: 'disabled', maxSessions: 64 }],
  ['now: optimisation disabled, default cache', {}],
];

async function main(): Promise<void> {
  const n = Number(process.env['BENCH_CASES'] ?? 2000);
  console.log(`ORT sessions: ${n} generated onnx Conv/ConvTranspose calls, one cold pass each`);
  for (const f of await ortFigures(n, ORT_CONFIGS)) {
    console.log(`  ${f.label.padEnd(44)} ${Math.round(f.casesPerSecond)} cases per CPU s, hit rate ${(100 * f.hitRate).toFixed(1)}% (${f.sessionsCreated} sessions created)`);
  }
}

if (process.argv[1]?.endsWith('ort.js')) void main();
