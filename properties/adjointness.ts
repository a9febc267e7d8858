/**
 * adjointness: ⟨conv(x, w), y⟩ = ⟨x, conv_transpose(y, w)⟩ with the same kernel and matching
 * parameters, in the implementation's own convention. This is what a transposed convolution *is*;
 * it decides flip, in/out order and crop side without trusting any reference.
 *
 * shape law: the transposed conv maps the forward output shape back to the forward input shape.
 */
import fc from 'fast-check';
import { parseCase, type CaseJson } from '../src/case/case.js';
import { runValid, fmtRatio } from './checks.js';
import { casesFor, fill, pool } from './generate.js';
import { supportsOp, type Implementation } from './implementation.js';
import { adjointPair, inputName, transposeOpOf, type Pair } from './pairs.js';
import { pass, type Property, type Verdict } from './property.js';
import { innerProduct } from './tensors.js';

function pairsFor(impl: Implementation, gen: Parameters<Property['arbitrary']>[1]) {
  const fwd = casesFor(impl, gen, (fw, op) => {
    const t = transposeOpOf(fw, op);
    return t !== undefined && supportsOp(impl, fw, t);
  });
  return fwd ? fc.tuple(fwd, pool).map(([c, values]) => adjointPair(c, (shape) => fill(values, shape))) : undefined;
}

export const adjointnessProperty: Property<Pair | undefined> = {
  name: 'adjointness',
  description: '⟨conv(x, w), y⟩ = ⟨x, conv_transpose(y, w)⟩',
  arbitrary: pairsFor,
  async check(impl, pair): Promise<Verdict> {
    if (!pair) return { status: 'unsupported', reason: 'no transposed op for this call in its convention' };
    const cases = [pair.forward, pair.transpose];
    const f = await runValid(impl, pair.forward, cases);
    if (!f.ok) return f.verdict;
    const t = await runValid(impl, pair.transpose, cases);
    if (!t.ok) return t.verdict;
    const x = parseCase(pair.forward, 'x').inputs[inputName(pair.forward.framework)]!;
    const y = parseCase(pair.transpose, 'y').inputs[inputName(pair.transpose.framework)]!;
    if (f.out.data.length !== y.data.length || t.out.data.length !== x.data.length) {
      return { status: 'fail', message: `shapes do not pair: conv gives [${f.out.shape}] for y [${y.shape}], conv_transpose gives [${t.out.shape}] for x [${x.shape}]`, cases };
    }
    const lhs = innerProduct(f.out.data, y.data);
    const rhs = innerProduct(x.data, t.out.data);
    // Each side is off by at most Σ|y|·bound_f (resp. Σ|x|·bound_t); the float64 dot products add nothing visible.
    const bound = innerProduct(f.bound, y.data.map(Math.abs)) + innerProduct(t.bound, x.data.map(Math.abs));
    const err = Math.abs(lhs - rhs);
    if (err <= bound) return pass;
    return { status: 'fail', message: `⟨conv(x,w), y⟩ = ${lhs} but ⟨x, conv_transpose(y,w)⟩ = ${rhs} (${fmtRatio(bound ? err / bound : Infinity)} × bound)`, cases, ratio: bound ? err / bound : Infinity };
  },
};

export const shapeLawProperty: Property<Pair | undefined> = {
  name: 'shape-law',
  description: "the transposed conv maps the forward output shape back to the forward input's",
  arbitrary: pairsFor,
  async check(impl, pair): Promise<Verdict> {
    if (!pair) return { status: 'unsupported', reason: 'no transposed op for this call in its convention' };
    const cases = [pair.forward, pair.transpose];
    const f = await runValid(impl, pair.forward, cases);
    if (!f.ok) return f.verdict;
    const t = await runValid(impl, { ...pair.transpose, inputs: { ...pair.transpose.inputs, [inputName(pair.transpose.framework)]: { shape: f.out.shape as number[], data: new Array<number>(f.out.data.length).fill(0) } } } as CaseJson, cases);
    if (!t.ok) return t.verdict;
    const x = pair.forward.inputs[inputName(pair.forward.framework)]!;
    if (t.out.shape.join() === x.shape.join()) return pass;
    return { status: 'fail', message: `conv maps [${x.shape}] to [${f.out.shape}], conv_transpose maps that to [${t.out.shape}]`, cases };
  },
};
