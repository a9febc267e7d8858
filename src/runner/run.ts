/**
 * `convcheck run`: every property against every oracle, each cell a fast-check run with its own
 * seed and a share of the time budget. Failures are shrunk, saved, and printed as cases with the
 * seed and path to replay them; failures in a known finding's region are counted as known and the
 * search goes on for new ones.
 */
import { availableParallelism } from 'node:os';
import type { KnownFinding } from '../../oracles/known.js';
import type { Implementation } from '../../properties/implementation.js';
import { PROPERTIES } from '../../properties/index.js';
import type { Property } from '../../properties/property.js';
import type { CaseJson } from '../case/case.js';
import { useReferenceWorkers } from '../../properties/bound-pool.js';
import { summarize, type CellPrecision, type PrecisionMode, type RatioLog } from './precision.js';
import type { SizeOptions } from '../generators/sizes.js';
import { defaultHosts, openImplementation, type Opened } from './implementations.js';
import type { Regression } from './regressions.js';
import { regionKey, searchRound } from './search.js';
import { cellSeed, shardCells, type PlannedCell, type Shard } from './seeds.js';

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
  /** Known findings (default: the built-in ones; `--known FILE` adds the user's). */
  readonly known?: readonly KnownFinding[];
  /** Distinct failures searched for per cell (default 3). */
  readonly maxFailuresPerCell?: number;
  /** Leniency (accepting a call the convention rejects) is a failure instead of its own count. */
  readonly strict?: boolean;
  /** `--precision`: judge under one profile, or under each to find the tightest met (auto). */
  readonly precision?: PrecisionMode;
  /** `--dtype float16|bfloat16`: every generated case in that dtype (for implementations that compute it). */
  readonly dtype?: 'float16' | 'bfloat16';
  /** Sizes of generated cases (`--sizes`, `--max-spatial`, ...); replay commands carry them. */
  readonly sizes?: SizeOptions;
  /** Checks in flight per cell (default search.ts IN_FLIGHT); 1 checks one case at a time. */
  readonly inFlight?: number;
  /** Input numbers in flight per cell at most (default search.ts ELEMENTS_IN_FLIGHT). */
  readonly elementsInFlight?: number;
  /** Oracles run side by side (default: one per core). */
  readonly jobs?: number;
  /** Host processes per oracle (default: implementations.ts defaultHosts). */
  readonly hosts?: number;
  /** Threads computing reference values and bounds beside the main one (default: cores − 1). */
  readonly referenceWorkers?: number;
  /**
   * Oracles kept open across runs (a campaign's rounds): opened into it when missing, and left
   * open for the owner to close (closeOracles). Without it, each run opens and closes its own.
   */
  readonly keepOpen?: Map<string, Opened>;
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
  /** Calls the convention rejects that the implementation accepted with a well-formed answer. */
  lenient: number;
  /** The first of them, shown in reports. */
  lenientExample?: { readonly message: string; readonly cases: readonly CaseJson[] };
  /** error / bound per profile (median, max) and, with --precision auto, the tightest met. */
  precision?: CellPrecision;
  readonly knownIds: Set<string>;
  /** The first failure found (shrunk); all of them are in `failures`. */
  failure?: Regression & { file?: string };
  /** Every distinct failure found, each shrunk and classified (see searchRound). */
  readonly failures: Array<Regression & { file?: string }>;
  /** How many of `failures` are nondeterministic. */
  nondeterministic: number;
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

export async function runSuite(o: RunOptions, hooks: RunHooks = {}): Promise<CellResult[]> {
  const props = o.properties.map(propertyByName);
  await useReferenceWorkers(o.referenceWorkers ?? defaultReferenceWorkers());
  const plan = shardCells(o.seed, o.shard, o.oracles, o.properties);
  hooks.onStart?.(plan.length);
  // Each oracle's cells run in turn in one host, kept alive across them; different oracles (each
  // in its own process) run side by side, up to `jobs` at once. Each cell gets an equal share of
  // the wall-clock budget; side by side, that share is `jobs` times larger.
  const byOracle = new Map<string, PlannedCell[]>();
  for (const c of plan) byOracle.set(c.oracle, [...(byOracle.get(c.oracle) ?? []), c]);
  const jobs = Math.max(1, Math.min(o.jobs ?? defaultJobs(), byOracle.size));
  const perCellMs = Math.max(250, Math.floor((o.timeBudgetMs * jobs) / Math.max(1, plan.length)));
  const results = new Map<PlannedCell, CellResult>();
  let done = 0;
  const runOracle = async (oracle: string) => {
    const kept = o.keepOpen?.get(oracle);
    const opened = kept ?? (await openImplementation(oracle, o.timeoutMs, o.hosts ?? defaultHosts(oracle, defaultJobs() / jobs)));
    if (o.keepOpen && !kept) o.keepOpen.set(oracle, opened);
    hooks.onOracle?.(oracle, opened.unavailable);
    try {
      for (const planned of byOracle.get(oracle)!) {
        const prop = props.find((p) => p.name === planned.property)!;
        const cell = opened.impl ? await runCell(o, opened.impl, prop, perCellMs, planned) : emptyCell(oracle, prop.name, 'unavailable', opened.unavailable);
        results.set(planned, cell);
        hooks.onCell?.(cell, ++done);
      }
    } finally {
      if (!o.keepOpen) await opened.close();
    }
  };
  // Longest queues first, so that the last oracle to finish is not one that started late.
  const queue = [...byOracle.keys()].sort((a, b) => byOracle.get(b)!.length - byOracle.get(a)!.length);
  await Promise.all(
    Array.from({ length: jobs }, async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) await runOracle(next);
    }),
  );
  return plan.map((c) => results.get(c)!);
}

/** Closes the oracles a series of runs kept open (RunOptions.keepOpen). */
export async function closeOracles(kept: Map<string, Opened>): Promise<void> {
  const all = [...kept.values()];
  kept.clear();
  await Promise.all(all.map((x) => x.close()));
}

/** Oracles side by side by default: one per core (each oracle is a process of its own). */
export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/** The reference on the cores the main thread leaves. */
export function defaultReferenceWorkers(): number {
  return Math.max(0, availableParallelism() - 1);
}

/** Every property against one implementation (a user's adapter, say), as `convcheck validate`. */
export async function runImplementation(o: Omit<RunOptions, 'oracles'>, impl: Implementation, hooks: RunHooks = {}): Promise<CellResult[]> {
  const props = o.properties.map(propertyByName);
  await useReferenceWorkers(o.referenceWorkers ?? defaultReferenceWorkers());
  hooks.onStart?.(props.length);
  const perCellMs = Math.max(250, Math.floor(o.timeBudgetMs / Math.max(1, props.length)));
  const results: CellResult[] = [];
  for (const prop of props) {
    const cell = await runCell({ ...o, oracles: [impl.name] }, impl, prop, perCellMs, { seed: cellSeed(o.seed, impl.name, prop.name), stream: 0 });
    results.push(cell);
    hooks.onCell?.(cell, results.length);
  }
  return results;
}

function emptyCell(oracle: string, property: string, status: CellResult['status'], note?: string): CellResult {
  return { oracle, property, status, cases: 0, passed: 0, failed: 0, known: 0, unsupported: 0, lenient: 0, knownIds: new Set(), failures: [], nondeterministic: 0, ms: 0, ...(note ? { note } : {}) };
}

async function runCell(o: RunOptions, impl: Implementation, prop: Property<unknown>, budgetMs: number, planned: Pick<PlannedCell, 'seed' | 'stream'>): Promise<CellResult> {
  const seed = planned.seed;
  const started = Date.now();
  // Under --precision, half the non-integer cases use data exact in every 16-bit format, where the
  // profiles' accumulation and output rounding differ most (GenOptions.dyadicShare).
  const arb = prop.arbitrary(impl, {
    float64: impl.float64,
    ...(o.sizes?.preset ? { sizes: o.sizes.preset } : {}),
    ...(o.sizes?.limits ? { limits: o.sizes.limits } : {}),
    ...(o.precision ? { dyadicShare: 0.5 } : {}),
    ...(o.dtype ? { dtype: o.dtype } : {}),
  });
  if (!arb) return emptyCell(impl.name, prop.name, 'not-applicable', `no ${prop.name} inputs for ${impl.name}'s ops`);
  const cell = emptyCell(impl.name, prop.name, 'ran');
  // error / bound per profile, of the cases the search counted.
  const log: RatioLog = new Map();
  // Every failure of a property, not just the first: after one is shrunk, the search goes on
  // with its region (its ops) excluded, up to a limit, on the rest of the cell's budget.
  const excluded: string[] = [];
  const limit = o.path ? 1 : (o.maxFailuresPerCell ?? 3);
  for (let round = 0; round < limit; round++) {
    const left = budgetMs - (Date.now() - started);
    const runs = o.runs - cell.cases;
    if (round > 0 && (left < 50 || runs < 1)) break;
    const roundSeed = round === 0 ? seed : (seed + round * 0x9e3779b1) | 0;
    const found = await searchRound({ o, impl, prop, arb, cell, excluded, log, seed: roundSeed, budgetMs: left, runs, round, stream: planned.stream });
    if (!found) break;
    excluded.push(regionKey(found.cases));
  }
  cell.failure = cell.failures[0];
  cell.precision = summarize(o.precision ?? 'default', log);
  cell.ms = Date.now() - started;
  return cell;
}
