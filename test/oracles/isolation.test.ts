/**
 * Oracle isolation: a backend that throws is 'rejected', one that hangs or kills its process is
 * 'failed' with the reason, and the next call gets a fresh host. The harness never crashes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IsolatedOracle } from '../../oracles/isolated.js';
import { parseCase } from '../../src/case/case.js';

const call = (first: number) =>
  parseCase({ framework: 'onnx', op: 'Conv', inputs: { X: { shape: [1, 1, 2], data: [first, 2] }, W: { shape: [1, 1, 1], data: [3] } } }, 'isolation');

describe('oracle isolation (a faulty backend in a child process)', () => {
  let oracle: IsolatedOracle;
  beforeAll(() => {
    process.env['CONVCHECK_TEST_ORACLES'] = '1'; // inherited by the host process
    oracle = new IsolatedOracle('faulty', { timeoutMs: 1500 });
  });
  afterAll(async () => {
    await oracle.close();
    delete process.env['CONVCHECK_TEST_ORACLES'];
  });

  it('answers', async () => {
    const r = await oracle.run(call(0));
    expect(r).toMatchObject({ kind: 'value', shape: [1, 1, 2] });
    expect(Array.from((r as { data: Float64Array }).data)).toEqual([0, 6]);
  });
  it('a throw is a rejection, and the host lives on', async () => {
    expect(await oracle.run(call(1))).toEqual({ kind: 'rejected', error: 'faulty: refused on purpose' });
    expect((await oracle.run(call(0))).kind).toBe('value');
  });
  it('a hang is a failure after the timeout, then a fresh host answers', async () => {
    const r = await oracle.run(call(2));
    expect(r.kind).toBe('failed');
    expect((r as { error: string }).error).toMatch(/no answer within 1500 ms/);
    expect((await oracle.run(call(0))).kind).toBe('value');
  });
  it('a process exit is a failure naming the exit, then a fresh host answers', async () => {
    const r = await oracle.run(call(3));
    expect(r).toMatchObject({ kind: 'failed' });
    expect((r as { error: string }).error).toMatch(/host exited \(code 7\)/);
    expect((await oracle.run(call(0))).kind).toBe('value');
  });
  it('an abort is a failure naming the signal', async () => {
    const r = await oracle.run(call(4));
    expect((r as { error: string }).error).toMatch(/host exited \(SIGABRT\)/);
    expect((await oracle.run(call(0))).kind).toBe('value');
  });
});

describe('several calls outstanding (sent together, answered in order)', () => {
  let oracle: IsolatedOracle;
  beforeAll(() => {
    process.env['CONVCHECK_TEST_ORACLES'] = '1';
    oracle = new IsolatedOracle('faulty', { timeoutMs: 1500 });
  });
  afterAll(async () => {
    await oracle.close();
    delete process.env['CONVCHECK_TEST_ORACLES'];
  });
  // [first value, expected output] of calls that answer: X = [v, 2] with W = [3].
  const good = (v: number) => ({ call: call(v === 0 ? 0 : 10 + v), data: [(v === 0 ? 0 : 10 + v) * 3, 6] });

  it('a batch gets every answer, each its own', async () => {
    const calls = [0, 1, 2, 3, 4, 5, 6, 7].map(good);
    const rs = await Promise.all(calls.map((c) => oracle.run(c.call)));
    rs.forEach((r, i) => {
      expect(r.kind).toBe('value');
      expect(Array.from((r as { data: Float64Array }).data)).toEqual(calls[i]!.data);
    });
  });
  for (const [mode, why] of [
    [2, /no answer within 1500 ms/],
    [3, /host exited \(code 7\)/],
    [4, /host exited \(SIGABRT\)/],
  ] as const) {
    it(`a call that ${mode === 2 ? 'hangs' : 'kills its host'} among others: only it fails; the others are answered by a fresh host`, async () => {
      const before = [1, 2, 3].map(good);
      const after = [4, 5, 6, 7].map(good);
      const rs = await Promise.all([...before.map((c) => oracle.run(c.call)), oracle.run(call(mode)), ...after.map((c) => oracle.run(c.call))]);
      const culprit = rs[before.length]!;
      expect(culprit.kind).toBe('failed');
      expect((culprit as { error: string }).error).toMatch(why);
      const answered = [...rs.slice(0, before.length), ...rs.slice(before.length + 1)];
      const expected = [...before, ...after];
      answered.forEach((r, i) => {
        expect(r.kind, JSON.stringify(r)).toBe('value');
        expect(Array.from((r as { data: Float64Array }).data)).toEqual(expected[i]!.data);
      });
    });
  }
  it('a call queued behind four hanging and killing calls is still answered', async () => {
    // Seen in a run: with 64 cases in flight, three tfjs-cpu calls that never return were ahead of
    // an innocent one, which was failed because its host "died 3 times while it waited".
    const modes = [2, 0, 3, 2, 0, 4, 0];
    const rs = await Promise.all(modes.map((m, i) => oracle.run(m === 0 ? good(i + 1).call : call(m))));
    expect(rs.map((r) => r.kind)).toEqual(modes.map((m) => (m === 0 ? 'value' : 'failed')));
    expect(Array.from((rs[6] as { data: Float64Array }).data)).toEqual(good(7).data);
  }, 30_000);
});

describe('a backend that times its calls itself (as the browser batcher does)', () => {
  it('its watchdog outwaits the calls it runs together, not every call waiting', async () => {
    process.env['CONVCHECK_TEST_ORACLES'] = '1';
    const oracle = new IsolatedOracle('faulty', { timeoutMs: 200, backend: { module: './testing/faulty.js', options: { together: 2 } } });
    try {
      // Ten calls hang at once: the backstop is 200 ms × (2 × 2 + 2), not 200 ms × (2 × 10 + 2).
      const first = await Promise.race(Array.from({ length: 10 }, () => oracle.run(call(2))));
      expect(first).toEqual({ kind: 'failed', error: 'faulty: no answer within 1200 ms (host killed)' });
    } finally {
      await oracle.close();
      delete process.env['CONVCHECK_TEST_ORACLES'];
    }
  }, 30_000);
});
