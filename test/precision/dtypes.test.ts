/**
 * float16 and bfloat16 in the case format, eval and the generators: data must be values of the
 * dtype (refused otherwise, naming the element); eval rounds the exact result once to the dtype;
 * generated 16-bit cases hold only values of their dtype.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, parseCase, type CaseJson } from '../../src/case/case.js';
import { CaseError } from '../../src/core/errors.js';
import { BFLOAT16, FLOAT16, representable } from '../../src/core/formats.js';
import { caseArb } from '../../src/generators/cases.js';

const conv = (dtype: string, x: number[], w: number[]): CaseJson =>
  ({ id: 't', framework: 'onnx', op: 'Conv', inputs: { X: { shape: [1, 1, x.length], data: x }, W: { shape: [1, 1, w.length], data: w } }, dtype }) as CaseJson;

describe('16-bit dtypes in the case format', () => {
  it('refuses data that is not a value of the dtype, naming the element', () => {
    expect(() => parseCase(conv('float16', [1, 0.1], [1]), 'l')).toThrow(CaseError);
    expect(() => parseCase(conv('float16', [1, 0.1], [1]), 'l')).toThrow(/inputs\.X\.data\[1\].*0\.1 is not a float16 value \(nearest: 0\.0999755859375\)/);
    expect(() => parseCase(conv('bfloat16', [1], [1, 1.00390625]), 'l')).toThrow(/inputs\.W\.data\[1\].*not a bfloat16 value/);
    expect(() => parseCase(conv('float16', [70000], [1]), 'l')).toThrow(/not a float16 value \(nearest: Infinity\)/);
    expect(() => parseCase(conv('float8', [1], [1]), 'l')).toThrow(/dtype.*float16/);
  });
  it('accepts exact values, subnormals, and non-finite values', () => {
    const c = parseCase(conv('float16', [2 ** -24, 65504, -0.0999755859375], [1]), 'l');
    expect(Array.from(c.inputs['X']!.data)).toEqual([2 ** -24, 65504, -0.0999755859375]);
    expect(parseCase({ ...conv('bfloat16', [1], [1]), inputs: { X: { shape: [1, 1, 2], data: ['Infinity', 1.5] }, W: { shape: [1, 1, 1], data: [1] } } }, 'l').dtype).toBe('bfloat16');
  });
  it('eval rounds the exact result once to the dtype (ties to even, overflow to ∞)', () => {
    // 1 + 2⁻¹¹ is a float16 tie: to even gives 1. Two float16 terms summing past 65504 give ∞.
    const tie = evaluate(parseCase(conv('float16', [1, 2 ** -11 * 2], [1, 0.5]), 'l'));
    expect(tie).toEqual({ shape: [1, 1, 1], data: Float64Array.of(1) });
    const over = evaluate(parseCase(conv('float16', [65504, 65504], [1, 1]), 'l'));
    expect('data' in over && over.data[0]).toBe(Infinity);
    // bfloat16: 1 + 2⁻⁸ + 2⁻⁹ rounds up to 1 + 2⁻⁷.
    const bf = evaluate(parseCase(conv('bfloat16', [1, 2 ** -8, 2 ** -9], [1, 1, 1]), 'l'));
    expect('data' in bf && bf.data[0]).toBe(1 + 2 ** -7);
    // float32 cases stay exact, as before.
    const f32 = evaluate(parseCase(conv('float32', [1, 2 ** -30], [1, 1]), 'l'));
    expect('data' in f32 && f32.data[0]).toBe(1 + 2 ** -30);
  });
});

describe('generators with a 16-bit dtype', () => {
  for (const [dtype, f] of [['float16', FLOAT16], ['bfloat16', BFLOAT16]] as const) {
    it(`every ${dtype} case holds only ${dtype} values and parses`, () => {
      fc.assert(
        fc.property(caseArb('onnx', 'Conv', { dtype, intShare: 0 }), (c) => {
          expect(c.dtype).toBe(dtype);
          for (const t of Object.values(c.inputs)) for (const v of t.data) expect(representable(v as number, f)).toBe(true);
          parseCase(c, 'generated');
        }),
        { numRuns: 50, seed: 3 },
      );
    });
  }
  it('dyadic data (multiples of 1/64 in [-2, 2]) is drawn only when asked for', () => {
    const dyadic = (c: CaseJson) => Object.values(c.inputs).every((t) => t.data.every((v) => Number.isInteger((v as number) * 64) && Math.abs(v as number) <= 2));
    const some = fc.sample(caseArb('onnx', 'Conv', { intShare: 0, dyadicShare: 1 }), { numRuns: 30, seed: 5 });
    expect(some.every(dyadic)).toBe(true);
    const none = fc.sample(caseArb('onnx', 'Conv', { intShare: 0 }), { numRuns: 30, seed: 5 });
    expect(none.filter(dyadic).length).toBeLessThan(5);
  });
});
