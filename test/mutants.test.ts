/**
 * The mutant zoo (test/mutants/): convcheck's validate must tell every planted bug from every
 * correct float32 evaluation. Each mutant must be caught (ok === false) and each correct variant
 * (natural, reversed-block, pairwise, float64-then-rounded summation) must pass, with the default
 * validate settings: 200 runs, a 20 s budget, and --strict, since two planted bugs are leniency
 * (accepting calls ONNX/TF reject), which validate reports apart and fails only when strict. The seed comes from CONVCHECK_SEED (default
 * 20261127) and is printed; every failure prints its replayable cases.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CORRECT, MUTANTS } from './mutants/index.js';
import { BUDGET_MS, describeFailure, RUNS } from './mutants/harness.js';
import { validate } from '../src/validate/validate.js';

const seed = Number(process.env['CONVCHECK_SEED'] ?? 20261127);
const summary: string[] = [];

describe(`mutant zoo (seed ${seed}, ${RUNS} runs, ${BUDGET_MS / 1000} s budget)`, () => {
  describe('every mutant is caught', () => {
    for (const m of MUTANTS) {
      it(`${m.file}: ${m.bug}`, async () => {
        let v;
        try {
          v = await validate(m.adapter, { seed, runs: RUNS, timeBudgetMs: BUDGET_MS, strict: true });
        } catch (e) {
          // A crash is a convcheck bug, not a verdict: report it as such.
          summary.push(`${m.file}: validate() THREW ${e instanceof Error ? e.message : String(e)}`);
          throw new Error(`validate() threw on ${m.file} instead of returning a verdict (seed ${seed})`, { cause: e });
        }
        const caught = v.cells.filter((c) => c.failed > 0);
        const line = `${m.file}: caught by ${caught.length ? caught.map((c) => `${c.property} (after ${c.cases} cases)`).join(', ') : 'NOTHING'}`;
        summary.push(line);
        console.log(line + (caught[0] ? `\n  first: ${describeFailure(caught[0])}` : ''));
        expect(v.ok, `${m.file} was not caught by any property (seed ${seed})`).toBe(false);
      }, 60_000);
    }
  });

  describe('no correct variant is flagged', () => {
    for (const m of CORRECT) {
      it(`${m.file}: ${m.bug}`, async () => {
        const v = await validate(m.adapter, { seed, runs: RUNS, timeBudgetMs: BUDGET_MS, strict: true });
        const flagged = v.cells.filter((c) => c.failed > 0);
        summary.push(`${m.file}: ${flagged.length ? `FLAGGED by ${flagged.map((c) => c.property).join(', ')}` : `passes (${v.cells.reduce((n, c) => n + c.passed, 0)} checks passed)`}`);
        expect(flagged.map(describeFailure).join('\n\n'), `false alarm on ${m.file} (seed ${seed})`).toBe('');
        expect(v.ok).toBe(true);
      }, 60_000);
    }
  });

  afterAll(() => {
    console.log(`mutant zoo, seed ${seed}:\n  ${summary.join('\n  ')}`);
  });
});
