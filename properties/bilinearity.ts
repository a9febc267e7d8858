/**
 * bilinearity: conv(a·x₁ + b·x₂, w) = a·conv(x₁, w) + b·conv(x₂, w), and the same in w.
 * Integer data keep both sides exact, so any difference is a bug (a stale buffer, a value
 * cached across calls, an accumulator not reset). Bias is dropped: it makes a conv affine.
 */
import fc from 'fast-check';
import type { CaseJson, TensorJson } from '../src/case/case.js';
import { agree, runValid } from './checks.js';
import { casesFor, fill, pool } from './generate.js';
import { inputName, kernelName, withoutBias } from './pairs.js';
import type { Property, Verdict } from './property.js';

interface Input {
  readonly base: CaseJson;
  readonly which: 'input' | 'kernel';
  readonly other: readonly number[];
  readonly a: number;
  readonly b: number;
}

const combine = (t: TensorJson, u: TensorJson, a: number, b: number): TensorJson => ({
  shape: t.shape,
  data: t.data.map((v, i) => a * (v as number) + b * (u.data[i] as number)),
});

export const bilinearityProperty: Property<Input> = {
  name: 'bilinearity',
  description: 'linear in the input and in the kernel',
  arbitrary: (impl, gen) => {
    const cases = casesFor(impl, { ...gen, intShare: 1 });
    return (
      cases &&
      fc.record({
        base: cases.map(withoutBias),
        which: fc.constantFrom('input' as const, 'kernel' as const),
        other: pool,
        a: fc.integer({ min: -2, max: 2 }),
        b: fc.integer({ min: -2, max: 2 }),
      })
    );
  },
  async check(impl, { base, which, other, a, b }): Promise<Verdict> {
    const name = which === 'input' ? inputName(base.framework) : kernelName(base.framework, base.op);
    const t1 = base.inputs[name]!;
    const t2 = fill(other, t1.shape);
    const at = (t: TensorJson): CaseJson => ({ ...base, inputs: { ...base.inputs, [name]: t } });
    const cases = [at(t1), at(t2), at(combine(t1, t2, a, b))];
    const r1 = await runValid(impl, cases[0]!, cases);
    if (!r1.ok) return r1.verdict;
    const r2 = await runValid(impl, cases[1]!, cases);
    if (!r2.ok) return r2.verdict;
    const r3 = await runValid(impl, cases[2]!, cases);
    if (!r3.ok) return r3.verdict;
    const sum = {
      ok: true as const,
      out: { shape: r1.out.shape, data: r1.out.data.map((v, i) => a * v + b * r2.out.data[i]!) },
      bound: r1.bound.map((v, i) => Math.abs(a) * v + Math.abs(b) * r2.bound[i]!),
    };
    return agree(`conv(${a}·x₁ + ${b}·x₂) vs ${a}·conv(x₁) + ${b}·conv(x₂) in the ${which}`, r3, sum, cases);
  },
};
