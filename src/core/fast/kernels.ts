/**
 * Micro-kernels of the fast path: a tile of P outputs (along the last spatial axis) × 4 output
 * channels, accumulated in local variables so V8 keeps them in registers. Each input value is
 * loaded once for 4 channels and each weight once for P outputs.
 *
 * Shared arguments:
 *   x, w, out  channels-last input; weights packed as [group][channel block][tap][i][4 lanes];
 *              canonical output
 *   tx, tw, nt the tile's taps: input offset of tap j for the tile's first output (tx[j]), and
 *              its offset in the weight block (tw[j] = tap·I·4); nt taps
 *   I          input channels per group; xb: input offset of the batch and channel base
 *   dx         input distance between the tile's neighbouring outputs
 *   wb         start of the weight block; at: out offset of lane 0 of output 0
 *   os         out distance between neighbouring outputs; lanes: valid lanes (1–4)
 *
 * NB: the order of each output's sum (taps in row-major order, then channels) is the plain
 * path's order with the zero terms left out; only the plain path's four interleaved partial
 * sums differ (see fast/direct.ts for what "exact" means).
 */

export function tile1(
  x: Float64Array, w: Float64Array, out: Float64Array, tx: Int32Array, tw: Int32Array, nt: number,
  I: number, xb: number, wb: number, at: number, lanes: number,
): void {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (let j = 0; j < nt; j++) {
    let xa = xb + tx[j]!;
    let wi = wb + tw[j]!;
    const end = xa + I;
    for (; xa < end; xa++, wi += 4) {
      const a = x[xa]!;
      s0 += a * w[wi]!;
      s1 += a * w[wi + 1]!;
      s2 += a * w[wi + 2]!;
      s3 += a * w[wi + 3]!;
    }
  }
  store(out, at, lanes, s0, s1, s2, s3);
}

export function tile2(
  x: Float64Array, w: Float64Array, out: Float64Array, tx: Int32Array, tw: Int32Array, nt: number,
  I: number, xb: number, dx: number, wb: number, at: number, os: number, lanes: number,
): void {
  let s00 = 0, s01 = 0, s02 = 0, s03 = 0;
  let s10 = 0, s11 = 0, s12 = 0, s13 = 0;
  for (let j = 0; j < nt; j++) {
    let xa = xb + tx[j]!;
    let wi = wb + tw[j]!;
    const end = xa + I;
    for (; xa < end; xa++, wi += 4) {
      const a0 = x[xa]!;
      const a1 = x[xa + dx]!;
      let v = w[wi]!;
      s00 += a0 * v;
      s10 += a1 * v;
      v = w[wi + 1]!;
      s01 += a0 * v;
      s11 += a1 * v;
      v = w[wi + 2]!;
      s02 += a0 * v;
      s12 += a1 * v;
      v = w[wi + 3]!;
      s03 += a0 * v;
      s13 += a1 * v;
    }
  }
  store(out, at, lanes, s00, s01, s02, s03);
  store(out, at + os, lanes, s10, s11, s12, s13);
}

export function tile3(
  x: Float64Array, w: Float64Array, out: Float64Array, tx: Int32Array, tw: Int32Array, nt: number,
  I: number, xb: number, dx: number, wb: number, at: number, os: number, lanes: number,
): void {
  let s00 = 0, s01 = 0, s02 = 0, s03 = 0;
  let s10 = 0, s11 = 0, s12 = 0, s13 = 0;
  let s20 = 0, s21 = 0, s22 = 0, s23 = 0;
  const dx2 = 2 * dx;
  for (let j = 0; j < nt; j++) {
    let xa = xb + tx[j]!;
    let wi = wb + tw[j]!;
    const end = xa + I;
    for (; xa < end; xa++, wi += 4) {
      const a0 = x[xa]!;
      const a1 = x[xa + dx]!;
      const a2 = x[xa + dx2]!;
      let v = w[wi]!;
      s00 += a0 * v;
      s10 += a1 * v;
      s20 += a2 * v;
      v = w[wi + 1]!;
      s01 += a0 * v;
      s11 += a1 * v;
      s21 += a2 * v;
      v = w[wi + 2]!;
      s02 += a0 * v;
      s12 += a1 * v;
      s22 += a2 * v;
      v = w[wi + 3]!;
      s03 += a0 * v;
      s13 += a1 * v;
      s23 += a2 * v;
    }
  }
  store(out, at, lanes, s00, s01, s02, s03);
  store(out, at + os, lanes, s10, s11, s12, s13);
  store(out, at + 2 * os, lanes, s20, s21, s22, s23);
}

/**
 * tile1 that also accumulates Σ|x·w| (= Σ|x||w|, abs is exact) into `mag`: the error bound's
 * magnitude from the same loads, in the same pass.
 */
export function tile1m(
  x: Float64Array, w: Float64Array, out: Float64Array, mag: Float64Array, tx: Int32Array, tw: Int32Array, nt: number,
  I: number, xb: number, wb: number, at: number, lanes: number,
): void {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let m0 = 0, m1 = 0, m2 = 0, m3 = 0;
  for (let j = 0; j < nt; j++) {
    let xa = xb + tx[j]!;
    let wi = wb + tw[j]!;
    const end = xa + I;
    for (; xa < end; xa++, wi += 4) {
      const a = x[xa]!;
      let p = a * w[wi]!;
      s0 += p;
      m0 += Math.abs(p);
      p = a * w[wi + 1]!;
      s1 += p;
      m1 += Math.abs(p);
      p = a * w[wi + 2]!;
      s2 += p;
      m2 += Math.abs(p);
      p = a * w[wi + 3]!;
      s3 += p;
      m3 += Math.abs(p);
    }
  }
  store(out, at, lanes, s0, s1, s2, s3);
  store(mag, at, lanes, m0, m1, m2, m3);
}

function store(out: Float64Array, at: number, lanes: number, s0: number, s1: number, s2: number, s3: number): void {
  out[at] = s0;
  if (lanes > 1) out[at + 1] = s1;
  if (lanes > 2) out[at + 2] = s2;
  if (lanes > 3) out[at + 3] = s3;
}
