/**
 * A bounded `convcheck run` inside the test suite: every oracle × property with a fixed, printed
 * seed (CONVCHECK_SEED overrides it), asserting no failure outside the known findings. Then the
 * regression corpus is replayed.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ORACLES } from '../oracles/registry.js';
import { PROPERTIES } from '../properties/index.js';
import { replayAll, replayVerdict } from '../src/runner/replay.js';
import { runSuite } from '../src/runner/run.js';
import { failureReport } from '../src/runner/table.js';

const seed = Number(process.env['CONVCHECK_SEED'] ?? 20261127);
const budgetMs = Number(process.env['CONVCHECK_TEST_BUDGET_MS'] ?? 60_000);

describe(`bounded run of the default oracles (seed ${seed})`, () => {
  it('finds nothing outside the known findings', { timeout: budgetMs * 3 + 120_000 }, async () => {
    const cells = await runSuite({
      oracles: DEFAULT_ORACLES,
      properties: PROPERTIES.map((p) => p.name),
      runs: 100,
      seed,
      timeBudgetMs: budgetMs,
      shard: { index: 1, count: 1 },
      regressionsDir: null,
    });
    const unavailable = [...new Set(cells.filter((c) => c.status === 'unavailable').map((c) => `${c.oracle}: ${c.note}`))];
    if (unavailable.length) console.warn(`!!! oracles UNAVAILABLE in this run:\n${unavailable.join('\n')}`);
    const failures = cells.filter((c) => c.failed > 0).map(failureReport);
    expect(failures, failures.join('\n\n')).toEqual([]);
    // Every live oracle actually ran cases.
    for (const c of cells.filter((x) => x.status === 'ran')) expect(c.cases, `${c.oracle} · ${c.property}`).toBeGreaterThan(0);
  });
});

describe('regression corpus', () => {
  it('each saved failure passes now or still fails inside its known finding', async () => {
    const results = await replayAll([new URL('../regressions', import.meta.url).pathname]);
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      const v = replayVerdict(r);
      expect(v === 'new-failure' ? `${r.file}: ${r.message}` : v, r.file).not.toBe('new-failure');
    }
  });
});
