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
 * NB: channels-last operands make the innermost loop a contiguous run over output channels,
 * which is what makes a plain JS loop fast here.
 */
export function correlate(x: Tensor, w: Tensor, p: CorrelateParams): Tensor {
  const r = p.strides.length;
  const [N, C] = [x.shape[0]!, x.shape[r + 1]!];
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

  const xd = x.data;
  const wd = w.data;
  const tapStride = I * O; // distance between kernel taps in w
  for (let n = 0; n < outN; n++) {
    for (let g = 0; g < groups; g++) {
      const xBatch = bgc > 1 ? g * outN + n : n;
      const c0 = fgc > 1 ? g * I : 0;
      const o0 = g * Og;
      const xBase = xBatch * xStrides[0]! + c0;
      for (let pos = 0; pos < outPositions; pos++) {
        const outBase = (n * outPositions + pos) * O + o0;
        const origin = xBase + originOffset[pos]!;
        for (let t = 0; t < taps; t++) {
          const xOff = origin + tapOffset[t]!;
          let wOff = t * tapStride + o0;
          for (let i = 0; i < I; i++, wOff += O) {
            const xv = xd[xOff + i]!;
            for (let o = 0; o < Og; o++) out[outBase + o] += xv * wd[wOff + o]!;
          }
        }
      }
    }
  }
  void C;
  return { shape: outShape, data: out };
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
