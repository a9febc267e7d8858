/**
 * adjointness: ⟨conv(x, w), y⟩ = ⟨x, conv_transpose(y, w)⟩ with the same kernel and matching
 * parameters, in the implementation's own convention. This is what a transposed convolution *is*;
 * it decides flip, in/out order and crop side without trusting any reference.
 *
 * shape law: the transposed conv maps the forward output shape back to the forward input shape.
 */
import fc from 'fast-check';
import { parseCase, type CaseJson } from '../src/case/case.js';
import { runValid, fmtRatio, type Ran } from './checks.js';
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

type Ok = Ran & { ok: true };

/** Runs the forward call, then the transposed call `second` builds; a verdict if either fails. */
async function runPair(impl: Implementation, pair: Pair | undefined, second: (p: Pair, fOut: Ok['out']) => CaseJson): Promise<[Ok, Ok] | Verdict> {
  if (!pair) return { status: 'unsupported', reason: 'no transposed op for this call in its convention' };
  const cases = [pair.forward, pair.transpose];
  const f = await runValid(impl, pair.forward, cases);
  if (!f.ok) return f.verdict;
  const t = await runValid(impl, second(pair, f.out), cases);
  if (!t.ok) return t.verdict;
  return [f, t];
}

export const adjointnessProperty: Property<Pair | undefined> = {
  name: 'adjointness',
  description: '⟨conv(x, w), y⟩ = ⟨x, conv_transpose(y, w)⟩',
  arbitrary: pairsFor,
  async check(impl, pair): Promise<Verdict> {
    const ran = await runPair(impl, pair, (p) => p.transpose);
    if (!Array.isArray(ran)) return ran;
    const [f, t] = ran;
    const cases = [pair!.forward, pair!.transpose];
    const x = parseCase(pair!.forward, 'x').inputs[inputName(pair!.forward.framework)]!;
    const y = parseCase(pair!.transpose, 'y').inputs[inputName(pair!.transpose.framework)]!;
    if (f.out.data.length !== y.data.length || t.out.data.length !== x.data.length) {
      return { status: 'fail', message: `shapes do not pair: conv gives [${f.out.shape}] for y [${y.shape}], conv_transpose gives [${t.out.shape}] for x [${x.shape}]`, cases };
    }
    const lhs = innerProduct(f.out.data, y.data);
    const rhs = innerProduct(x.data, t.out.data);
    // Each side is off by at most Σ|y|·bound_f (resp. Σ|x|·bound_t); the float64 dot products add nothing visible.
    const bound = innerProduct(f.bound, y.data.map(Math.abs)) + innerProduct(t.bound, x.data.map(Math.abs));
    const err = Math.abs(lhs - rhs);
    if (err <= bound) return { status: 'pass', ratio: err === 0 ? 0 : err / bound };
    return { status: 'fail', message: `⟨conv(x,w), y⟩ = ${lhs} but ⟨x, conv_transpose(y,w)⟩ = ${rhs} (${fmtRatio(bound ? err / bound : Infinity)} × bound)`, cases, ratio: bound ? err / bound : Infinity };
  },
};

export const shapeLawProperty: Property<Pair | undefined> = {
  name: 'shape-law',
  description: "the transposed conv maps the forward output shape back to the forward input's",
  arbitrary: pairsFor,
  async check(impl, pair): Promise<Verdict> {
    // The transposed call takes y of the shape the implementation's own forward conv produced.
    const ran = await runPair(impl, pair, (p, fOut) => ({
      ...p.transpose,
      inputs: { ...p.transpose.inputs, [inputName(p.transpose.framework)]: { shape: [...fOut.shape], data: new Array<number>(fOut.data.length).fill(0) } },
    }));
    if (!Array.isArray(ran)) return ran;
    const [f, t] = ran;
    const x = pair!.forward.inputs[inputName(pair!.forward.framework)]!;
    if (t.out.shape.join() === x.shape.join()) return pass;
    return { status: 'fail', message: `conv maps [${x.shape}] to [${f.out.shape}], conv_transpose maps that to [${t.out.shape}]`, cases: [pair!.forward, pair!.transpose] };
  },
};
