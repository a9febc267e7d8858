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
import type { CaseJson } from '../case/case.js';
import { describeThrown } from '../../oracles/types.js';
import { logVerdict, remembering, summarize, withPrecision, type CellPrecision, type PrecisionMode, type RatioLog } from './precision.js';
import { PROFILE_NAMES } from '../../properties/precision/profiles.js';
import { openImplementation } from './implementations.js';
import { saveRegression, type Regression } from './regressions.js';
import { cellSeed, type Shard } from './seeds.js';
import { sizeFlags, type SizeOptions } from '../generators/sizes.js';

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
  /** Leniency (accepting a call the convention rejects) is a failure instead of its own count. */
  readonly strict?: boolean;
  /** `--precision`: judge under one profile, or under each to find the tightest met (auto). */
  readonly precision?: PrecisionMode;
  /** Sizes of generated cases (`--sizes`, `--max-spatial`, ...); replay commands carry them. */
  readonly sizes?: SizeOptions;
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
  const base = (o.replayBase ? o.replayBase(oracle) : `convcheck run --oracles ${oracle}`) + sizeFlags(o.sizes) + (o.precision ? ` --precision ${o.precision}` : '');
  // The seed alone replays the search and its shrinking exactly; fast-check's path (kept in the
  // regression file) skips the search, but shrinking long arrays makes it too long to print.
  const strict = o.strict ? ' --strict' : '';
  return path && path.length <= 120 ? `${base} --properties ${property} --seed ${o.seed}${shard}${strict} --path ${path}` : `${base} --properties ${property} --seed ${o.seed}${shard}${strict}`;
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
  return { oracle, property, status, cases: 0, passed: 0, failed: 0, known: 0, unsupported: 0, lenient: 0, knownIds: new Set(), ms: 0, ...(note ? { note } : {}) };
}

async function runCell(o: RunOptions, impl: Implementation, prop: Property<unknown>, budgetMs: number): Promise<CellResult> {
  const started = Date.now();
  // Under --precision, half the non-integer cases use data exact in every 16-bit format, where the
  // profiles' accumulation and output rounding differ most (GenOptions.dyadicShare).
  const arb = prop.arbitrary(impl, {
    float64: impl.float64,
    ...(o.sizes?.preset ? { sizes: o.sizes.preset } : {}),
    ...(o.sizes?.limits ? { limits: o.sizes.limits } : {}),
    ...(o.precision ? { dyadicShare: 0.5 } : {}),
  });
  if (!arb) return emptyCell(impl.name, prop.name, 'not-applicable', `no ${prop.name} inputs for ${impl.name}'s ops`);
  const cell = emptyCell(impl.name, prop.name, 'ran');
  let shrinking = false;
  const seed = cellSeed(o.seed, o.shard, impl.name, prop.name);
  // The time budget interrupts a check in flight; it still ends (every implementation has its own
  // per-call timeout), and a failure it finds after the interrupt is reported, not lost.
  let inFlight: Promise<unknown> = Promise.resolve();
  let finished = false;
  let late: { input: unknown; verdict: Verdict & { status: 'fail' } } | undefined;
  const log: RatioLog = new Map();
  const judge = async (input: unknown): Promise<boolean> => {
    let v = await judgePrecision(o.precision, impl, prop, input, shrinking ? undefined : log);
    if (v.status === 'lenient') {
      if (!o.strict) {
        if (!shrinking) {
          cell.cases++;
          cell.lenient++;
          cell.lenientExample ??= { message: v.message, cases: v.cases };
        }
        return true;
      }
      v = { status: 'fail', message: `lenient (a failure with --strict): ${v.message}`, cases: v.cases };
    }
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
      if (finished) late ??= { input, verdict: v };
      throw new VerdictError(v);
    }
    if (!shrinking) {
      cell.cases++;
      if (v.status === 'pass') cell.passed++;
      else cell.unsupported++;
    }
    return true;
  };
  const details = await fc.check(
    fc.asyncProperty(arb, (input) => {
      const p = judge(input);
      inFlight = p.catch(() => undefined);
      return p;
    }),
    {
      seed,
      numRuns: o.path ? 1 : o.runs,
      ...(o.path ? { path: o.path } : { interruptAfterTimeLimit: budgetMs, markInterruptAsFailure: false }),
    },
  );
  finished = true;
  await inFlight;
  const found =
    details.failed && details.counterexample
      ? { input: details.counterexample[0], error: details.errorInstance, path: details.counterexamplePath ?? '' }
      : late && { input: late.input, error: new VerdictError(late.verdict), path: '' };
  if (found) {
    const input = found.input;
    // Re-check the shrunk input for its verdict (the error thrown carries the same one).
    // Anything else thrown is a crash inside a property: report it, never re-run it unguarded.
    const v: Verdict =
      found.error instanceof VerdictError
        ? found.error.verdict
        : { status: 'fail', message: `${prop.name} crashed: ${describeThrown(found.error)}`, cases: [] };
    const fail = v.status === 'fail' ? v : undefined;
    const path = found.path;
    const failure: Regression & { file?: string } = {
      oracle: impl.name,
      property: prop.name,
      message: fail?.message ?? describeThrown(found.error),
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
  } else if (details.failed) {
    cell.note = String(details.errorInstance ?? 'fast-check reported a failure without a counterexample');
    cell.failed = Math.max(cell.failed, 1);
  }
  cell.precision = summarize(o.precision ?? 'default', log);
  cell.ms = Date.now() - started;
  return cell;
}

/**
 * The property's verdict; an exception out of a check (user code throwing something unprintable,
 * a bug in a property) is a failing verdict, never a pass or a lost count.
 */
async function checked(prop: Property<unknown>, impl: Implementation, input: unknown): Promise<Verdict> {
  try {
    return await prop.check(impl, input);
  } catch (e) {
    return { status: 'fail', message: `${prop.name} crashed: ${describeThrown(e)}`, cases: [] };
  }
}

/**
 * One input judged under the precision mode, its error / bound logged per profile. auto: judged
 * under every profile (the implementation runs each call once); it fails only when it fails under
 * all of them, with the loosest profile's verdict. Failures inside a known finding are not logged.
 * Leniency and unsupported calls do not depend on the profile.
 */
async function judgePrecision(mode: PrecisionMode | undefined, impl: Implementation, prop: Property<unknown>, input: unknown, log: RatioLog | undefined): Promise<Verdict> {
  const record = (profile: string, v: Verdict) => {
    if (log && !(v.status === 'fail' && knownFinding(impl.name, v.cases))) logVerdict(log, profile, v);
  };
  if (mode !== 'auto') {
    const v = await checked(prop, mode ? withPrecision(impl, mode) : impl, input);
    record(mode ?? 'default', v);
    return v;
  }
  const memo = remembering(impl);
  let last: Verdict = { status: 'pass' };
  let anyMet = false;
  for (const p of PROFILE_NAMES) {
    last = await checked(prop, withPrecision(memo, p), input);
    if (last.status === 'lenient' || last.status === 'unsupported') return last;
    record(p, last);
    if (last.status !== 'fail') anyMet = true;
  }
  return anyMet ? { status: 'pass' } : last;
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
