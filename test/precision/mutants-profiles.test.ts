/**
 * The mutant zoo under every precision profile at once (`--precision auto`): a real bug (wrong
 * flip, padding, groups, ...) must meet no profile, however loose. Only the zoo's precision-only
 * mutants may be classified into a looser profile instead of caught: a float16-style accumulator,
 * TF32-rounded inputs, and outputs scaled by 1 + 1e-3 or 1 + 1e-6 are what reduced-precision
 * implementations do; they must still never be called fp32. Properties run in the suite's order,
 * one at a time, until one meets none (as test/mutants/harness.ts's detect does).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { PROPERTIES } from '../../properties/index.js';
import { validate } from '../../src/validate/validate.js';
import { MUTANTS } from '../mutants/index.js';

const seed = Number(process.env['CONVCHECK_SEED'] ?? 20261127);
const PRECISION_ONLY = new Set(['onnx-half-accumulator', 'onnx-tf32-inputs', 'onnx-relative-error', 'tf-relative-error-1e-6']);
const PER_PROPERTY_MS = 1_500;
const summary: string[] = [];

describe(`mutant zoo under every profile (seed ${seed})`, () => {
  for (const m of MUTANTS) {
    it(`${m.file} ${PRECISION_ONLY.has(m.file) ? 'is never fp32' : 'meets no profile'}`, async () => {
      const met: string[] = [];
      let caughtBy = '';
      for (const p of PROPERTIES) {
        const v = await validate(m.adapter, { seed, runs: 100, timeBudgetMs: PER_PROPERTY_MS, properties: [p.name], precision: 'auto' });
        const cell = v.cells[0]!;
        if (cell.precision?.profiles.every((s) => s.judged === 0)) continue;
        met.push(`${p.name}: ${cell.precision?.meets}`);
        if (v.meets === 'none') {
          caughtBy = p.name;
          break;
        }
      }
      // The tightest profile every property met (the profiles are tried tightest first).
      summary.push(`${m.file}: ${caughtBy ? `meets none (${caughtBy})` : `classified: ${met.join(', ')}`}`);
      if (PRECISION_ONLY.has(m.file)) expect(met.some((x) => !x.endsWith(': fp32')) || caughtBy !== '', met.join('; ')).toBe(true);
      else expect(caughtBy, `${m.file} met a profile under every property: ${met.join('; ')}`).not.toBe('');
    }, 120_000);
  }
  afterAll(() => console.log(`mutants under --precision auto, seed ${seed}:\n  ${summary.join('\n  ')}`));
});
