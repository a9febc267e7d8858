/**
 * The three primitives the reference is built from (as in JAX's lax_reference): dilate, signed
 * pad, and valid strided correlation. They act on canonical channels-last operands:
 * lhs [N, S1..Sr, C] and rhs [K1..Kr, I, O].
 */
import type { PadPair } from './shapes.js';
import { dilatedSize, windowCount } from './shapes.js';
import { stridesOf, type Tensor } from './tensor.js';

/** Inserts `factor - 1` zeros between neighbours along each spatial axis (lhs dilation). */
export function dilate(x: Tensor, factors: readonly number[]): Tensor {
  if (factors.every((f) => f === 1)) return x;
  const r = factors.length;
  const shape = x.shape.map((d, a) => (a >= 1 && a <= r ? dilatedSize(d, factors[a - 1]!) : d));
  return scatterSpatial(x, shape, (a, i) => i * factors[a]!);
}

/**
 * Pads each spatial axis by a signed [low, high]: positive adds zeros, negative crops.
 * Callers guarantee the padded size is >= 0 (convInfo checks it).
 */
export function pad(x: Tensor, pads: readonly PadPair[]): Tensor {
  if (pads.every(([lo, hi]) => lo === 0 && hi === 0)) return x;
  const r = pads.length;
  const shape = x.shape.map((d, a) => (a >= 1 && a <= r ? d + pads[a - 1]![0] + pads[a - 1]![1] : d));
  return scatterSpatial(x, shape, (a, i) => i + pads[a]![0]);
}

/**
 * Copies each input element to a new position along the spatial axes (`place(axis, index)`),
 * dropping those that land outside `shape`; the rest of the output is zero.
 */
function scatterSpatial(x: Tensor, shape: readonly number[], place: (axis: number, index: number) => number): Tensor {
  const r = shape.length - 2;
  const out = new Float64Array(shape.reduce((a, b) => a * b, 1));
  const outStrides = stridesOf(shape);
  const channels = x.shape[r + 1]!;
  const rows = x.data.length / Math.max(channels, 1);
  // Per-axis destination offset (or -1 when dropped), precomputed once.
  const dest = Array.from({ length: r }, (_, a) =>
    Int32Array.from({ length: x.shape[a + 1]! }, (_, i) => {
      const p = place(a, i);
      return p >= 0 && p < shape[a + 1]! ? p * outStrides[a + 1]! : -1;
    }),
  );
  const idx = new Array<number>(r + 1).fill(0); // [n, s1..sr]
  for (let row = 0; row < rows; row++) {
    let off = idx[0]! * outStrides[0]!;
    let keep = true;
    for (let a = 0; a < r && keep; a++) {
      const d = dest[a]![idx[a + 1]!]!;
      if (d < 0) keep = false;
      else off += d;
    }
    if (keep) out.set(x.data.subarray(row * channels, (row + 1) * channels), off);
    for (let a = r; a >= 0; a--) {
      if (++idx[a]! < x.shape[a]!) break;
      idx[a] = 0;
    }
  }
  return { shape, data: out };
}

export interface CorrelateParams {
  readonly strides: readonly number[];
  readonly rhsDilation: readonly number[];
  readonly featureGroupCount: number;
  readonly batchGroupCount: number;
}

/**
 * Valid strided correlation, accumulated in float64:
 *
 *   out[n, p, o] = Σ_k Σ_i  x[n_g, p·s + k·d, c_g + i] · w[k, i, o]
 *
 * where o's group g picks the input channels c_g (feature groups) or the batch slice n_g
 * (batch groups, XLA's semantics: lhs batch = g·(N/bgc) + n).
 *
 * NB: each output is a single contiguous dot product (window values gathered once, kernel
 * regrouped once), which a plain JS loop runs fast: see bench/kernel.ts.
 */
export function correlate(x: Tensor, w: Tensor, p: CorrelateParams): Tensor {
  const r = p.strides.length;
  const N = x.shape[0]!;
  const [I, O] = [w.shape[r]!, w.shape[r + 1]!];
  const inSp = x.shape.slice(1, r + 1);
  const kSp = w.shape.slice(0, r);
  const effK = kSp.map((k, a) => dilatedSize(k, p.rhsDilation[a]!));
  const outSp = inSp.map((l, a) => windowCount(l, effK[a]!, p.strides[a]!));
  const fgc = p.featureGroupCount;
  const bgc = p.batchGroupCount;
  const groups = fgc * bgc; // one of them is 1
  const outN = N / bgc;
  const Og = O / groups;
  const outShape = [outN, ...outSp, O];
  const out = new Float64Array(outShape.reduce((a, b) => a * b, 1));
  const outPositions = outSp.reduce((a, b) => a * b, 1);
  if (out.length === 0) return { shape: outShape, data: out };

  const xStrides = stridesOf(x.shape);
  // Offsets (in x) of every kernel tap relative to the window origin, and of every output
  // position's window origin relative to the batch start: the rank-generic part, done once.
  const taps = kSp.reduce((a, b) => a * b, 1);
  const tapOffset = new Int32Array(taps);
  forEachIndex(kSp, (k, t) => {
    let off = 0;
    for (let a = 0; a < r; a++) off += k[a]! * p.rhsDilation[a]! * xStrides[a + 1]!;
    tapOffset[t] = off;
  });
  const originOffset = new Int32Array(outPositions);
  forEachIndex(outSp, (o, t) => {
    let off = 0;
    for (let a = 0; a < r; a++) off += o[a]! * p.strides[a]! * xStrides[a + 1]!;
    originOffset[t] = off;
  });

  // Kernel regrouped as wT[o][t·I + i], so each output is one contiguous dot product against
  // the window's values gathered in the same order (im2col, one window at a time).
  const span = taps * I;
  const wT = new Float64Array(O * span);
  for (let t = 0; t < taps; t++) {
    for (let i = 0; i < I; i++) {
      for (let o = 0; o < O; o++) wT[o * span + t * I + i] = w.data[(t * I + i) * O + o]!;
    }
  }
  const xd = x.data;
  const patch = new Float64Array(span);
  for (let n = 0; n < outN; n++) {
    for (let g = 0; g < groups; g++) {
      const xBatch = bgc > 1 ? g * outN + n : n;
      const c0 = fgc > 1 ? g * I : 0;
      const o0 = g * Og;
      const xBase = xBatch * xStrides[0]! + c0;
      for (let pos = 0; pos < outPositions; pos++) {
        const origin = xBase + originOffset[pos]!;
        for (let t = 0; t < taps; t++) {
          const from = origin + tapOffset[t]!;
          for (let i = 0; i < I; i++) patch[t * I + i] = xd[from + i]!;
        }
        const outBase = (n * outPositions + pos) * O;
        let o = o0;
        for (; o + 3 < o0 + Og; o += 4) dot4(patch, wT, o * span, span, out, outBase + o);
        for (; o < o0 + Og; o++) out[outBase + o] = dot(patch, wT, o * span, span);
      }
    }
  }
  return { shape: outShape, data: out };
}

/** Four outputs at once: each window value is loaded once for four kernel rows. */
function dot4(a: Float64Array, b: Float64Array, off: number, n: number, out: Float64Array, at: number): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const [b0, b1, b2, b3] = [off, off + n, off + 2 * n, off + 3 * n];
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    s0 += v * b[b0 + i]!;
    s1 += v * b[b1 + i]!;
    s2 += v * b[b2 + i]!;
    s3 += v * b[b3 + i]!;
  }
  out[at] = s0;
  out[at + 1] = s1;
  out[at + 2] = s2;
  out[at + 3] = s3;
}

/** Σ a[i]·b[off + i] over n terms, four partial sums (float64: the order is immaterial here). */
function dot(a: Float64Array, b: Float64Array, off: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += a[i]! * b[off + i]!;
    s1 += a[i + 1]! * b[off + i + 1]!;
    s2 += a[i + 2]! * b[off + i + 2]!;
    s3 += a[i + 3]! * b[off + i + 3]!;
  }
  for (; i < n; i++) s0 += a[i]! * b[off + i]!;
  return s0 + s1 + s2 + s3;
}

/** Calls `fn(index, flat)` for every multi-index of `shape` in row-major order. */
function forEachIndex(shape: readonly number[], fn: (index: readonly number[], flat: number) => void): void {
  const total = shape.reduce((a, b) => a * b, 1);
  const idx = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < total; flat++) {
    fn(idx, flat);
    for (let a = shape.length - 1; a >= 0; a--) {
      if (++idx[a]! < shape[a]!) break;
      idx[a] = 0;
    }
  }
}
