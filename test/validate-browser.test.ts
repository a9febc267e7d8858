/**
 * A user's WebGPU kernel validated in the browser: examples/webgpu/conv2d-wgsl.mjs (an ONNX Conv
 * as a WGSL compute shader with 8×8 tiles) holds every property; its broken twin (tiles started 7
 * columns apart) is right wherever an output row fits in the tiles' reach and wrong beyond it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IsolatedOracle } from '../oracles/isolated.js';
import type { OracleCall } from '../oracles/types.js';
import type { Implementation } from '../properties/implementation.js';
import { parseCase } from '../src/case/case.js';
import { reference } from '../src/conventions/index.js';
import { runImplementation } from '../src/runner/run.js';

function browserImpl(path: string): { oracle: IsolatedOracle; impl: () => Implementation } {
  const oracle = new IsolatedOracle('browser-adapter', { timeoutMs: 60_000, backend: { module: './browser/adapter.js', options: { path } } });
  return {
    oracle,
    impl: () => {
      const info = oracle.info!;
      return { name: info.name, ops: info.ops.map((op) => [info.framework, op] as const), float64: info.float64, ...(info.capabilities ? { capabilities: info.capabilities } : {}), run: (c) => oracle.run(c) };
    },
  };
}

/** A Conv whose output rows are `ow` wide: 1 batch item, 2 channels in, 3 out, a 3×2 kernel, stride 1. */
function wideCase(ow: number): OracleCall {
  const w = ow + 1;
  return parseCase(
    {
      framework: 'onnx',
      op: 'Conv',
      attrs: { pads: [1, 0, 0, 0] },
      inputs: {
        X: { shape: [1, 2, 3, w], data: Array.from({ length: 6 * w }, (_, i) => ((i * 7) % 9) - 4) },
        W: { shape: [3, 2, 3, 2], data: Array.from({ length: 36 }, (_, i) => ((i * 5) % 7) - 3) },
        B: { shape: [3], data: [1, 0, -2] },
      },
    },
    `ow${ow}`,
  ) as OracleCall;
}

describe('convcheck validate --browser: a WGSL conv2d kernel', () => {
  const good = browserImpl('examples/webgpu/conv2d-wgsl.mjs');
  const broken = browserImpl('examples/webgpu/conv2d-wgsl-broken.mjs');
  beforeAll(async () => {
    expect(await good.oracle.start()).toBeUndefined();
    expect(await broken.oracle.start()).toBeUndefined();
  }, 120_000);
  afterAll(async () => {
    await good.oracle.close();
    await broken.oracle.close();
  });

  it('declares itself from the page, with the WebGPU adapter it ran on', () => {
    expect(good.oracle.info).toMatchObject({ name: 'wgsl-conv2d', framework: 'onnx', ops: ['Conv'], float64: false, capabilities: { ranks: [2] } });
    expect(String(good.oracle.info?.environment?.['renderer'] ?? '')).not.toBe('');
  });

  it('the correct kernel holds every property that applies (seed 5)', async () => {
    const cells = await runImplementation(
      { properties: ['differential', 'impulse', 'bilinearity', 'batch-independence', 'dilation', 'stride', 'groups', 'validity'], runs: 25, seed: 5, timeBudgetMs: 240_000, shard: { index: 1, count: 1 }, regressionsDir: null },
      good.impl(),
    );
    for (const c of cells) expect({ property: c.property, failed: c.failed, failure: c.failure?.message }).toEqual({ property: c.property, failed: 0, failure: undefined });
    expect(cells.reduce((n, c) => n + c.passed, 0)).toBeGreaterThan(50);
  });

  it('the broken twin passes at the default small sizes and is caught with --sizes large, shrunk to a row past the tiles\' reach', async () => {
    const opts = { properties: ['differential'], runs: 60, seed: 3, timeBudgetMs: 300_000, shard: { index: 1, count: 1 }, regressionsDir: null };
    const [small] = await runImplementation(opts, broken.impl());
    expect(small).toMatchObject({ failed: 0 });
    expect(small!.passed).toBeGreaterThan(30);
    const [large] = await runImplementation({ ...opts, sizes: { preset: 'large' } }, broken.impl());
    expect(large!.failed).toBeGreaterThan(0);
    const c = large!.failure!.cases[0]!;
    const out = reference(parseCase(c, 'shrunk') as OracleCall);
    // Tiles started 7 apart reach 7·tiles + 1 columns: a wrong row is at least 23 wide.
    expect(out.shape[3]).toBeGreaterThanOrEqual(23);
    expect(large!.failure!.replay?.command).toMatch(/--sizes large/);
  }, 400_000);

  it('the broken twin is right up to a row of 22 and wrong at 23 (tiles 7 apart reach 7·3 + 1 columns)', async () => {
    for (const ow of [8, 9, 15, 22]) {
      const r = await broken.oracle.run(wideCase(ow));
      expect(r.kind).toBe('value');
      expect(Array.from((r as { data: Float64Array }).data)).toEqual(Array.from(reference(wideCase(ow)).data));
    }
    const r = await broken.oracle.run(wideCase(23));
    const want = Array.from(reference(wideCase(23)).data);
    const got = Array.from((r as { data: Float64Array }).data);
    expect(got).not.toEqual(want);
    // Exactly the columns past the tiles' reach are wrong (left as the buffer's zeros).
    const wrong = got.flatMap((v, i) => (v !== want[i] ? [i % 23] : []));
    expect(new Set(wrong)).toEqual(new Set([22]));
    const good23 = await good.oracle.run(wideCase(23));
    expect(Array.from((good23 as { data: Float64Array }).data)).toEqual(want);
  });
});
