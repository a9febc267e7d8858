/**
 * Nondeterminism is a verdict: a fake oracle that answers garbage on every other call is
 * classified 'nondeterministic' with its differing outputs, saved as such, and replayed as such;
 * one that is always wrong the same way is 'reproducible'. Both run out of process, so the
 * re-check in a fresh host is exercised too.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceImpl } from '../properties/implementation.js';
import { repeatableProperty, zeroInputProperty } from '../properties/repeatability.js';
import { replayAll, replayVerdict } from '../src/runner/replay.js';
import { runSuite, type CellResult } from '../src/runner/run.js';
import { failureReport } from '../src/runner/table.js';

const options = (oracle: string, dir: string | null) => ({
  oracles: [oracle],
  properties: ['differential'],
  runs: 40,
  seed: 7,
  timeBudgetMs: 60_000,
  shard: { index: 1, count: 1 },
  regressionsDir: dir,
  maxFailuresPerCell: 1,
});

describe('nondeterminism verdict (fake oracles in child processes)', () => {
  let dir: string;
  let flaky: CellResult;
  let wrong: CellResult;
  beforeAll(async () => {
    process.env['CONVCHECK_TEST_ORACLES'] = '1'; // inherited by the host processes
    dir = mkdtempSync(join(tmpdir(), 'convcheck-nd-'));
    [flaky] = await runSuite(options('flaky', dir));
    [wrong] = await runSuite(options('wrong', dir));
  }, 120_000);
  afterAll(() => {
    delete process.env['CONVCHECK_TEST_ORACLES'];
  });

  it('an oracle whose answers change from call to call is nondeterministic, with the differing outputs', () => {
    expect(flaky.failures).toHaveLength(1);
    const f = flaky.failures[0]!;
    expect(f.verdict).toBe('nondeterministic');
    expect(flaky.nondeterministic).toBe(1);
    const outs = f.reruns!.outcomes;
    // three checks in the host it ran in, one in a fresh host
    expect(outs).toHaveLength(4);
    expect(outs[3]!.freshHost).toBe(true);
    expect(f.reruns!.failed).toBeGreaterThan(0);
    expect(new Set(outs.map((o) => JSON.stringify([o.status, o.actual]))).size).toBeGreaterThan(1);
    expect(failureReport(flaky)).toMatch(/^NONDETERMINISTIC flaky · differential/);
    expect(failureReport(flaky)).toContain('(fresh host)');
  });

  it('an oracle that is wrong the same way every time is reproducible', () => {
    expect(wrong.failures).toHaveLength(1);
    expect(wrong.failures[0]!.verdict).toBe('reproducible');
    expect(wrong.nondeterministic).toBe(0);
    expect(wrong.failures[0]!.reruns).toBeUndefined();
    // the shrunk case is minimal: one output element, off by the 1 the fake adds
    expect(wrong.failures[0]!.message).toMatch(/error/);
  });

  it('a cell goes on searching after its first failure, with that failure\'s ops excluded', async () => {
    const [cell] = await runSuite({ ...options('wrong', null), maxFailuresPerCell: 3, runs: 100 });
    // 'wrong' is wrong in both its ops: one failure per op, and nothing more to find
    expect(cell!.failures.map((f) => f.cases.map((c) => c.op).join())).toEqual(expect.arrayContaining(['Conv', 'ConvTranspose']));
    expect(cell!.failures).toHaveLength(2);
    expect(cell!.failure).toBe(cell!.failures[0]);
    // the second was found with a derived seed: its replay command has no fast-check path
    expect(cell!.failures[1]!.replay!.command).not.toContain('--path');
    expect(cell!.failed).toBeGreaterThanOrEqual(2);
    expect(failureReport(cell!).match(/^FAIL wrong · differential/gm)).toHaveLength(2);
  }, 60_000);

  it('saved failures record their verdict and the machine; replay treats a nondeterministic one accordingly', async () => {
    const saved = JSON.parse(readFileSync(flaky.failures[0]!.file!, 'utf8')) as Record<string, unknown>;
    expect(saved['verdict']).toBe('nondeterministic');
    expect(saved['machine']).toMatchObject({ node: process.version });
    const results = await replayAll([dir]);
    expect(results).toHaveLength(2);
    const nd = results.find((r) => r.regression?.oracle === 'flaky')!;
    // replayed three times: every other call is garbage, so at least one fails
    expect(nd.failedRuns?.runs).toBe(3);
    expect(nd.outcome).toBe('fails');
    expect(replayVerdict(nd)).toBe('new-failure');
    // a nondeterministic regression that passes its reruns is not taken as fixed
    expect(replayVerdict({ ...nd, outcome: 'passes', message: 'holds' })).toBe('inconclusive');
    const rep = results.find((r) => r.regression?.oracle === 'wrong')!;
    expect(rep.failedRuns).toBeUndefined();
    expect(replayVerdict(rep)).toBe('new-failure');
  });
});

describe('zero-input and repeatable hold for the reference and catch garbage', () => {
  const conv = {
    framework: 'onnx' as const,
    op: 'Conv',
    inputs: { X: { shape: [1, 1, 3], data: [0, 0, 0] }, W: { shape: [1, 1, 2], data: [-3, -1] }, B: { shape: [1], data: [2] } },
  };
  const ref = referenceImpl([['onnx', 'Conv']]);
  it('the reference passes both on a case with a bias', async () => {
    expect(await zeroInputProperty.check(ref, conv)).toMatchObject({ status: 'pass' });
    expect(await repeatableProperty.check(ref, conv)).toMatchObject({ status: 'pass' });
  });
  it('an implementation that returns what was in memory fails both', async () => {
    let n = 0;
    const garbage = { ...ref, name: 'garbage', run: async () => ({ kind: 'value' as const, shape: [1, 1, 2], data: Float64Array.from([2, 2 + 1e20 * (n++ % 2)]) }) };
    const z = await zeroInputProperty.check(garbage, conv);
    expect(z.status).toBe('pass'); // first call: n = 0, the right answer [2, 2]
    const z2 = await zeroInputProperty.check(garbage, conv);
    expect(z2.status).toBe('fail');
    const r = await repeatableProperty.check(garbage, conv);
    expect(r).toMatchObject({ status: 'fail', message: expect.stringMatching(/call 1 and call 2 of the same case differ: element 1 is 2 then 100000000000000000000$/) });
  });
});
