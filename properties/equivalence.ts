/**
 * flipped-kernel equivalence: a TF transposed convolution equals, in every other convention,
 * the call that convention needs for the same mathematics:
 *   JAX conv_general_dilated with lhs_dilation = strides, the kernel flipped spatially with in/out
 *   swapped, and the derived padding; JAX conv_transpose(transpose_kernel=True); ONNX
 *   ConvTranspose; torch conv_transpose with the translated padding (and an exact pad/crop
 *   recipe where torch's symmetric padding cannot say it).
 * The translation comes from src/translate; the implementation runs the translated call and its
 * answer, mapped back to TF's layout, must equal the reference on the TF call.
 */
import fc from 'fast-check';
import { parseCase, type CaseJson } from '../src/case/case.js';
import type { Framework } from '../src/conventions/index.js';
import { transpose, type Tensor } from '../src/core/tensor.js';
import { caseArb } from '../src/generators/cases.js';
import { applyRecipe, cropOutput, NotExpressible, translate } from '../src/translate/index.js';
import { fmtRatio } from './checks.js';
import { runReference, supportsOp, type Implementation } from './implementation.js';
import type { Property, Verdict } from './property.js';
import { compareTo, errorBound } from './tolerance.js';

/** Target conventions and the op each is asked to use. */
const TARGETS: ReadonlyArray<readonly [Framework, string]> = [
  ['jax', 'conv_general_dilated'],
  ['jax', 'conv_transpose'],
  ['onnx', 'ConvTranspose'],
  ['torch', 'conv_transpose'],
];

interface Input {
  readonly tf: CaseJson;
  readonly target: readonly [Framework, string];
}

function targetsFor(impl: Implementation): Array<readonly [Framework, string]> {
  return TARGETS.filter(([fw, op]) => impl.ops.some(([f, o]) => f === fw && (o === op || o.startsWith(op))));
}

export const equivalenceProperty: Property<Input> = {
  name: 'flipped-kernel',
  description: 'TF conv_transpose equals its translation into JAX, ONNX and torch',
  arbitrary(impl, gen) {
    const targets = targetsFor(impl);
    if (targets.length === 0) return undefined;
    const opts = { ...gen, float64: gen.float64 === true && impl.float64 };
    const tfCases = fc.oneof(...['conv1d_transpose', 'conv2d_transpose', 'conv3d_transpose'].map((op) => caseArb('tf', op, opts)));
    return fc.record({ tf: tfCases, target: fc.constantFrom(...targets) });
  },
  async check(impl, { tf, target }): Promise<Verdict> {
    const [fw, op] = target;
    let t;
    try {
      const r = tf.op.slice(4, 5); // conv{r}d_transpose
      const exact = fw === 'torch' ? `conv_transpose${r}d` : op;
      t = translate(tf, fw, { op: exact, ...(fw === 'jax' && op === 'conv_transpose' ? { transposeKernel: true } : {}) });
    } catch (e) {
      if (e instanceof NotExpressible) return { status: 'unsupported', reason: e.message };
      throw e;
    }
    const call = applyRecipe(t);
    if (!supportsOp(impl, call.framework, call.op)) return { status: 'unsupported', reason: `${impl.name} has no ${call.framework} ${call.op}` };
    const cases = [tf, call];
    const parsed = parseCase(call, 'translated');
    const r = await impl.run(parsed);
    if (r.kind === 'unsupported') return { status: 'unsupported', reason: r.reason };
    if (r.kind !== 'value') return { status: 'fail', message: `${impl.name} ${r.kind === 'rejected' ? 'rejected' : 'failed on'} the translated call: ${r.error}`, cases };
    // Back to TF's layout: crop by the recipe, then the plan's output permutation.
    const out: Tensor = transpose(cropOutput({ shape: r.shape, data: r.data }, t.recipe), t.plan.outputPerm);
    const bound = transpose(cropOutput({ shape: r.shape, data: errorBound(parsed, parsed.dtype, impl.precision).bound }, t.recipe), t.plan.outputPerm).data;
    const ref = runReference(parseCase(tf, 'tf'));
    if (ref.kind !== 'value') return { status: 'fail', message: 'the reference rejected a generated TF case', cases };
    const cmp = compareTo({ shape: ref.shape, data: ref.data }, out, bound);
    if (cmp.ok) return { status: 'pass', ratio: cmp.ratio };
    return {
      status: 'fail',
      message: cmp.message ?? `TF ${tf.op} vs ${fw} ${call.op}: element ${cmp.worstIndex} is ${cmp.actual}, TF's is ${cmp.expected} (${fmtRatio(cmp.ratio)} × bound)`,
      cases,
      ratio: cmp.ratio,
    };
  },
};
