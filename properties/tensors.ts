/**
 * Small tensor surgery the structural properties need, on any axis of a native layout.
 */
import { sizeOf, stridesOf, type Tensor } from '../src/core/tensor.js';

/** Elements [start, start + len) along `axis`. */
export function sliceAxis(t: Tensor, axis: number, start: number, len: number): Tensor {
  const shape = [...t.shape];
  shape[axis] = len;
  const outer = sizeOf(t.shape.slice(0, axis));
  const inner = sizeOf(t.shape.slice(axis + 1));
  const data = new Float64Array(sizeOf(shape));
  for (let o = 0; o < outer; o++) {
    const src = (o * t.shape[axis]! + start) * inner;
    data.set(t.data.subarray(src, src + len * inner), o * len * inner);
  }
  return { shape, data };
}

export function concatAxis(ts: readonly Tensor[], axis: number): Tensor {
  const shape = [...ts[0]!.shape];
  shape[axis] = ts.reduce((a, t) => a + t.shape[axis]!, 0);
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  const data = new Float64Array(sizeOf(shape));
  let off = 0;
  for (let o = 0; o < outer; o++) {
    for (const t of ts) {
      const n = t.shape[axis]! * inner;
      data.set(t.data.subarray(o * n, (o + 1) * n), off);
      off += n;
    }
  }
  return { shape, data };
}

/**
 * Keeps every `step[i]`-th element along `axes[i]` (starting at 0), or with `insert`, puts
 * `step[i] - 1` zeros between neighbours (a dilated kernel).
 */
export function resample(t: Tensor, axes: readonly number[], step: readonly number[], insert: boolean): Tensor {
  const shape = [...t.shape];
  axes.forEach((a, i) => {
    const n = t.shape[a]!;
    shape[a] = insert ? (n === 0 ? 0 : (n - 1) * step[i]! + 1) : Math.ceil(n / step[i]!);
  });
  const inS = stridesOf(t.shape);
  const outS = stridesOf(shape);
  const factor = t.shape.map(() => 1);
  axes.forEach((a, i) => (factor[a] = step[i]!));
  const data = new Float64Array(sizeOf(shape));
  const idx = new Array<number>(t.shape.length).fill(0);
  const n = insert ? t.data.length : data.length;
  const iterShape = insert ? t.shape : shape;
  for (let k = 0; k < n; k++) {
    let a = 0;
    let b = 0;
    for (let d = 0; d < idx.length; d++) {
      // insert: input index i goes to i·f; subsample: output index j reads j·f.
      a += idx[d]! * (insert ? inS[d]! : inS[d]! * factor[d]!);
      b += idx[d]! * (insert ? outS[d]! * factor[d]! : outS[d]!);
    }
    data[b] = t.data[a]!;
    for (let d = idx.length - 1; d >= 0; d--) {
      if (++idx[d]! < iterShape[d]!) break;
      idx[d] = 0;
    }
  }
  return { shape, data };
}

export function innerProduct(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
