/**
 * The reference convolution: XLA's ConvGeneralDilated in float64. Its specification is
 * correlate(pad(dilate(lhs, lhs_dilation), padding), rhs, strides, rhs_dilation, groups) — the
 * plain path. A fast path (src/core/fast/) computes the same sums without building the dilated,
 * padded input; it is used whenever it applies and is tested against the plain path.
 */
import { fastApplies, fastConv } from './fast/direct.js';
import { correlate, dilate, pad } from './primitives.js';
import { convInfo, type ConvInfo, type ConvSpec } from './shapes.js';
import { transpose, type Tensor } from './tensor.js';

/** Which implementation of the canonical op: `auto` takes the fast path when it applies. */
export type ReferencePath = 'auto' | 'plain' | 'fast';

/** The specification: dilate, pad, correlate. */
function plain(lhs: Tensor, rhs: Tensor, spec: ConvSpec): Tensor {
  return correlate(pad(dilate(lhs, spec.lhsDilation), spec.padding), rhs, {
    strides: spec.windowStrides,
    rhsDilation: spec.rhsDilation,
    featureGroupCount: spec.featureGroupCount,
    batchGroupCount: spec.batchGroupCount,
  });
}

function absOf(t: Tensor): Tensor {
  const data = new Float64Array(t.data.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.abs(t.data[i]!);
  return { shape: t.shape, data };
}

function usesFast(path: ReferencePath, lhs: Tensor, rhs: Tensor, info: ConvInfo, spec: ConvSpec): boolean {
  if (path === 'plain') return false;
  const applies = fastApplies(lhs, rhs, info, spec);
  if (path === 'fast' && !applies) throw new Error('fast path forced on a call it does not apply to (rank 0, non-finite kernel, or beyond wasm32 memory)');
  return applies;
}

const identity = (r: number) => Array.from({ length: r }, (_, i) => i);

/** Canonical operands: lhs [N, S..., C], rhs [K..., I, O]; the result is [N', S'..., O]. */
export function convGeneralDilated(op: string, lhs: Tensor, rhs: Tensor, spec: ConvSpec, path: ReferencePath = 'auto'): { out: Tensor; info: ConvInfo } {
  const r = lhs.shape.length;
  const layout = { lhs: identity(r), rhs: identity(r), out: identity(r) };
  return { out: compute(op, lhs, rhs, spec, layout, path, false).out, info: convInfo(op, lhs.shape, rhs.shape, spec) };
}

/**
 * The value and Σ|x||w| per output (the error bound's magnitude), in one pass on the fast path;
 * on the plain path, the second is the op run on |x| and |w|.
 */
export function convWithMagnitude(op: string, lhs: Tensor, rhs: Tensor, spec: ConvSpec, path: ReferencePath = 'auto'): { out: Tensor; magnitude: Tensor } {
  const r = lhs.shape.length;
  const res = compute(op, lhs, rhs, spec, { lhs: identity(r), rhs: identity(r), out: identity(r) }, path, true);
  return { out: res.out, magnitude: res.magnitude! };
}

/**
 * Both paths on operands in a framework's layout. The fast path permutes the input straight into
 * its kernel's memory and the result straight out of it (no canonical copies in between).
 */
function compute(op: string, lhs: Tensor, rhs: Tensor, spec: ConvSpec, layout: Layout, path: ReferencePath, magnitude: boolean): { out: Tensor; magnitude?: Tensor } {
  const w = transpose(rhs, layout.rhs);
  const info = convInfo(op, layout.lhs.map((a) => lhs.shape[a]!), w.shape, spec);
  const toUser = new Array<number>(layout.out.length);
  layout.out.forEach((userAxis, j) => (toUser[userAxis] = j)); // axis layout.out[j] of the result holds canonical axis j
  if (usesFast(path, lhs, w, info, spec)) return fastConv(lhs, layout.lhs, w, spec, info, toUser, magnitude);
  const x = transpose(lhs, layout.lhs);
  const out = transpose(plain(x, w, spec), toUser);
  return magnitude ? { out, magnitude: transpose(plain(absOf(x), absOf(w), spec), toUser) } : { out };
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
export function convInLayout(op: string, lhs: Tensor, rhs: Tensor, spec: ConvSpec, layout: Layout, path: ReferencePath = 'auto'): Tensor {
  return compute(op, lhs, rhs, spec, layout, path, false).out;
}

/** convInLayout with the magnitude Σ|x||w| per output, both in the framework's layout. */
export function convInLayoutWithMagnitude(op: string, lhs: Tensor, rhs: Tensor, spec: ConvSpec, layout: Layout, path: ReferencePath = 'auto'): { out: Tensor; magnitude: Tensor } {
  const r = compute(op, lhs, rhs, spec, layout, path, true);
  return { out: r.out, magnitude: r.magnitude! };
}
