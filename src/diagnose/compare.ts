/**
 * Comparing two outputs the way the golden fixtures do: exact when every value involved is an
 * integer (every sum is then exact in float32 and float64), otherwise within
 * 1e-5 · (1 + max |reference|). NaN equals NaN; infinities must match.
 */
import { stridesOf, type Tensor } from '../core/tensor.js';

export interface Difference {
  readonly shapeA: number[];
  readonly shapeB: number[];
  readonly sameShape: boolean;
  /** Elements outside the tolerance (0 when the shapes differ: nothing is compared). */
  readonly differing: number;
  readonly total: number;
  /** The first differing elements, by index in A's layout. */
  readonly first: Array<{ index: number[]; a: number; b: number }>;
  readonly maxAbsDiff: number;
  readonly maxAt?: number[];
  readonly exact: boolean;
  readonly tolerance: number;
}

export const agrees = (d: Difference) => d.sameShape && d.differing === 0;

export const isIntegral = (xs: ArrayLike<number>) => Array.from(xs).every((v) => Number.isInteger(v));

export function unravel(flat: number, shape: readonly number[]): number[] {
  const st = stridesOf(shape);
  return shape.map((_, i) => Math.floor(flat / st[i]!) % shape[i]!);
}

export function compare(a: Tensor, b: Tensor, exact: boolean, firstCount = 5): Difference {
  const sameShape = a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
  const base = { shapeA: [...a.shape], shapeB: [...b.shape], sameShape, exact, total: a.data.length };
  if (!sameShape) return { ...base, differing: 0, first: [], maxAbsDiff: NaN, tolerance: 0 };
  let scale = 0;
  for (const v of a.data) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  const tolerance = exact ? 0 : 1e-5 * (1 + scale);
  let differing = 0;
  let maxAbsDiff = 0;
  let maxFlat = -1;
  const first: Difference['first'] = [];
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i]!;
    const y = b.data[i]!;
    let bad: boolean;
    let d: number;
    if (Number.isNaN(x) || Number.isNaN(y)) {
      bad = !(Number.isNaN(x) && Number.isNaN(y));
      d = bad ? Infinity : 0;
    } else if (!Number.isFinite(x) || !Number.isFinite(y)) {
      bad = x !== y;
      d = bad ? Infinity : 0;
    } else {
      d = Math.abs(x - y);
      bad = d > tolerance;
    }
    if (d > maxAbsDiff) {
      maxAbsDiff = d;
      maxFlat = i;
    }
    if (bad) {
      differing++;
      if (first.length < firstCount) first.push({ index: unravel(i, a.shape), a: x, b: y });
    }
  }
  return { ...base, differing, first, maxAbsDiff, ...(maxFlat >= 0 ? { maxAt: unravel(maxFlat, a.shape) } : {}), tolerance };
}
