/**
 * differential: the implementation equals the float64 reference within the tolerance model.
 * impulse: the same on one-hot inputs, where a wrong flip, offset or padding side shows as a
 * kernel printed in the wrong place, so counterexamples read at a glance.
 */
import fc from 'fast-check';
import type { CaseJson } from '../src/case/case.js';
import { differential } from './checks.js';
import { casesFor } from './generate.js';
import { inputName } from './pairs.js';
import type { Property } from './property.js';

export const differentialProperty: Property<CaseJson> = {
  name: 'differential',
  description: 'equals the float64 reference within the error bound of its precision profile',
  arbitrary: (impl, gen) => casesFor(impl, gen),
  check: differential,
};

export const impulseProperty: Property<CaseJson> = {
  name: 'impulse',
  description: 'a one-hot input gives the kernel at the place the convention says',
  arbitrary: (impl, gen) => {
    const cases = casesFor(impl, { ...gen, intShare: 1 });
    return cases && fc.tuple(cases, fc.nat()).map(([c, k]): CaseJson => {
      const x = c.inputs[inputName(c.framework)]!;
      const at = k % Math.max(1, x.data.length);
      return { ...c, inputs: { ...c.inputs, [inputName(c.framework)]: { shape: x.shape, data: x.data.map((_, i) => (i === at ? 1 : 0)) } } };
    });
  },
  check: differential,
};
