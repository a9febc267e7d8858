/**
 * A dense row-major float64 tensor. The reference always holds data in float64; a case's dtype
 * only decides how inputs are rounded before computing (see `roundTo`).
 */
export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides: strides[i] = product of shape[i+1..]. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

export function tensor(shape: readonly number[], data?: ArrayLike<number>): Tensor {
  const n = sizeOf(shape);
  const out = new Float64Array(n);
  if (data !== undefined) {
    if (data.length !== n) throw new RangeError(`tensor: ${data.length} values for shape [${shape.join(', ')}]`);
    out.set(data);
  }
  return { shape: [...shape], data: out };
}

export function reshape(t: Tensor, shape: readonly number[]): Tensor {
  if (sizeOf(shape) !== t.data.length) {
    throw new RangeError(`reshape: [${t.shape.join(', ')}] cannot become [${shape.join(', ')}]`);
  }
  return { shape: [...shape], data: t.data };
}

/**
 * Generic axis permutation: `out.shape[i] = t.shape[perm[i]]`. Layouts are permutations at the
 * edges of the reference, so this is the only data-movement routine conventions need.
 */
export function transpose(t: Tensor, perm: readonly number[]): Tensor {
  const shape = checkPerm(t, perm);
  if (perm.every((p, i) => p === i)) return { shape, data: t.data };
  return { shape, data: transposeInto(t, perm, new Float64Array(t.data.length)) };
}

function checkPerm(t: Tensor, perm: readonly number[]): number[] {
  const r = t.shape.length;
  if (perm.length !== r || new Set(perm).size !== r || perm.some((p) => p < 0 || p >= r)) {
    throw new RangeError(`transpose: [${perm.join(', ')}] is not a permutation of ${r} axes`);
  }
  return perm.map((p) => t.shape[p]!);
}

/** transpose writing into `out` (always a copy, also for the identity): `out` is returned. */
export function transposeInto(t: Tensor, perm: readonly number[], out: Float64Array): Float64Array {
  const shape = checkPerm(t, perm);
  const r = shape.length;
  if (perm.every((p, i) => p === i)) {
    out.set(t.data);
    return out;
  }
  const inStrides = stridesOf(t.shape);
  // Walk the output in order; the matching input offset moves by inStrides[perm[i]] per step.
  const step = perm.map((p) => inStrides[p]!);
  const idx = new Array<number>(r).fill(0);
  let src = 0;
  for (let dst = 0; dst < t.data.length; dst++) {
    out[dst] = t.data[src]!;
    for (let a = r - 1; a >= 0; a--) {
      if (++idx[a]! < shape[a]!) {
        src += step[a]!;
        break;
      }
      src -= step[a]! * (shape[a]! - 1);
      idx[a] = 0;
    }
  }
  return out;
}

/** Reverses the given axes (a spatial kernel flip). */
export function flip(t: Tensor, axes: readonly number[]): Tensor {
  if (axes.length === 0) return t;
  const r = t.shape.length;
  const strides = stridesOf(t.shape);
  const flipped = new Array<boolean>(r).fill(false);
  for (const a of axes) flipped[a] = true;
  const out = new Float64Array(t.data.length);
  const idx = new Array<number>(r).fill(0);
  for (let dst = 0; dst < out.length; dst++) {
    let src = 0;
    for (let a = 0; a < r; a++) src += (flipped[a] ? t.shape[a]! - 1 - idx[a]! : idx[a]!) * strides[a]!;
    out[dst] = t.data[src]!;
    for (let a = r - 1; a >= 0; a--) {
      if (++idx[a]! < t.shape[a]!) break;
      idx[a] = 0;
    }
  }
  return { shape: [...t.shape], data: out };
}

/** Swaps two axes. */
export function swapAxes(t: Tensor, a: number, b: number): Tensor {
  const perm = t.shape.map((_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return transpose(t, perm);
}

/** Inverse of a permutation: if out = transpose(t, p) then t = transpose(out, invert(p)). */
export function invertPerm(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

const ROUND_CHUNK = 1 << 14;

/** Rounds every value to the case's dtype: inputs are what the framework would actually see. */
export function roundTo(t: Tensor, dtype: 'float32' | 'float64', out: Float64Array = new Float64Array(t.data.length)): Tensor {
  if (dtype === 'float64') return t;
  // Through a small Float32Array: a typed-array copy rounds to nearest even like Math.fround, and
  // plain copies are 10–30× faster than Float64Array.from with a mapping callback. Chunks keep
  // the float32 buffer small (memory: one float64 copy in all).
  const buf = new Float32Array(Math.min(ROUND_CHUNK, t.data.length));
  for (let i = 0; i < out.length; i += buf.length) {
    const part = t.data.subarray(i, i + buf.length);
    buf.set(part);
    out.set(part.length === buf.length ? buf : buf.subarray(0, part.length), i);
  }
  return { shape: t.shape, data: out };
}

/** A short readable form for counterexamples: `f64[1,5,2] [1, 2, 3, … 10 values]`. */
export function preview(t: Tensor, max = 8): string {
  const vals = Array.from(t.data.subarray(0, max), (v) => String(v));
  const more = t.data.length > max ? `, … ${t.data.length} values` : '';
  return `[${t.shape.join(',')}] [${vals.join(', ')}${more}]`;
}
