/**
 * `convcheck run`: the main job.
 */
import cliProgress from 'cli-progress';
import { DEFAULT_ORACLES, ORACLE_NAMES } from '../../oracles/registry.js';
import { PROPERTIES } from '../../properties/index.js';
import { defaultJobs, runSuite, type CellResult, type RunOptions } from '../runner/run.js';
import { failureReport, knownReport, lenientReport, summaryTable } from '../runner/table.js';
import { defaultSeed, parseShard } from '../runner/seeds.js';
import { buildReport } from '../runner/report.js';
import { parseReportFormats, writeReports, type ReportFormat } from '../report/index.js';
import { invocation } from './package.js';
import { parseSizeOptions, type SizeOptions } from '../generators/sizes.js';
import { overallPrecision, parsePrecision, precisionReport, type PrecisionMode } from '../runner/precision.js';

/** `--dtype` checked: the 16-bit dtypes generated cases may take. */
export function dtypeOption(s: string): 'float16' | 'bfloat16' {
  if (s === 'float16' || s === 'bfloat16') return s;
  throw new UsageError(`--dtype must be float16 or bfloat16 (float32 and float64 cases are drawn by default), got ${JSON.stringify(s)}`);
}

/** `--precision` checked, or a usage error. */
export function precisionOption(s: string | undefined): PrecisionMode | undefined {
  if (s === undefined) return undefined;
  try {
    return parsePrecision(s);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
import { machineLine } from '../machine.js';
import { loadKnownOption } from './known.js';

export interface RunArgs extends SearchArgs {
  oracles?: string;
  properties?: string;
  runs?: string;
  seed?: string;
  timeBudget?: string;
  shard?: string;
  path?: string;
  regressions?: string | false;
  strict?: boolean;
  jobs?: string;
  timeout?: string;
}

/** The options `run` and `validate` share: generated sizes, precision, dtype, known findings, reports. */
export interface SearchArgs {
  report?: string;
  out?: string;
  sizes?: string;
  maxSpatial?: string;
  maxChannels?: string;
  maxKernel?: string;
  precision?: string;
  dtype?: string;
  known?: string[];
  inFlight?: string;
  hosts?: string;
}

/**
 * --timeout: a positive duration of at most a day (the host watchdog is a Node timer, which
 * fires at once past 2³¹ ms, and a browser oracle's watchdog is a multiple of the timeout).
 */
export function callTimeout(s: string): number {
  const ms = parseDuration(s, '--timeout');
  if (!(ms > 0)) throw new UsageError(`--timeout must be positive, got ${JSON.stringify(s)}`);
  if (ms > 86_400_000) throw new UsageError(`--timeout must be at most 24h, got ${JSON.stringify(s)}`);
  return ms;
}

/** `90s`, `2m`, `1500ms` or a plain number of seconds; `name` is the option, for the message. */
export function parseDuration(s: string, name = '--time-budget'): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(s.trim());
  if (!m) throw new UsageError(`${name} must look like 90s, 2m, 8h or 1500ms, got ${JSON.stringify(s)}`);
  const v = Number(m[1]);
  return m[2] === 'ms' ? v : m[2] === 'h' ? v * 3_600_000 : m[2] === 'm' ? v * 60_000 : v * 1000;
}

/** A time budget: positive (a budget of 0 ran nothing and said `budget 0s`). */
export function budgetOption(s: string, name = '--time-budget'): number {
  const ms = parseDuration(s, name);
  if (!(ms > 0)) throw new UsageError(`${name} must be positive, got ${JSON.stringify(s)}`);
  return ms;
}

export class UsageError extends Error {}

/** `--sizes` and the explicit size limits of run and validate. */
export function sizeArgs(a: { sizes?: string; maxSpatial?: string; maxChannels?: string; maxKernel?: string }): SizeOptions {
  try {
    return parseSizeOptions(a);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/**
 * --seed: an integer that survives as written (`""` was seed 0, and 20 digits lost precision, so
 * the printed seed did not replay what was asked for).
 */
export function seedOption(s: string): number {
  const n = /^-?\d{1,15}$/.test(s.trim()) ? Number(s) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`--seed must be an integer of at most 15 digits, got ${JSON.stringify(s)}`);
  return n;
}

export function positiveInt(name: string, s: string): number {
  const n = /^\d{1,15}$/.test(s.trim()) ? Number(s) : NaN;
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a positive integer, got ${JSON.stringify(s)}`);
  return n;
}

/**
 * --hosts: processes per oracle, at most two per core (each is a Node process with a runtime
 * loaded, a browser or a Python program; more than the cores can run only compete).
 */
export function hostsOption(s: string): number {
  const n = positiveInt('--hosts', s);
  const most = 2 * defaultJobs();
  if (n > most) throw new UsageError(`--hosts must be at most ${most} (two per core), got ${n}`);
  return n;
}

function names(kind: string, s: string | undefined, all: readonly string[], dflt: readonly string[]): string[] {
  if (s === undefined) return [...dflt];
  const xs = s.split(',').map((x) => x.trim()).filter(Boolean);
  // `--oracles ,` ran nothing and exited 0, which a CI job would take for a pass.
  if (xs.length === 0) throw new UsageError(`--${kind === 'oracle' ? 'oracles' : 'properties'} names none (known: ${all.join(', ')})`);
  for (const x of xs) if (!all.includes(x)) throw new UsageError(`unknown ${kind} ${JSON.stringify(x)} (known: ${all.join(', ')})`);
  return xs;
}

export function runOptions(a: RunArgs): RunOptions {
  const seed = a.seed !== undefined ? seedOption(a.seed) : defaultSeed();
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
    timeBudgetMs: budgetOption(a.timeBudget ?? '120s'),
    shard,
    regressionsDir: a.regressions === false ? null : (a.regressions ?? 'regressions'),
    ...(a.path !== undefined ? { path: a.path } : {}),
    ...(a.strict ? { strict: true } : {}),
    sizes: sizeArgs(a),
    ...(a.precision !== undefined ? { precision: precisionOption(a.precision)! } : {}),
    ...(a.dtype !== undefined ? { dtype: dtypeOption(a.dtype) } : {}),
    known: loadKnownOption(a.known),
    ...(a.inFlight !== undefined ? { inFlight: positiveInt('--in-flight', a.inFlight) } : {}),
    ...(a.jobs !== undefined ? { jobs: positiveInt('--jobs', a.jobs) } : {}),
    ...(a.hosts !== undefined ? { hosts: hostsOption(a.hosts) } : {}),
    ...(a.timeout !== undefined ? { timeoutMs: callTimeout(a.timeout) } : {}),
  };
}

/** --report json,junit,html with --out (a file for one format, else a directory); undefined without --report. */
export function reportFormats(a: { report?: string; out?: string }): ReportFormat[] | undefined {
  if (a.report === undefined) return undefined;
  let formats: ReportFormat[];
  try {
    formats = parseReportFormats(a.report);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (!a.out) throw new UsageError(`--report needs --out (a file for one format, a directory for several)`);
  return formats;
}

/** Runs the suite with progress on stderr and the report on stdout; returns the exit code. */
export async function runCommand(a: RunArgs): Promise<number> {
  const o = runOptions(a);
  const started = new Date();
  const formats = reportFormats(a);
  const err = process.stderr;
  err.write(
    `convcheck run: seed ${o.seed}${o.shard.count > 1 ? `, shard ${o.shard.index}/${o.shard.count}` : ''}, oracles ${o.oracles.join(',')}, ` +
      `${o.properties.length} properties, up to ${o.runs} runs each, budget ${(o.timeBudgetMs / 1000).toFixed(0)}s\n` +
      `machine: ${machineLine()}\n`,
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
  const lenient = lenientReport(cells);
  if (lenient) out.write('\n' + lenient + '\n');
  const failed = cells.filter((c) => c.failed > 0);
  for (const c of failed) out.write('\n' + failureReport(c) + '\n');
  const nondeterministic = cells.reduce((s, c) => s + c.nondeterministic, 0);
  const unavailable = [...new Set(cells.filter((c) => c.status === 'unavailable').map((c) => c.oracle))];
  const total = cells.reduce((s, c) => s + c.cases, 0);
  out.write(
    `\n${total} cases, ${failed.length} cell(s) with new failures (${nondeterministic} nondeterministic), ${cells.reduce((s, c) => s + c.known, 0)} in known findings` +
      `${unavailable.length ? `, UNAVAILABLE: ${unavailable.join(', ')}` : ''}; seed ${o.seed}\n`,
  );
  out.write('\n' + precisionReport(cells) + '\n');
  if (formats && a.out) {
    const report = buildReport('run', cells, { seed: o.seed, shard: `${o.shard.index}/${o.shard.count}`, startedAt: started, commandLine: invocation() });
    for (const path of writeReports(formats, report, a.out)) err.write(`report: ${path}\n`);
  }
  // auto: some profile met is success, none is failure.
  if (o.precision === 'auto') return (overallPrecision(cells) ?? 'none') === 'none' ? 1 : 0;
  return failed.length > 0 ? 1 : 0;
}
