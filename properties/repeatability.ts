/**
 * Two laws that need no reference at all, for runtimes that read memory they never wrote:
 * zero-input: an all-zero input gives the bias alone (zero without one), within the bound;
 * repeatable: the same call, made again, gives the same answer bit for bit.
 * (TF's oneDNN kernels on an AVX-512 CPU break both: docs/findings.md, tf-onednn-strided-one-window.)
 */
import type { CaseJson } from '../src/case/case.js';
import { differential, runValid } from './checks.js';
import { casesFor } from './generate.js';
import { inputName } from './pairs.js';
import type { Property, Verdict } from './property.js';

export const zeroInputProperty: Property<CaseJson> = {
  name: 'zero-input',
  description: 'an all-zero input gives an all-zero output (plus the bias)',
  arbitrary: (impl, gen) =>
    casesFor(impl, gen)?.map((c): CaseJson => {
      const x = c.inputs[inputName(c.framework)]!;
      return { ...c, inputs: { ...c.inputs, [inputName(c.framework)]: { shape: x.shape, data: x.data.map(() => 0) } } };
    }),
  check: differential,
};

/** How many times the call is made. */
const CALLS = 3;

const bits = (v: number) => (Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : String(v));

export const repeatableProperty: Property<CaseJson> = {
  name: 'repeatable',
  description: 'the same call twice gives the same answer, bit for bit',
  arbitrary: (impl, gen) => casesFor(impl, gen),
  async check(impl, c): Promise<Verdict> {
    const first = await runValid(impl, c);
    if (!first.ok) return first.verdict;
    for (let k = 2; k <= CALLS; k++) {
      const again = await runValid(impl, c);
      if (!again.ok) return again.verdict.status === 'fail' ? { ...again.verdict, message: `call ${k} of the same case: ${again.verdict.message}` } : again.verdict;
      const a = first.out;
      const b = again.out;
      if (a.shape.join() !== b.shape.join()) return { status: 'fail', message: `call 1 gave shape [${a.shape.join(', ')}], call ${k} [${b.shape.join(', ')}]`, cases: [c] };
      const i = a.data.findIndex((v, j) => bits(v) !== bits(b.data[j]!));
      if (i >= 0) {
        return { status: 'fail', message: `call 1 and call ${k} of the same case differ: element ${i} is ${bits(a.data[i]!)} then ${bits(b.data[i]!)}`, cases: [c], expected: a, actual: b };
      }
    }
    return { status: 'pass' };
  },
};
