// A test file that MUST fail: the example adapter with its kernel read back to front, checked
// with expectValid and with the matcher. test/testing.test.ts runs vitest on it in a child
// process and reads what a user would see.
import { expect, test } from 'vitest';
import { expectValid, type Adapter } from 'convcheck';
import 'convcheck/vitest';
import myConv from '../../examples/onnx-conv-adapter.mjs';
import { flipKernel } from './flip.js';

const broken: Adapter = { ...myConv, name: 'flipped-conv', run: (c) => myConv.run(flipKernel(c)) };
const options = { runs: 50, seed: 7, properties: ['differential'], replayBase: 'npx convcheck validate --impl src/flipped-conv.mjs' };

test('expectValid shows the counterexample', async () => {
  await expectValid(broken, options);
});

test('toSatisfyConvcheck shows the counterexample', async () => {
  await expect(broken).toSatisfyConvcheck(options);
});

test('.not.toSatisfyConvcheck passes for a broken adapter', async () => {
  await expect(broken).not.toSatisfyConvcheck(options);
});
