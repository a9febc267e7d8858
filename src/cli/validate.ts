/**
 * `convcheck validate --impl PATH`: every applicable property against a user's adapter.
 */
import { PROPERTIES } from '../../properties/index.js';
import { buildReport } from '../runner/report.js';
import { defaultSeed } from '../runner/seeds.js';
import { summaryTable } from '../runner/table.js';
import { writeReports } from '../report/index.js';
import { invocation } from './package.js';
import { AdapterError, loadAdapter } from '../validate/adapter.js';
import { validate } from '../validate/validate.js';
import { parseDuration, reportFormats, UsageError } from './run.js';
import type { Regression } from '../runner/regressions.js';
import { formatFailure } from '../testing/format.js';

export interface ValidateArgs {
  impl: string;
  runs?: string;
  seed?: string;
  timeBudget?: string;
  properties?: string;
  path?: string;
  report?: string;
  out?: string;
}

function printFailure(f: Regression): void {
  process.stdout.write(`\n${formatFailure(f)}\n`);
}

export async function validateCommand(a: ValidateArgs): Promise<number> {
  const formats = reportFormats(a);
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
    },
    { onCell: (c, done) => process.stderr.write(`[${done}/${properties.length}] ${c.property}: ${c.cases} cases, ${c.failed} failed\n`) },
  );
  process.stdout.write('\n' + summaryTable(v.cells) + '\n');
  for (const c of v.cells) if (c.failure) printFailure(c.failure);
  if (formats && a.out) {
    const report = buildReport('validate', v.cells, {
      seed,
      shard: '1/1',
      startedAt: started,
      implementation: { name: adapter.name, path: a.impl, framework: adapter.framework, ops: adapter.ops },
      commandLine: invocation(),
    });
    for (const path of writeReports(formats, report, a.out)) process.stderr.write(`report: ${path}\n`);
  }
  process.stdout.write(`\n${v.ok ? 'all properties hold' : 'FAILED'} for ${adapter.name}; seed ${seed}\n`);
  return v.ok ? 0 : 1;
}
