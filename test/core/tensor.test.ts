/** roundTo against Math.fround, value by value, over every kind of double. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundTo } from '../../src/core/tensor.js';

describe('roundTo', () => {
  it('float32 equals Math.fround on each value (NaN, ±∞, ±0, overflow, subnormals, ties)', () => {
    const special = fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, 3.4028235677973366e38, 3.4028235677973367e38, 1.4e-45, 7e-46, 1 + 2 ** -24, 1 + 3 * 2 ** -24);
    fc.assert(
      // Lengths across the chunk size (2^14) of the implementation.
      fc.property(fc.integer({ min: 0, max: 40000 }).chain((n) => fc.array(fc.oneof(fc.double(), special), { minLength: n, maxLength: n })), (values) => {
        const data = Float64Array.from(values);
        const got = roundTo({ shape: [data.length], data }, 'float32').data;
        expect(got.length).toBe(data.length);
        const wrong = data.findIndex((v, i) => !Object.is(got[i], Math.fround(v)));
        expect(wrong, `value ${data[wrong]} at ${wrong}`).toBe(-1);
      }),
      { numRuns: 20, seed: Number(process.env['CONVCHECK_SEED'] ?? 20261129) },
    );
  });

  it('float64 leaves the tensor as it is', () => {
    const t = { shape: [2], data: Float64Array.of(0.1, -0) };
    expect(roundTo(t, 'float64')).toBe(t);
  });
});
