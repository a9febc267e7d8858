/**
 * The fast path of the canonical op: a direct convolution that never builds the dilated or
 * padded input. It reads the same definition as the plain path (src/core/primitives.ts, the
 * specification) and is tested against it (test/core/fast.test.ts).
 *
 * Structure: the outer spatial axes enumerate output rows; along the last axis, outputs that
 * share a tap list are cut into tiles (fast/plan.ts) and each tile × 4 output channels is one
 * micro-kernel call (fast/kernels.ts). The weights are packed once so a kernel reads 4 output
 * channels of one (tap, input channel) contiguously.
 *
 * What "exact" means here: every output is the same float64 sum of products as in the plain
 * path, minus the products with inserted or padded zeros, in the same tap-major order but with
 * different partial sums. Integer-valued data (any sum exactly representable) gives bit-identical
 * results; otherwise the two differ by at most 2·γ_K·Σ|x||w| (each is within γ_K of the exact
 * sum). Skipping zero products is exact only when x·0 = 0, i.e. for finite weights, so a kernel
 * with a NaN or ±∞ goes to the plain path (`fastApplies`).
 */
import type { ConvInfo, ConvSpec } from '../shapes.js';
import { stridesOf, type Tensor } from '../tensor.js';
import { tile1, tile1m, tile2, tile3 } from './kernels.js';
import { axisTaps, lastAxisTiles, type AxisTaps } from './plan.js';

const LANES = 4;
/** Outputs per tile along the last axis (3 × 4 accumulators fit V8's x64 double registers). */
const WIDTH = 3;

/** The fast path needs a spatial axis, and finite weights (see the module comment). */
export function fastApplies(rhs: Tensor, info: ConvInfo): boolean {
  if (info.rank < 1) return false;
  const w = rhs.data;
  for (let i = 0; i < w.length; i++) if (!Number.isFinite(w[i]!)) return false;
  return true;
}

/** Weights [K..., I, O] → [group][block of 4 channels][tap][i][lane], missing lanes zero. */
function packWeights(w: Float64Array, taps: number, I: number, O: number, groups: number): Float64Array {
  const Og = O / groups;
  const blocks = Math.ceil(Og / LANES);
  const out = new Float64Array(groups * blocks * taps * I * LANES);
  let dst = 0;
  for (let g = 0; g < groups; g++) {
    for (let b = 0; b < blocks; b++) {
      for (let t = 0; t < taps; t++) {
        for (let i = 0; i < I; i++) {
          const src = (t * I + i) * O + g * Og + b * LANES;
          for (let l = 0; l < LANES; l++, dst++) if (b * LANES + l < Og) out[dst] = w[src + l]!;
        }
      }
    }
  }
  return out;
}

/**
 * Every tap combination of the outer axes (all but the last) for one outer output position:
 * input offset and flat tap index (row-major over the kernel's spatial axes).
 */
function outerCombos(lists: readonly AxisTaps[], xStrides: readonly number[], tapStrides: readonly number[]): { x: number[]; t: number[] } {
  let x = [0];
  let t = [0];
  lists.forEach((l, a) => {
    const nx: number[] = [];
    const nt: number[] = [];
    for (let c = 0; c < x.length; c++) {
      for (let j = 0; j < l.k.length; j++) {
        nx.push(x[c]! + l.at[j]! * xStrides[a]!);
        nt.push(t[c]! + l.k[j]! * tapStrides[a]!);
      }
    }
    x = nx;
    t = nt;
  });
  return { x, t };
}

/**
 * The canonical op on canonical operands (lhs [N, S..., C], rhs [K..., I, O]), with `info` from
 * convInfo. With `magnitude`, also Σ|x||w| per output, from the same loads.
 */
export function fastConv(lhs: Tensor, rhs: Tensor, spec: ConvSpec, info: ConvInfo, magnitude = false): { out: Tensor; magnitude?: Tensor } {
  const r = info.rank;
  const out = new Float64Array(info.outShape.reduce((a, b) => a * b, 1));
  const mag = magnitude ? new Float64Array(out.length) : undefined;
  const result = () => ({ out: { shape: info.outShape, data: out }, ...(mag && { magnitude: { shape: info.outShape, data: mag } }) });
  if (out.length === 0) return result();

  const fgc = spec.featureGroupCount;
  const bgc = spec.batchGroupCount;
  const groups = fgc * bgc; // one of them is 1
  const I = info.kernelInChannels;
  const O = info.outChannels;
  const Og = O / groups;
  const blocks = Math.ceil(Og / LANES);
  const kSp = info.kernelSpatial;
  const taps = kSp.reduce((a, b) => a * b, 1);
  const wp = packWeights(rhs.data, taps, I, O, groups);
  const blockSize = taps * I * LANES;

  const xs = stridesOf(lhs.shape);
  const tapStrides = stridesOf(kSp);
  const outerAxes = Array.from({ length: r - 1 }, (_, a) => axisTaps(info, spec, a));
  const outerShape = info.outSpatial.slice(0, r - 1);
  const outerCount = outerShape.reduce((a, b) => a * b, 1);
  const lastOut = info.outSpatial[r - 1]!;
  const { tiles, step, shift } = lastAxisTiles(info, spec, magnitude ? 1 : WIDTH);
  const dx = shift * xs[r]!;
  const os = step * O;
  const tx = new Int32Array(taps);
  const tw = new Int32Array(taps);
  const x = lhs.data;

  const outerIdx = new Array<number>(r - 1).fill(0);
  for (let outer = 0; outer < outerCount; outer++) {
    const combos = outerCombos(outerAxes.map((l, a) => l[outerIdx[a]!]!), xs.slice(1), tapStrides);
    for (const tile of tiles) {
      // The tile's taps: outer combinations × last-axis taps, in row-major tap order.
      let nt = 0;
      for (let c = 0; c < combos.x.length; c++) {
        for (let j = 0; j < tile.taps.k.length; j++, nt++) {
          tx[nt] = combos.x[c]! + tile.taps.at[j]! * xs[r]!;
          tw[nt] = (combos.t[c]! + tile.taps.k[j]!) * I * LANES;
        }
      }
      for (let n = 0; n < info.outBatch; n++) {
        const rowAt = ((n * outerCount + outer) * lastOut + tile.first) * O;
        for (let g = 0; g < groups; g++) {
          const xb = (bgc > 1 ? g * info.outBatch + n : n) * xs[0]! + (fgc > 1 ? g * I : 0);
          for (let b = 0; b < blocks; b++) {
            const wb = (g * blocks + b) * blockSize;
            const at = rowAt + g * Og + b * LANES;
            const lanes = Math.min(LANES, Og - b * LANES);
            if (mag) tile1m(x, wp, out, mag, tx, tw, nt, I, xb, wb, at, lanes);
            else if (tile.count === 3) tile3(x, wp, out, tx, tw, nt, I, xb, dx, wb, at, os, lanes);
            else if (tile.count === 2) tile2(x, wp, out, tx, tw, nt, I, xb, dx, wb, at, os, lanes);
            else tile1(x, wp, out, tx, tw, nt, I, xb, wb, at, lanes);
          }
        }
      }
    }
    for (let a = r - 2; a >= 0; a--) {
      if (++outerIdx[a]! < outerShape[a]!) break;
      outerIdx[a] = 0;
    }
  }
  return result();
}
