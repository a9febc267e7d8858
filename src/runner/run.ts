/**
 * `convcheck run`: every property against every oracle, each cell a fast-check run with its own
 * seed and a share of the time budget. Failures are shrunk, saved, and printed as cases with the
 * seed and path to replay them; failures in a known finding's region are counted as known and the
 * search goes on for new ones.
 */
import fc from 'fast-check';
import { KNOWN, knownFinding, type KnownFinding } from '../../oracles/known.js';
import type { Implementation } from '../../properties/implementation.js';
import { PROPERTIES } from '../../properties/index.js';
import type { Property, Verdict } from '../../properties/property.js';
import { jsonNumber } from '../case/io.js';
import type { CaseJson } from '../case/case.js';
import { describeThrown } from '../../oracles/types.js';
import { logVerdict, remembering, summarize, withPrecision, type CellPrecision, type PrecisionMode, type RatioLog } from './precision.js';
import { PROFILE_NAMES } from '../../properties/precision/profiles.js';
import { sizeFlags, type SizeOptions } from '../generators/sizes.js';
import { machine } from '../machine.js';
import { checkAny, confirm, type FailVerdict } from './confirm.js';
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

export function replayCommand(o: RunOptions, oracle: string, property: string, path: string | undefined): string {
  const shard = o.shard.count > 1 ? ` --shard ${o.shard.index}/${o.shard.count}` : '';
  const base = (o.replayBase ? o.replayBase(oracle) : `convcheck run --oracles ${oracle}`) + sizeFlags(o.sizes) + (o.precision ? ` --precision ${o.precision}` : '') + (o.dtype ? ` --dtype ${o.dtype}` : '') + (o.strict ? ' --strict' : '');
  // The seed alone replays the search and its shrinking exactly; fast-check's path (kept in the
  // regression file) skips the search, but shrinking long arrays makes it too long to print. A
  // cell's later failures (found with earlier ones excluded) have no path of their own to give.
  return path !== undefined && path.length <= 120 ? `${base} --properties ${property} --seed ${o.seed}${shard} --path ${path}` : `${base} --properties ${property} --seed ${o.seed}${shard}`;
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
  return { oracle, property, status, cases: 0, passed: 0, failed: 0, known: 0, unsupported: 0, lenient: 0, knownIds: new Set(), failures: [], nondeterministic: 0, ms: 0, ...(note ? { note } : {}) };
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
    ...(o.dtype ? { dtype: o.dtype } : {}),
  });
  if (!arb) return emptyCell(impl.name, prop.name, 'not-applicable', `no ${prop.name} inputs for ${impl.name}'s ops`);
  const cell = emptyCell(impl.name, prop.name, 'ran');
  // The property as the runner judges it: under the precision mode (error / bound logged while
  // searching), a throw out of a check as a failure, and leniency a failure only with --strict.
  const log: RatioLog = new Map();
  const judging = { log: true };
  const judged: Property<unknown> = {
    ...prop,
    check: async (im, input) => {
      return judgePrecision(o.precision, im, prop, input, judging.log ? log : undefined, o.strict === true, o.known ?? KNOWN);
    },
  };
  const seed = cellSeed(o.seed, o.shard, impl.name, prop.name);
  // Every failure of a property, not just the first: after one is shrunk, the search goes on
  // with its region (its ops) excluded, up to a limit, on the rest of the cell's budget.
  const excluded: string[] = [];
  const limit = o.path ? 1 : (o.maxFailuresPerCell ?? 3);
  for (let round = 0; round < limit; round++) {
    const left = budgetMs - (Date.now() - started);
    const runs = o.runs - cell.cases;
    if (round > 0 && (left < 50 || runs < 1)) break;
    const found = await searchRound(o, impl, judged, judging, arb, cell, excluded, round === 0 ? seed : (seed + round * 0x9e3779b1) | 0, left, runs, round);
    if (!found) break;
    excluded.push(regionKey(found.cases));
  }
  cell.failure = cell.failures[0];
  cell.precision = summarize(o.precision ?? 'default', log);
  cell.ms = Date.now() - started;
  return cell;
}

/** The region a found failure claims: the ops of its cases (two bugs of one op count as one). */
function regionKey(cases: readonly { framework: string; op: string }[]): string {
  return [...new Set(cases.map((c) => `${c.framework}.${c.op}`))].sort().join('+');
}

/** One fast-check search of a cell; records and returns its shrunk failure, if any. */
async function searchRound(
  o: RunOptions,
  impl: Implementation,
  prop: Property<unknown>,
  judging: { log: boolean },
  arb: fc.Arbitrary<unknown>,
  cell: CellResult,
  excluded: readonly string[],
  seed: number,
  budgetMs: number,
  runs: number,
  round: number,
): Promise<(Regression & { file?: string }) | undefined> {
  const registry = o.known ?? KNOWN;
  // 'search' counts cases; once a failure is found, shrinking re-checks candidates without
  // counting them, and a nondeterministic failure's candidate fails when any of its reruns does.
  let mode: 'search' | 'shrink' | 'shrink-any' = 'search';
  // fast-check's time limit abandons the check in flight; it is waited for below, so that it
  // never holds the oracle host while the next cell's first check waits behind it.
  let inflight: Promise<unknown> | undefined;
  // A check fast-check abandoned at the time limit still ends (every implementation has its own
  // per-call timeout); a new failure it finds then is reported, not lost.
  let finished = false;
  let late: { input: unknown; verdict: FailVerdict } | undefined;
  judging.log = true;
  const isNew = (v: Verdict): v is FailVerdict => v.status === 'fail' && !knownFinding(impl.name, v.cases, registry) && !excluded.includes(regionKey(v.cases));
  const details = await fc.check(
    fc.asyncProperty(arb, async (input) => {
      if (mode !== 'search') {
        const v = mode === 'shrink-any' ? await checkAny(impl, prop, input, isNew) : await prop.check(impl, input);
        if (isNew(v)) throw new VerdictError(v);
        return true;
      }
      const pending = prop.check(impl, input);
      inflight = pending;
      const v = await pending;
      if (finished) {
        if (isNew(v)) late ??= { input, verdict: v };
        return true;
      }
      if (isNew(v)) {
        // Kept in case the time limit abandons this check while the failure is re-checked:
        // it is then reported unshrunk rather than lost.
        late ??= { input, verdict: v };
      }
      cell.cases++;
      if (v.status === 'lenient') {
        cell.lenient++;
        cell.lenientExample ??= { message: v.message, cases: v.cases };
        return true;
      }
      if (v.status !== 'fail') {
        if (v.status === 'pass') cell.passed++;
        else cell.unsupported++;
        return true;
      }
      const k = knownFinding(impl.name, v.cases, registry);
      if (k) {
        cell.known++;
        cell.knownIds.add(k.id);
        return true;
      }
      cell.failed++;
      // A further instance of a failure this cell already reported.
      if (excluded.includes(regionKey(v.cases))) return true;
      judging.log = false;
      const confirming = confirm(impl, prop, input, v);
      inflight = confirming;
      const c = await confirming;
      mode = c.kind === 'nondeterministic' ? 'shrink-any' : 'shrink';
      throw new VerdictError(v);
    }),
    {
      seed,
      numRuns: o.path ? 1 : runs,
      ...(o.path ? { path: o.path } : { interruptAfterTimeLimit: Math.max(1, budgetMs), markInterruptAsFailure: false }),
    },
  );
  finished = true;
  await inflight?.catch(() => undefined);
  if (!details.failed && late) return record(o, impl, prop, cell, late.input, late.verdict, '', seed, round);
  if (!details.failed) return undefined;
  if (details.interrupted && details.numRuns === 0) {
    // Not a failure: the budget ran out before one case was checked.
    cell.note = `no case finished within the cell's ${budgetMs} ms`;
    return undefined;
  }
  if (!details.counterexample) {
    cell.note = String(details.errorInstance ?? 'fast-check reported a failure without a counterexample');
    cell.failed = Math.max(cell.failed, 1);
    return undefined;
  }
  // The error thrown carries the shrunk input's verdict. Anything else thrown is a crash inside
  // a property: report it, never re-run it unguarded.
  const fail: FailVerdict = details.errorInstance instanceof VerdictError ? details.errorInstance.verdict : { status: 'fail', message: `${prop.name} crashed: ${describeThrown(details.errorInstance)}`, cases: [] };
  return record(o, impl, prop, cell, details.counterexample[0], fail, details.counterexamplePath ?? '', seed, round);
}

/** A found failure classified (re-checked for nondeterminism), saved and added to the cell. */
async function record(o: RunOptions, impl: Implementation, prop: Property<unknown>, cell: CellResult, input: unknown, fail: FailVerdict, path: string, seed: number, round: number): Promise<Regression & { file?: string }> {
  const message = fail.message;
  // The shrunk input is what is saved and replayed, so it is the one classified.
  const conf = fail.cases.length > 0 ? await confirm(impl, prop, input, fail) : undefined;
  const failure: Regression & { file?: string } = {
    oracle: impl.name,
    property: prop.name,
    message,
    ...(conf ? { verdict: conf.kind } : {}),
    ...(fail?.ratio !== undefined && Number.isFinite(fail.ratio) ? { ratio: fail.ratio } : {}),
    replay: { runSeed: o.seed, shard: `${o.shard.index}/${o.shard.count}`, cellSeed: seed, path, command: replayCommand(o, impl.name, prop.name, round === 0 ? path : undefined) },
    input,
    ...(fail?.expected ? { expected: plain(fail.expected) } : {}),
    ...(fail?.actual ? { actual: plain(fail.actual) } : {}),
    ...(conf?.kind === 'nondeterministic' ? { reruns: { failed: conf.failedRuns, runs: conf.runs, outcomes: conf.outcomes } } : {}),
    cases: fail?.cases ?? [],
    machine: machine(),
    found: new Date().toISOString(),
  };
  if (o.regressionsDir) failure.file = saveRegression(o.regressionsDir, failure);
  cell.failures.push(failure);
  if (conf?.kind === 'nondeterministic') cell.nondeterministic++;
  return failure;
}

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
async function judgePrecision(mode: PrecisionMode | undefined, impl: Implementation, prop: Property<unknown>, input: unknown, log: RatioLog | undefined, strict: boolean, registry: readonly KnownFinding[]): Promise<Verdict> {
  const record = (profile: string, v: Verdict) => {
    if (log && !(v.status === 'fail' && knownFinding(impl.name, v.cases, registry))) logVerdict(log, profile, v);
  };
  // Leniency is a failure with --strict, under every profile alike.
  const judge = (v: Verdict): Verdict => (strict && v.status === 'lenient' ? { status: 'fail', message: `lenient (a failure with --strict): ${v.message}`, cases: v.cases } : v);
  if (mode !== 'auto') {
    const v = judge(await checked(prop, mode ? withPrecision(impl, mode) : impl, input));
    record(mode ?? 'default', v);
    return v;
  }
  const memo = remembering(impl);
  let last: Verdict = { status: 'pass' };
  let anyMet = false;
  for (const p of PROFILE_NAMES) {
    last = judge(await checked(prop, withPrecision(memo, p), input));
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
  constructor(readonly verdict: FailVerdict) {
    super(verdict.message);
  }
}
