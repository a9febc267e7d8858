/**
 * A plain direct-loop convolution, independent of convcheck's reference: one gather loop for the
 * forward conv and one for the transposed conv (each output element sums the taps that reach it),
 * in float32 (Math.fround on every product and every addition, unless the summation says
 * otherwise). Internal layouts: x [N, C, S...], forward kernel [M, C/g, K...], transposed kernel
 * [C, M/g, K...], output [N, M, O...]. The convention modules (onnx.ts, tf.ts) parse, validate and
 * lay out; this module only loops.
 *
 * Every switch in `Bugs` plants one realistic bug; with no switch set it is a correct float32
 * implementation.
 */

/** How each output's terms are added. All four are correct float32 evaluations. */
export type Summation =
  /** float32, terms in natural order (input channel, then taps), bias last. */
  | 'natural'
  /** float32, terms in reverse order, bias first, output channels visited in blocks of 4 from the last block. */
  | 'reversed-blocks'
  /** float32 pairwise (tree) summation of the float32 products, bias last. */
  | 'pairwise'
  /** float64 sum of exact products, rounded to float32 once at the end. */
  | 'f64';

export interface Bugs {
  /** Transposed conv: taps read unmirrored (the flip a correlation over the dilated input needs is missing). */
  readonly noFlip?: boolean;
  /** Dilation ignored in the tap positions (taps adjacent). */
  readonly dilationIgnored?: boolean;
  /** d zeros inserted between taps instead of d - 1 (tap spacing d + 1). */
  readonly dilationHoles?: boolean;
  /** Tap spacing uses the stride instead of the dilation. */
  readonly strideAsDilation?: boolean;
  /** The input channels of group g start at g × (output channels per group) instead of g × (input channels per group). */
  readonly groupOffset?: boolean;
  /** Every batch item reads batch item 0. */
  readonly batchZero?: boolean;
  /** The batch stride of x is one element short. */
  readonly batchStrideOffByOne?: boolean;
  /** The kernel's input-channel axis is read in reverse order. */
  readonly kernelChannelsReversed?: boolean;
  /** Partial sums rounded to 11 significant bits (a float16-style accumulator). */
  readonly halfAccumulator?: boolean;
  /** Inputs and kernel rounded to TF32 (11 significant bits) before multiplying, as GPU "TF32 mode" does. */
  readonly tf32Inputs?: boolean;
  /** Every output off by this relative error (a silent scale error). */
  readonly relativeError?: number;
  /** Output channel m gets the bias of channel m + 1. */
  readonly biasOffByOne?: boolean;
  /**
   * Not a bug: the rounding of every product and partial sum in the 'natural' summation (default
   * Math.fround). test/precision/ sets it to float16 rounding to emulate a float16 accumulator.
   */
  readonly rounding?: (v: number) => number;
}

export interface Plan {
  readonly transposed: boolean;
  readonly N: number;
  readonly C: number;
  readonly M: number;
  readonly group: number;
  readonly inSp: readonly number[];
  readonly kSp: readonly number[];
  readonly outSp: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  /**
   * Begin padding of the forward conv (signed). Forward: x index = o·s + k·d − lo. Transposed
   * (the adjoint of that forward conv): output o receives x[i]·w[k] where i·s + k·d − lo = o.
   */
  readonly lo: readonly number[];
  readonly x: ArrayLike<number>;
  readonly w: ArrayLike<number>;
  readonly b?: ArrayLike<number>;
}

const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    idx[a] = flat % shape[a]!;
    flat = Math.floor(flat / shape[a]!);
  }
  return idx;
}

/** Rounds to `bits` significant bits (float32 exponent range kept). */
export function roundBits(v: number, bits: number): number {
  if (v === 0 || !Number.isFinite(v)) return v;
  const e = Math.floor(Math.log2(Math.abs(v)));
  const scale = 2 ** (bits - 1 - e);
  return Math.round(v * scale) / scale;
}

function pairwise(t: Float64Array, lo: number, hi: number): number {
  if (hi - lo === 0) return 0;
  if (hi - lo === 1) return t[lo]!;
  const mid = (lo + hi) >> 1;
  return Math.fround(pairwise(t, lo, mid) + pairwise(t, mid, hi));
}

/** Output channels in the order the loop visits them. */
function channelOrder(M: number, summation: Summation): number[] {
  const order = Array.from({ length: M }, (_, m) => m);
  if (summation !== 'reversed-blocks') return order;
  const blocks: number[][] = [];
  for (let m = 0; m < M; m += 4) blocks.push(order.slice(m, m + 4));
  return blocks.reverse().flat();
}

export function convolve(p: Plan, summation: Summation, bugs: Bugs = {}): { shape: number[]; data: Float32Array } {
  const r = p.inSp.length;
  const { N, C, M, group } = p;
  const Cg = C / group;
  const Mg = M / group;
  const L = prod(p.inSp);
  const taps = prod(p.kSp);
  const positions = prod(p.outSp);
  const out = new Float32Array(N * M * positions);
  const tapIdx = Array.from({ length: taps }, (_, t) => unravel(t, p.kSp));
  const outIdx = Array.from({ length: positions }, (_, q) => unravel(q, p.outSp));
  // Tap spacing per axis, with the spacing bugs.
  const spacing = p.dilations.map((d, a) => (bugs.strideAsDilation ? p.strides[a]! : bugs.dilationIgnored ? 1 : bugs.dilationHoles ? d + 1 : d));
  const terms = new Float64Array(Cg * taps);
  const batchStride = bugs.batchStrideOffByOne ? C * L - 1 : C * L;
  const inIdx = new Array<number>(r);

  for (const m of channelOrder(M, summation)) {
    const g = Math.floor(m / Mg);
    const mm = m % Mg;
    const cBase = bugs.groupOffset ? g * Mg : g * Cg;
    for (let n = 0; n < N; n++) {
      const xBatch = (bugs.batchZero ? 0 : n) * batchStride;
      for (let q = 0; q < positions; q++) {
        const o = outIdx[q]!;
        let count = 0;
        for (let c = 0; c < Cg; c++) {
          const kc = bugs.kernelChannelsReversed ? Cg - 1 - c : c;
          const ci = cBase + c;
          for (let t = 0; t < taps; t++) {
            const k = tapIdx[t]!;
            let inside = true;
            for (let a = 0; a < r && inside; a++) {
              if (!p.transposed) {
                const pos = o[a]! * p.strides[a]! + k[a]! * spacing[a]! - p.lo[a]!;
                if (pos < 0 || pos >= p.inSp[a]!) inside = false;
                else inIdx[a] = pos;
              } else {
                const num = o[a]! + p.lo[a]! - k[a]! * spacing[a]!;
                if (num < 0 || num % p.strides[a]! !== 0) inside = false;
                else {
                  const i = num / p.strides[a]!;
                  if (i >= p.inSp[a]!) inside = false;
                  else inIdx[a] = i;
                }
              }
            }
            if (!inside) continue;
            let xi = 0;
            for (let a = 0; a < r; a++) xi = xi * p.inSp[a]! + inIdx[a]!;
            let xv = Number(p.x[xBatch + ci * L + xi]);
            // Tap index into the kernel: the transposed conv's scatter form uses taps as stored.
            let kt = t;
            if (p.transposed && bugs.noFlip) {
              kt = 0;
              for (let a = 0; a < r; a++) kt = kt * p.kSp[a]! + (p.kSp[a]! - 1 - k[a]!);
            }
            const wi = p.transposed ? ((cBase + kc) * Mg + mm) * taps + kt : (m * Cg + kc) * taps + kt;
            let wv = Number(p.w[wi]);
            if (bugs.tf32Inputs) {
              xv = roundBits(xv, 11);
              wv = roundBits(wv, 11);
            }
            terms[count++] = summation === 'f64' ? xv * wv : (bugs.rounding ?? Math.fround)(xv * wv);
          }
        }
        const bias = p.b ? Number(p.b[bugs.biasOffByOne ? (m + 1) % M : m]) : 0;
        let y: number;
        switch (summation) {
          case 'natural': {
            const round = bugs.rounding ?? Math.fround;
            let acc = 0;
            for (let i = 0; i < count; i++) {
              acc = round(acc + terms[i]!);
              if (bugs.halfAccumulator) acc = roundBits(acc, 11);
            }
            y = round(acc + bias);
            break;
          }
          case 'reversed-blocks': {
            let acc = Math.fround(bias);
            for (let i = count - 1; i >= 0; i--) acc = Math.fround(acc + terms[i]!);
            y = acc;
            break;
          }
          case 'pairwise':
            y = Math.fround(pairwise(terms, 0, count) + bias);
            break;
          case 'f64': {
            let acc = 0;
            for (let i = 0; i < count; i++) acc += terms[i]!;
            y = Math.fround(acc + bias);
            break;
          }
        }
        if (bugs.relativeError) y = Math.fround(y * (1 + bugs.relativeError));
        out[(n * M + m) * positions + q] = y;
      }
    }
  }
  return { shape: [N, M, ...p.outSp], data: out };
}

/** A dense tensor from a case input (numbers, or "NaN"/"Infinity" strings). */
export interface Dense {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

export function dense(t: { shape: readonly number[]; data: ArrayLike<number | string> } | undefined): Dense | undefined {
  if (!t) return undefined;
  return { shape: [...t.shape], data: Float64Array.from(Array.from(t.data as ArrayLike<number | string>, Number)) };
}

/** Axis permutation: out.shape[i] = t.shape[perm[i]]. */
export function permute<T extends { shape: readonly number[]; data: ArrayLike<number> }>(t: T, perm: readonly number[]): Dense {
  const shape = perm.map((p) => t.shape[p]!);
  const n = prod(shape);
  const inStrides = t.shape.map((_, i) => prod(t.shape.slice(i + 1)));
  const data = new Float64Array(n);
  for (let f = 0; f < n; f++) {
    const idx = unravel(f, shape);
    let src = 0;
    for (let i = 0; i < perm.length; i++) src += idx[i]! * inStrides[perm[i]!]!;
    data[f] = t.data[src]!;
  }
  return { shape, data };
}

/** The inverse of a permutation. */
export function inverse(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}
