/**
 * Precision profiles: how an implementation may compute a float32 (or narrower) convolution, each
 * with a rigorous worst-case error bound against the exact result. docs/precision.md writes the
 * same model out in prose.
 *
 * A profile is three formats: the inputs are rounded to `input` (x̂, ŵ, b̂), products and sums are
 * carried in `acc`, the result is rounded to `output`. Each output element is a dot product of K
 * terms (K = kernel taps × input channels per group) plus a bias. With u the unit roundoff of a
 * format and δ its smallest normal number (a flush-to-zero of subnormals is an absolute error
 * below δ, and round-to-nearest into subnormals is one below δ/2^p, so δ covers both):
 *
 * 1. Input rounding. |x̂ − x| ≤ u_in|x| + δ_in, so for one term
 *      |x̂ŵ − xw| ≤ |x̂ − x||ŵ| + |x||ŵ − w| ≤ (2u_in + u_in²)|x||w| + δ_in(1 + u_in)(|x| + |w|) + δ_in²
 *    and over the element  E_in ≤ (2u_in + u_in²)·Σ|x||w| + δ_in(1 + u_in)(Σ|x| + Σ|w|) + K·δ_in²
 *    + u_in|b| + δ_in, where Σ|x| and Σ|w| run over the element's K terms (computed by running the
 *    reference with the other operand set to ones). When every input is already a value of the
 *    input format (checked exactly: a float16 case under fp16, integer data under any profile),
 *    E_in = 0. The rounded magnitudes obey m̂ = Σ|x̂||ŵ| + |b̂| ≤ (1 + u_in)²Σ|x||w| +
 *    δ_in(1 + u_in)(Σ|x| + Σ|w|) + K·δ_in² + (1 + u_in)|b| + δ_in.
 * 2. Accumulation in any order (Higham, Accuracy and Stability, §3.1): with fl(a ∘ b) =
 *    (a ∘ b)(1 + ε) + η, |ε| ≤ u_acc, |η| ≤ δ_acc, K products and K additions give
 *      E_acc ≤ γ_K·Σ|x̂||ŵ| + u_acc(|ŷ| + |b̂|) + (2K + 2)δ_acc ≤ (K + 2)u_acc/(1 − K·u_acc)·m̂ + (2K + 2)δ_acc
 *    (γ_K = K·u/(1 − K·u); this is convcheck's float32 bound since the start). When K·u_acc ≥ 1
 *    (float16 accumulation of 2048 terms or more) there is no bound and the element is unchecked.
 * 3. Output rounding, when the output format is narrower than the accumulator:
 *      E_out ≤ u_out(|y| + E_in + E_acc) + δ_out,
 *    with y the exact result. If the case's own dtype is narrower than the profile's output (a
 *    float16 case run under fp32), the dtype is the output format: an implementation cannot return
 *    more precision than its dtype holds.
 * 4. Range. float16's largest finite value is 65504 and round-to-nearest gives ±∞ from 65520 on.
 *    An element whose value may reach that in the output (|y| + E ≥ 65520), or whose partial sums
 *    may reach it in a float16 accumulator (m̂(1 + γ) ≥ 65520), or any element of a case with an
 *    input that overflows the input format, may legitimately be ±∞ or NaN (∞ − ∞): its bound is ∞
 *    (unchecked). bfloat16 and tf32 have float32's exponent range, where this never comes up for
 *    data a float32 case can hold.
 *
 * The bound is E_in + E_acc + E_out per element. All of it is worst case: no probability is
 * involved, so an implementation outside it is wrong for the profile, whatever its summation order.
 * The statistical bound of Higham and Mary (2019), |E_acc| ≤ λ√K·u·m̂ with probability at least
 * 1 − 2·exp(−λ²(1 − u)²/2) (λ = 5: 0.99999925) under independent zero-mean rounding errors, is
 * much tighter for fp16 accumulation but is only probabilistic, and rounding errors in
 * convolutions of structured data are not independent: convcheck does not use it to fail anything.
 */
import { lower, referenceWithMagnitude, type ConvCall } from '../../src/conventions/index.js';
import { execute } from '../../src/conventions/lowering.js';
import { BFLOAT16, FLOAT16, FLOAT32, overflowThreshold, representable, roundToFormat, TF32, type Format } from '../../src/core/formats.js';
import type { Tensor } from '../../src/core/tensor.js';

export const PROFILE_NAMES = ['fp32', 'tf32', 'fp16', 'bf16', 'fp16-acc16'] as const;
/** In the order `--precision auto` tries them: the tightest first. */
export type ProfileName = (typeof PROFILE_NAMES)[number];

export interface Profile {
  readonly name: ProfileName;
  readonly summary: string;
  readonly input: Format;
  readonly acc: Format;
  readonly output: Format;
}

export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  fp32: { name: 'fp32', summary: 'float32 inputs, accumulation and output', input: FLOAT32, acc: FLOAT32, output: FLOAT32 },
  tf32: { name: 'tf32', summary: 'inputs rounded to TF32 (10 fraction bits), float32 accumulation and output', input: TF32, acc: FLOAT32, output: FLOAT32 },
  fp16: { name: 'fp16', summary: 'float16 inputs and output, float32 accumulation', input: FLOAT16, acc: FLOAT32, output: FLOAT16 },
  // The output rounding to bfloat16 bounds a float32 output as well (E_out ≥ 0 only adds slack).
  bf16: { name: 'bf16', summary: 'bfloat16 inputs, float32 accumulation, float32 or bfloat16 output', input: BFLOAT16, acc: FLOAT32, output: BFLOAT16 },
  'fp16-acc16': { name: 'fp16-acc16', summary: 'float16 inputs, accumulation and output', input: FLOAT16, acc: FLOAT16, output: FLOAT16 },
};

export function isProfileName(s: string): s is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(s);
}

/** The profile a case's dtype implies when none is asked for: float32 → fp32, float16 → fp16, bfloat16 → bf16. */
export function defaultProfile(dtype: string): ProfileName {
  return dtype === 'float16' ? 'fp16' : dtype === 'bfloat16' ? 'bf16' : 'fp32';
}

const FLOAT64: Format = { name: 'float64', p: 53, emin: -1022, emax: 1023 };
const DTYPE_FORMAT: Record<string, Format> = { float32: FLOAT32, float16: FLOAT16, bfloat16: BFLOAT16, float64: FLOAT64 };

const u = (f: Format) => 2 ** -f.p;
const delta = (f: Format) => 2 ** f.emin;

/** The output format: the profile's, or the case dtype's where that is coarser (the worse of both on each count). */
function outputFormat(p: Profile, dtype: string): { u: number; delta: number; overflow: number } {
  const d = DTYPE_FORMAT[dtype] ?? FLOAT32;
  return { u: Math.max(u(p.output), u(d)), delta: Math.max(delta(p.output), delta(d)), overflow: Math.min(overflowThreshold(p.output), overflowThreshold(d)) };
}

function mapInputs(call: ConvCall, f: (x: number) => number): ConvCall {
  const inputs = Object.fromEntries(Object.entries(call.inputs).map(([k, t]) => [k, { shape: t.shape, data: t.data.map(f) }]));
  return { ...call, inputs };
}

export interface ElementBounds {
  /** Per-element bound on |actual − exact|; ∞ where the profile allows anything (overflow). */
  readonly bound: Float64Array;
  readonly K: number;
  /** The reference value, computed in the same pass as the magnitudes. */
  readonly reference: Tensor;
}

/**
 * The bound for `call` computed under profile `p`. float64 cases keep the float64 model (u = 2⁻⁵³):
 * profiles describe float32-and-narrower computation.
 */
export function profileBound(call: ConvCall, dtype: string, p: Profile): ElementBounds {
  // One pass gives the value and m = Σ|x||w| + |b| per element (src/core/fast).
  const { value, magnitude, lowering: l } = referenceWithMagnitude(call);
  const K = l.rhs.data.length / Math.max(1, l.rhs.shape[l.layout.rhs[l.layout.rhs.length - 1]!]!);
  const m = magnitude.data;
  if (dtype === 'float64') return { bound: accumulation(m, K, FLOAT64), K, reference: value };

  const fin = p.input;
  // Inputs are values of the case's dtype: read in a format at least as wide (fp32 on a float32
  // case, the common one), they round to themselves and cannot overflow; no need to look.
  const d = DTYPE_FORMAT[dtype] ?? FLOAT32;
  const widens = fin.p >= d.p && fin.emin <= d.emin && fin.emax >= d.emax;
  const all = widens ? [] : Object.values(call.inputs).flatMap((t) => Array.from(t.data));
  const exact = widens || all.every((x) => representable(x, fin));
  const inputOverflow = !widens && all.some((x) => Number.isFinite(x) && !Number.isFinite(roundToFormat(x, fin)));
  let eIn = new Float64Array(m.length);
  let mHat = m;
  if (!exact) {
    const abs = lower(mapInputs(call, Math.abs));
    const ui = u(fin);
    const di = delta(fin);
    const ones = (t: Tensor): Tensor => ({ shape: t.shape, data: t.data.map(() => 1) });
    const noBias = { ...abs, bias: undefined };
    const xw = execute(noBias).data; // Σ|x||w|
    const sx = execute({ ...noBias, rhs: ones(abs.rhs) }).data; // Σ|x| over the K terms
    const sw = execute({ ...noBias, lhs: ones(abs.lhs) }).data; // Σ|w| over the K terms
    const hasBias = abs.bias !== undefined;
    eIn = xw.map((v, i) => {
      const b = m[i]! - v;
      return (2 * ui + ui * ui) * v + di * (1 + ui) * (sx[i]! + sw[i]!) + K * di * di + (hasBias ? ui * b + di : 0);
    });
    mHat = xw.map((v, i) => {
      const b = m[i]! - v;
      return (1 + ui) ** 2 * v + di * (1 + ui) * (sx[i]! + sw[i]!) + K * di * di + (hasBias ? (1 + ui) * b + di : 0);
    });
  }
  const eAcc = accumulation(mHat, K, p.acc);
  const out = outputFormat(p, dtype);
  const narrower = out.u > u(p.acc);
  const y = narrower ? value.data : undefined;
  const accOverflow = p.acc.emax < 127 ? overflowThreshold(p.acc) : Infinity;
  const gamma = (K * u(p.acc)) / (1 - K * u(p.acc));
  const bound = m.map((_, i) => {
    if (inputOverflow) return Infinity;
    if (mHat[i]! * (1 + gamma) >= accOverflow) return Infinity;
    const pre = eIn[i]! + eAcc[i]!;
    if (!narrower) return pre;
    const mag = Math.abs(y![i]!) + pre;
    if (!(mag < out.overflow)) return Infinity;
    return pre + out.u * mag + out.delta;
  });
  return { bound, K, reference: value };
}

/** E_acc = (K + 2)u/(1 − K·u)·m + (2K + 2)δ, or ∞ (no bound) when K·u ≥ 1. */
function accumulation(m: Float64Array, K: number, f: Format): Float64Array {
  const ua = u(f);
  if (K * ua >= 1) return m.map(() => Infinity);
  const scale = ((K + 2) * ua) / (1 - K * ua);
  const floor = (2 * K + 2) * delta(f);
  return m.map((v) => v * scale + floor);
}
