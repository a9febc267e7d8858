// A consumer project's own test of its convolution, using convcheck as installed from its
// packed tarball. test/package.test.ts copies this file into a fresh project as test/conv.test.ts
// and runs vitest there (named .fixture.ts here so that this repository's suite skips it).
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { convProperty, defineAdapter, evaluate, expectValid, parseCase, type Adapter } from 'convcheck';
import 'convcheck/vitest';

/** "My" ONNX Conv: the reference itself, standing in for the consumer's implementation. */
const myConv = defineAdapter({
  name: 'consumer-conv',
  framework: 'onnx',
  ops: ['Conv'],
  run(c) {
    const out = evaluate(parseCase(c, 'consumer'));
    if ('error' in out) throw new Error(out.error);
    return out;
  },
});

/** The same with its output shifted by one element: a bug convcheck must show. */
const broken: Adapter = {
  ...myConv,
  name: 'consumer-broken',
  run(c) {
    const out = myConv.run(c);
    const data = Array.from(out.data);
    return { shape: out.shape, data: data.length > 1 ? [...data.slice(1), data[0]!] : [data[0]! + 1] };
  },
};

const options = { runs: 30, seed: 5, timeBudgetMs: 10_000, properties: ['differential', 'impulse'] };
// Shrinking a failure takes seconds on a loaded machine: more than vitest's default 5 s.
const SLOW = 120_000;

test('expectValid holds for a correct Conv', async () => {
  const v = await expectValid(myConv, options);
  expect(v.cells.map((c) => c.property)).toEqual(['differential', 'impulse']);
}, SLOW);

test('the matcher holds for a correct Conv', async () => {
  await expect(myConv).toSatisfyConvcheck(options);
}, SLOW);

test('a plain fast-check property', async () => {
  await fc.assert(convProperty(myConv, 'differential'), { numRuns: 20, seed: 5 });
}, SLOW);

test('a broken Conv is refused with its counterexample', async () => {
  await expect(expectValid(broken, options)).rejects.toThrow(/FAIL differential: [^]*expected \[[^]*actual {3}\[[^]*case: \{"framework":"onnx","op":"Conv"[^]*replay: /);
  await expect(broken).not.toSatisfyConvcheck(options);
}, SLOW);
