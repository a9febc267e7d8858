/**
 * Reduced precision through the Python bridge: torch and JAX compute float16 and bfloat16 CPU
 * convolutions (`convcheck run --dtype float16|bfloat16 --precision auto`). Each cell must meet
 * some precision profile: a real bug (a wrong flip, window or padding) meets none. Which profile is
 * not asserted, since it is the runtime's choice and may differ by CPU: here PyTorch 2.13's float16
 * conv_transpose accumulates in float16 (docs/findings.md), so torch float16 meets a looser profile
 * than fp16, while JAX and torch bfloat16 meet their own.
 */
import { describe, expect, it } from 'vitest';
import { overallPrecision } from '../../src/runner/precision.js';
import { runSuite } from '../../src/runner/run.js';
import { PYTHON_REQUIRED } from './bridge.js';

describe.skipIf(!PYTHON_REQUIRED)('float16 and bfloat16 through the bridge under --precision auto', () => {
  for (const dtype of ['float16', 'bfloat16'] as const) {
    it(`${dtype}: torch and jax meet a profile in every cell`, async () => {
      const cells = await runSuite({ oracles: ['torch', 'jax'], properties: ['differential', 'impulse'], runs: 60, seed: 3, timeBudgetMs: 60_000, shard: { index: 1, count: 1 }, regressionsDir: null, dtype, precision: 'auto' });
      for (const c of cells) {
        expect(c.status, `${c.oracle} · ${c.property}: ${c.note ?? ''}`).toBe('ran');
        expect(c.cases, `${c.oracle} · ${c.property}`).toBeGreaterThan(0);
        expect(c.precision?.meets, `${c.oracle} · ${c.property}: ${JSON.stringify(c.precision?.profiles)}`).not.toBe('none');
      }
      expect(overallPrecision(cells)).not.toBe('none');
    }, 300_000);
  }
});
