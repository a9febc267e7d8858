/**
 * Running an implementation on a case and judging its answer: the pieces every property shares.
 */
import type { OracleResult } from '../oracles/types.js';
import { parseCase, type CaseJson } from '../src/case/case.js';
import { ConvError } from '../src/core/errors.js';
import type { Tensor } from '../src/core/tensor.js';
import { runReference, type Implementation } from './implementation.js';
import type { Verdict } from './property.js';
import { boundOf } from './bound-pool.js';
import { compareTo, type Bound } from './tolerance.js';

/** reference: the reference value, when it came with the bound (runValid). */
export type Ran = { ok: true; out: Tensor; bound: Float64Array; reference?: Tensor } | { ok: false; verdict: Verdict };

/**
 * Runs a case that the convention accepts; anything but a value becomes the verdict. The bound
 * and the reference value (one pass) are computed while the implementation's answer is in flight:
 * an oracle runs in its own process, so the two overlap.
 */
export async function runValid(impl: Implementation, json: CaseJson, cases: readonly CaseJson[] = [json]): Promise<Ran> {
  const call = parseCase(json, 'property');
  const pending: Promise<OracleResult> = impl.run(call);
  // A rejection is seen when the answer is awaited below; until then it is not "unhandled".
  pending.catch(() => undefined);
  // Let the call leave first (an out-of-process oracle sends the calls of a turn together at the
  // end of it), so the oracle computes while the reference is computed (here or on a worker).
  await new Promise<void>((r) => setImmediate(r));
  let bound: Bound | undefined;
  let boundError: unknown;
  try {
    bound = await boundOf(call, call.dtype, impl.precision);
  } catch (e) {
    boundError = e;
  }
  const r = await pending;
  switch (r.kind) {
    case 'value': {
      if (!bound) {
        // Some properties build calls from the implementation's own outputs (shape law); when
        // those shapes were wrong, the call may be one the convention refuses.
        if (boundError instanceof ConvError) return { ok: false, verdict: { status: 'fail', message: `${impl.name} returned a value for a call the convention rejects: ${boundError.message}`, cases } };
        throw boundError;
      }
      return { ok: true, out: { shape: r.shape, data: r.data }, bound: bound.bound, reference: bound.reference };
    }
    case 'unsupported':
      return { ok: false, verdict: { status: 'unsupported', reason: r.reason } };
    case 'rejected':
      return { ok: false, verdict: { status: 'fail', message: `${impl.name} rejected a call the convention accepts: ${r.error}`, cases } };
    case 'failed':
      return { ok: false, verdict: { status: 'fail', message: `${impl.name} failed: ${r.error}`, cases } };
  }
}

/** The implementation against the float64 reference, within the tolerance model. */
export async function differential(impl: Implementation, json: CaseJson): Promise<Verdict> {
  const ran = await runValid(impl, json);
  if (!ran.ok) return ran.verdict;
  // The reference value came with the bound, in the same pass.
  let ref: Tensor;
  if (ran.reference) ref = ran.reference;
  else {
    const r = runReference(parseCase(json, 'property'));
    if (r.kind !== 'value') return { status: 'fail', message: `the reference rejected a generated case: ${'error' in r ? r.error : r.kind}`, cases: [json] };
    ref = { shape: r.shape, data: r.data };
  }
  const cmp = compareTo({ shape: ref.shape, data: ref.data }, ran.out, ran.bound);
  if (cmp.ok) return { status: 'pass', ratio: cmp.ratio };
  return {
    status: 'fail',
    message: cmp.message ?? `output[${cmp.worstIndex}] = ${cmp.actual}, reference ${cmp.expected}: error ${fmtRatio(cmp.ratio)} × its bound`,
    cases: [json],
    ratio: cmp.ratio,
    expected: { shape: ref.shape, data: ref.data },
    actual: ran.out,
  };
}

export function fmtRatio(r: number): string {
  return Number.isFinite(r) ? r.toPrecision(3) : '∞';
}

/** Two outputs of the same implementation that must agree within the sum of their bounds. */
export function agree(what: string, a: Ran & { ok: true }, b: Ran & { ok: true }, cases: readonly CaseJson[]): Verdict {
  const bound = a.bound.map((x, i) => x + (b.bound[i] ?? 0));
  const cmp = compareTo(a.out, b.out, bound);
  if (cmp.ok) return { status: 'pass', ratio: cmp.ratio };
  return {
    status: 'fail',
    message: cmp.message ? `${what}: ${cmp.message}` : `${what}: element ${cmp.worstIndex} is ${cmp.actual} vs ${cmp.expected} (${fmtRatio(cmp.ratio)} × bound)`,
    cases,
    ratio: cmp.ratio,
    expected: a.out,
    actual: b.out,
  };
}
