/**
 * The machine-readable record of a run or a validation: what `--report json` writes, and what
 * the junit and html renderers read.
 */
import { KNOWN, type KnownFinding } from '../../oracles/known.js';
import { machine, type Machine } from '../machine.js';
import type { CellResult } from './run.js';
import type { Regression } from './regressions.js';

export interface CellReport {
  readonly oracle: string;
  readonly property: string;
  readonly status: CellResult['status'];
  readonly cases: number;
  readonly passed: number;
  readonly failed: number;
  readonly known: number;
  readonly unsupported: number;
  readonly knownIds: string[];
  readonly ms: number;
  readonly note?: string;
  readonly failure?: Regression;
  /** Every distinct failure of the cell (the first is `failure`). */
  readonly failures?: readonly Regression[];
  readonly nondeterministic?: number;
}

export interface RunReport {
  readonly tool: 'convcheck';
  readonly command: 'run' | 'validate';
  /** validate: the adapter's name and module path. */
  readonly implementation?: { readonly name: string; readonly path: string; readonly framework: string; readonly ops: readonly string[] };
  readonly seed: number;
  readonly shard: string;
  readonly startedAt: string;
  readonly durationMs: number;
  /** Where the verdicts were reached: CPU, ISA flags, OS, Node, library versions, oneDNN. */
  readonly machine?: Machine;
  readonly cells: readonly CellReport[];
  readonly knownFindings: ReadonlyArray<{ readonly id: string; readonly summary: string; readonly upstream?: string }>;
  readonly totals: { readonly cases: number; readonly failed: number; readonly nondeterministic: number; readonly known: number; readonly unsupported: number };
}

export function buildReport(
  command: RunReport['command'],
  cells: readonly CellResult[],
  meta: { seed: number; shard: string; startedAt: Date; implementation?: RunReport['implementation']; known?: readonly KnownFinding[] },
): RunReport {
  const ids = new Set(cells.flatMap((c) => [...c.knownIds]));
  return {
    tool: 'convcheck',
    command,
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
      knownIds: [...c.knownIds],
      ms: c.ms,
      ...(c.note ? { note: c.note } : {}),
      ...(c.failure ? { failure: c.failure } : {}),
      ...(c.failures.length > 1 ? { failures: c.failures } : {}),
      ...(c.nondeterministic ? { nondeterministic: c.nondeterministic } : {}),
    })),
    knownFindings: (meta.known ?? KNOWN).filter((k) => ids.has(k.id)).map((k) => ({ id: k.id, summary: k.summary, ...(k.upstream ? { upstream: k.upstream } : {}) })),
    totals: {
      cases: cells.reduce((s, c) => s + c.cases, 0),
      failed: cells.filter((c) => c.failed > 0).length,
      nondeterministic: cells.reduce((s, c) => s + c.nondeterministic, 0),
      known: cells.reduce((s, c) => s + c.known, 0),
      unsupported: cells.reduce((s, c) => s + c.unsupported, 0),
    },
  };
}
