/**
 * `convcheck eval` throughput: 10,000 small random cases (all frameworks and ops, fixed seed)
 * written to a .jsonl file, evaluated in one process. Prints the median time of 5 in-process
 * passes, cases/s, and the ratio to merely parsing the same file (the floor any tool pays).
 */
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evalSource } from '../src/cli/eval.js';
import { anyCaseArb } from '../src/generators/cases.js';
import { median, ms, timeIt } from './stats.js';

async function main(): Promise<void> {
  const n = Number(process.env['BENCH_CASES'] ?? 10_000);
  const dir = mkdtempSync(join(tmpdir(), 'convcheck-bench-'));
  const file = join(dir, 'cases.jsonl');
  const cases = fc.sample(anyCaseArb(), { numRuns: n, seed: 42 });
  writeFileSync(file, cases.map((c, i) => JSON.stringify({ id: `c${i}`, ...c })).join('\n') + '\n');
  const elements = cases.reduce((s, c) => s + Object.values(c.inputs).reduce((t, x) => t + x.data.length, 0), 0);

  let lines = 0;
  const evalTimes = await timeIt(5, async () => {
    lines = 0;
    await evalSource(file, () => lines++, () => {});
  });
  const parseTimes = await timeIt(5, () => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)));
  // One full CLI process, as a user runs it (includes Node start-up and printing).
  const cli = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'src', 'cli', 'main.js');
  const procTimes = await timeIt(3, () => execFileSync(process.execPath, [cli, 'eval', file], { maxBuffer: 1 << 30 }));

  const e = median(evalTimes);
  const p = median(parseTimes);
  console.log(`${n} cases (${(elements / n).toFixed(0)} input values per case on average), ${lines} results`);
  console.log(`  eval in process     median ${ms(e)}  (${Math.round(n / (e / 1000))} cases/s)`);
  console.log(`  JSON parse only     median ${ms(p)}`);
  console.log(`  convcheck eval CLI  median ${ms(median(procTimes))} (whole process)`);
  console.log(`  eval / parse-only = ${(e / p).toFixed(1)}x`);
}

void main();
