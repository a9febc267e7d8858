/**
 * Binary floating-point formats narrower than float64, and exact rounding into them, written from
 * the IEEE 754 definitions: a format with p significand bits (the implicit bit included) and
 * normal exponents emin..emax represents ±n·2^(e−p+1) for integers 0 ≤ n < 2^p and e ≥ emin.
 * Rounding is to nearest, ties to even, on the unbounded-exponent result: below 2^emin the
 * quantum stays 2^(emin−p+1) (gradual underflow to subnormals, then to ±0), and a result whose
 * rounded magnitude reaches 2^(emax+1) is ±∞ (so float16 rounds 65519.99… to 65504 and 65520 to ∞).
 *
 * Every step is exact in float64: x / q and n·q only move the exponent (q is a power of two and
 * neither over- nor underflows for these formats), and Math.floor of a float64 is exact.
 */

export interface Format {
  readonly name: string;
  /** Significand bits, the implicit leading bit included. */
  readonly p: number;
  readonly emin: number;
  readonly emax: number;
}

export const FLOAT16: Format = { name: 'float16', p: 11, emin: -14, emax: 15 };
export const BFLOAT16: Format = { name: 'bfloat16', p: 8, emin: -126, emax: 127 };
/** NVIDIA's TensorFloat-32: float32's exponent range, 10 fraction bits. */
export const TF32: Format = { name: 'tf32', p: 11, emin: -126, emax: 127 };
export const FLOAT32: Format = { name: 'float32', p: 24, emin: -126, emax: 127 };

/** Unit roundoff 2^−p: the largest relative error of round-to-nearest on normal numbers. */
export const unitRoundoff = (f: Format): number => 2 ** -f.p;
/** Smallest positive normal number 2^emin. */
export const minNormal = (f: Format): number => 2 ** f.emin;
/** Largest finite number (2 − 2^(1−p))·2^emax (float16: 65504). */
export const maxFinite = (f: Format): number => (2 - 2 ** (1 - f.p)) * 2 ** f.emax;
/** Magnitude from which round-to-nearest gives ∞: max finite + half an ulp (float16: 65520). */
export const overflowThreshold = (f: Format): number => maxFinite(f) + 2 ** (f.emax - f.p);

/** x rounded to the format, round to nearest, ties to even; NaN and ±∞ pass through, −0 stays −0. */
export function roundToFormat(x: number, f: Format): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  let e = Math.floor(Math.log2(a));
  // log2 may be off by one next to a power of two; settle the exponent exactly.
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  const q = 2 ** (Math.max(e, f.emin) - f.p + 1);
  const r = a / q;
  let n = Math.floor(r);
  const frac = r - n;
  if (frac > 0.5 || (frac === 0.5 && n % 2 === 1)) n++;
  const y = n * q;
  const out = y > maxFinite(f) ? Infinity : y;
  return x < 0 ? -out : out;
}

/** Whether x is exactly a value of the format (NaN and ±∞ are). */
export function representable(x: number, f: Format): boolean {
  return Number.isNaN(x) || roundToFormat(x, f) === x;
}

export function roundArray(xs: Float64Array, f: Format): Float64Array {
  return xs.map((x) => roundToFormat(x, f));
}
