/**
 * `convcheck validate --impl PATH`: every applicable property against a user's adapter.
 */
import { PROPERTIES } from '../../properties/index.js';
import { buildReport } from '../runner/report.js';
import { defaultSeed } from '../runner/seeds.js';
import { summaryTable } from '../runner/table.js';
import { writeReport } from '../report/index.js';
import { AdapterError, loadAdapter } from '../validate/adapter.js';
import { validate } from '../validate/validate.js';
import { parseDuration, UsageError } from './run.js';
import { loadKnownOption } from './known.js';
import type { Regression } from '../runner/regressions.js';

export interface ValidateArgs {
  impl: string;
  runs?: string;
  seed?: string;
  timeBudget?: string;
  properties?: string;
  path?: string;
  report?: string;
  out?: string;
  known?: string[];
}

const FORMATS = ['json', 'junit', 'html'] as const;

function preview(t: { shape: number[]; data: Array<number | string> } | undefined, at: number): string {
  if (!t) return '';
  const lo = Math.max(0, at - 3);
  const vals = t.data.slice(lo, lo + 8).join(', ');
  return `[${t.shape.join(',')}] …[${lo}..]: ${vals}${t.data.length > lo + 8 ? ', …' : ''}`;
}

function printFailure(f: Regression): void {
  const w = process.stdout;
  w.write(`\nFAIL ${f.property}: ${f.message}\n`);
  if (f.ratio !== undefined) w.write(`  error over bound: ${f.ratio.toPrecision(3)}\n`);
  const idx = /element (\d+)|output\[(\d+)\]/.exec(f.message);
  const at = idx ? Number(idx[1] ?? idx[2]) : 0;
  if (f.expected) w.write(`  expected ${preview(f.expected, at)}\n`);
  if (f.actual) w.write(`  actual   ${preview(f.actual, at)}\n`);
  for (const c of f.cases) w.write(`  case: ${JSON.stringify(c)}\n`);
  if (f.replay) w.write(`  replay: ${f.replay.command}\n`);
}

export async function validateCommand(a: ValidateArgs): Promise<number> {
  if (a.report !== undefined && !FORMATS.includes(a.report as never)) throw new UsageError(`--report must be one of ${FORMATS.join(', ')}, got ${JSON.stringify(a.report)}`);
  if (a.report !== undefined && !a.out) throw new UsageError('--report needs --out FILE');
  const seed = a.seed !== undefined ? Number(a.seed) : defaultSeed();
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got ${JSON.stringify(a.seed)}`);
  const runs = Number(a.runs ?? '200');
  if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs must be a positive integer, got ${JSON.stringify(a.runs)}`);
  const all = PROPERTIES.map((p) => p.name);
  const properties = a.properties ? a.properties.split(',').map((s) => s.trim()) : all;
  for (const p of properties) if (!all.includes(p)) throw new UsageError(`unknown property ${JSON.stringify(p)} (known: ${all.join(', ')})`);
  if (a.path !== undefined && properties.length !== 1) throw new UsageError('--path replays one counterexample: give exactly one --properties');
  let adapter;
  try {
    adapter = await loadAdapter(a.impl);
  } catch (e) {
    if (e instanceof AdapterError) throw new UsageError(e.message);
    throw e;
  }
  const started = new Date();
  process.stderr.write(`convcheck validate: ${adapter.name} (${adapter.framework}: ${adapter.ops.join(', ')}), seed ${seed}\n`);
  const v = await validate(
    adapter,
    {
      runs,
      seed,
      timeBudgetMs: parseDuration(a.timeBudget ?? '60s'),
      properties,
      ...(a.path !== undefined ? { path: a.path } : {}),
      replayBase: `convcheck validate --impl ${a.impl}`,
      known: loadKnownOption(a.known),
    },
    { onCell: (c, done) => process.stderr.write(`[${done}/${properties.length}] ${c.property}: ${c.cases} cases, ${c.failed} failed\n`) },
  );
  process.stdout.write('\n' + summaryTable(v.cells) + '\n');
  for (const c of v.cells) if (c.failure) printFailure(c.failure);
  if (a.report && a.out) {
    const report = buildReport('validate', v.cells, {
      seed,
      shard: '1/1',
      startedAt: started,
      implementation: { name: adapter.name, path: a.impl, framework: adapter.framework, ops: adapter.ops },
    });
    writeReport(a.report as (typeof FORMATS)[number], report, a.out);
    process.stderr.write(`report: ${a.out}\n`);
  }
  process.stdout.write(`\n${v.ok ? 'all properties hold' : 'FAILED'} for ${adapter.name}; seed ${seed}\n`);
  return v.ok ? 0 : 1;
}
