/**
 * The canonical op against a direct reading of its definition. The naive version never builds
 * the dilated, padded input: it maps each window tap back to an input index, and skips taps that
 * land on a hole or outside. The two share nothing but the definition, so agreement is evidence.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConvError } from '../../src/core/errors.js';
import { convGeneralDilated } from '../../src/core/reference.js';
import { convInfo, type ConvSpec } from '../../src/core/shapes.js';
import { flip, stridesOf, transpose, type Tensor } from '../../src/core/tensor.js';

function naive(lhs: Tensor, rhs: Tensor, s: ConvSpec): Tensor {
  const info = convInfo('naive', lhs.shape, rhs.shape, s);
  const r = info.rank;
  const out = new Float64Array(info.outShape.reduce((a, b) => a * b, 1));
  const xs = stridesOf(lhs.shape);
  const ws = stridesOf(rhs.shape);
  const os = stridesOf(info.outShape);
  const G = s.featureGroupCount * s.batchGroupCount;
  const Og = info.outChannels / G;
  const each = (shape: readonly number[], f: (i: number[]) => void) => {
    const n = shape.reduce((a, b) => a * b, 1);
    for (let flat = 0; flat < n; flat++) {
      let rem = flat;
      const idx = shape.map(() => 0);
      for (let a = shape.length - 1; a >= 0; a--) {
        idx[a] = rem % shape[a]!;
        rem = Math.floor(rem / shape[a]!);
      }
      f(idx);
    }
  };
  each(info.outShape, ([n, ...rest]) => {
    const o = rest[r]!;
    const p = rest.slice(0, r);
    const g = Math.floor(o / Og);
    const xn = s.batchGroupCount > 1 ? g * info.outBatch + n! : n!;
    let acc = 0;
    each(info.kernelSpatial, (k) => {
      for (let i = 0; i < info.kernelInChannels; i++) {
        let xoff = xn * xs[0]!;
        let inside = true;
        for (let a = 0; a < r; a++) {
          // position in the dilated+padded input, then back to an input index
          const q = p[a]! * s.windowStrides[a]! + k[a]! * s.rhsDilation[a]! - s.padding[a]![0];
          if (q % s.lhsDilation[a]! !== 0 || q < 0 || q / s.lhsDilation[a]! >= info.inSpatial[a]!) inside = false;
          else xoff += (q / s.lhsDilation[a]!) * xs[a + 1]!;
        }
        if (!inside) continue;
        const c = s.featureGroupCount > 1 ? g * info.kernelInChannels + i : i;
        let woff = i * ws[r]! + o;
        for (let a = 0; a < r; a++) woff += k[a]! * ws[a]!;
        acc += lhs.data[xoff + c]! * rhs.data[woff]!;
      }
    });
    let ooff = n! * os[0]! + o;
    for (let a = 0; a < r; a++) ooff += p[a]! * os[a + 1]!;
    out[ooff] = acc;
  });
  return { shape: info.outShape, data: out };
}

const ints = (n: number) => fc.array(fc.integer({ min: -3, max: 3 }), { minLength: n, maxLength: n });

/** Valid canonical problems by construction: sizes first, then groups that divide them. */
const problem = fc
  .record({
    r: fc.integer({ min: 1, max: 3 }),
    groups: fc.integer({ min: 1, max: 3 }),
    kindOfGroup: fc.constantFrom('feature', 'batch'),
    perGroupIn: fc.integer({ min: 1, max: 2 }),
    perGroupOut: fc.integer({ min: 1, max: 2 }),
    batchPerGroup: fc.integer({ min: 1, max: 2 }),
  })
  .chain(({ r, groups, kindOfGroup, perGroupIn, perGroupOut, batchPerGroup }) =>
    fc
      .record({
        L: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: r, maxLength: r }),
        K: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: r, maxLength: r }),
        stride: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: r, maxLength: r }),
        ld: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: r, maxLength: r }),
        rd: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: r, maxLength: r }),
        pad: fc.array(fc.tuple(fc.integer({ min: -2, max: 3 }), fc.integer({ min: -2, max: 3 })), { minLength: r, maxLength: r }),
      })
      .chain((g) => {
        const fgc = kindOfGroup === 'feature' ? groups : 1;
        const bgc = kindOfGroup === 'batch' ? groups : 1;
        const N = batchPerGroup * bgc;
        const C = perGroupIn * fgc;
        const I = kindOfGroup === 'feature' ? perGroupIn : C;
        const O = perGroupOut * groups;
        // Keep the padded size >= 0: crop at most what the dilated axis has.
        const pad = g.pad.map(([lo, hi], a) => {
          const dil = (g.L[a]! - 1) * g.ld[a]! + 1;
          return [Math.max(lo, -Math.floor(dil / 2)), Math.max(hi, -Math.floor(dil / 2))] as [number, number];
        });
        const lhsShape = [N, ...g.L, C];
        const rhsShape = [...g.K, I, O];
        const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
        return fc.record({
          lhs: ints(size(lhsShape)).map((d) => ({ shape: lhsShape, data: Float64Array.from(d) })),
          rhs: ints(size(rhsShape)).map((d) => ({ shape: rhsShape, data: Float64Array.from(d) })),
          spec: fc.constant<ConvSpec>({ windowStrides: g.stride, padding: pad, lhsDilation: g.ld, rhsDilation: g.rd, featureGroupCount: fgc, batchGroupCount: bgc }),
        });
      }),
  );

describe('canonical conv_general_dilated', () => {
  it('equals the definition read directly (dilations, signed pads, feature and batch groups)', () => {
    fc.assert(
      fc.property(problem, ({ lhs, rhs, spec }) => {
        const { out } = convGeneralDilated('test', lhs, rhs, spec);
        const want = naive(lhs, rhs, spec);
        expect(out.shape).toEqual(want.shape);
        expect(Array.from(out.data)).toEqual(Array.from(want.data));
      }),
      { numRuns: 300, seed: Number(process.env['CONVCHECK_SEED'] ?? 20261127) },
    );
  });

  it('rejects what XLA rejects, naming the argument', () => {
    const lhs = { shape: [1, 4, 3], data: new Float64Array(12) };
    const rhs = { shape: [2, 2, 4], data: new Float64Array(16) };
    const spec: ConvSpec = { windowStrides: [1], padding: [[0, 0]], lhsDilation: [1], rhsDilation: [1], featureGroupCount: 1, batchGroupCount: 1 };
    expect(() => convGeneralDilated('op', lhs, rhs, spec)).toThrow(/rhs input features \(2\) must equal input features of lhs \(3\)/);
    expect(() => convGeneralDilated('op', lhs, rhs, { ...spec, featureGroupCount: 2 })).toThrow(/feature_group_count \(2\) must divide the input features \(3\)/);
    expect(() => convGeneralDilated('op', lhs, { shape: [2, 3, 4], data: new Float64Array(24) }, { ...spec, padding: [[-3, -2]] })).toThrow(ConvError);
    expect(() => convGeneralDilated('op', lhs, { shape: [2, 3, 4], data: new Float64Array(24) }, { ...spec, windowStrides: [0] })).toThrow(/window_strides must be positive/);
  });
});

describe('tensor permutations', () => {
  it('transpose then its inverse is the identity; flip twice is the identity', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 4 }).chain((shape) =>
          fc.record({
            shape: fc.constant(shape),
            perm: fc.shuffledSubarray(shape.map((_, i) => i), { minLength: shape.length, maxLength: shape.length }),
            axes: fc.subarray(shape.map((_, i) => i)),
          }),
        ),
        ({ shape, perm, axes }) => {
          const n = shape.reduce((a, b) => a * b, 1);
          const t = { shape, data: Float64Array.from({ length: n }, (_, i) => i) };
          const inv = perm.map((_, i) => perm.indexOf(i));
          expect(Array.from(transpose(transpose(t, perm), inv).data)).toEqual(Array.from(t.data));
          expect(Array.from(flip(flip(t, axes), axes).data)).toEqual(Array.from(t.data));
        },
      ),
    );
  });
  it('transpose moves elements where the definition says', () => {
    // t[i, j] = 10 i + j, shape [2, 3]; transpose [1, 0] gives u[j, i] = 10 i + j.
    const t = { shape: [2, 3], data: Float64Array.from([0, 1, 2, 10, 11, 12]) };
    expect(Array.from(transpose(t, [1, 0]).data)).toEqual([0, 10, 1, 11, 2, 12]);
    expect(Array.from(flip(t, [1]).data)).toEqual([2, 1, 0, 12, 11, 10]);
  });
});
