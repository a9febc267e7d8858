/**
 * Every property holds for the reference, in every convention. The seed is fixed and printed,
 * and read from CONVCHECK_SEED when set, so a failure here replays exactly.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { referenceImpl, type OpRef } from '../properties/implementation.js';
import { PROPERTIES } from '../properties/index.js';
import type { Property } from '../properties/property.js';
import { GENERATORS } from '../src/generators/cases.js';
import type { Framework } from '../src/conventions/index.js';

const seed = Number(process.env['CONVCHECK_SEED'] ?? 20261127);
const runs = Number(process.env['CONVCHECK_RUNS'] ?? 60);
const ALL: OpRef[] = (Object.entries(GENERATORS) as Array<[Framework, object]>).flatMap(([fw, ops]) => Object.keys(ops).map((op) => [fw, op] as const));

describe(`properties of the reference (seed ${seed}, ${runs} runs)`, () => {
  for (const fw of ['tf', 'jax', 'onnx', 'torch'] as const) {
    const impl = referenceImpl(ALL.filter(([f]) => f === fw));
    for (const prop of PROPERTIES as readonly Property<unknown>[]) {
      const arb = prop.arbitrary(impl, { float64: true });
      if (!arb) continue;
      it(`${prop.name} · ${fw}`, async () => {
        await fc.assert(
          fc.asyncProperty(arb, async (input) => {
            const v = await prop.check(impl, input);
            if (v.status === 'fail') throw new Error(`${v.message}\n${v.cases.map((c) => JSON.stringify(c)).join('\n')}`);
          }),
          { seed, numRuns: runs },
        );
      });
    }
  }
});
