/**
 * The machine-readable record of a run or a validation: what `--report json` writes, and what
 * the junit and html renderers read.
 */
import { KNOWN, type KnownFinding } from '../../oracles/known.js';
import { machine, type Machine } from '../machine.js';
import type { CellResult } from './run.js';
import type { Regression } from './regressions.js';
import type { CaseJson } from '../case/case.js';
import { overallPrecision, type CellPrecision } from './precision.js';

export interface CellReport {
  readonly oracle: string;
  readonly property: string;
  readonly status: CellResult['status'];
  readonly cases: number;
  readonly passed: number;
  readonly failed: number;
  readonly known: number;
  readonly unsupported: number;
  /** Calls the convention rejects that were accepted with a well-formed answer (not a failure unless --strict). */
  readonly lenient: number;
  readonly lenientExample?: { readonly message: string; readonly cases: readonly CaseJson[] };
  readonly knownIds: string[];
  readonly ms: number;
  readonly note?: string;
  readonly failure?: Regression;
  /** A merged report: the failures other shards found in this cell, after `failure`. */
  readonly moreFailures?: readonly Regression[];
  /** error / bound (median, max) per profile judged, and with --precision auto the tightest met. */
  readonly precision?: CellPrecision;
  /** Every distinct failure of the cell (the first is `failure`). */
  readonly failures?: readonly Regression[];
  readonly nondeterministic?: number;
}

export interface RunReport {
  readonly tool: 'convcheck';
  readonly command: 'run' | 'validate';
  /** The command line as typed (arguments shell-quoted), for the report's header. */
  readonly commandLine?: string;
  /** validate: the adapter's name and module path. */
  readonly implementation?: { readonly name: string; readonly path: string; readonly framework: string; readonly ops: readonly string[] };
  readonly seed: number;
  readonly shard: string;
  /** A merged report: the shards it combines, in order. */
  readonly shards?: readonly string[];
  readonly startedAt: string;
  readonly durationMs: number;
  /** Where the verdicts were reached: CPU, ISA flags, OS, Node, library versions, oneDNN. */
  readonly machine?: Machine;
  readonly cells: readonly CellReport[];
  readonly knownFindings: ReadonlyArray<{ readonly id: string; readonly summary: string; readonly upstream?: string }>;
  readonly totals: { readonly cases: number; readonly failed: number; readonly known: number; readonly unsupported: number; readonly lenient: number; readonly nondeterministic: number };
  /** --precision: the mode, and with auto the tightest profile every cell met ('none' if none). */
  readonly precision?: { readonly mode: string; readonly meets?: string };
}

export function buildReport(
  command: RunReport['command'],
  cells: readonly CellResult[],
  meta: { seed: number; shard: string; startedAt: Date; implementation?: RunReport['implementation']; commandLine?: string; known?: readonly KnownFinding[] },
): RunReport {
  const ids = new Set(cells.flatMap((c) => [...c.knownIds]));
  return {
    tool: 'convcheck',
    command,
    ...(meta.commandLine ? { commandLine: meta.commandLine } : {}),
    ...(meta.implementation ? { implementation: meta.implementation } : {}),
    seed: meta.seed,
    shard: meta.shard,
    startedAt: meta.startedAt.toISOString(),
    durationMs: Date.now() - meta.startedAt.getTime(),
    machine: machine(),
    cells: cells.map((c) => ({
      oracle: c.oracle,
      property: c.property,
      status: c.status,
      cases: c.cases,
      passed: c.passed,
      failed: c.failed,
      known: c.known,
      unsupported: c.unsupported,
      lenient: c.lenient,
      ...(c.lenientExample ? { lenientExample: c.lenientExample } : {}),
      knownIds: [...c.knownIds],
      ms: c.ms,
      ...(c.note ? { note: c.note } : {}),
      ...(c.failure ? { failure: c.failure } : {}),
      ...(c.precision ? { precision: c.precision } : {}),
      ...(c.failures.length > 1 ? { failures: c.failures } : {}),
      ...(c.nondeterministic ? { nondeterministic: c.nondeterministic } : {}),
    })),
    knownFindings: (meta.known ?? KNOWN).filter((k) => ids.has(k.id)).map((k) => ({ id: k.id, summary: k.summary, ...(k.upstream ? { upstream: k.upstream } : {}) })),
    ...precisionSummary(cells),
    totals: totalsOf(cells),
  };
}

/** Cases, failed cells, nondeterministic failures, known, unsupported and lenient over all cells. */
export function totalsOf(cells: ReadonlyArray<Pick<CellReport, 'cases' | 'failed' | 'known' | 'unsupported' | 'lenient' | 'nondeterministic'>>): RunReport['totals'] {
  return {
    cases: cells.reduce((s, c) => s + c.cases, 0),
    failed: cells.filter((c) => c.failed > 0).length,
    nondeterministic: cells.reduce((s, c) => s + (c.nondeterministic ?? 0), 0),
    known: cells.reduce((s, c) => s + c.known, 0),
    unsupported: cells.reduce((s, c) => s + c.unsupported, 0),
    lenient: cells.reduce((s, c) => s + c.lenient, 0),
  };
}

function precisionSummary(cells: readonly CellResult[]): { precision?: RunReport['precision'] } {
  const mode = cells.find((c) => c.precision)?.precision?.mode;
  if (!mode || mode === 'default') return {};
  if (mode !== 'auto') return { precision: { mode } };
  return { precision: { mode, meets: overallPrecision(cells) ?? 'none' } };
}
