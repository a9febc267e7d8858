/**
 * The tolerance model. Each output element is a dot product of K terms (K = kernel taps × input
 * channels per group) plus a bias; an implementation computes it under some precision profile
 * (properties/precision/profiles.ts, docs/precision.md): fp32 (the default for float32 cases),
 * tf32, fp16, bf16 or fp16-acc16. For fp32 the bound is the classic one: with the standard model
 * fl(a ∘ b) = (a ∘ b)(1 + δ) + η, |δ| ≤ u, |η| ≤ η₀, any summation order gives
 *
 *   |ŷ − y| ≤ γ_K Σ|x||w| + u(|y| + |b|) + (2K + 2)·η₀,     γ_K = K·u / (1 − K·u)
 *
 * so each element gets the bound (K + 2)·u·m / (1 − K·u) + (2K + 2)·η₀, with m = Σ|x||w| + |b|
 * per element (computed with the reference value in one pass: referenceWithMagnitude).
 * u = 2⁻²⁴ (float32) or 2⁻⁵³ (float64).
 * η₀ is the smallest normal number (2⁻¹²⁶, 2⁻¹⁰²²), not half the smallest subnormal: optimized
 * kernels (MLAS, oneDNN, XNNPACK) flush subnormals to zero, which is a legitimate float32
 * evaluation, and convcheck should not call it wrong. Inputs are already values of the dtype, so
 * under fp32 input rounding adds nothing. The reduced-precision profiles add input rounding,
 * a float16 accumulator, output rounding and float16's range. Failures are reported as error /
 * bound: above 1 is outside what any correct evaluation under the profile can produce.
 *
 * Non-finite values: where the reference is NaN the implementation must give NaN; where it is ±∞
 * the same infinity; a finite reference must meet a finite answer within the bound, except where
 * the bound is ∞ (float16 overflow is possible there, so any answer is allowed).
 */
import type { ConvCall } from '../src/conventions/index.js';
import type { Tensor } from '../src/core/tensor.js';
import { defaultProfile, PROFILES, profileBound, type ProfileName } from './precision/profiles.js';

export const UNIT_ROUNDOFF = { float32: 2 ** -24, float64: 2 ** -53 } as const;
/** Absolute error of one operation near underflow (flush-to-zero allowed): the smallest normal. */
export const UNDERFLOW = { float32: 2 ** -126, float64: 2 ** -1022 } as const;

export interface Bound {
  /** Per-element bound on |actual − reference|. */
  readonly bound: Float64Array;
  readonly K: number;
  /** The reference value, computed in the same pass as the bound. */
  readonly reference: Tensor;
}

/**
 * The bound for a call of `dtype` computed under `profile` (default: the dtype's own, fp32 for
 * float32). float64 calls always get the float64 bound.
 */
export function errorBound(call: ConvCall, dtype: string, profile?: ProfileName): Bound {
  return profileBound(call, dtype, PROFILES[profile ?? defaultProfile(dtype)]);
}

export interface Comparison {
  readonly ok: boolean;
  /** Largest error / bound (Infinity for a non-finite mismatch or a zero bound exceeded). */
  readonly ratio: number;
  readonly worstIndex: number;
  readonly expected: number;
  readonly actual: number;
  readonly message?: string;
}

export function compareTo(reference: Tensor, actual: { shape: readonly number[]; data: Float64Array }, bound: Float64Array): Comparison {
  if (reference.shape.join() !== actual.shape.join()) {
    return { ok: false, ratio: Infinity, worstIndex: -1, expected: NaN, actual: NaN, message: `shape [${actual.shape.join(', ')}], expected [${reference.shape.join(', ')}]` };
  }
  let worst = 0;
  let at = 0;
  for (let i = 0; i < reference.data.length; i++) {
    const e = reference.data[i]!;
    const a = actual.data[i]!;
    let r: number;
    if (Number.isNaN(e)) r = Number.isNaN(a) ? 0 : Infinity;
    else if (!Number.isFinite(e)) r = a === e ? 0 : Infinity;
    else if (bound[i] === Infinity) r = 0;
    else if (!Number.isFinite(a)) r = Infinity;
    else {
      const err = Math.abs(a - e);
      r = err === 0 ? 0 : bound[i]! === 0 ? Infinity : err / bound[i]!;
    }
    if (r > worst) {
      worst = r;
      at = i;
    }
  }
  const ok = worst <= 1;
  return { ok, ratio: worst, worstIndex: at, expected: reference.data[at] ?? NaN, actual: actual.data[at] ?? NaN };
}
