/**
 * `convcheck validate --impl PATH | --cmd "COMMAND LINE"`: every applicable property against a
 * user's implementation, run out of process (src/validate/isolated.ts).
 */
import { PROPERTIES } from '../../properties/index.js';
import { buildReport } from '../runner/report.js';
import { defaultSeed } from '../runner/seeds.js';
import { lenientReport, summaryTable } from '../runner/table.js';
import { writeReports } from '../report/index.js';
import { invocation } from './package.js';
import { AdapterError } from '../validate/adapter.js';
import type { ImplSource } from '../validate/isolated.js';
import { validate } from '../validate/validate.js';
import { budgetOption, callTimeout, dtypeOption, hostsOption, positiveInt, seedOption, precisionOption, reportFormats, sizeArgs, UsageError, type SearchArgs } from './run.js';
import { overallPrecision, precisionReport } from '../runner/precision.js';
import { loadKnownOption } from './known.js';
import type { Regression } from '../runner/regressions.js';
import { formatFailure } from '../testing/format.js';
import { escapeControls } from '../core/errors.js';

export interface ValidateArgs extends SearchArgs {
  impl?: string;
  browser?: boolean;
  cmd?: string;
  implOption?: string[];
  timeout?: string;
  strict?: boolean;
  runs?: string;
  seed?: string;
  timeBudget?: string;
  properties?: string;
  path?: string;
}

function printFailure(f: Regression): void {
  // The adapter's messages and names are user text: escape control characters for the terminal.
  process.stdout.write(escapeControls(`\n${formatFailure(f)}\n`));
}

/** A word for /bin/sh: single-quoted unless it is plainly safe. */
export function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `--impl-option k=v` values as an object; a repeated key is a usage error. */
export function parseImplOptions(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new UsageError(`--impl-option must look like key=value, got ${JSON.stringify(kv)}`);
    const k = kv.slice(0, i);
    if (Object.hasOwn(out, k)) throw new UsageError(`--impl-option ${k} is given twice`);
    out[k] = kv.slice(i + 1);
  }
  return out;
}

export async function validateCommand(a: ValidateArgs): Promise<number> {
  if ((a.impl === undefined) === (a.cmd === undefined)) throw new UsageError('give exactly one of --impl PATH (an adapter module) or --cmd "COMMAND LINE" (a program on the process protocol)');
  const formats = reportFormats(a);
  const seed = a.seed !== undefined ? seedOption(a.seed) : defaultSeed();
  const runs = Number(a.runs ?? '200');
  if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs must be a positive integer, got ${JSON.stringify(a.runs)}`);
  const all = PROPERTIES.map((p) => p.name);
  const properties = a.properties ? a.properties.split(',').map((s) => s.trim()) : all;
  for (const p of properties) if (!all.includes(p)) throw new UsageError(`unknown property ${JSON.stringify(p)} (known: ${all.join(', ')})`);
  if (a.path !== undefined && properties.length !== 1) throw new UsageError('--path replays one counterexample: give exactly one --properties');
  const precision = precisionOption(a.precision);
  const timeoutMs = callTimeout(a.timeout ?? '30s');
  const implOptions = a.implOption ?? [];
  const options = parseImplOptions(implOptions);
  if (a.browser && a.impl === undefined) throw new UsageError('--browser loads an adapter module in the browser: give it with --impl PATH');
  const source: ImplSource = a.impl !== undefined ? { module: a.impl, options, ...(a.browser ? { browser: true } : {}) } : { command: a.cmd!, options };
  const where = a.impl !== undefined ? `${a.browser ? '--browser ' : ''}--impl ${shellWord(a.impl)}` : `--cmd ${shellWord(a.cmd!)}`;
  const replayBase = ['convcheck validate', where, ...implOptions.map((kv) => `--impl-option ${shellWord(kv)}`), ...(a.timeout ? [`--timeout ${shellWord(a.timeout)}`] : [])].join(' ');
  const started = new Date();
  let declared: { name: string; framework: string; ops: readonly string[] } | undefined;
  let v;
  try {
    v = await validate(
      source,
      {
        runs,
        seed,
        timeBudgetMs: budgetOption(a.timeBudget ?? '60s'),
        properties,
        timeoutMs,
        ...(a.strict ? { strict: true } : {}),
        ...(a.path !== undefined ? { path: a.path } : {}),
        replayBase,
        sizes: sizeArgs(a),
        ...(precision ? { precision } : {}),
        ...(a.dtype !== undefined ? { dtype: dtypeOption(a.dtype) } : {}),
        known: loadKnownOption(a.known),
        ...(a.inFlight !== undefined ? { inFlight: positiveInt('--in-flight', a.inFlight) } : {}),
        ...(a.hosts !== undefined ? { hosts: hostsOption(a.hosts) } : {}),
      },
      {
        onImplementation: (d) => {
          declared = d;
          process.stderr.write(escapeControls(`convcheck validate: ${d.name} (${d.framework}: ${d.ops.join(', ')}), seed ${seed}\n`));
        },
        onCell: (c, done) => process.stderr.write(`[${done}/${properties.length}] ${c.property}: ${c.cases} cases, ${c.failed} failed${c.lenient ? `, ${c.lenient} lenient` : ''}\n`),
      },
    );
  } catch (e) {
    if (e instanceof AdapterError) throw new UsageError(e.message);
    throw e;
  }
  process.stdout.write('\n' + summaryTable(v.cells) + '\n');
  const lenient = lenientReport(v.cells);
  if (lenient) process.stdout.write('\n' + lenient + '\n');
  for (const c of v.cells) if (c.failure) printFailure(c.failure);
  for (const p of v.problems) if (!/: failed$/.test(p)) process.stdout.write(`\nPROBLEM ${p}\n`);
  if (formats && a.out) {
    const report = buildReport('validate', v.cells, {
      seed,
      shard: '1/1',
      startedAt: started,
      implementation: { name: v.name, path: a.impl ?? a.cmd!, framework: declared?.framework ?? '', ops: declared?.ops ?? [] },
      commandLine: invocation(),
    });
    for (const path of writeReports(formats, report, a.out)) process.stderr.write(`report: ${path}\n`);
  }
  process.stdout.write('\n' + precisionReport(v.cells) + '\n');
  process.stdout.write(escapeControls(`\n${v.ok ? 'all properties hold' : 'FAILED'} for ${v.name}${precision && precision !== 'auto' ? ` under ${precision}` : ''}; seed ${seed}\n`));
  // auto: some profile met is success, none is failure.
  if (precision === 'auto') return (overallPrecision(v.cells) ?? 'none') === 'none' ? 1 : 0;
  return v.ok ? 0 : 1;
}
