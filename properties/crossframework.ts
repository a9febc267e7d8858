/**
 * cross-framework: the seed's question as a property. One canonical convolution, drawn in any
 * convention, is expressed through `translate` in every framework the implementation runs (the
 * source call itself, each framework's default translation, and JAX `conv_transpose` with and
 * without transpose_kernel), every expression is run, and each answer, mapped back to the source's
 * layout, must equal the reference on the source call and every other answer.
 *
 * The flipped-kernel equivalence is one arm of it: a TF conv{1,2,3}d_transpose against the JAX
 * conv_general_dilated and conv_transpose that translate emits, run in real TF and real JAX when
 * the implementation is several frameworks at once (`combine`).
 *
 * All expressions compute the same canonical op (same taps, same products), so the source call's
 * tolerance bound B holds for each of them. Agreement with each other is then implied, not checked
 * again: two answers within B of the reference are within 2B, the sum of their bounds, of each other.
 */
import fc from 'fast-check';
import { parseCase, type CaseJson } from '../src/case/case.js';
import type { Framework } from '../src/conventions/index.js';
import { reshape, transpose, type Tensor } from '../src/core/tensor.js';
import { caseArb, GENERATORS } from '../src/generators/cases.js';
import { applyRecipe, cropOutput, NotExpressible, translate, type Translation } from '../src/translate/index.js';
import type { OracleResult } from '../oracles/types.js';
import { fmtRatio } from './checks.js';
import { runReference, supportsOp, type Implementation } from './implementation.js';
import type { Property, Verdict } from './property.js';
import { compareTo, errorBound } from './tolerance.js';

const FRAMEWORKS: readonly Framework[] = ['tf', 'jax', 'onnx', 'torch'];
const TF_TRANSPOSES = ['conv1d_transpose', 'conv2d_transpose', 'conv3d_transpose'];

/** One way of computing the source call: the source itself, or a translation of it. */
interface Expression {
  readonly label: string;
  /** What the implementation runs (recipe input pad applied). */
  readonly case: CaseJson;
  readonly translation?: Translation;
}

/** The frameworks an implementation runs, in a fixed order. */
function frameworksOf(impl: Implementation): Framework[] {
  return FRAMEWORKS.filter((fw) => impl.ops.some(([f]) => f === fw));
}

/** Every expression of `source` the implementation can run; translations it cannot express are left out. */
export function expressions(impl: Implementation, source: CaseJson): Expression[] {
  const out: Expression[] = [];
  if (supportsOp(impl, source.framework, source.op)) out.push({ label: `${source.framework}.${source.op} (source)`, case: source });
  const attempts: Array<readonly [Framework, Parameters<typeof translate>[2]]> = [];
  for (const fw of frameworksOf(impl)) {
    attempts.push([fw, {}]);
    if (fw === 'jax') attempts.push(['jax', { op: 'conv_transpose', transposeKernel: true }], ['jax', { op: 'conv_transpose', transposeKernel: false }]);
  }
  const seen = new Set([JSON.stringify([source.framework, source.op, source.attrs])]);
  for (const [fw, opts] of attempts) {
    let t: Translation;
    try {
      t = translate(source, fw, opts);
    } catch (e) {
      if (e instanceof NotExpressible) continue;
      throw e;
    }
    const c = applyRecipe(t);
    const key = JSON.stringify([c.framework, c.op, c.attrs]);
    if (seen.has(key) || !supportsOp(impl, c.framework, c.op)) continue;
    seen.add(key);
    const tk = c.attrs?.['transpose_kernel'] === true ? ', transpose_kernel' : '';
    out.push({ label: `${c.framework}.${c.op}${tk}${t.recipe ? ' (with pad/crop recipe)' : ''}`, case: c, translation: t });
  }
  return out;
}

/** A translated call's output, brought back to the source's layout: crop, bias, permutation, batch. */
export function backToSource(t: Translation, y: Tensor): Tensor {
  let out = cropOutput(y, t.recipe);
  if (t.bias && t.plan.biasAxis !== undefined) {
    const b = t.bias.data.map(Number);
    const axis = t.plan.biasAxis;
    const inner = out.shape.slice(axis + 1).reduce((p, q) => p * q, 1);
    const n = out.shape[axis]!;
    out = { shape: out.shape, data: Float64Array.from(out.data, (v, i) => v + b[Math.floor(i / inner) % n]!) };
  }
  // outputPerm maps batched outputs. A torch target keeps an unbatched torch source unbatched:
  // give it the batch axis for the permutation and take it away again.
  const unbatched = out.shape.length === t.plan.outputPerm.length - 1;
  if (unbatched) out = reshape(out, [1, ...out.shape]);
  out = transpose(out, t.plan.outputPerm);
  return t.plan.dropBatch || unbatched ? reshape(out, out.shape.slice(1)) : out;
}

/** Source cases drawn from every framework's generators (so every convention is a source). */
function sources(float64: boolean): fc.Arbitrary<CaseJson> {
  const all = FRAMEWORKS.flatMap((fw) => Object.keys(GENERATORS[fw]).map((op) => caseArb(fw, op, { float64 })));
  const tfTransposes = TF_TRANSPOSES.map((op) => caseArb('tf', op, { float64 }));
  // The seed's shape of question, TF transposed conv vs JAX, gets a third of the draws.
  return fc.oneof({ arbitrary: fc.oneof(...all), weight: 2 }, { arbitrary: fc.oneof(...tfTransposes), weight: 1 });
}

export const crossFrameworkProperty: Property<CaseJson> = {
  name: 'cross-framework',
  description: 'one convolution, translated into every framework the implementation runs, gives the same answer in each',
  arbitrary(impl, gen) {
    if (frameworksOf(impl).length === 0) return undefined;
    // No filter: a source with no expression the implementation runs is answered `unsupported`
    // (filtering would make fast-check give up on implementations of few ops, e.g. tfjs).
    return sources(gen.float64 === true && impl.float64);
  },
  async check(impl, source): Promise<Verdict> {
    const call = parseCase(source, 'source');
    const ref = runReference(call);
    if (ref.kind !== 'value') return { status: 'fail', message: 'the reference rejected a generated case', cases: [source] };
    const bound = errorBound(call, call.dtype, impl.precision).bound;
    let answered = 0;
    const unsupported: string[] = [];
    for (const e of expressions(impl, source)) {
      const r: OracleResult = await impl.run(parseCase(e.case, e.label));
      const cases = e.translation ? [e.case, source] : [source];
      if (r.kind === 'unsupported') {
        unsupported.push(`${e.label}: ${r.reason}`);
        continue;
      }
      if (r.kind !== 'value') return { status: 'fail', message: `${impl.name} ${r.kind === 'rejected' ? 'rejected' : 'failed on'} ${e.label}: ${r.error}`, cases };
      const y = { shape: r.shape, data: r.data };
      let out: Tensor;
      try {
        out = e.translation ? backToSource(e.translation, y) : y;
      } catch {
        return { status: 'fail', message: `${e.label}: output shape [${r.shape.join(', ')}] cannot be mapped back to the source's layout`, cases };
      }
      const cmp = compareTo({ shape: ref.shape, data: ref.data }, out, bound);
      if (!cmp.ok) {
        return {
          status: 'fail',
          message: `${e.label} in ${impl.name}: ${cmp.message ?? `element ${cmp.worstIndex} is ${cmp.actual}, the reference on the source gives ${cmp.expected} (${fmtRatio(cmp.ratio)} × bound)`}`,
          cases,
          ratio: cmp.ratio,
          expected: { shape: ref.shape, data: ref.data },
          actual: out,
        };
      }
      answered++;
    }
    if (answered === 0) return { status: 'unsupported', reason: unsupported.join('; ') || `${impl.name} runs no expression of this ${source.framework}.${source.op} call` };
    return { status: 'pass' };
  },
};

/**
 * Several single-framework implementations as one (torch + jax + tf, say): each call goes to the
 * first member that implements its op. The cross-framework property run on the combination
 * compares the real frameworks with each other.
 */
export function combine(name: string, members: readonly Implementation[]): Implementation {
  return {
    name,
    ops: members.flatMap((m) => m.ops),
    float64: members.every((m) => m.float64),
    run: (call) => {
      const m = members.find((x) => supportsOp(x, call.framework, call.op));
      return m ? m.run(call) : Promise.resolve({ kind: 'unsupported', reason: `no member of ${name} runs ${call.framework} ${call.op}` });
    },
  };
}
