/**
 * The fast path (src/core/fast/) against the plain path (dilate, pad, correlate: the
 * specification), over every corner of the canonical op: kernel smaller than the stride, odd and
 * negative pads, lhs and rhs dilation, feature groups with several outputs per group (more and
 * fewer than the kernel's 4 lanes), batch groups, batch > 1, non-uniform kernels, ranks 1–3, and
 * every layout permutation at the edges.
 *
 * "Exact" for the fast path: integer-valued data gives bit-identical results (every partial sum
 * is an exactly representable integer, so the order is immaterial); for other data both paths
 * are float64 sums of the same nonzero products in different orders, so they differ by at most
 * 2·γ_K·Σ|x||w| with γ_K = K·u / (1 − K·u), u = 2⁻⁵³. A kernel with NaN or ±∞ goes to the plain
 * path (0·∞ at an inserted zero is NaN there, and the fast path never forms that product).
 */
import fc from 'fast-check';
import { describe, expect, it, onTestFinished } from 'vitest';
import { convGeneralDilated, convInLayout, convInLayoutWithMagnitude, convWithMagnitude } from '../../src/core/reference.js';
import { setMaxElements, type ConvSpec } from '../../src/core/shapes.js';
import type { Tensor } from '../../src/core/tensor.js';

const SEED = Number(process.env['CONVCHECK_SEED'] ?? 20261129);
const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

interface Problem {
  readonly lhs: Tensor;
  readonly rhs: Tensor;
  readonly spec: ConvSpec;
}

/**
 * Valid canonical problems by construction. `values` draws the data for a given length, so the
 * same shapes serve integer, float and non-finite data.
 */
function problem(values: (n: number) => fc.Arbitrary<number[]>): fc.Arbitrary<Problem> {
  return fc
    .record({
      r: fc.integer({ min: 1, max: 3 }),
      groups: fc.integer({ min: 1, max: 3 }),
      kindOfGroup: fc.constantFrom('feature', 'batch'),
      perGroupIn: fc.integer({ min: 1, max: 3 }),
      perGroupOut: fc.integer({ min: 1, max: 6 }),
      batchPerGroup: fc.integer({ min: 1, max: 2 }),
    })
    .chain(({ r, groups, kindOfGroup, perGroupIn, perGroupOut, batchPerGroup }) => {
      const axes = <T>(a: fc.Arbitrary<T>) => fc.array(a, { minLength: r, maxLength: r });
      // The last axis is long enough for tiles of several outputs; the others stay small.
      const L = fc.tuple(axes(fc.integer({ min: 0, max: 4 })), fc.integer({ min: 1, max: 14 })).map(([o, last]) => [...o.slice(1), last]);
      return fc
        .record({
          L,
          K: axes(fc.integer({ min: 1, max: 4 })),
          stride: axes(fc.integer({ min: 1, max: 4 })),
          ld: axes(fc.integer({ min: 1, max: 3 })),
          rd: axes(fc.integer({ min: 1, max: 3 })),
          pad: axes(fc.tuple(fc.integer({ min: -3, max: 4 }), fc.integer({ min: -3, max: 4 }))),
        })
        .chain((g) => {
          const fgc = kindOfGroup === 'feature' ? groups : 1;
          const bgc = kindOfGroup === 'batch' ? groups : 1;
          const N = batchPerGroup * bgc;
          const C = perGroupIn * fgc;
          const I = kindOfGroup === 'feature' ? perGroupIn : C;
          const O = perGroupOut * groups;
          // Crop at most what the dilated axis has, so the padded size stays >= 0.
          const pad = g.pad.map(([lo, hi], a) => {
            const dil = g.L[a]! === 0 ? 0 : (g.L[a]! - 1) * g.ld[a]! + 1;
            const low = Math.max(lo, -dil);
            return [low, Math.max(hi, -(dil + low))] as [number, number];
          });
          const lhsShape = [N, ...g.L, C];
          const rhsShape = [...g.K, I, O];
          return fc.record({
            lhs: values(size(lhsShape)).map((d) => ({ shape: lhsShape, data: Float64Array.from(d) })),
            rhs: values(size(rhsShape)).map((d) => ({ shape: rhsShape, data: Float64Array.from(d) })),
            spec: fc.constant<ConvSpec>({ windowStrides: g.stride, padding: pad, lhsDilation: g.ld, rhsDilation: g.rd, featureGroupCount: fgc, batchGroupCount: bgc }),
          });
        });
    });
}

const integers = (n: number) => fc.array(fc.integer({ min: -9, max: 9 }), { minLength: n, maxLength: n });
const floats = (n: number) => fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: n, maxLength: n });
const withNonFinite = (n: number) =>
  fc.array(fc.oneof({ weight: 8, arbitrary: fc.integer({ min: -3, max: 3 }) }, fc.constantFrom(NaN, Infinity, -Infinity)), { minLength: n, maxLength: n });

/** Same values, NaN equal to NaN, and +0 distinct from −0 (Object.is). */
function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

const runs = (n: number) => ({ numRuns: n, seed: SEED });

describe('fast path vs plain path (canonical op)', () => {
  it('integer data: bit-identical', () => {
    fc.assert(
      fc.property(problem(integers), ({ lhs, rhs, spec }) => {
        const fast = convGeneralDilated('t', lhs, rhs, spec, 'fast').out;
        const plain = convGeneralDilated('t', lhs, rhs, spec, 'plain').out;
        expect(fast.shape).toEqual(plain.shape);
        expect(sameBits(fast.data, plain.data)).toBe(true);
      }),
      runs(400),
    );
  });

  it('float data: within 2·γ_K·Σ|x||w| of the plain path, and the fused magnitude equals Σ|x||w| within γ_K', () => {
    fc.assert(
      fc.property(problem(floats), ({ lhs, rhs, spec }) => {
        const fast = convWithMagnitude('t', lhs, rhs, spec, 'fast');
        const plain = convWithMagnitude('t', lhs, rhs, spec, 'plain');
        const K = size(rhs.shape.slice(0, -1));
        const u = 2 ** -53;
        const gamma = (K * u) / (1 - K * u);
        expect(fast.out.shape).toEqual(plain.out.shape);
        plain.out.data.forEach((want, i) => {
          const m = plain.magnitude.data[i]!;
          expect(Math.abs(fast.out.data[i]! - want)).toBeLessThanOrEqual(2 * gamma * m);
          expect(Math.abs(fast.magnitude!.data[i]! - m)).toBeLessThanOrEqual(2 * gamma * m);
          expect(Math.abs(want)).toBeLessThanOrEqual(m * (1 + gamma));
        });
      }),
      runs(300),
    );
  });

  it('non-finite inputs: the same NaN/±∞ pattern; a non-finite kernel takes the plain path', () => {
    fc.assert(
      fc.property(problem(withNonFinite), ({ lhs, rhs, spec }) => {
        const plain = convGeneralDilated('t', lhs, rhs, spec, 'plain').out;
        const auto = convGeneralDilated('t', lhs, rhs, spec).out;
        expect(sameBits(auto.data, plain.data)).toBe(true);
        const finiteRhs = { shape: rhs.shape, data: rhs.data.map((v) => (Number.isFinite(v) ? v : 2)) };
        const fast = convGeneralDilated('t', lhs, finiteRhs, spec, 'fast').out;
        expect(sameBits(fast.data, convGeneralDilated('t', lhs, finiteRhs, spec, 'plain').out.data)).toBe(true);
      }),
      runs(200),
    );
  });

  it('refuses to be forced onto a kernel with NaN', () => {
    const lhs = { shape: [1, 3, 1], data: Float64Array.of(1, 2, 3) };
    const rhs = { shape: [2, 1, 1], data: Float64Array.of(1, NaN) };
    const spec: ConvSpec = { windowStrides: [1], padding: [[0, 0]], lhsDilation: [2], rhsDilation: [1], featureGroupCount: 1, batchGroupCount: 1 };
    expect(() => convGeneralDilated('t', lhs, rhs, spec, 'fast')).toThrow(/fast path forced/);
    // The plain path's 0·NaN at the inserted zeros makes every output NaN: the spec, kept.
    expect(Array.from(convGeneralDilated('t', lhs, rhs, spec).out.data).every(Number.isNaN)).toBe(true);
  });
});

describe('fast path vs plain path in every layout', () => {
  const layouts = problem(integers).chain((p) => {
    const r = p.lhs.shape.length;
    const perm = fc.shuffledSubarray(
      Array.from({ length: r }, (_, i) => i),
      { minLength: r, maxLength: r },
    );
    return fc.record({ p: fc.constant(p), lhs: perm, rhs: perm, out: perm });
  });

  it('integer data: bit-identical, value and magnitude', () => {
    fc.assert(
      fc.property(layouts, ({ p, lhs, rhs, out }) => {
        // Operands in the layout: user axis lhs[j] holds canonical axis j.
        const toUser = (t: Tensor, perm: readonly number[]) => {
          const inv = new Array<number>(perm.length);
          perm.forEach((u, j) => (inv[u] = j));
          return { shape: inv.map((j) => t.shape[j]!), data: reorder(t, inv) };
        };
        const layout = { lhs, rhs, out };
        const x = toUser(p.lhs, lhs);
        const w = toUser(p.rhs, rhs);
        const fast = convInLayoutWithMagnitude('t', x, w, p.spec, layout, 'fast');
        const plain = convInLayout('t', x, w, p.spec, layout, 'plain');
        const absIn = (t: Tensor) => ({ shape: t.shape, data: t.data.map(Math.abs) });
        const plainMag = convInLayout('t', absIn(x), absIn(w), p.spec, layout, 'plain');
        expect(fast.out.shape).toEqual(plain.shape);
        expect(sameBits(fast.out.data, plain.data)).toBe(true);
        expect(sameBits(fast.magnitude.data, plainMag.data)).toBe(true);
      }),
      runs(200),
    );
  });
});

/** Data of `t` permuted so that output axis i is input axis perm[i] (a plain transpose). */
function reorder(t: Tensor, perm: readonly number[]): Float64Array {
  const shape = perm.map((p) => t.shape[p]!);
  const inStrides = t.shape.map((_, i) => size(t.shape.slice(i + 1)));
  const out = new Float64Array(t.data.length);
  const idx = shape.map(() => 0);
  for (let dst = 0; dst < out.length; dst++) {
    let src = 0;
    idx.forEach((v, i) => (src += v * inStrides[perm[i]!]!));
    out[dst] = t.data[src]!;
    for (let a = shape.length - 1; a >= 0; a--) {
      if (++idx[a]! < shape[a]!) break;
      idx[a] = 0;
    }
  }
  return out;
}

describe('fast path on a call with its own wasm memory (> 64 MiB)', () => {
  // [1, 4, 1024, 1024] × 3×3 NCHW, padding 1: input and output 4·2²⁰ values each, 64 MiB of
  // operands, so the call gets its own instance and its value is returned in that memory.
  const side = 1024;
  const spec: ConvSpec = { windowStrides: [1, 1], padding: [[1, 1], [1, 1]], lhsDilation: [1, 1], rhsDilation: [1, 1], featureGroupCount: 1, batchGroupCount: 1 };
  const nchw = { lhs: [0, 2, 3, 1], rhs: [2, 3, 1, 0], out: [0, 2, 3, 1] };
  const input = (salt: number): Tensor => ({ shape: [1, 4, side, side], data: new Float64Array(4 * side * side).map((_, i) => ((i * 7 + salt) % 13) - 6) });
  const w: Tensor = { shape: [4, 4, 3, 3], data: new Float64Array(144).map((_, i) => (i % 5) - 2) };

  it('gives the plain path bit for bit, and a later call (large or small) leaves its value alone', () => {
    const limit = setMaxElements(1 << 23); // the padded input is past the default guard
    onTestFinished(() => void setMaxElements(limit));
    const x = input(0);
    const fast = convInLayout('t', x, w, spec, nchw, 'fast');
    const before = Float64Array.from(fast.data);
    expect(sameBits(fast.data, convInLayout('t', x, w, spec, nchw, 'plain').data)).toBe(true);
    const other = convInLayout('t', input(5), w, spec, nchw, 'fast');
    const small = convInLayout('t', { shape: [1, 4, 8, 8], data: new Float64Array(256).fill(1) }, w, spec, nchw, 'fast');
    const smallBefore = Float64Array.from(small.data);
    convInLayout('t', { shape: [1, 4, 8, 8], data: new Float64Array(256).fill(2) }, w, spec, nchw, 'fast');
    expect(sameBits(small.data, smallBefore)).toBe(true); // the reused instance's results are copies
    expect(sameBits(fast.data, before)).toBe(true);
    expect(sameBits(other.data, before)).toBe(false);
  });
});
