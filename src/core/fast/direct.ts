/**
 * The fast path of the canonical op: a direct convolution that never builds the dilated or
 * padded input. It reads the same definition as the plain path (src/core/primitives.ts, the
 * specification) and is tested against it (test/core/fast.test.ts).
 *
 * Structure: the outer spatial axes enumerate output rows; along the last axis, outputs that
 * share a tap list are cut into tiles (fast/plan.ts) and each tile of 4 outputs × 4 output
 * channels is one call of a WebAssembly SIMD micro-kernel (fast/kernel.wat). Operands are copied
 * into the kernel module's memory; the weights are packed there so a kernel reads 4 output
 * channels of one (tap, input channel) as two f64x2 loads.
 *
 * What "exact" means here: every output is the same float64 sum of products as in the plain
 * path, minus the products with inserted or padded zeros, in the same tap-major order, each
 * output summed by one lane from left to right (the plain path does the same for groups of 4
 * output channels, and splits the sum in 4 partial sums for the rest). Integer-valued data (any sum exactly representable) gives bit-identical
 * results; otherwise the two differ by at most 2·γ_K·Σ|x||w| (each is within γ_K of the exact
 * sum). Skipping zero products is exact only when x·0 = 0, i.e. for finite weights, so a kernel
 * with a NaN or ±∞ goes to the plain path (`fastApplies`).
 */
import type { ConvInfo, ConvSpec } from '../shapes.js';
import { stridesOf, transpose, transposeInto, type Tensor } from '../tensor.js';
import { axisTaps, lastAxisTiles, type AxisTaps } from './plan.js';
import { kernelsWithMemory, MAX_BYTES, ownInstance } from './wasm.js';

const LANES = 4;
/** Outputs per tile along the last axis (the wasm kernels' 4 × 4 accumulators; 2 × 4 × 2 with the magnitude). */
const WIDTH = 4;
const WIDTH_MAG = 2;
const F64 = 8;

const align16 = (n: number) => Math.ceil(n / 16) * 16;

/** Where each operand sits in the kernel module's memory (bytes). */
interface Arena {
  readonly tx: number;
  readonly tw: number;
  readonly w: number;
  readonly x: number;
  readonly out: number;
  readonly mag: number;
  readonly end: number;
}

function arena(taps: number, wLength: number, xLength: number, outLength: number, magnitude: boolean): Arena {
  const tx = 0;
  const tw = align16(taps * 4);
  const w = tw + align16(taps * 4);
  const x = w + align16(wLength * F64);
  const out = x + align16(xLength * F64);
  const mag = out + align16(outLength * F64);
  return { tx, tw, w, x, out, mag, end: magnitude ? mag + outLength * F64 : mag };
}

/** Output channels per group padded to whole blocks of 4 lanes. */
function paddedChannels(info: ConvInfo, spec: ConvSpec): number {
  const groups = spec.featureGroupCount * spec.batchGroupCount;
  return groups * Math.ceil(info.outChannels / groups / LANES) * LANES;
}

/** The fast path needs a spatial axis, finite weights (see the module comment), and fits in wasm32 memory. */
export function fastApplies(lhs: Tensor, rhs: Tensor, info: ConvInfo, spec: ConvSpec): boolean {
  if (info.rank < 1) return false;
  const positions = info.outShape.reduce((a, b) => a * b, 1) / Math.max(1, info.outChannels);
  const outPad = positions * paddedChannels(info, spec);
  const wPad = (rhs.data.length / Math.max(1, info.outChannels)) * paddedChannels(info, spec);
  if (arena(rhs.data.length, wPad, lhs.data.length, outPad, true).end > MAX_BYTES) return false;
  const w = rhs.data;
  for (let i = 0; i < w.length; i++) if (!Number.isFinite(w[i]!)) return false;
  return true;
}

/** Weights [K..., I, O] → [group][block of 4 channels][tap][i][lane] in `out`, missing lanes zero. */
function packWeights(w: Float64Array, taps: number, I: number, O: number, groups: number, out: Float64Array): void {
  const Og = O / groups;
  const blocks = Math.ceil(Og / LANES);
  let dst = 0;
  for (let g = 0; g < groups; g++) {
    for (let b = 0; b < blocks; b++) {
      for (let t = 0; t < taps; t++) {
        for (let i = 0; i < I; i++) {
          const src = (t * I + i) * O + g * Og + b * LANES;
          for (let l = 0; l < LANES; l++, dst++) out[dst] = b * LANES + l < Og ? w[src + l]! : 0;
        }
      }
    }
  }
}

/** Padded output rows [position][group][block·4 + lane] → canonical [position][group·Og + o]. */
function compact(padded: Float64Array, positions: number, O: number, Opad: number, groups: number): Float64Array {
  const out = new Float64Array(positions * O);
  const Og = O / groups;
  const OgPad = Opad / groups;
  for (let p = 0; p < positions; p++) {
    for (let g = 0; g < groups; g++) {
      const from = p * Opad + g * OgPad;
      out.set(padded.subarray(from, from + Og), p * O + g * Og);
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
 * The canonical op, when fastApplies, with `info` from convInfo. The input is in the user's
 * layout (`transpose(lhs, lhsPerm)` is canonical [N, S..., C]) and is permuted straight into the
 * kernel's memory; the result is permuted straight out of it by `outPerm` (identity: canonical
 * [N, S..., O]). rhs is canonical [K..., I, O]. With `magnitude`, also Σ|x||w| per output, from
 * the same loads.
 */
export function fastConv(
  lhs: Tensor, lhsPerm: readonly number[], rhs: Tensor, spec: ConvSpec, info: ConvInfo, outPerm: readonly number[], magnitude = false,
): { out: Tensor; magnitude?: Tensor } {
  const r = info.rank;
  const O = info.outChannels;
  const total = info.outShape.reduce((a, b) => a * b, 1);
  const userShape = outPerm.map((a) => info.outShape[a]!);
  if (total === 0) {
    const zero = () => ({ shape: userShape, data: new Float64Array(0) });
    return { out: zero(), ...(magnitude && { magnitude: zero() }) };
  }
  const positions = total / O;
  const fgc = spec.featureGroupCount;
  const bgc = spec.batchGroupCount;
  const groups = fgc * bgc; // one of them is 1
  const I = info.kernelInChannels;
  const Og = O / groups;
  const blocks = Math.ceil(Og / LANES);
  const Opad = groups * blocks * LANES;
  const kSp = info.kernelSpatial;
  const taps = kSp.reduce((a, b) => a * b, 1);
  const blockSize = taps * I * LANES;

  const at = arena(taps, groups * blocks * blockSize, lhs.data.length, positions * Opad, magnitude);
  const k = kernelsWithMemory(at.end);
  const mem = k.memory.buffer;
  const tx = new Int32Array(mem, at.tx, taps);
  const tw = new Int32Array(mem, at.tw, taps);
  packWeights(rhs.data, taps, I, O, groups, new Float64Array(mem, at.w, groups * blocks * blockSize));
  transposeInto(lhs, lhsPerm, new Float64Array(mem, at.x, lhs.data.length));

  const xs = stridesOf(lhsPerm.map((a) => lhs.shape[a]!));
  const tapStrides = stridesOf(kSp);
  const outerAxes = Array.from({ length: r - 1 }, (_, a) => axisTaps(info, spec, a));
  const outerShape = info.outSpatial.slice(0, r - 1);
  const outerCount = outerShape.reduce((a, b) => a * b, 1);
  const lastOut = info.outSpatial[r - 1]!;
  const { tiles, step, shift } = lastAxisTiles(info, spec, magnitude ? WIDTH_MAG : WIDTH);
  const dx = shift * xs[r]! * F64;
  const os = step * Opad * F64;
  const I8 = I * F64;
  const magOff = at.mag - at.out;

  const outerIdx = new Array<number>(r - 1).fill(0);
  for (let outer = 0; outer < outerCount; outer++) {
    const combos = outerCombos(outerAxes.map((l, a) => l[outerIdx[a]!]!), xs.slice(1), tapStrides);
    for (const tile of tiles) {
      // The tile's taps: outer combinations × last-axis taps, in row-major tap order (bytes).
      let nt = 0;
      for (let c = 0; c < combos.x.length; c++) {
        for (let j = 0; j < tile.taps.k.length; j++, nt++) {
          tx[nt] = (combos.x[c]! + tile.taps.at[j]! * xs[r]!) * F64;
          tw[nt] = (combos.t[c]! + tile.taps.k[j]!) * I * LANES * F64;
        }
      }
      for (let n = 0; n < info.outBatch; n++) {
        const row = at.out + ((n * outerCount + outer) * lastOut + tile.first) * Opad * F64;
        for (let g = 0; g < groups; g++) {
          const xb = at.x + ((bgc > 1 ? g * info.outBatch + n : n) * xs[0]! + (fgc > 1 ? g * I : 0)) * F64;
          for (let b = 0; b < blocks; b++) {
            const wb = at.w + (g * blocks + b) * blockSize * F64;
            const o = row + (g * blocks + b) * LANES * F64;
            if (magnitude && tile.count === WIDTH_MAG) k.tile2m(at.tx, at.tw, nt, I8, xb, dx, wb, o, os, magOff);
            else if (!magnitude && tile.count === WIDTH) k.tile4(at.tx, at.tw, nt, I8, xb, dx, wb, o, os);
            else for (let j = 0; j < tile.count; j++) k.tile1(at.tx, at.tw, nt, I8, xb + j * dx, wb, o + j * os, magnitude ? 1 : 0, magOff);
          }
        }
      }
    }
    for (let a = r - 2; a >= 0; a--) {
      if (++outerIdx[a]! < outerShape[a]!) break;
      outerIdx[a] = 0;
    }
  }
  // Out of the kernel's memory (reused by the next call): one copy into the user's layout. A large
  // call's own memory is dropped after it, so its value goes into the input's region, no longer
  // needed, and is returned there: one float64 copy less at the peak (the result keeps the
  // instance's memory alive, which was allocated anyway).
  const read = (from: number, into: Float64Array): Tensor => {
    const padded = new Float64Array(mem, from, positions * Opad);
    if (O !== Opad) return transpose({ shape: info.outShape, data: compact(padded, positions, O, Opad, groups) }, outPerm);
    return { shape: userShape, data: transposeInto({ shape: info.outShape, data: padded }, outPerm, into) };
  };
  const inPlace = ownInstance(k) && total <= lhs.data.length;
  return {
    out: read(at.out, inPlace ? new Float64Array(mem, at.x, total) : new Float64Array(total)),
    ...(magnitude && { magnitude: read(at.mag, new Float64Array(total)) }),
  };
}
