/**
 * Before a failure counts, it is re-checked: several times in the same oracle host, then once in
 * a fresh host. A runtime that reads uninitialised memory (TF's oneDNN kernels on some CPUs) gives
 * a different answer from call to call, or only after a warm-up; such a failure is its own
 * verdict class, "nondeterministic", reported with the differing outputs, and never saved as a
 * plain regression that might pass on replay.
 */
import type { Implementation } from '../../properties/implementation.js';
import type { Property, Verdict } from '../../properties/property.js';
import { tensorJson } from '../case/io.js';

/** Checks of one input: the first, RERUNS − 1 more in the same host, then one in a fresh host. */
export const RERUNS = 3;

export type FailVerdict = Verdict & { status: 'fail' };

export interface Confirmation {
  readonly kind: 'reproducible' | 'nondeterministic';
  /** How many of the checks failed, out of how many. */
  readonly failedRuns: number;
  readonly runs: number;
  /** What each check answered (for a nondeterministic failure, the differing outputs). */
  readonly outcomes: readonly Outcome[];
}

export interface Outcome {
  readonly status: Verdict['status'];
  readonly message?: string;
  readonly actual?: { readonly shape: number[]; readonly data: Array<number | string> };
  /** Checked in a freshly started host. */
  readonly freshHost?: boolean;
}

function outcome(v: Verdict, freshHost: boolean): Outcome {
  const base = { status: v.status, ...(freshHost ? { freshHost } : {}) };
  if (v.status === 'pass') return base;
  if (v.status === 'unsupported') return { ...base, message: v.reason };
  if (v.status === 'lenient') return { ...base, message: v.message };
  return { ...base, message: v.message, ...(v.actual ? { actual: tensorJson(v.actual) } : {}) };
}

/** Two outcomes are the same answer when status, message and output agree bit for bit. */
function same(a: Outcome, b: Outcome): boolean {
  return a.status === b.status && a.message === b.message && JSON.stringify(a.actual) === JSON.stringify(b.actual);
}

/** Re-checks a failing input and says whether the failure is reproducible. */
export async function confirm(impl: Implementation, prop: Property<unknown>, input: unknown, first: FailVerdict): Promise<Confirmation> {
  const outcomes: Outcome[] = [outcome(first, false)];
  for (let i = 1; i < RERUNS; i++) outcomes.push(outcome(await prop.check(impl, input), false));
  if (impl.restart) {
    await impl.restart();
    outcomes.push(outcome(await prop.check(impl, input), true));
  }
  const failedRuns = outcomes.filter((o) => o.status === 'fail').length;
  const kind = outcomes.every((o) => same(o, outcomes[0]!)) ? 'reproducible' : 'nondeterministic';
  return { kind, failedRuns, runs: outcomes.length, outcomes };
}

/** A nondeterministic failure's check while shrinking: it fails when any of RERUNS checks fails. */
export async function checkAny(impl: Implementation, prop: Property<unknown>, input: unknown, failing: (v: Verdict) => v is FailVerdict): Promise<Verdict> {
  let last: Verdict = { status: 'pass' };
  for (let i = 0; i < RERUNS; i++) {
    last = await prop.check(impl, input);
    if (failing(last)) return last;
  }
  return last;
}
