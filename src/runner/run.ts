/**
 * `convcheck run`: every property against every oracle, each cell a fast-check run with its own
 * seed and a share of the time budget. Failures are shrunk, saved, and printed as cases with the
 * seed and path to replay them; failures in a known finding's region are counted as known and the
 * search goes on for new ones.
 */
import fc from 'fast-check';
import { knownFinding } from '../../oracles/known.js';
import type { Implementation } from '../../properties/implementation.js';
import { PROPERTIES } from '../../properties/index.js';
import type { Property, Verdict } from '../../properties/property.js';
import { jsonNumber } from '../case/io.js';
import { openImplementation } from './implementations.js';
import { saveRegression, type Regression } from './regressions.js';
import { cellSeed, type Shard } from './seeds.js';

export interface RunOptions {
  readonly oracles: readonly string[];
  readonly properties: readonly string[];
  /** Generated inputs per cell (upper bound; the time budget may stop a cell earlier). */
  readonly runs: number;
  readonly seed: number;
  readonly timeBudgetMs: number;
  readonly shard: Shard;
  /** Where failures are saved; null to save nothing. */
  readonly regressionsDir: string | null;
  /** Replay one fast-check path (with one oracle and one property). */
  readonly path?: string;
  readonly timeoutMs?: number;
  /** How replay commands start, for a given implementation; default `convcheck run --oracles NAME`. */
  readonly replayBase?: (impl: string) => string;
}

export interface CellResult {
  readonly oracle: string;
  readonly property: string;
  readonly status: 'ran' | 'unavailable' | 'not-applicable';
  cases: number;
  passed: number;
  failed: number;
  known: number;
  unsupported: number;
  readonly knownIds: Set<string>;
  failure?: Regression & { file?: string };
  note?: string;
  ms: number;
}

export interface RunHooks {
  onStart?(cells: number): void;
  onOracle?(oracle: string, unavailable: string | undefined): void;
  onCell?(cell: CellResult, done: number): void;
}

export function propertyByName(name: string): Property<unknown> {
  const p = (PROPERTIES as readonly Property<unknown>[]).find((x) => x.name === name);
  if (!p) throw new Error(`unknown property ${JSON.stringify(name)} (known: ${PROPERTIES.map((x) => x.name).join(', ')})`);
  return p;
}

export function replayCommand(o: RunOptions, oracle: string, property: string, path: string): string {
  const shard = o.shard.count > 1 ? ` --shard ${o.shard.index}/${o.shard.count}` : '';
  const base = o.replayBase ? o.replayBase(oracle) : `convcheck run --oracles ${oracle}`;
  // The seed alone replays the search and its shrinking exactly; fast-check's path (kept in the
  // regression file) skips the search, but shrinking long arrays makes it too long to print.
  return path.length <= 120 ? `${base} --properties ${property} --seed ${o.seed}${shard} --path ${path}` : `${base} --properties ${property} --seed ${o.seed}${shard}`;
}

export async function runSuite(o: RunOptions, hooks: RunHooks = {}): Promise<CellResult[]> {
  const props = o.properties.map(propertyByName);
  const total = o.oracles.length * props.length;
  hooks.onStart?.(total);
  // Each cell gets an equal share of the budget; unavailable oracles give theirs back.
  const perCellMs = Math.max(250, Math.floor(o.timeBudgetMs / Math.max(1, total)));
  const results: CellResult[] = [];
  for (const oracle of o.oracles) {
    const opened = await openImplementation(oracle, o.timeoutMs);
    hooks.onOracle?.(oracle, opened.unavailable);
    try {
      for (const prop of props) {
        const cell = opened.impl
          ? await runCell(o, opened.impl, prop, perCellMs)
          : emptyCell(oracle, prop.name, 'unavailable', opened.unavailable);
        results.push(cell);
        hooks.onCell?.(cell, results.length);
      }
    } finally {
      await opened.close();
    }
  }
  return results;
}

/** Every property against one implementation (a user's adapter, say), as `convcheck validate`. */
export async function runImplementation(o: Omit<RunOptions, 'oracles'>, impl: Implementation, hooks: RunHooks = {}): Promise<CellResult[]> {
  const props = o.properties.map(propertyByName);
  hooks.onStart?.(props.length);
  const perCellMs = Math.max(250, Math.floor(o.timeBudgetMs / Math.max(1, props.length)));
  const results: CellResult[] = [];
  for (const prop of props) {
    const cell = await runCell({ ...o, oracles: [impl.name] }, impl, prop, perCellMs);
    results.push(cell);
    hooks.onCell?.(cell, results.length);
  }
  return results;
}

function emptyCell(oracle: string, property: string, status: CellResult['status'], note?: string): CellResult {
  return { oracle, property, status, cases: 0, passed: 0, failed: 0, known: 0, unsupported: 0, knownIds: new Set(), ms: 0, ...(note ? { note } : {}) };
}

async function runCell(o: RunOptions, impl: Implementation, prop: Property<unknown>, budgetMs: number): Promise<CellResult> {
  const started = Date.now();
  const arb = prop.arbitrary(impl, { float64: impl.float64 });
  if (!arb) return emptyCell(impl.name, prop.name, 'not-applicable', `no ${prop.name} inputs for ${impl.name}'s ops`);
  const cell = emptyCell(impl.name, prop.name, 'ran');
  let shrinking = false;
  const seed = cellSeed(o.seed, o.shard, impl.name, prop.name);
  const details = await fc.check(
    fc.asyncProperty(arb, async (input) => {
      const v = await prop.check(impl, input);
      if (v.status === 'fail') {
        const k = knownFinding(impl.name, v.cases);
        if (k) {
          if (!shrinking) {
            cell.cases++;
            cell.known++;
            cell.knownIds.add(k.id);
          }
          return true;
        }
        if (!shrinking) {
          cell.cases++;
          cell.failed++;
          shrinking = true;
        }
        throw new VerdictError(v);
      }
      if (!shrinking) {
        cell.cases++;
        if (v.status === 'pass') cell.passed++;
        else cell.unsupported++;
      }
      return true;
    }),
    {
      seed,
      numRuns: o.path ? 1 : o.runs,
      ...(o.path ? { path: o.path } : { interruptAfterTimeLimit: budgetMs, markInterruptAsFailure: false }),
    },
  );
  if (details.failed && details.counterexample) {
    const input = details.counterexample[0];
    // Re-check the shrunk input for its verdict (the error thrown carries the same one).
    // Anything else thrown is a crash inside a property: report it, never re-run it unguarded.
    const v: Verdict =
      details.errorInstance instanceof VerdictError
        ? details.errorInstance.verdict
        : { status: 'fail', message: `${prop.name} crashed: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`, cases: [] };
    const fail = v.status === 'fail' ? v : undefined;
    const path = details.counterexamplePath ?? '';
    const failure: Regression & { file?: string } = {
      oracle: impl.name,
      property: prop.name,
      message: fail?.message ?? String(details.errorInstance),
      ...(fail?.ratio !== undefined && Number.isFinite(fail.ratio) ? { ratio: fail.ratio } : {}),
      replay: { runSeed: o.seed, shard: `${o.shard.index}/${o.shard.count}`, cellSeed: seed, path, command: replayCommand(o, impl.name, prop.name, path) },
      input,
      ...(fail?.expected ? { expected: plain(fail.expected) } : {}),
      ...(fail?.actual ? { actual: plain(fail.actual) } : {}),
      cases: fail?.cases ?? [],
      found: new Date().toISOString(),
    };
    if (o.regressionsDir) failure.file = saveRegression(o.regressionsDir, failure);
    cell.failure = failure;
  } else if (details.failed && details.interrupted && details.numRuns === 0 && cell.failed === 0) {
    // fast-check calls a run that its time limit interrupted before the first case finished a
    // failure; nothing failed: the cell's share of the budget was shorter than one case.
    cell.note = `no case finished within the cell's ${budgetMs} ms share of the time budget`;
  } else if (details.failed) {
    cell.note = String(details.errorInstance ?? 'fast-check reported a failure without a counterexample');
    cell.failed = Math.max(cell.failed, 1);
  }
  cell.ms = Date.now() - started;
  return cell;
}

function plain(t: { readonly shape: readonly number[]; readonly data: ArrayLike<number> }): { shape: number[]; data: Array<number | string> } {
  return { shape: [...t.shape], data: Array.from(t.data, jsonNumber) };
}

/** Carries a failing verdict out of the predicate so the shrunk one need not be recomputed. */
export class VerdictError extends Error {
  constructor(readonly verdict: Verdict & { status: 'fail' }) {
    super(verdict.message);
  }
}
