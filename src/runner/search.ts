/**
 * One search of a cell: fast-check's stream of inputs for the cell's seed, checked with several
 * checks in flight (an oracle answers in its own process while this one computes the reference of
 * the next case), consumed strictly in stream order so that counts, the first failure and its
 * index are what a one-at-a-time search would give. A new failure is re-checked for
 * nondeterminism, then shrunk by fast-check from its index (`path`), so the shrunk case and its
 * replay path are exactly fast-check's.
 */
import fc from 'fast-check';
import { KNOWN, knownFinding } from '../../oracles/known.js';
import { describeThrown } from '../../oracles/types.js';
import type { Implementation } from '../../properties/implementation.js';
import type { Property, Verdict } from '../../properties/property.js';
import { tensorJson } from '../case/io.js';
import { machine } from '../machine.js';
import { checkAny, confirm, type FailVerdict } from './confirm.js';
import { judge, logJudged, type Judged, type JudgeOptions } from './judge.js';
import type { RatioLog } from './precision.js';
import { saveRegression, type Regression } from './regressions.js';
import type { CellResult, RunOptions } from './run.js';
import { sizeFlags } from '../generators/sizes.js';
import { streamShardFlag } from './seeds.js';
import { valueStream, type ValueStream } from './stream.js';

/**
 * Checks in flight per cell by default. More is faster (bench:run, interleaved rounds: 64 raised
 * the rate by 5-10% for ORT and tfjs-wasm; 256 a few per cent more), but every case in the window
 * is run to its end, and one that hangs costs the per-call timeout: with 64, the default run met three of
 * tfjs-cpu's endless zero-stride transposes in one cell's window and took 94 s instead of 33.
 * Until calls past a cell's deadline can be dropped, the default stays 16.
 */
export const IN_FLIGHT = 16;

/** Checks started before any has ended; the window then grows by two per case ended. */
const FIRST_BURST = 4;

/**
 * Input numbers in flight per cell, at most (one case is always allowed): large cases (--sizes
 * large) keep fewer in flight, so the window costs tens of MiB, not gigabytes.
 */
export const ELEMENTS_IN_FLIGHT = 1 << 22;

/** The numbers a drawn input holds (its tensors' data), without copying them. */
export function inputElements(v: unknown, depth = 0): number {
  if (v === null || typeof v !== 'object' || depth > 8) return 0;
  if (ArrayBuffer.isView(v)) return (v as unknown as { length?: number }).length ?? 0;
  if (Array.isArray(v)) return v.length > 0 && typeof v[0] === 'number' ? v.length : v.reduce((n: number, x) => n + inputElements(x, depth + 1), 0);
  let n = 0;
  for (const x of Object.values(v)) n += inputElements(x, depth + 1);
  return n;
}

export interface Search {
  readonly o: RunOptions;
  readonly impl: Implementation;
  readonly prop: Property<unknown>;
  readonly arb: fc.Arbitrary<unknown>;
  readonly cell: CellResult;
  /** Regions (regionKey) of the failures this cell already reported. */
  readonly excluded: readonly string[];
  readonly log: RatioLog;
  readonly seed: number;
  readonly budgetMs: number;
  readonly runs: number;
  readonly round: number;
  /** The cell's stream (seeds.ts shardCells), for its replay command. */
  readonly stream: number;
}

function judging(s: Search): { jo: JudgeOptions; judged: Property<unknown> } {
  const jo: JudgeOptions = { mode: s.o.precision, strict: s.o.strict === true, registry: s.o.known ?? KNOWN };
  return { jo, judged: { ...s.prop, check: async (im, input) => (await judge(jo, im, s.prop, input)).verdict } };
}

/** The region a found failure claims: the ops of its cases (two bugs of one op count as one). */
export function regionKey(cases: readonly { framework: string; op: string }[]): string {
  return [...new Set(cases.map((c) => `${c.framework}.${c.op}`))].sort().join('+');
}

export function replayCommand(o: RunOptions, oracle: string, property: string, path: string | undefined, stream = 0): string {
  const base = (o.replayBase ? o.replayBase(oracle) : `convcheck run --oracles ${oracle}`) + sizeFlags(o.sizes) + (o.precision ? ` --precision ${o.precision}` : '') + (o.dtype ? ` --dtype ${o.dtype}` : '') + (o.strict ? ' --strict' : '');
  // A lone cell's seed depends on the run seed (and its stream), not on the shard it ran in.
  const cell = `${base} --properties ${property} --seed ${o.seed}${streamShardFlag(stream)}`;
  // The seed alone replays the search and its shrinking exactly; fast-check's path (kept in the
  // regression file) skips the search, but shrinking long arrays makes it too long to print. A
  // cell's later failures (found with earlier ones excluded) have no path of their own to give.
  return path !== undefined && path.length <= 120 ? `${cell} --path ${path}` : cell;
}

/** Records and returns the round's shrunk failure, if it found one. */
export async function searchRound(s: Search): Promise<(Regression & { file?: string }) | undefined> {
  const { o, impl, prop, cell } = s;
  const started = Date.now();
  const { jo, judged } = judging(s);
  const isNew = (v: Verdict): v is FailVerdict => v.status === 'fail' && !knownFinding(impl.name, v.cases, jo.registry) && !s.excluded.includes(regionKey(v.cases));

  const found = await scan(s, jo);
  if (!found) return undefined;
  // Re-checked before shrinking: a nondeterministic failure's candidates fail when any rerun does.
  const conf = await confirm(impl, judged, found.input, found.verdict);
  const shrinkAny = conf.kind === 'nondeterministic';
  let first = true;
  const left = s.budgetMs - (Date.now() - started);
  const details = await fc.check(
    fc.asyncProperty(s.arb, async (input) => {
      // The first value is the failure found (its verdict known); the rest are shrink candidates.
      if (first) {
        first = false;
        throw new VerdictError(found.verdict);
      }
      const v = shrinkAny ? await checkAny(impl, judged, input, isNew) : await judged.check(impl, input);
      if (isNew(v)) throw new VerdictError(v);
      return true;
    }),
    { seed: s.seed, path: found.path, numRuns: 1, interruptAfterTimeLimit: Math.max(1, left), markInterruptAsFailure: false },
  );
  if (!details.failed || !details.counterexample) {
    // The budget ran out before fast-check got to the failure: it is reported unshrunk, not lost.
    return record(s, found.input, found.verdict, found.path);
  }
  // The error thrown carries the shrunk input's verdict. Anything else thrown is a crash inside
  // a property: report it, never re-run it unguarded.
  const fail: FailVerdict = details.errorInstance instanceof VerdictError ? details.errorInstance.verdict : { status: 'fail', message: `${prop.name} crashed: ${describeThrown(details.errorInstance)}`, cases: [] };
  return record(s, details.counterexample[0], fail, details.counterexamplePath ?? found.path);
}

interface Found {
  readonly input: unknown;
  readonly verdict: FailVerdict;
  /** fast-check's path of the input: its index in the stream, or the replayed path. */
  readonly path: string;
}

/** Checks the cell's inputs in order, several in flight, until a new failure, the runs or the budget end. */
async function scan(s: Search, jo: JudgeOptions): Promise<Found | undefined> {
  const { o, impl, prop, cell } = s;
  const began = Date.now();
  const deadline = began + s.budgetMs;
  // A replayed path is one input: the value fast-check's path leads to.
  const stream = o.path !== undefined ? pathStream(s.arb, s.seed, o.path) : valueStream(s.arb, s.seed, s.runs);
  const depth = o.path !== undefined ? 1 : Math.max(1, o.inFlight ?? IN_FLIGHT);
  const inflight: Array<{ input: unknown; judged: Promise<Judged>; elements: number }> = [];
  let elements = 0;
  const maxElements = o.elementsInFlight ?? ELEMENTS_IN_FLIGHT;
  let index = 0;
  let launched = 0;
  try {
    for (;;) {
      // At least one case per round, however short its budget.
      // Topped up in bursts, once half the window has drained: the calls of a burst leave in one
      // message (isolated.ts), and the oracle has the other half to work on meanwhile.
      const refill = inflight.length <= depth / 2;
      // Checks in flight at the deadline are still waited for and counted, so none is started that
      // would end past it at the rate cases have been ending (a slow oracle keeps fewer in flight).
      // The window opens as cases end: at most a few more in flight than have ended. The rate
      // below is only an estimate (a JAX cell's first shapes may be cached, its later ones compile
      // for half a second), and a cell whose share is one second must not start 64 slow cases.
      const perCase = index > 0 ? (Date.now() - began) / index : 0;
      const window = Math.min(depth, FIRST_BURST + 2 * index);
      while (refill && inflight.length < window && (inflight.length === 0 || elements < maxElements) && launched < s.runs && (launched === 0 || Date.now() + (inflight.length + 1) * perCase < deadline)) {
        const next = await stream.next();
        if (!next) break;
        launched++;
        const n = inputElements(next.value);
        elements += n;
        inflight.push({ input: next.value, judged: judge(jo, impl, prop, next.value), elements: n });
      }
      const head = inflight.shift();
      if (!head) return undefined;
      elements -= head.elements;
      const j = await head.judged;
      const at = index++;
      const v = j.verdict;
      logJudged(s.log, j);
      cell.cases++;
      if (v.status === 'lenient') {
        cell.lenient++;
        cell.lenientExample ??= { message: v.message, cases: v.cases };
        continue;
      }
      if (v.status !== 'fail') {
        if (v.status === 'pass') cell.passed++;
        else cell.unsupported++;
        continue;
      }
      const k = knownFinding(impl.name, v.cases, jo.registry);
      if (k) {
        cell.known++;
        cell.knownIds.add(k.id);
        continue;
      }
      cell.failed++;
      // A further instance of a failure this cell already reported.
      if (s.excluded.includes(regionKey(v.cases))) continue;
      return { input: head.input, verdict: v, path: o.path ?? String(at) };
    }
  } finally {
    stream.stop();
    // Checks started past the one that failed are not counted, but they are waited for: none may
    // still hold the oracle while the failure is re-checked (in a restarted host, perhaps).
    await Promise.allSettled(inflight.map((f) => f.judged));
  }
}

/** A --path that leads to no case of the cell: a usage error, not a bug. */
export class ReplayPathError extends Error {}

function pathStream(arb: fc.Arbitrary<unknown>, seed: number, path: string): ValueStream {
  let values: Array<{ value: unknown }>;
  try {
    values = fc.sample(arb, { seed, path, numRuns: 1 }).map((value) => ({ value }));
  } catch (e) {
    throw new ReplayPathError(`--path ${path} leads to no case of this cell with seed ${seed} (${(e as Error).message}): give it with the options it was printed with (--seed, --shard, --sizes, ...)`);
  }
  return {
    next: () => Promise.resolve(values.shift()),
    stop: () => (values = []),
  };
}

/** A found failure classified (re-checked for nondeterminism), saved and added to the cell. */
async function record(s: Search, input: unknown, fail: FailVerdict, path: string): Promise<Regression & { file?: string }> {
  const { o, impl, prop, cell } = s;
  const { judged } = judging(s);
  // The shrunk input is what is saved and replayed, so it is the one classified.
  const conf = fail.cases.length > 0 ? await confirm(impl, judged, input, fail) : undefined;
  const failure: Regression & { file?: string } = {
    oracle: impl.name,
    property: prop.name,
    message: fail.message,
    ...(conf ? { verdict: conf.kind } : {}),
    ...(fail.ratio !== undefined && Number.isFinite(fail.ratio) ? { ratio: fail.ratio } : {}),
    replay: { runSeed: o.seed, shard: `${o.shard.index}/${o.shard.count}`, cellSeed: s.seed, path, command: replayCommand(o, impl.name, prop.name, s.round === 0 ? path : undefined, s.stream) },
    input,
    ...(o.precision ? { precision: o.precision } : {}),
    ...(o.strict ? { strict: true } : {}),
    ...(fail.expected ? { expected: tensorJson(fail.expected) } : {}),
    ...(fail.actual ? { actual: tensorJson(fail.actual) } : {}),
    ...(conf?.kind === 'nondeterministic' ? { reruns: { failed: conf.failedRuns, runs: conf.runs, outcomes: conf.outcomes } } : {}),
    cases: fail.cases,
    machine: machine(),
    found: new Date().toISOString(),
  };
  if (o.regressionsDir) failure.file = saveRegression(o.regressionsDir, failure);
  cell.failures.push(failure);
  if (conf?.kind === 'nondeterministic') cell.nondeterministic++;
  return failure;
}

/** Carries a failing verdict out of the predicate so the shrunk one need not be recomputed. */
export class VerdictError extends Error {
  constructor(readonly verdict: FailVerdict) {
    super(verdict.message);
  }
}
