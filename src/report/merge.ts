/**
 * Merging the JSON reports of the shards of one run (`convcheck run --shard i/n --report json`)
 * into one report: per oracle × property, the cases and outcomes of every shard added up, the
 * known findings hit in any shard, and every shard's failure kept. The merge covers exactly what
 * the shards covered; it refuses reports of different runs (seed, command, shard count,
 * implementation), a shard given twice, and, unless allowed, a missing shard.
 */
import { readFileSync } from 'node:fs';
import type { CellReport, RunReport } from '../runner/report.js';
import { totalsOf } from '../runner/report.js';
import type { Regression } from '../runner/regressions.js';
import type { ProfileName } from '../../properties/precision/profiles.js';
import type { CellPrecision, ProfileStats } from '../runner/precision.js';

export class MergeError extends Error {}

/** Reads one shard's JSON report, refusing anything that is not one, with the file's name. */
export function readReport(path: string): RunReport {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ? (e as Error).message : `not JSON (${(e as Error).message})`;
    throw new MergeError(`${path}: ${why}`);
  }
  const r = v as Partial<RunReport> | null;
  if (!r || typeof r !== 'object' || r.tool !== 'convcheck') throw new MergeError(`${path}: not a convcheck JSON report (no "tool": "convcheck")`);
  if (r.command !== 'run' && r.command !== 'validate') throw new MergeError(`${path}: "command" must be run or validate, got ${JSON.stringify(r.command)}`);
  if (!Array.isArray(r.cells)) throw new MergeError(`${path}: "cells" must be a list`);
  if (typeof r.seed !== 'number' || typeof r.shard !== 'string' || typeof r.startedAt !== 'string') throw new MergeError(`${path}: "seed", "shard" and "startedAt" are required`);
  for (const [i, c] of r.cells.entries()) {
    for (const k of ['cases', 'passed', 'failed', 'known', 'unsupported', 'ms'] as const) {
      if (typeof c?.[k] !== 'number' || !(c[k] >= 0)) throw new MergeError(`${path}: cells[${i}].${k} must be a non-negative number`);
    }
    if (typeof c.oracle !== 'string' || typeof c.property !== 'string' || !Array.isArray(c.knownIds)) throw new MergeError(`${path}: cells[${i}] needs oracle, property and knownIds`);
  }
  return r as RunReport;
}

function parseShard(s: string, path: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(s);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new MergeError(`${path}: shard ${JSON.stringify(s)} is not i/n (a merged report cannot be merged again)`);
  return { index: Number(m[1]), count: Number(m[2]) };
}

/**
 * The precision summary of one cell from several runs of it (a cell in one shard keeps its own).
 * Counts add up and the largest error / bound is the largest; a median is not made of medians, so
 * a cell that several streams ran has none (null), and with auto the tightest profile met is
 * found again from the summed failures.
 */
export function mergePrecision(parts: ReadonlyArray<CellPrecision | undefined>): CellPrecision | undefined {
  const ps = parts.filter((p): p is CellPrecision => p !== undefined);
  if (ps.length <= 1) return ps[0];
  const mode = ps[0]!.mode;
  const profiles = ps[0]!.profiles.map((first, i): ProfileStats => {
    const all = ps.map((p) => p.profiles[i] ?? { ...first, judged: 0, failed: 0, exact: 0, median: null, max: null });
    const maxes = all.map((s) => s.max).filter((m): m is number => m !== null);
    return {
      profile: first.profile,
      judged: all.reduce((n, s) => n + s.judged, 0),
      failed: all.reduce((n, s) => n + s.failed, 0),
      exact: all.reduce((n, s) => n + s.exact, 0),
      median: null,
      max: maxes.length ? Math.max(...maxes) : null,
    };
  });
  if (mode !== 'auto') return { mode, profiles };
  const met = profiles.find((s) => s.failed === 0);
  return { mode, profiles, meets: met ? (met.profile as ProfileName) : 'none' };
}

/** One cell from the same cell of several runs (shards, or a campaign's rounds): counts added up. */
export function mergeCells(group: ReadonlyArray<{ cell: CellReport; shard: string }>): CellReport {
  const first = group[0]!.cell;
  const statuses = group.map((g) => g.cell.status);
  const status: CellReport['status'] = statuses.includes('ran') ? 'ran' : statuses.includes('unavailable') ? 'unavailable' : 'not-applicable';
  const notes = [...new Set(group.filter((g) => g.cell.note).map((g) => (g.cell.status === status ? g.cell.note! : `shard ${g.shard}: ${g.cell.status}: ${g.cell.note}`)))];
  // A cell lists all its failures in `failures` (the first is `failure`); older merged reports
  // have only `failure` and `moreFailures`.
  const failures: Regression[] = group.flatMap((g) => g.cell.failures ?? [...(g.cell.failure ? [g.cell.failure] : []), ...(g.cell.moreFailures ?? [])]);
  const sum = (k: 'cases' | 'passed' | 'failed' | 'known' | 'unsupported' | 'ms') => group.reduce((s, g) => s + g.cell[k], 0);
  const precision = mergePrecision(group.map((g) => g.cell.precision));
  return {
    oracle: first.oracle,
    property: first.property,
    status,
    cases: sum('cases'),
    passed: sum('passed'),
    failed: sum('failed'),
    known: sum('known'),
    unsupported: sum('unsupported'),
    // Reports from before the lenient column count none.
    lenient: group.reduce((s, g) => s + (g.cell.lenient ?? 0), 0),
    ...(group.find((g) => g.cell.lenientExample) ? { lenientExample: group.find((g) => g.cell.lenientExample)!.cell.lenientExample! } : {}),
    knownIds: [...new Set(group.flatMap((g) => g.cell.knownIds))].sort(),
    ms: sum('ms'),
    ...(notes.length ? { note: notes.join('; ') } : {}),
    ...(failures.length ? { failure: failures[0]! } : {}),
    ...(failures.length > 1 ? { moreFailures: failures.slice(1), failures } : {}),
    ...(precision ? { precision } : {}),
  };
}

export interface Merged {
  readonly report: RunReport;
  /** Shard indices of 1..n that no report covered. */
  readonly missing: number[];
}

/** Merges shard reports (given with the paths they came from, for messages). */
export function mergeReports(inputs: ReadonlyArray<{ path: string; report: RunReport }>, commandLine?: string): Merged {
  if (inputs.length === 0) throw new MergeError('no reports to merge');
  const base = inputs[0]!;
  const shards = inputs.map(({ path, report }) => ({ path, report, ...parseShard(report.shard, path) }));
  const count = shards[0]!.count;
  const seen = new Map<number, string>();
  for (const s of shards) {
    const differ = (what: string, a: unknown, b: unknown) => new MergeError(`${s.path} and ${base.path} come from different runs: ${what} ${JSON.stringify(b)} vs ${JSON.stringify(a)}`);
    if (s.report.seed !== base.report.seed) throw differ('seed', base.report.seed, s.report.seed);
    if (s.report.command !== base.report.command) throw differ('command', base.report.command, s.report.command);
    if (s.count !== count) throw differ('shard count', count, s.count);
    if (JSON.stringify(s.report.implementation ?? null) !== JSON.stringify(base.report.implementation ?? null)) throw differ('implementation', base.report.implementation, s.report.implementation);
    const dup = seen.get(s.index);
    if (dup !== undefined) throw new MergeError(`shard ${s.index}/${count} is given twice: ${dup} and ${s.path}`);
    seen.set(s.index, s.path);
  }
  shards.sort((a, b) => a.index - b.index);

  const groups = new Map<string, Array<{ cell: CellReport; shard: string }>>();
  for (const s of shards) {
    for (const cell of s.report.cells) {
      const key = `${cell.oracle}\u0000${cell.property}`;
      const g = groups.get(key);
      if (g) g.push({ cell, shard: s.report.shard });
      else groups.set(key, [{ cell, shard: s.report.shard }]);
    }
  }
  const cells = [...groups.values()].map(mergeCells);
  const known = new Map<string, RunReport['knownFindings'][number]>();
  for (const s of shards) for (const k of s.report.knownFindings ?? []) if (!known.has(k.id)) known.set(k.id, k);
  const starts = shards.map((s) => Date.parse(s.report.startedAt));
  const ends = shards.map((s, i) => starts[i]! + (s.report.durationMs ?? 0));
  const start = Math.min(...starts);
  const indices = shards.map((s) => s.index);
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  const report: RunReport = {
    tool: 'convcheck',
    command: base.report.command,
    ...(commandLine ? { commandLine } : {}),
    ...(base.report.implementation ? { implementation: base.report.implementation } : {}),
    seed: base.report.seed,
    shard: missing.length === 0 && count > 1 ? `1-${count}/${count}` : `${indices.join(',')}/${count}`,
    shards: shards.map((s) => s.report.shard),
    startedAt: new Date(start).toISOString(),
    durationMs: Math.max(...ends) - start,
    cells,
    knownFindings: [...known.values()],
    totals: totalsOf(cells),
  };
  return { report, missing };
}
