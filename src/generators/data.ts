/**
 * Tensor data of generated cases, driven by a seed: a draw holds a few knobs per tensor, not its
 * values, so generating a small case costs microseconds instead of thousands of fast-check values.
 * The knobs shrink toward the most readable data, so a counterexample still ends in small
 * integers where the failure allows:
 *
 * - `mag` 3 → 1: values in [-mag, mag];
 * - `sparse` → 0: one value in 8 nonzero (at 1, half; from 2 up, six in seven, as uniform
 *   integers in [-3, 3] would be);
 * - `frac` → 0 (floats only): below 3, whole numbers, exact arithmetic (otherwise float32 values);
 * - `scale` → 0 (floats only): scale 1 (otherwise 2^-10 or 2^-20, for precision failures);
 * - `seed` → smaller: another pattern of the same kind.
 *
 * Float data are float32 values; integers are exact in every dtype.
 */
import fc from 'fast-check';
import type { DataKind } from './tensors.js';

export interface DataSpec {
  readonly seed: number;
  readonly mag: number;
  readonly sparse: number;
  readonly frac: number;
  readonly scale: number;
}

const SCALES = [1, 1, 2 ** -10, 2 ** -20];

/** One spec serves both kinds: integer data ignore `frac` and `scale`. */
export function dataSpecArb(): fc.Arbitrary<DataSpec> {
  return fc.record({
    seed: fc.noBias(fc.integer({ min: 0, max: 0x7fffffff })),
    mag: fc.noBias(fc.integer({ min: 1, max: 3 })),
    sparse: fc.noBias(fc.integer({ min: 0, max: 7 })),
    frac: fc.noBias(fc.integer({ min: 0, max: 15 })),
    scale: fc.integer({ min: 0, max: 3 }),
  });
}

/** mulberry32: a small, fast, well-mixed 32-bit generator; uniform in [0, 1). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `frac` below this gives whole numbers: three variants, so one exact cancellation cannot trap shrinking. */
const WHOLE = 3;

/**
 * The `n` values of a tensor drawn with `spec`. A value is 0 (by density), or ±a with a uniform
 * in [0, mag)·scale for floats. Its whole form (integer data, or `frac` < 3) is ±(⌊a⌋ + 1): never
 * 0, so shrinking floats to integers keeps every nonzero where it was. Variant 0 keeps the float's
 * sign; variants 1 and 2 flip complementary halves of the signs, so when integers cancel exactly
 * (w = [-1, 1] where the bug needs w0 ≠ -w1) the shrinker can still land on integers.
 */
export function fillData(spec: DataSpec, kind: DataKind, n: number): number[] {
  const next = rng(spec.seed);
  const density = spec.sparse === 0 ? 1 / 8 : spec.sparse === 1 ? 1 / 2 : 6 / 7;
  const variant = kind === 'int' ? 0 : spec.frac;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const keep = next() < density;
    const a = next() * spec.mag;
    const sign = next() < 0.5 ? -1 : 1;
    const half = next() < 0.5;
    if (!keep) out[i] = 0;
    else if (variant >= WHOLE) out[i] = Math.fround(sign * a * SCALES[spec.scale]!);
    else out[i] = (variant === 1 && half) || (variant === 2 && !half) ? -sign * (Math.floor(a) + 1) : sign * (Math.floor(a) + 1);
  }
  return out;
}
