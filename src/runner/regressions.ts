/**
 * The regression corpus: every failure a run finds, shrunk, as a JSON file under regressions/
 * that replays without the seed (the property's input is stored whole).
 */
import { isProfileName, PROFILE_NAMES } from '../../properties/precision/profiles.js';
import type { PrecisionMode } from './precision.js';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseJson } from '../case/case.js';
import { writeFileAtomic } from '../case/io.js';
import type { Machine } from '../machine.js';
import type { Outcome } from './confirm.js';
import { hashText } from './seeds.js';

export interface Regression {
  readonly oracle: string;
  readonly property: string;
  readonly message: string;
  readonly ratio?: number;
  /** Known finding id (oracles/known/*.json), if the failure is one. */
  readonly known?: string;
  /**
   * How the failure behaved when re-checked (src/runner/confirm.ts): the same every time, or
   * not. A nondeterministic one is replayed several times and may pass: that proves nothing.
   */
  readonly verdict?: 'reproducible' | 'nondeterministic';
  /** A nondeterministic failure's re-checks: how many failed, and what each answered. */
  readonly reruns?: { readonly failed: number; readonly runs: number; readonly outcomes: readonly Outcome[] };
  /** The machine it was found on (src/machine.ts). */
  readonly machine?: Machine;
  /** How to get here again by search: the run seed, shard, and fast-check's cell seed and path. */
  readonly replay?: { readonly runSeed: number; readonly shard: string; readonly cellSeed: number; readonly path: string; readonly command: string };
  /** The property's input (cases and extra draws): replaying checks exactly this. */
  readonly input: unknown;
  /** The run's --precision, when it had one: replay judges under it again. */
  readonly precision?: PrecisionMode;
  /** Found under --strict (leniency a failure). */
  readonly strict?: boolean;
  /** The two outputs compared, when the failure is numeric (plain arrays, for reports). */
  readonly expected?: { readonly shape: number[]; readonly data: Array<number | string> };
  readonly actual?: { readonly shape: number[]; readonly data: Array<number | string> };
  /** The cases of the counterexample, in the eval format. */
  readonly cases: readonly CaseJson[];
  readonly found: string;
}

export function regressionPath(dir: string, r: Pick<Regression, 'oracle' | 'property' | 'input'>): string {
  return join(dir, r.oracle, `${r.property}-${hashText(JSON.stringify(r.input))}.json`);
}

export function saveRegression(dir: string, r: Regression): string {
  const path = regressionPath(dir, r);
  writeFileAtomic(path, JSON.stringify(r, null, 1) + '\n');
  return path;
}

/** All regression files under the given files or directories. */
export function listRegressions(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    if (statSync(p).isDirectory()) {
      for (const e of readdirSync(p).sort()) walk(join(p, e));
    } else if (p.endsWith('.json')) out.push(p);
  };
  paths.forEach(walk);
  return out;
}

export class BadRegressionError extends Error {}

/** Reads one regression; a truncated, garbage or unreadable file is a BadRegressionError naming it. */
export function loadRegression(path: string): Regression {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new BadRegressionError(`${path}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let r: Regression;
  try {
    r = JSON.parse(text) as Regression;
  } catch (e) {
    throw new BadRegressionError(`${path}: not JSON (truncated or corrupt?): ${(e as Error).message}`);
  }
  if (r === null || typeof r !== 'object' || typeof r.oracle !== 'string' || typeof r.property !== 'string' || r.input === undefined || !Array.isArray(r.cases)) {
    throw new BadRegressionError(`${path}: not a convcheck regression (needs oracle, property, input, cases)`);
  }
  if (r.precision !== undefined && r.precision !== 'auto' && !isProfileName(r.precision)) {
    throw new BadRegressionError(`${path}: precision must be auto or one of ${PROFILE_NAMES.join(', ')}, got ${JSON.stringify(r.precision)}`);
  }
  return r;
}
