/**
 * `convcheck merge REPORT.json...`: the shards of one run as one report. Prints the merged
 * table and writes --report formats; exit 1 when the merged run has new failures (so a CI job
 * fails on them), 2 for unreadable or mismatched reports or a missing shard (unless --partial).
 */
import { mergeReports, MergeError, readReport } from '../report/merge.js';
import type { CellResult } from '../runner/run.js';
import { summaryTable } from '../runner/table.js';
import { overallPrecision, precisionReport } from '../runner/precision.js';
import { writeReports } from '../report/index.js';
import type { CellReport } from '../runner/report.js';
import { invocation } from './package.js';
import { reportFormats, UsageError } from './run.js';

export interface MergeArgs {
  report?: string;
  out?: string;
  partial?: boolean;
}

const asResult = (c: CellReport): CellResult => ({ ...c, knownIds: new Set(c.knownIds) }) as CellResult;

export function mergeCommand(paths: readonly string[], a: MergeArgs, out: (s: string) => void, err: (s: string) => void): number {
  const formats = reportFormats(a);
  let merged;
  try {
    merged = mergeReports(paths.map((path) => ({ path, report: readReport(path) })), invocation());
  } catch (e) {
    if (e instanceof MergeError) throw new UsageError(e.message);
    throw e;
  }
  const { report, missing } = merged;
  const count = report.shards?.length ? Number(report.shard.split('/')[1]) : 1;
  if (missing.length && !a.partial) {
    throw new UsageError(`missing shard(s) ${missing.map((i) => `${i}/${count}`).join(', ')}: the merge would not cover the run (--partial merges anyway)`);
  }
  out(summaryTable(report.cells.map(asResult)));
  // Each distinct failure the shards found, with the command that replays it.
  for (const c of report.cells) {
    for (const f of c.failures ?? (c.failure ? [c.failure, ...(c.moreFailures ?? [])] : [])) {
      out(`\nnew  ${c.oracle} · ${c.property}: ${f.message}${f.replay ? `\n  replay: ${f.replay.command}` : ''}`);
    }
  }
  const failures = report.cells.reduce((s, c) => s + c.failed, 0);
  out(
    `\nmerged ${paths.length} report(s), shards ${report.shards?.join(', ')}: ${report.totals.cases} cases, ${failures} failing case(s) in ${report.totals.failed} cell(s) with new failures, ` +
      `${report.totals.known} in known findings; seed ${report.seed}${missing.length ? `; MISSING shard(s) ${missing.join(', ')} of ${count}` : ''}`,
  );
  const cells = report.cells.map(asResult);
  if (cells.some((c) => c.precision)) out('\n' + precisionReport(cells));
  if (formats && a.out) for (const path of writeReports(formats, report, a.out)) err(`report: ${path}`);
  // As run exits: with --precision auto, 1 when no profile was met.
  if (cells.some((c) => c.precision?.mode === 'auto')) return (overallPrecision(cells) ?? 'none') === 'none' ? 1 : 0;
  return report.totals.failed > 0 ? 1 : 0;
}
