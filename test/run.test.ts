/**
 * A bounded `convcheck run` inside the test suite: every oracle × property with a fixed, printed
 * seed (CONVCHECK_SEED overrides it). What it asserts is convcheck's own behaviour, which holds
 * on every machine: each failure the search meets is either inside a known finding that applies
 * on this machine, or a new failure that was shrunk, re-checked and classified (reproducible, or
 * nondeterministic with the differing outputs). It never asserts that a runtime has no bugs
 * beyond a list: a new finding on some CPU is printed for a person to register, not a red test.
 * Then the regression corpus is replayed.
 */
import { describe, expect, it } from 'vitest';
import { KNOWN, knownFinding } from '../oracles/known.js';
import { ORACLE_NAMES } from '../oracles/registry.js';
import { PROPERTIES } from '../properties/index.js';
import { machine, machineLine } from '../src/machine.js';
import { replayAll, replayVerdict } from '../src/runner/replay.js';
import { runSuite } from '../src/runner/run.js';
import { failureReport } from '../src/runner/table.js';

const seed = Number(process.env['CONVCHECK_SEED'] ?? 20261127);
const budgetMs = Number(process.env['CONVCHECK_TEST_BUDGET_MS'] ?? 90_000);

describe(`bounded run of every oracle (seed ${seed})`, () => {
  it('classifies every failure it meets: known on this machine, or new and re-checked', { timeout: budgetMs * 4 + 120_000 }, async () => {
    const cells = await runSuite({
      oracles: ORACLE_NAMES,
      properties: PROPERTIES.map((p) => p.name),
      runs: 100,
      seed,
      timeBudgetMs: budgetMs,
      shard: { index: 1, count: 1 },
      regressionsDir: null,
    });
    const unavailable = [...new Set(cells.filter((c) => c.status === 'unavailable').map((c) => `${c.oracle}: ${c.note}`))];
    if (unavailable.length) console.warn(`!!! oracles UNAVAILABLE in this run:\n${unavailable.join('\n')}`);
    const found = cells.filter((c) => c.failures.length > 0);
    if (found.length) console.warn(`new findings on this machine (${machineLine()}); register them or report upstream:\n\n${found.map(failureReport).join('\n\n')}`);
    const m = machine();
    for (const c of cells) {
      const where = `${c.oracle} · ${c.property}`;
      // a cell that failed has its failures shrunk and reported (or says why not)
      if (c.failed > 0) expect(c.failures.length > 0 || c.note !== undefined, where).toBe(true);
      for (const f of c.failures) {
        expect(['reproducible', 'nondeterministic'], `${where}: ${f.message}`).toContain(f.verdict);
        // a new failure is outside every known finding that applies here
        expect(knownFinding(c.oracle, f.cases, KNOWN, m)?.id, `${where}: ${f.message}`).toBeUndefined();
        expect(f.machine).toEqual(m);
        if (f.verdict === 'nondeterministic') {
          const outs = f.reruns!.outcomes.map((o) => JSON.stringify([o.status, o.message, o.actual]));
          expect(new Set(outs).size, where).toBeGreaterThan(1);
        }
      }
      for (const id of c.knownIds) expect(KNOWN.find((k) => k.id === id)?.appliesOn(m), id).toBe(true);
      expect(c.known > 0, where).toBe(c.knownIds.size > 0);
      expect(c.passed + c.failed + c.known + c.unsupported + c.lenient, where).toBe(c.cases);
    }
    // Every live oracle actually ran cases (one slow call may use up a single cell's share).
    for (const oracle of new Set(cells.filter((x) => x.status === 'ran').map((x) => x.oracle))) {
      expect(cells.filter((c) => c.oracle === oracle).reduce((s, c) => s + c.cases, 0), oracle).toBeGreaterThan(0);
    }
  });
});

describe('regression corpus', () => {
  it('each saved failure passes now or still fails inside its known finding', async () => {
    const results = await replayAll([new URL('../regressions', import.meta.url).pathname]);
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      const v = replayVerdict(r);
      expect(v === 'new-failure' || v === 'bad' ? `${r.file}: ${r.message}` : v, r.file).not.toMatch(/: /);
    }
  });
});
