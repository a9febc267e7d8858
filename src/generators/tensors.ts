/**
 * Tensor data for generated cases. Small integers make every sum exact in float32, so any
 * difference at all is a finding; general floats exercise rounding and the tolerance model.
 */
import fc from 'fast-check';

export type DataKind = 'int' | 'float';

export interface TensorJsonArb {
  shape: number[];
  data: number[];
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Values in [-3, 3], zero included; shrinks toward 0 so counterexamples read easily. */
export function intData(n: number): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: -3, max: 3 }), { minLength: n, maxLength: n });
}

/** float32-representable values in [-2, 2], no subnormals, NaN or infinities. */
export function floatData(n: number): fc.Arbitrary<number[]> {
  return fc.array(
    fc.float({ min: -2, max: 2, noNaN: true, noDefaultInfinity: true }).map((x) => (Math.abs(x) < 1e-30 ? 0 : x)),
    { minLength: n, maxLength: n },
  );
}

export function tensorArb(shape: readonly number[], kind: DataKind): fc.Arbitrary<TensorJsonArb> {
  const n = size(shape);
  return (kind === 'int' ? intData(n) : floatData(n)).map((data) => ({ shape: [...shape], data }));
}
