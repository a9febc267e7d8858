/**
 * The search with several checks in flight finds what the one-at-a-time search finds: the same
 * stream of inputs (fast-check's, for the cell's seed), the same counts, the same first failure
 * with the same shrunk case and replay path. Shards split the cells of a run.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceImpl, type Implementation } from '../../properties/implementation.js';
import { ALL_OPS, type Opened } from '../../src/runner/implementations.js';
import { closeOracles, runSuite, type CellResult, type RunOptions } from '../../src/runner/run.js';
import { inputElements } from '../../src/runner/search.js';
import { cellSeed, shardCells } from '../../src/runner/seeds.js';
import { valueStream } from '../../src/runner/stream.js';

describe('valueStream', () => {
  // undefined is a value some of the properties' arbitraries draw; it must not end the stream.
  const arb = fc.option(fc.record({ a: fc.integer(), b: fc.array(fc.double(), { maxLength: 4 }) }), { nil: undefined });
  it('gives fast-check sample values for the seed, in order, undefined included', async () => {
    for (const seed of [1, 77, 123456]) {
      const expected = fc.sample(arb, { seed, numRuns: 60 });
      const s = valueStream(arb, seed, 60);
      const got: unknown[] = [];
      for (let v = await s.next(); v; v = await s.next()) got.push(v.value);
      expect(got).toEqual(expected);
      expect(got.some((v) => v === undefined)).toBe(true);
    }
  });
  it('ends when stopped', async () => {
    const s = valueStream(arb, 5, 1000);
    await s.next();
    s.stop();
    expect(await s.next()).toBeUndefined();
  });
});

describe('shardCells', () => {
  const oracles = ['a', 'b', 'c'];
  const props = ['p', 'q', 'r', 's', 't'];
  const key = (c: { oracle: string; property: string; seed: number }) => `${c.oracle}/${c.property}/${c.seed}`;
  it('n shards together run exactly the unsharded cells, with the same seeds, each once', () => {
    const whole = shardCells(9, { index: 1, count: 1 }, oracles, props);
    expect(whole.map((c) => c.seed)).toEqual(oracles.flatMap((o) => props.map((p) => cellSeed(9, o, p))));
    for (const n of [2, 3, 7, 15]) {
      const parts = Array.from({ length: n }, (_, i) => shardCells(9, { index: i + 1, count: n }, oracles, props));
      expect(parts.flat().map(key).sort()).toEqual(whole.map(key).sort());
      // balanced: shard sizes differ by at most one
      const sizes = parts.map((p) => p.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });
  it('with more shards than cells, every shard runs a cell, on streams of their own', () => {
    const parts = Array.from({ length: 5 }, (_, i) => shardCells(9, { index: i + 1, count: 5 }, ['a'], ['p', 'q']));
    expect(parts.map((p) => p.length)).toEqual([1, 1, 1, 1, 1]);
    expect(parts.map((p) => [p[0]!.property, p[0]!.stream])).toEqual([['p', 0], ['q', 0], ['p', 1], ['q', 1], ['p', 2]]);
    expect(new Set(parts.map((p) => p[0]!.seed)).size).toBe(5);
  });
});

describe('several checks in flight = one at a time', () => {
  beforeAll(() => {
    process.env['CONVCHECK_TEST_ORACLES'] = '1'; // the 'wrong' oracle, inherited by its host
  });
  afterAll(() => {
    delete process.env['CONVCHECK_TEST_ORACLES'];
  });
  const base: RunOptions = { oracles: ['wrong', 'reference'], properties: ['differential', 'shape-law', 'adjointness'], runs: 60, seed: 31, timeBudgetMs: 600_000, shard: { index: 1, count: 1 }, regressionsDir: null };
  const summary = (cells: CellResult[]) =>
    cells.map((c) => ({
      cell: `${c.oracle}/${c.property}`,
      counts: [c.cases, c.passed, c.failed, c.known, c.unsupported, c.lenient],
      failures: c.failures.map((f) => ({ input: f.input, path: f.replay.path, command: f.replay.command, message: f.message })),
    }));
  it('the same counts, the same shrunk failures and paths, on one oracle at a time or side by side', async () => {
    const one = summary(await runSuite({ ...base, inFlight: 1, jobs: 1 }));
    const many = summary(await runSuite({ ...base, inFlight: 8, jobs: 2 }));
    expect(many).toEqual(one);
    expect(summary(await runSuite({ ...base, jobs: 2 }))).toEqual(one); // the default window
    expect(summary(await runSuite({ ...base, jobs: 1, hosts: 2 }))).toEqual(one); // two hosts per oracle
    // The off-by-one oracle fails differential, found and shrunk, and replayable from its path.
    const wrong = one.find((c) => c.cell === 'wrong/differential')!;
    expect(wrong.failures.length).toBeGreaterThan(0);
    const first = wrong.failures[0]!;
    expect(first.command).toContain(`--path ${first.path}`);
    const replay = await runSuite({ ...base, oracles: ['wrong'], properties: ['differential'], path: first.path });
    expect(replay[0]!.failures[0]!.input).toEqual(first.input);
  }, 120_000);
});

describe('oracles kept open across runs (a campaign)', () => {
  it('the second run uses the host the first one opened, and closing it ends it', async () => {
    process.env['CONVCHECK_TEST_ORACLES'] = '1';
    try {
      const kept = new Map<string, Opened>();
      const o: RunOptions = { oracles: ['wrong'], properties: ['shape-law'], runs: 5, seed: 2, timeBudgetMs: 60_000, shard: { index: 1, count: 1 }, regressionsDir: null, keepOpen: kept };
      await runSuite(o);
      const first = kept.get('wrong')!;
      expect(first.impl).toBeDefined();
      const again = await runSuite({ ...o, seed: 3 });
      expect(kept.get('wrong')).toBe(first);
      expect(again[0]!.cases).toBe(5);
      await closeOracles(kept);
      expect(kept.size).toBe(0);
      expect((await first.impl!.run({ framework: 'onnx', op: 'Conv', attrs: {}, inputs: {}, dtype: 'float32' })).kind).toBe('failed'); // closed
    } finally {
      delete process.env['CONVCHECK_TEST_ORACLES'];
    }
  }, 60_000);
});

describe('the window of checks in flight', () => {
  it('counts the numbers an input holds, typed arrays included', () => {
    const input = { framework: 'onnx', op: 'Conv', attrs: { strides: [2, 2] }, inputs: { X: { shape: [1, 1, 2], data: [1, 2] }, W: { shape: [1, 1, 3], data: new Float32Array(3) } } };
    // 2 strides + 3 + 2 + 3 + 3 (attribute lists count too: the estimate errs on the large side)
    expect(inputElements(input)).toBe(13);
    expect(inputElements([undefined, null, 'x', [[1, 2], [3]], { y: [4, 5, 6] }])).toBe(6);
  });

  /** The reference, counting the input numbers of the calls waiting at once. */
  function counting(): { impl: Implementation; most: () => number; largest: () => number; together: () => number } {
    const ref = referenceImpl(ALL_OPS);
    let waiting = 0;
    let calls = 0;
    let most = 0;
    let largest = 0;
    let together = 0;
    const impl: Implementation = {
      ...ref,
      run: async (call) => {
        const n = Object.values(call.inputs).reduce((s, t) => s + t.data.length, 0);
        waiting += n;
        calls++;
        most = Math.max(most, waiting);
        largest = Math.max(largest, n);
        together = Math.max(together, calls);
        await new Promise((r) => setTimeout(r, 2));
        waiting -= n;
        calls--;
        return ref.run(call);
      },
    };
    return { impl, most: () => most, largest: () => largest, together: () => together };
  }
  const run = async (elementsInFlight?: number) => {
    const c = counting();
    const keepOpen = new Map<string, Opened>([['reference', { impl: c.impl, close: async () => {} }]]);
    const cells = await runSuite({ oracles: ['reference'], properties: ['differential'], runs: 300, seed: 4, timeBudgetMs: 600_000, shard: { index: 1, count: 1 }, regressionsDir: null, keepOpen, inFlight: 64, ...(elementsInFlight !== undefined ? { elementsInFlight } : {}) });
    expect(cells[0]!.cases).toBe(300);
    return c;
  };
  it('holds at most elementsInFlight input numbers at once, beyond the one case always allowed', async () => {
    const free = await run();
    // Unbounded by numbers, a window of 64 holds far more than the cap below.
    expect(free.together()).toBeGreaterThan(16);
    expect(free.most()).toBeGreaterThan(2000);
    const capped = await run(2000);
    expect(capped.together()).toBeGreaterThan(1);
    expect(capped.most()).toBeLessThanOrEqual(2000 + capped.largest());
  }, 60_000);

  it('a cell of a slow oracle keeps to its time share: the window opens only as cases end', async () => {
    // One call at a time, 100 ms each, as a host runs them; a 1 s share.
    const ref = referenceImpl(ALL_OPS);
    let queue: Promise<unknown> = Promise.resolve();
    const slow: Implementation = {
      ...ref,
      run: (call) => {
        const answer = queue.then(() => new Promise((r) => setTimeout(r, 100))).then(() => ref.run(call));
        queue = answer;
        return answer;
      },
    };
    const keepOpen = new Map<string, Opened>([['reference', { impl: slow, close: async () => {} }]]);
    const cells = await runSuite({ oracles: ['reference'], properties: ['differential'], runs: 200, seed: 4, timeBudgetMs: 1000, jobs: 1, shard: { index: 1, count: 1 }, regressionsDir: null, keepOpen });
    // Every case started is waited for and counted. About 10 fit in the share (fewer on a loaded
    // machine, never more: timers do not fire early); 64 started at once took 6.4 s.
    expect(cells[0]!.cases).toBeGreaterThan(1);
    expect(cells[0]!.cases).toBeLessThanOrEqual(20);
  }, 30_000);
});
