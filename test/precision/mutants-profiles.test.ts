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
import { overallPrecision } from '../../src/runner/precision.js';
import type { CellResult } from '../../src/runner/run.js';
import { validate } from '../../src/validate/validate.js';
import { MUTANTS } from '../mutants/index.js';

const seed = Number(process.env['CONVCHECK_SEED'] ?? 20261127);
/**
 * The precision-only mutants and the profile each is classified into, from its model: partial sums
 * rounded to 11 bits are a float16 accumulator (fp16-acc16); TF32-rounded inputs are tf32; a
 * relative output error of 1e-3 (> float16's 2⁻¹¹, < bfloat16's 2⁻⁸) is bf16; one of 1e-6 is
 * outside the float32 (and TF32: integer inputs are exact) bound for short sums, far inside
 * float16's output rounding 2⁻¹¹: fp16.
 */
const PRECISION_ONLY: Record<string, string | readonly string[]> = {
  // fp16-acc16 when the search meets a sum whose float16 partial sums lose bits to cancellation;
  // without one such case in RUNS, the rounding stays within fp16's output rounding and the
  // mutant meets fp16. Either way it is never called fp32, tf32 or correct.
  'onnx-half-accumulator': ['fp16', 'fp16-acc16'],
  'onnx-tf32-inputs': 'tf32',
  // bf16 by its model; the cross-framework property judges the translated calls against the
  // source call's bound, where the 1e-3 error can exceed bf16's output term and land at the
  // loosest profile. Either way never fp32, tf32 or fp16.
  'onnx-relative-error': ['bf16', 'fp16-acc16'],
  'tf-relative-error-1e-6': 'fp16',
};
// Generous: every cell stops at its run count, never at the clock, so the classification is the same on any machine.
const PER_PROPERTY_MS = 60_000;
// 100: fewer runs can miss the dyadic case with cancellation that separates a float16 accumulator from bf16 (at 50, the
// half-accumulator mutant met bf16).
const RUNS = 100;
const summary: string[] = [];

describe(`mutant zoo under every profile (seed ${seed})`, () => {
  for (const m of MUTANTS) {
    const expected = PRECISION_ONLY[m.file] ?? 'none';
    const allowed = typeof expected === 'string' ? [expected] : expected;
    it(`${m.file} ${expected === 'none' ? 'meets no profile' : `is classified ${allowed.join(' or ')}`}`, async () => {
      const met: string[] = [];
      const cells: CellResult[] = [];
      let caughtBy = '';
      for (const p of PROPERTIES) {
        const v = await validate(m.adapter, { seed, runs: RUNS, timeBudgetMs: PER_PROPERTY_MS, properties: [p.name], precision: 'auto', strict: true });
        const cell = v.cells[0]!;
        cells.push(cell);
        if (!cell.precision || cell.precision.profiles.every((s) => s.judged === 0)) continue;
        met.push(`${p.name}: ${cell.precision?.meets}`);
        if (v.meets === 'none') {
          caughtBy = p.name;
          break;
        }
      }
      // The tightest profile every property met (the profiles are tried tightest first).
      summary.push(`${m.file}: ${caughtBy ? `meets none (${caughtBy})` : `classified: ${met.join(', ')}`}`);
      expect(allowed, met.join('; ')).toContain(overallPrecision(cells) ?? 'nothing judged');
      if (expected === 'none') expect(caughtBy, `${m.file} met a profile under every property: ${met.join('; ')}`).not.toBe('');
    }, 900_000);
  }
  afterAll(() => console.log(`mutants under --precision auto, seed ${seed}:\n  ${summary.join('\n  ')}`));
});
