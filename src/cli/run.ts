/**
 * `convcheck run`: the main job.
 */
import cliProgress from 'cli-progress';
import { DEFAULT_ORACLES, ORACLE_NAMES } from '../../oracles/registry.js';
import { PROPERTIES } from '../../properties/index.js';
import { runSuite, type CellResult, type RunOptions } from '../runner/run.js';
import { failureReport, knownReport, summaryTable } from '../runner/table.js';
import { defaultSeed, parseShard } from '../runner/seeds.js';
import { buildReport } from '../runner/report.js';
import { REPORT_FORMATS, writeReport } from '../report/index.js';

export interface RunArgs {
  oracles?: string;
  properties?: string;
  runs?: string;
  seed?: string;
  timeBudget?: string;
  shard?: string;
  path?: string;
  regressions?: string | false;
  report?: string;
  out?: string;
}

/** `90s`, `2m`, `1500ms` or a plain number of seconds. */
export function parseDuration(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(s.trim());
  if (!m) throw new UsageError(`--time-budget must look like 90s, 2m or 1500ms, got ${JSON.stringify(s)}`);
  const v = Number(m[1]);
  return m[2] === 'ms' ? v : m[2] === 'm' ? v * 60_000 : v * 1000;
}

export class UsageError extends Error {}

function positiveInt(name: string, s: string): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a positive integer, got ${JSON.stringify(s)}`);
  return n;
}

function names(kind: string, s: string | undefined, all: readonly string[], dflt: readonly string[]): string[] {
  if (s === undefined) return [...dflt];
  const xs = s.split(',').map((x) => x.trim()).filter(Boolean);
  for (const x of xs) if (!all.includes(x)) throw new UsageError(`unknown ${kind} ${JSON.stringify(x)} (known: ${all.join(', ')})`);
  return xs;
}

export function runOptions(a: RunArgs): RunOptions {
  const seed = a.seed !== undefined ? Number(a.seed) : defaultSeed();
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got ${JSON.stringify(a.seed)}`);
  let shard;
  try {
    shard = a.shard ? parseShard(a.shard) : { index: 1, count: 1 };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const oracles = names('oracle', a.oracles, ['reference', ...ORACLE_NAMES], DEFAULT_ORACLES);
  const properties = names('property', a.properties, PROPERTIES.map((p) => p.name), PROPERTIES.map((p) => p.name));
  if (a.path !== undefined && (oracles.length !== 1 || properties.length !== 1)) {
    throw new UsageError('--path replays one counterexample: give exactly one --oracles and one --properties');
  }
  return {
    oracles,
    properties,
    runs: positiveInt('--runs', a.runs ?? '200'),
    seed,
    timeBudgetMs: parseDuration(a.timeBudget ?? '120s'),
    shard,
    regressionsDir: a.regressions === false ? null : (a.regressions ?? 'regressions'),
    ...(a.path !== undefined ? { path: a.path } : {}),
  };
}

/** Runs the suite with progress on stderr and the report on stdout; returns the exit code. */
export async function runCommand(a: RunArgs): Promise<number> {
  const o = runOptions(a);
  const started = new Date();
  if (a.report !== undefined && !(REPORT_FORMATS as readonly string[]).includes(a.report)) throw new UsageError(`--report must be one of ${REPORT_FORMATS.join(', ')}, got ${JSON.stringify(a.report)}`);
  if (a.report !== undefined && !a.out) throw new UsageError('--report needs --out FILE');
  const err = process.stderr;
  err.write(
    `convcheck run: seed ${o.seed}${o.shard.count > 1 ? `, shard ${o.shard.index}/${o.shard.count}` : ''}, oracles ${o.oracles.join(',')}, ` +
      `${o.properties.length} properties, up to ${o.runs} runs each, budget ${(o.timeBudgetMs / 1000).toFixed(0)}s\n`,
  );
  const tty = Boolean(err.isTTY);
  const bar = tty ? new cliProgress.SingleBar({ format: ' {bar} {value}/{total} cells | {cell}', stream: err, hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
  const cells: CellResult[] = await runSuite(o, {
    onStart: (n) => bar?.start(n, 0, { cell: 'starting oracles' }),
    onOracle: (name, unavailable) => {
      if (unavailable) {
        const msg = `\n!!! oracle ${name} is UNAVAILABLE: ${unavailable}\n!!! its cells are skipped; the rest of the run goes on.\n`;
        if (bar) bar.update({ cell: `${name} unavailable` });
        err.write(msg);
      }
    },
    onCell: (c, done) => {
      const text = `${c.oracle} · ${c.property}: ${c.cases} cases, ${c.failed} failed, ${c.known} known (${(c.ms / 1000).toFixed(1)}s)`;
      if (bar) bar.update(done, { cell: text });
      else err.write(`[${done}] ${text}\n`);
    },
  });
  bar?.stop();
  const out = process.stdout;
  out.write('\n' + summaryTable(cells) + '\n');
  const known = knownReport(cells);
  if (known) out.write('\n' + known + '\n');
  const failed = cells.filter((c) => c.failed > 0);
  for (const c of failed) out.write('\n' + failureReport(c) + '\n');
  const unavailable = [...new Set(cells.filter((c) => c.status === 'unavailable').map((c) => c.oracle))];
  const total = cells.reduce((s, c) => s + c.cases, 0);
  out.write(
    `\n${total} cases, ${failed.length} new failure(s), ${cells.reduce((s, c) => s + c.known, 0)} in known findings` +
      `${unavailable.length ? `, UNAVAILABLE: ${unavailable.join(', ')}` : ''}; seed ${o.seed}\n`,
  );
  if (a.report && a.out) {
    writeReport(a.report as (typeof REPORT_FORMATS)[number], buildReport('run', cells, { seed: o.seed, shard: `${o.shard.index}/${o.shard.count}`, startedAt: started }), a.out);
    err.write(`report: ${a.out}\n`);
  }
  return failed.length > 0 ? 1 : 0;
}
