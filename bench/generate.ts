/**
 * Case generation speed: small random cases of every op (the default `--sizes small`), drawn
 * with fast-check as a run draws them. Prints µs per case (wall and CPU) for small and large.
 */
import fc from 'fast-check';
import { anyCaseArb } from '../src/generators/cases.js';

function perCase(sizes: 'small' | 'large', n: number): { wall: number; cpu: number } {
  const arb = anyCaseArb(undefined, { sizes });
  fc.sample(arb, { numRuns: 200, seed: 1 }); // warm up
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fc.sample(arb, { numRuns: n, seed: 2 });
  const c = process.cpuUsage(c0);
  return { wall: ((performance.now() - t0) * 1000) / n, cpu: (c.user + c.system) / n };
}

const n = Number(process.env['BENCH_CASES'] ?? 5000);
for (const sizes of ['small', 'large'] as const) {
  const r = perCase(sizes, sizes === 'small' ? n : Math.ceil(n / 10));
  console.log(`--sizes ${sizes}: ${r.wall.toFixed(0)} µs per case (wall), ${r.cpu.toFixed(0)} µs CPU`);
}
