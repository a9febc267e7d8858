/**
 * Several hosts of one oracle (oracles/pool.ts): calls spread over them, the least busy first, and
 * each host keeps its own isolation (a hang or a crash fails only its own call).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostPool } from '../../oracles/pool.js';
import { parseCase } from '../../src/case/case.js';
import { defaultHosts } from '../../src/runner/implementations.js';
import { children } from '../helpers/processes.js';

// faulty's mode is the first input value: 0 answers (the reference), 2 hangs, 3 exits.
const call = (first: number, second = 2) =>
  parseCase({ framework: 'onnx', op: 'Conv', inputs: { X: { shape: [1, 1, 2], data: [first, second] }, W: { shape: [1, 1, 1], data: [3] } } }, 'pool');

describe('a pool of two hosts', () => {
  let pool: HostPool;
  beforeAll(async () => {
    process.env['CONVCHECK_TEST_ORACLES'] = '1'; // inherited by the hosts
    pool = new HostPool('faulty', 2, { timeoutMs: 3000 });
    expect(await pool.start()).toBeUndefined();
  });
  afterAll(async () => {
    await pool.close();
    delete process.env['CONVCHECK_TEST_ORACLES'];
  });

  it('starts two processes', () => {
    expect(children(process.pid).length).toBeGreaterThanOrEqual(2);
  });

  it('while one host hangs on a call, the other answers the calls made meanwhile', async () => {
    const t0 = Date.now();
    const hung = pool.run(call(2)).then((r) => ({ r, at: Date.now() - t0 }));
    const answered = [];
    for (const v of [5, 6, 7]) answered.push(await pool.run(call(0, v))); // each to the idle host
    const at = Date.now() - t0;
    expect(answered.map((r) => (r.kind === 'value' ? Array.from(r.data) : r))).toEqual([
      [0, 15],
      [0, 18],
      [0, 21],
    ]);
    const h = await hung;
    expect(at).toBeLessThan(h.at);
    expect(h.r).toEqual({ kind: 'failed', error: 'faulty: no answer within 3000 ms (host killed)' });
  }, 20_000);

  it('a call that kills its host fails alone; the calls around it are answered', async () => {
    const results = await Promise.all([0, 3, 0, 0].map((m, i) => pool.run(call(m, i))));
    expect(results.map((r) => r.kind)).toEqual(['value', 'failed', 'value', 'value']);
    expect((results[1] as { error: string }).error).toMatch(/host exited \(code 7\)/);
    expect(Array.from((results[3] as { data: Float64Array }).data)).toEqual([0, 9]);
  }, 20_000);
});

describe('default hosts', () => {
  it('several only for an oracle that computes on one thread, up to the cores per oracle, at most 4', () => {
    expect(defaultHosts('ort', 2)).toBe(2);
    expect(defaultHosts('ort', 0.25)).toBe(1);
    expect(defaultHosts('ort', 16)).toBe(4);
    expect(defaultHosts('tfjs-wasm', 2)).toBe(1);
    expect(defaultHosts('torch', 8)).toBe(1);
  });
});
