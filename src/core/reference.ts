/**
 * The reference convolution: XLA's ConvGeneralDilated in float64, built as
 * correlate(pad(dilate(lhs, lhs_dilation), padding), rhs, strides, rhs_dilation, groups).
 */
import { correlate, dilate, pad } from './primitives.js';
import { convInfo, type ConvInfo, type ConvSpec } from './shapes.js';
import { transpose, type Tensor } from './tensor.js';

/** Canonical operands: lhs [N, S..., C], rhs [K..., I, O]; the result is [N', S'..., O]. */
export function convGeneralDilated(op: string, lhs: Tensor, rhs: Tensor, spec: ConvSpec): { out: Tensor; info: ConvInfo } {
  const info = convInfo(op, lhs.shape, rhs.shape, spec);
  const x = pad(dilate(lhs, spec.lhsDilation), spec.padding);
  const out = correlate(x, rhs, {
    strides: spec.windowStrides,
    rhsDilation: spec.rhsDilation,
    featureGroupCount: spec.featureGroupCount,
    batchGroupCount: spec.batchGroupCount,
  });
  return { out, info };
}

/**
 * Where each logical axis sits in a framework's layout. `lhs` lists the axes of the framework's
 * input holding [N, S1..Sr, C]; `rhs` those holding [K1..Kr, I, O]; `out` those of the
 * framework's output holding [N, S1..Sr, O]. (JAX's dimension_numbers, as permutations.)
 */
export interface Layout {
  readonly lhs: readonly number[];
  readonly rhs: readonly number[];
  readonly out: readonly number[];
}

/** Runs the reference on operands in any layout: permutations at the edges, nothing else. */
export function convInLayout(op: string, lhs: Tensor, rhs: Tensor, spec: ConvSpec, layout: Layout): Tensor {
  const { out } = convGeneralDilated(op, transpose(lhs, layout.lhs), transpose(rhs, layout.rhs), spec);
  // out is canonical [N, S..., O]; axis layout.out[j] of the result holds canonical axis j.
  const toUser = new Array<number>(layout.out.length);
  layout.out.forEach((userAxis, j) => (toUser[userAxis] = j));
  return transpose(out, toUser);
}
