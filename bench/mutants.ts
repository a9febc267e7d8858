/**
 * The mutant zoo (test/mutants/): for each mutant, how fast `validate` catches it. Three seeds;
 * for each seed every mutant is run in turn (seeds outer, mutants inner), so the runs of one
 * mutant are spread over the whole benchmark and measured side by side with the others.
 *
 * Per mutant:
 *   caught by   the first failing property, its position in the suite's order, and how many of
 *               the seeds it was that property
 *   cases       cells[i].cases of that property (inputs it drew up to the failure), and the
 *               cases of all properties run up to it (cells[0..i])
 *   detect      wall time until validate reports the failure (earlier properties + the failing
 *               one, shrinking included); median of the seeds
 *   1st fail    the same without shrinking: earlier properties + the failing cell stopped at its
 *               first failing input; median of the seeds
 *   shrunk      total input elements in the shrunk counterexample's cases; median of the seeds
 *
 * Env: CONVCHECK_SEED (first seed, default 20261127), BENCH_MUTANTS (substring filter).
 */
import { MUTANTS } from '../test/mutants/index.js';
import { caseSize, detect, PROPERTY_ORDER, timeToFirstFailure, type Detection } from '../test/mutants/harness.js';
import { median } from './stats.js';

interface Sample {
  readonly detection: Detection;
  readonly firstFailMs: number;
}

const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);
const fmt = (x: number) => (!Number.isFinite(x) ? '—' : Number.isInteger(x) || x >= 100 ? x.toFixed(0) : x.toFixed(1));

async function main(): Promise<void> {
  const base = Number(process.env['CONVCHECK_SEED'] ?? 20261127);
  const seeds = [base, base + 1, base + 2];
  const filter = process.env['BENCH_MUTANTS'];
  const mutants = MUTANTS.filter((m) => !filter || m.file.includes(filter));
  const samples = new Map<string, Sample[]>(mutants.map((m) => [m.file, []]));
  const started = performance.now();
  for (const seed of seeds) {
    for (const m of mutants) {
      const detection = await detect(m.adapter, seed);
      let firstFailMs = NaN;
      if (detection.caught) {
        const before = detection.cells.slice(0, detection.index).reduce((t, c) => t + c.ms, 0);
        firstFailMs = before + (await timeToFirstFailure(m.adapter, detection.caught.property, seed)).ms;
      }
      samples.get(m.file)!.push({ detection, firstFailMs });
      process.stderr.write(`seed ${seed} ${m.file}: ${detection.caught ? `${detection.caught.property} after ${detection.caught.cases} cases, ${detection.ms.toFixed(0)} ms` : 'NOT CAUGHT'}\n`);
    }
  }

  const header = ['mutant', 'caught by (#/11, seeds)', 'cases', 'cases ≤i', 'detect ms', '1st fail ms', 'shrunk'];
  const widths = [34, 30, 6, 9, 10, 12, 7];
  const line = (cols: string[]) => cols.map((c, i) => (i < 2 ? pad(c, widths[i]!) : lpad(c, widths[i]!))).join('  ');
  const rows: string[] = [];
  const med = { cases: [] as number[], total: [] as number[], ms: [] as number[], first: [] as number[], size: [] as number[] };
  let missed = 0;
  for (const m of mutants) {
    const ss = samples.get(m.file)!;
    const caught = ss.filter((s) => s.detection.caught);
    missed += ss.length - caught.length;
    const byProp = new Map<string, number>();
    for (const s of caught) byProp.set(s.detection.caught!.property, (byProp.get(s.detection.caught!.property) ?? 0) + 1);
    const props = [...byProp.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([p, n]) => `${p} #${PROPERTY_ORDER.indexOf(p) + 1}${byProp.size > 1 || n < ss.length ? ` ×${n}` : ''}`)
      .join(', ');
    const cases = median(caught.map((s) => s.detection.caught!.cases));
    const total = median(caught.map((s) => s.detection.cells.reduce((t, c) => t + c.cases, 0)));
    const ms = median(caught.map((s) => s.detection.ms));
    const first = median(caught.map((s) => s.firstFailMs));
    const size = median(caught.map((s) => caseSize(s.detection.caught!.failure?.cases ?? [])));
    if (caught.length) {
      med.cases.push(cases);
      med.total.push(total);
      med.ms.push(ms);
      med.first.push(first);
      med.size.push(size);
    }
    const miss = caught.length < ss.length ? ` (missed ×${ss.length - caught.length})` : '';
    rows.push(line([m.file, (props || 'NOT CAUGHT') + miss, fmt(cases), fmt(total), fmt(ms), fmt(first), fmt(size)]));
  }
  const out = process.stdout;
  out.write(`mutants: ${mutants.length}, seeds ${seeds.join(', ')}, validate runs 200, budget 20 s (${Math.floor(20000 / PROPERTY_ORDER.length)} ms per property)\n`);
  out.write(`property order: ${PROPERTY_ORDER.map((p, i) => `${i + 1} ${p}`).join(', ')}\n\n`);
  out.write(line(header) + '\n');
  out.write(widths.map((w) => '-'.repeat(w)).join('  ') + '\n');
  for (const r of rows) out.write(r + '\n');
  out.write(widths.map((w) => '-'.repeat(w)).join('  ') + '\n');
  out.write(line(['median over mutants', '', fmt(median(med.cases)), fmt(median(med.total)), fmt(median(med.ms)), fmt(median(med.first)), fmt(median(med.size))]) + '\n');
  out.write(`\n${missed === 0 ? 'every mutant caught with every seed' : `${missed} mutant × seed runs NOT caught`}; benchmark took ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  if (missed > 0) process.exitCode = 1;
}

void main();
