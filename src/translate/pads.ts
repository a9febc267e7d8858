/**
 * Inverse padding algebra: given the canonical signed pads (lo, hi) of one axis, which native
 * padding of a target convention gives them, and when none does, which nearby native padding
 * plus an exact pad/crop recipe. The forward direction (native -> canonical) lives in
 * core/shapes.ts and the conventions; every choice made here is checked against it by lowering
 * the translated call.
 */
import { dilatedSize, samePadding, transposePadding, type PadPair } from '../core/shapes.js';
import { jaxTransposePadding } from '../conventions/jax.js';

// ---------------------------------------------------------------------------------------------
// Forward convs. The input is padded to `dilated + lo + hi` before a valid strided window, so
// padding the input by `pre` and then letting the target pad by `pads` is the same computation
// when pre + pads = (lo, hi) — provided nothing is cropped and then padded back with zeros on
// the same side (a crop must meet a target pad of 0).

export interface ForwardChoice {
  /** Pads the target call applies itself. */
  readonly pads: PadPair;
  /** Signed pad of the input before the call (the recipe); [0, 0] when none is needed. */
  readonly pre: PadPair;
}

/** Targets that take any pads >= 0 per side (ONNX Conv, TF explicit): crops go to the recipe. */
export function nonNegativeSplit([lo, hi]: PadPair): ForwardChoice {
  return { pads: [Math.max(0, lo), Math.max(0, hi)], pre: [Math.min(0, lo), Math.min(0, hi)] };
}

/** torch: one pad p >= 0 for both sides; the recipe pads (or crops) the difference. */
export function symmetricSplit([lo, hi]: PadPair): ForwardChoice {
  const p = Math.max(0, Math.min(lo, hi));
  return { pads: [p, p], pre: [lo - p, hi - p] };
}

/** torch padding='same': k_eff - 1 split with the odd element at the end (stride 1 only). */
export function torchSame(effK: number): PadPair {
  const lo = Math.floor((effK - 1) / 2);
  return [lo, effK - 1 - lo];
}

// ---------------------------------------------------------------------------------------------
// Transposed convs: canonical form lhs_dilation = s, stride 1, pads (lo, hi) of the dilated
// input. A target call computes its own (low', high'); its output is the original's shifted by
// low' - lo. So crop (low' - lo, high' - hi) from its output. A negative crop adds zeros, which
// is exact only where the original's windows see no data at all: at the start when
// low' >= k_eff - 1 (its first window already ends before the data), likewise at the end.

export interface TransposeChoice {
  /** The target call's canonical pads. */
  readonly pads: PadPair;
  /** Signed crop of the target's output (the recipe); [0, 0] when none is needed. */
  readonly crop: PadPair;
}

/** The crop that maps a target's pads to the wanted ones, or undefined when it is not exact. */
export function cropFor(want: PadPair, got: PadPair, effK: number): TransposeChoice | undefined {
  const crop: PadPair = [got[0] - want[0], got[1] - want[1]];
  if (crop[0] < 0 && got[0] < effK - 1) return undefined;
  if (crop[1] < 0 && got[1] < effK - 1) return undefined;
  return { pads: got, crop };
}

const cost = (c: TransposeChoice) => Math.abs(c.crop[0]) + Math.abs(c.crop[1]);

/** The exact choice with the smallest crop (a crop of 0 is a direct translation). */
export function best<T extends TransposeChoice>(choices: readonly (T | undefined)[]): T | undefined {
  let out: T | undefined;
  for (const c of choices) if (c && (!out || cost(c) < cost(out))) out = c;
  return out;
}

export const isDirect = (c: { crop?: PadPair; pre?: PadPair }) => [...(c.crop ?? [0, 0]), ...(c.pre ?? [0, 0])].every((x) => x === 0);

/** One axis of a transposed conv: its canonical pads (lo, hi), kernel, stride, dilation, input size. */
export interface TAxis {
  readonly pads: PadPair;
  readonly effK: number;
  readonly s: number;
  readonly d: number;
  readonly inSize: number;
}

/**
 * ONNX ConvTranspose: forward pads (b, e) >= 0 and output_padding a. Its canonical pads are
 * (k_eff-1-b, k_eff-1-e+a) (transposePadding with out = s(in-1) + a + k_eff - b - e). Each side is
 * independent: take what the wanted pads need, clamped to what ONNX allows.
 *
 * NB: a < s, stricter than the spec's "less than stride/dilation": onnxruntime refuses
 * a >= stride (oracles/ort/NOTES.md), and a crop recipe is exact everywhere.
 */
export function onnxTranspose(ax: TAxis): TransposeChoice & { begin: number; end: number; outputPadding: number } {
  const [lo, hi] = ax.pads;
  const k1 = ax.effK - 1;
  const aMax = ax.s - 1;
  let begin = Math.max(0, k1 - lo);
  let end = Math.max(0, k1 - hi);
  let outputPadding = Math.min(aMax, Math.max(0, hi - (k1 - end)));
  // ONNX refuses an empty output; the widest output (no pads) always has one.
  if (outSize(ax, [k1 - begin, k1 - end + outputPadding]) < 1) [begin, end, outputPadding] = [0, 0, aMax];
  const got: PadPair = [k1 - begin, k1 - end + outputPadding];
  return { ...cropFor(ax.pads, got, ax.effK)!, begin, end, outputPadding };
}

/** Output size of the canonical transposed form with pads `p`. */
function outSize(ax: TAxis, p: PadPair): number {
  return dilatedSize(ax.inSize, ax.s) + p[0] + p[1] - ax.effK + 1;
}

/**
 * torch conv_transpose: one padding p >= 0 for both sides of the forward conv and
 * output_padding a < max(s, d) at the end: canonical (k_eff-1-p, k_eff-1-p+a). Exact when
 * p = k_eff-1-lo >= 0 and hi - lo in [0, a_max]; otherwise the largest p that needs no zero
 * padding of the output, and the a that gets closest to hi.
 */
export function torchTranspose(ax: TAxis, minOut: number): TransposeChoice & { padding: number; outputPadding: number } {
  const [lo, hi] = ax.pads;
  const k1 = ax.effK - 1;
  const aMax = Math.max(ax.s, ax.d) - 1;
  let padding = Math.max(0, Math.min(k1 - lo, k1 - hi + aMax));
  let outputPadding = Math.min(aMax, Math.max(0, hi - (k1 - padding)));
  // torch's ungrouped path refuses an empty output; the widest output (p = 0) always has one.
  if (outSize(ax, [k1 - padding, k1 - padding + outputPadding]) < minOut) [padding, outputPadding] = [0, aMax];
  const got: PadPair = [k1 - padding, k1 - padding + outputPadding];
  return { ...cropFor(ax.pads, got, ax.effK)!, padding, outputPadding };
}

/** A TF transposed-conv axis: its output size and forward pads. */
export interface TfTransposeChoice extends TransposeChoice {
  readonly out: number;
  readonly forward: PadPair;
}

/**
 * TF's transposed conv is the gradient of the forward conv from `out` elements (padded by
 * `forward`) to the input; it must give back the input's size (TF's truncating size rule).
 */
function tfChoice(ax: TAxis, out: number, forward: PadPair): TfTransposeChoice | undefined {
  if (out < 0 || Math.trunc((out + forward[0] + forward[1] - ax.effK + ax.s) / ax.s) !== ax.inSize) return undefined;
  const got = transposePadding(ax.inSize, out, ax.effK, ax.s, forward[0]);
  const c = cropFor(ax.pads, got, ax.effK);
  return c && { ...c, out, forward };
}

/** padding='SAME' or 'VALID': the output sizes that map back to the input, best exact one. */
export function tfTransposeString(ax: TAxis, mode: 'SAME' | 'VALID'): TfTransposeChoice | undefined {
  const first = mode === 'SAME' ? (ax.inSize - 1) * ax.s + 1 : (ax.inSize - 1) * ax.s + ax.effK;
  const outs = Array.from({ length: ax.s }, (_, i) => first + i);
  return best(outs.map((o) => tfChoice(ax, o, mode === 'SAME' ? samePadding(o, ax.effK, ax.s) : [0, 0])));
}

/**
 * Explicit forward pads (conv2d_transpose): canonical (k_eff-1-b, k_eff-1-e+a) with b, e >= 0 and
 * a in [0, s-1] the output_shape slack the forward conv never reads.
 */
export function tfTransposeExplicit(ax: TAxis): TfTransposeChoice | undefined {
  const [lo, hi] = ax.pads;
  const k1 = ax.effK - 1;
  const b = Math.max(0, k1 - lo);
  const e = Math.max(0, k1 - hi);
  const a = Math.min(ax.s - 1, Math.max(0, hi - (k1 - e)));
  const got: PadPair = [k1 - b, k1 - e + a];
  const out = dilatedSize(ax.inSize, ax.s) + got[0] + got[1] - ax.effK + 1;
  return tfChoice(ax, out, [b, e]);
}

/** jax.lax.conv_transpose's `_conv_transpose_padding` for 'SAME' and 'VALID' (k the dilated kernel). */
export function jaxTransposeStringPads(effK: number, s: number, mode: 'SAME' | 'VALID'): PadPair {
  return jaxTransposePadding('jax.lax.conv_transpose', effK, s, mode);
}
