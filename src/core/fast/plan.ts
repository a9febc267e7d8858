/**
 * Where each output position's window lands in the *undilated, unpadded* input, axis by axis.
 *
 * The plain path builds pad(dilate(x)) and slides a window over it. Along one axis, output p and
 * tap k read position q = p·s + k·d − low of that tensor, which holds input element q / D when
 * 0 ≤ q < dilated size and D divides q, and a zero otherwise (D = lhs dilation, low = signed low
 * pad). Listing only the taps that hit an input element skips every inserted and padded zero: a
 * stride-2 transposed conv (D = 2) does a quarter of the work in 2-D, an eighth in 3-D (the
 * phase, or sub-pixel, decomposition falls out: outputs of one phase share their tap list).
 */
import type { ConvInfo, ConvSpec } from '../shapes.js';

/** For one output coordinate of one axis: the kernel indices that hit the input, and where. */
export interface AxisTaps {
  readonly k: Int32Array;
  readonly at: Int32Array;
}

export function axisTaps(info: ConvInfo, spec: ConvSpec, axis: number): AxisTaps[] {
  const s = spec.windowStrides[axis]!;
  const d = spec.rhsDilation[axis]!;
  const D = spec.lhsDilation[axis]!;
  const low = spec.padding[axis]![0];
  const size = info.dilatedIn[axis]!;
  const K = info.kernelSpatial[axis]!;
  return Array.from({ length: info.outSpatial[axis]! }, (_, p) => {
    const k: number[] = [];
    const at: number[] = [];
    for (let j = 0; j < K; j++) {
      const q = p * s + j * d - low;
      if (q < 0 || q >= size || q % D !== 0) continue;
      k.push(j);
      at.push(q / D);
    }
    return { k: Int32Array.from(k), at: Int32Array.from(at) };
  });
}

/**
 * A run of `count` outputs along the last axis, `first`, `first + step`, …, that share one tap
 * list; output j reads the input `j · shift` elements further than output 0.
 */
export interface Tile {
  readonly first: number;
  readonly count: number;
  readonly taps: AxisTaps;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * Cuts the last axis into tiles of at most `width` outputs. Outputs `step = D / gcd(s, D)` apart
 * are in the same phase: their q differ by step·s, a multiple of D, so they hit the same taps
 * unless an edge (padding or the input's end) cuts one of them, and their input positions
 * differ by step·s / D. Edge outputs get their own tiles.
 */
export function lastAxisTiles(info: ConvInfo, spec: ConvSpec, width: number): { tiles: Tile[]; step: number; shift: number } {
  const a = info.rank - 1;
  const s = spec.windowStrides[a]!;
  const D = spec.lhsDilation[a]!;
  const step = D / gcd(s, D);
  const shift = (step * s) / D;
  const taps = axisTaps(info, spec, a);
  const same = (x: AxisTaps, y: AxisTaps) => x.k.length === y.k.length && x.k.every((v, i) => v === y.k[i]);
  const tiles: Tile[] = [];
  for (let phase = 0; phase < Math.min(step, taps.length); phase++) {
    let p = phase;
    while (p < taps.length) {
      let count = 1;
      while (count < width && p + count * step < taps.length && same(taps[p]!, taps[p + count * step]!)) count++;
      tiles.push({ first: p, count, taps: taps[p]! });
      p += count * step;
    }
  }
  return { tiles, step, shift };
}
