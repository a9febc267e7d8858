/**
 * Readable counterexamples (issue 8, item 8): a window-shift bug must shrink to a case with
 * small integer data (exact arithmetic, so the wrong window shows as a wrong integer), even when
 * the search starts from float data. Float data stays for failures that need it: a precision
 * bug that exact integer arithmetic cannot show keeps a fractional value after shrinking.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CaseJson } from '../src/case/case.js';
import { propertyByName } from '../src/runner/run.js';
import { adapterImplementation, type Adapter } from '../src/validate/adapter.js';
import tfSameOddAtStart from './mutants/tf-same-odd-at-start.js';
import onnxTf32Inputs from './mutants/onnx-tf32-inputs.js';

const seed = Number(process.env['CONVCHECK_SEED'] ?? 20261129);

async function shrunk(adapter: Adapter, s: number): Promise<CaseJson | undefined> {
  const impl = adapterImplementation(adapter);
  const prop = propertyByName('differential');
  // Float data only: the search starts from floats, so integers can only come from shrinking.
  const arb = prop.arbitrary(impl, { float64: false, intShare: 0 })!;
  const r = await fc.check(
    fc.asyncProperty(arb, async (input) => (await prop.check(impl, input)).status !== 'fail'),
    { seed: s, numRuns: 300 },
  );
  return r.failed ? (r.counterexample![0] as CaseJson) : undefined;
}

const values = (c: CaseJson) => Object.values(c.inputs).flatMap((t) => t.data as number[]);

describe('shrinking prefers small integers', () => {
  it.each(Array.from({ length: 16 }, (_, i) => i))('a window-shift mutant (tf SAME odd padding at the start) shrinks to integer data, seed +%i', async (k) => {
    const c = await shrunk(tfSameOddAtStart, seed + k);
    expect(c, 'the mutant was not caught').toBeDefined();
    console.log(`window shift, seed ${seed + k}: ${JSON.stringify(c)}`);
    const data = values(c!);
    expect(data.every(Number.isInteger), `non-integer data in the shrunk case: ${JSON.stringify(c)}`).toBe(true);
    expect(data.every((x) => Math.abs(x) <= 3)).toBe(true);
  }, 120_000);

  it('a precision bug that integers cannot show (inputs rounded to TF32) keeps float data', async () => {
    const c = await shrunk(onnxTf32Inputs, seed);
    expect(c, 'the mutant was not caught').toBeDefined();
    expect(values(c!).some((x) => !Number.isInteger(x)), JSON.stringify(c)).toBe(true);
  }, 120_000);
});
