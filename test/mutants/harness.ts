/**
 * Running the zoo through `validate`. A full validate spends every property's share of the
 * budget even after one has failed; for a mutant we only want the first property that catches
 * it, so `detect` calls validate one property at a time, in the suite's order, with each
 * property's share of the budget (validate gives each cell budget / #properties, and a cell's
 * seed depends only on the run seed, the implementation and the property, so these cells are
 * exactly the cells of the full run), and stops at the first failure.
 */
import fc from 'fast-check';
import { PROPERTIES } from '../../properties/index.js';
import type { CaseJson } from '../../src/case/case.js';
import { propertyByName, type CellResult } from '../../src/runner/run.js';
import { cellSeed } from '../../src/runner/seeds.js';
import { adapterImplementation, type Adapter } from '../../src/validate/adapter.js';
import { validate, type Validation } from '../../src/validate/validate.js';

export const RUNS = 200;
export const BUDGET_MS = 20_000;
export const PROPERTY_ORDER: readonly string[] = PROPERTIES.map((p) => p.name);

export interface Detection {
  /** The validate() result of the property that caught it (ok === false), if any did. */
  readonly validation?: Validation;
  /** The cell that failed. */
  readonly caught?: CellResult;
  /** Its position in PROPERTY_ORDER (-1 when nothing caught it). */
  readonly index: number;
  /** Every cell run, in order, up to and including the failing one. */
  readonly cells: readonly CellResult[];
  /** Wall time until the failure was reported, shrinking included. */
  readonly ms: number;
}

export interface DetectOptions {
  readonly runs?: number;
  readonly timeBudgetMs?: number;
}

export async function detect(adapter: Adapter, seed: number, o: DetectOptions = {}): Promise<Detection> {
  const per = Math.floor((o.timeBudgetMs ?? BUDGET_MS) / PROPERTY_ORDER.length);
  const cells: CellResult[] = [];
  const t0 = performance.now();
  for (const [index, property] of PROPERTY_ORDER.entries()) {
    const validation = await validate(adapter, { seed, runs: o.runs ?? RUNS, timeBudgetMs: per, properties: [property], regressionsDir: null, strict: true });
    const cell = validation.cells[0]!;
    cells.push(cell);
    if (!validation.ok) return { validation, caught: cell, index, cells, ms: performance.now() - t0 };
  }
  return { index: -1, cells, ms: performance.now() - t0 };
}

/** Total number of input elements in a failure's cases. */
export function caseSize(cases: readonly CaseJson[]): number {
  return cases.reduce((n, c) => n + Object.values(c.inputs).reduce((m, t) => m + t.data.length, 0), 0);
}

/** One line per case, for test output. */
export function describeFailure(cell: CellResult): string {
  const f = cell.failure;
  if (!f) return `${cell.property}: ${cell.note ?? 'failed'}`;
  return [`${cell.property}: ${f.message}`, ...f.cases.map((c) => `  case: ${JSON.stringify(c)}`), `  replay: ${f.replay?.command ?? "(none)"}`].join('\n');
}

/**
 * Time until the property's first failing input, without shrinking: the same cell (same seed,
 * same arbitrary, same budget) as validate runs, stopped at the first failure.
 */
export async function timeToFirstFailure(adapter: Adapter, property: string, seed: number, o: DetectOptions = {}): Promise<{ ms: number; cases: number }> {
  const impl = adapterImplementation(adapter);
  const prop = propertyByName(property);
  const arb = prop.arbitrary(impl, { float64: impl.float64 });
  if (!arb) return { ms: NaN, cases: 0 };
  const per = Math.max(250, Math.floor((o.timeBudgetMs ?? BUDGET_MS) / PROPERTY_ORDER.length));
  let cases = 0;
  const t0 = performance.now();
  await fc.check(
    fc.asyncProperty(arb, async (input) => {
      cases++;
      const status = (await prop.check(impl, input)).status;
      return status !== 'fail' && status !== 'lenient'; // as validate --strict
    }),
    { seed: cellSeed(seed, impl.name, property), numRuns: o.runs ?? RUNS, interruptAfterTimeLimit: per, markInterruptAsFailure: false, endOnFailure: true },
  );
  return { ms: performance.now() - t0, cases };
}
