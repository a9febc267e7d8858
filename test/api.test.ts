/**
 * The README's library example, as written: validating an implementation from your own tests,
 * through the package's public entry points ('convcheck' and 'convcheck/vitest'). The file also
 * type-checks under `strict` (test/typecheck.test.ts compiles it with tsc).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { convProperty, expectValid, type Adapter } from 'convcheck';
import 'convcheck/vitest';
import myConv from '../examples/onnx-conv-adapter.mjs';
import { flipKernel } from './testing/flip.js';

describe('library API (README example)', () => {
  test('my Conv keeps ONNX semantics', async () => {
    await expectValid(myConv, { runs: 100, seed: 42, timeBudgetMs: 20_000 });
  });

  test('the same as a vitest matcher', async () => {
    await expect(myConv).toSatisfyConvcheck({ runs: 100, seed: 42, timeBudgetMs: 20_000 });
  });

  test('one property with plain fast-check', async () => {
    await fc.assert(convProperty(myConv, 'differential'), { numRuns: 50, seed: 42 });
  });

  test('a broken implementation is caught with a readable counterexample', async () => {
    const broken: Adapter = { ...myConv, name: 'flipped', run: (c) => myConv.run(flipKernel(c)) };
    const err = await fc.assert(convProperty(broken, 'impulse'), { numRuns: 100, seed: 42 }).then(() => undefined, (e: Error) => e);
    // fast-check reports the seed and path; convcheck's failure, with the case, is the cause.
    expect(String((err?.cause as Error | undefined)?.message)).toMatch(/^impulse: [^]*\{"framework":"onnx","op":"Conv"/);
  });
});
