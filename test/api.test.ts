/**
 * The README's library example, as written: validating an implementation from your own tests,
 * through the package's public entry point.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { convProperty, validate } from 'convcheck';
// @ts-expect-error: a plain JavaScript example module without types
import myConv from '../examples/onnx-conv-adapter.mjs';

describe('library API (README example)', () => {
  test('my Conv keeps ONNX semantics', async () => {
    const v = await validate(myConv, { runs: 100, seed: 42, timeBudgetMs: 20_000 });
    expect(v.ok).toBe(true);
  });

  test('one property with plain fast-check', async () => {
    await fc.assert(convProperty(myConv, 'differential'), { numRuns: 50, seed: 42 });
  });

  test('a broken implementation is caught with a readable counterexample', async () => {
    const broken = { ...myConv, name: 'flipped', run: (c: never) => flipKernel(myConv.run, c) };
    const err = await fc.assert(convProperty(broken, 'impulse'), { numRuns: 100, seed: 42 }).then(() => undefined, (e: Error) => e);
    // fast-check reports the seed and path; convcheck's failure, with the case, is the cause.
    expect(String((err?.cause as Error | undefined)?.message)).toMatch(/^impulse: [^]*\{"framework":"onnx","op":"Conv"/);
  });
});

/** A classic bug: the kernel read back to front (a convolution instead of a correlation). */
function flipKernel(run: (c: unknown) => unknown, c: { inputs: { W: { shape: number[]; data: number[] } } }) {
  const W = c.inputs.W;
  const k = W.shape.slice(2).reduce((a: number, b: number) => a * b, 1);
  const data = W.data.map((_, i) => W.data[Math.floor(i / k) * k + (k - 1 - (i % k))]!);
  return run({ ...c, inputs: { ...c.inputs, W: { shape: W.shape, data } } });
}
