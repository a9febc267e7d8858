/**
 * The campaign (src/runner/campaign.ts) around the runner: it keeps going after findings,
 * deduplicates them by region, writes its state after every round, stops at --until-new, and
 * resumes from its state file with the next round's seed. Then the CLI: Ctrl-C prints the table
 * so far and exits 130, and the same command resumes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CaseJson } from '../src/case/case.js';
import { CampaignStateError, regionOf, runCampaign, type CampaignOptions, type CampaignState } from '../src/runner/campaign.js';
import type { Regression } from '../src/runner/regressions.js';
import type { CellResult, RunOptions } from '../src/runner/run.js';

const ROOT = join(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'convcheck-campaign-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const conv = (attrs: Record<string, unknown>, x = [1, 2, 3]): CaseJson => ({ framework: 'onnx', op: 'Conv', attrs, inputs: { X: { shape: [1, 1, x.length], data: x }, W: { shape: [1, 1, 1], data: [1] } } });
const failure = (c: CaseJson, seed: number): Regression => ({ oracle: 'fake', property: 'differential', message: `wrong at seed ${seed}`, input: c, cases: [c], found: 'now' });

/** A stand-in for runSuite: per round seed, one cell, failing as the script says. */
function scripted(script: Record<number, CaseJson | undefined>, seeds: number[]) {
  return async (o: RunOptions): Promise<CellResult[]> => {
    seeds.push(o.seed);
    const c = script[o.seed];
    return [{ oracle: 'fake', property: 'differential', status: 'ran', cases: 10, passed: c ? 9 : 10, failed: c ? 1 : 0, known: 0, unsupported: 0, knownIds: new Set(), ms: 1, ...(c ? { failure: failure(c, o.seed) } : {}) }];
  };
}

const run: RunOptions = { oracles: ['fake'], properties: ['differential'], runs: 10, seed: 100, timeBudgetMs: 0, shard: { index: 1, count: 1 }, regressionsDir: null };
const options = (o: Partial<CampaignOptions>): CampaignOptions => ({ run, totalBudgetMs: 3_600_000, roundBudgetMs: 1000, ...o });

describe('regionOf', () => {
  it('is oracle, property, op, rank and the non-trivial attributes', () => {
    expect(regionOf(failure(conv({ strides: [2], pads: [0, 0], group: 1, auto_pad: 'NOTSET' }), 1))).toBe('fake · differential · onnx Conv 1-D with strides');
    expect(regionOf(failure(conv({ strides: [1], pads: [0, 0] }), 1))).toBe('fake · differential · onnx Conv 1-D');
  });
});

describe('runCampaign', () => {
  it('keeps searching after findings, counts a region once, and stops at --until-new', async () => {
    const seeds: number[] = [];
    const state = join(work, 'a.json');
    // Rounds 1 and 3 fail in the same region (other inputs), round 4 in another.
    const s = await runCampaign(options({ untilNew: 2, statePath: state }), scripted({ 100: conv({ strides: [2] }), 102: conv({ strides: [3] }, [4, 5]), 103: conv({ dilations: [2] }) }, seeds));
    expect(seeds).toEqual([100, 101, 102, 103]);
    expect(s.rounds).toBe(4);
    expect(s.stopped).toBe('2 new finding(s), --until-new 2');
    expect(s.findings.map((f) => [f.region, f.hits, f.firstRound, f.first.message])).toEqual([
      ['fake · differential · onnx Conv 1-D with strides', 2, 1, 'wrong at seed 100'],
      ['fake · differential · onnx Conv 1-D with dilations', 1, 4, 'wrong at seed 103'],
    ]);
    expect(s.cells).toHaveLength(1);
    expect(s.cells[0]).toMatchObject({ cases: 40, passed: 37, failed: 3 });
    expect(s.cells[0]!.failure).toBeUndefined();
    expect(JSON.parse(readFileSync(state, 'utf8'))).toEqual(JSON.parse(JSON.stringify(s)));
  });

  it('resumes from its state file with the next round, and refuses another campaign\'s state', async () => {
    const state = join(work, 'b.json');
    const first: number[] = [];
    let rounds = 0;
    await runCampaign(options({ statePath: state }), scripted({ 101: conv({ strides: [2] }) }, first), {}, () => rounds++ >= 3);
    expect(first).toEqual([100, 101, 102]);
    const saved = JSON.parse(readFileSync(state, 'utf8')) as CampaignState;
    expect(saved).toMatchObject({ rounds: 3, stopped: 'interrupted' });

    const again: number[] = [];
    rounds = 0;
    const s = await runCampaign(options({ statePath: state }), scripted({ 103: conv({ strides: [2] }, [7, 8]) }, again), {}, () => rounds++ >= 2);
    expect(again).toEqual([103, 104]);
    expect(s.rounds).toBe(5);
    expect(s.cells[0]!.cases).toBe(50);
    expect(s.findings.map((f) => [f.hits, f.firstRound])).toEqual([[2, 2]]);

    await expect(runCampaign(options({ statePath: state, run: { ...run, seed: 7 } }), scripted({}, []))).rejects.toThrow(CampaignStateError);
    await expect(runCampaign(options({ statePath: state, run: { ...run, seed: 7 } }), scripted({}, []))).rejects.toThrow(/campaign with seed 100, not 7/);
  });

  it('stops when the time budget is spent', async () => {
    const s = await runCampaign(options({ totalBudgetMs: 0 }), scripted({}, []));
    expect(s).toMatchObject({ rounds: 0, stopped: 'time budget spent' });
  });
});

describe('convcheck run --campaign', () => {
  const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');
  const state = join(work, 'cli.json');
  const args = ['run', '--campaign', '--oracles', 'reference', '--properties', 'differential,shape-law', '--runs', '3', '--seed', '5', '--round-budget', '1s', '--state', state, '--no-regressions'];

  let child: ReturnType<typeof spawn> | undefined;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL'); // never leave it running
  });

  it('prints the table so far on Ctrl-C, and resumes from its state file', async () => {
    child = spawn(process.execPath, [MAIN, ...args, '--time-budget', '600s'], { cwd: work });
    let out = '';
    let err = '';
    const c = child;
    c.stdout!.on('data', (d: Buffer) => (out += String(d)));
    const code = await new Promise<number | null>((resolve) => {
      c.stderr!.on('data', (d: Buffer) => {
        err += String(d);
        if (err.includes('[round 3]') && !c.killed) c.kill('SIGINT');
      });
      c.on('exit', (x) => resolve(x));
    });
    expect(code).toBe(130);
    expect(out).toMatch(/reference +differential +\d+/);
    expect(out).toMatch(/campaign: (\d+) round\(s\) from seed 5 in [\d:]+, \d+ cases, 0 distinct new finding\(s\); interrupted \(Ctrl-C\)/);
    expect(err).toContain(`state: ${state} (run the same command to resume)`);
    const saved = JSON.parse(readFileSync(state, 'utf8')) as CampaignState;
    expect(saved.rounds).toBeGreaterThanOrEqual(3);
    const savedCases = saved.cells.reduce((n, c) => n + c.cases, 0);
    expect(savedCases).toBe(saved.rounds * 6); // 3 runs × 2 properties per round

    // Resumed with a budget already nearly spent: it goes on from the next round and stops.
    const budget = `${Math.ceil(saved.elapsedMs) + 300}ms`;
    const r = spawnSync(process.execPath, [MAIN, ...args, '--time-budget', budget], { cwd: work, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`[round ${saved.rounds + 1}] `);
    const resumed = JSON.parse(readFileSync(state, 'utf8')) as CampaignState;
    expect(resumed.rounds).toBeGreaterThan(saved.rounds);
    expect(resumed.cells.reduce((n, c) => n + c.cases, 0)).toBe(resumed.rounds * 6);
    expect(resumed.stopped).toBe('time budget spent');
    expect(existsSync(state)).toBe(true);
  }, 120_000);
});
