/**
 * lax.conv_general_dilated's preferred_element_type, as JAX 0.10 checks it (run here on float32
 * and float16 inputs: float16 or bfloat16 for a float32 input raised "TypeError:
 * `preferred_element_type` must not be narrower than the original type"; float32 passed, and
 * bfloat16 for a float16 input passed; int32, float128 and 3 raised TypeError too). It never
 * changes the reference's value.
 */
import { describe, expect, it } from 'vitest';
import { parseCase, type CaseJson } from '../../src/case/case.js';
import { reference } from '../../src/conventions/index.js';
import { ConvError } from '../../src/core/errors.js';

const base = (pet: unknown, dtype: CaseJson['dtype']): CaseJson => ({
  framework: 'jax',
  op: 'conv_general_dilated',
  attrs: { window_strides: [1], padding: 'VALID', preferred_element_type: pet },
  inputs: { lhs: { shape: [1, 2, 5], data: [1, 2, 3, 4, 5, -1, -2, -3, -4, -5] }, rhs: { shape: [3, 2, 2], data: [1, 0, 2, -1, 0, 1, 1, 1, 2, 0, -1, 3] } },
  dtype,
});

describe('jax preferred_element_type', () => {
  const plain = reference(parseCase({ ...base(null, 'float32') }, 't'));
  it('as wide or wider than the input: accepted, same value', () => {
    for (const [pet, dtype] of [['float32', 'float32'], ['float64', 'float32'], ['bfloat16', 'float16'], ['float32', 'float16']] as const) {
      const r = reference(parseCase(base(pet, dtype), 't'));
      expect(r.shape).toEqual(plain.shape);
      if (dtype === 'float32') expect(Array.from(r.data)).toEqual(Array.from(plain.data));
    }
  });
  it('narrower than the input, or not a floating dtype: refused as JAX refuses it', () => {
    for (const [pet, dtype] of [['float16', 'float32'], ['bfloat16', 'float32'], ['float32', 'float64']] as const) {
      expect(() => reference(parseCase(base(pet, dtype), 't'))).toThrow(/preferred_element_type must not be narrower than the input dtype/);
    }
    for (const pet of ['int32', 'float128', 3]) {
      expect(() => reference(parseCase(base(pet, 'float32'), 't'))).toThrow(ConvError);
    }
  });
});
