/**
 * Browser oracles (tfjs-webgl, tfjs-webgpu, ort-web, ort-webgpu) in headless Debian chromium:
 * each starts, records its renderer or adapter, and computes; a hung or crashed page is a reported
 * 'failed' result, after which a fresh page answers. What a runtime gets wrong is not asserted
 * here beyond the registered findings' minimal cases (test/oracles/browser-findings.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IsolatedOracle } from '../../oracles/isolated.js';
import type { OracleCall } from '../../oracles/types.js';
import { parseCase } from '../../src/case/case.js';
import { reference } from '../../src/conventions/index.js';


/** tf conv2d NHWC, stride 2, SAME, a non-uniform 2×3 kernel with 2 in and 2 out channels: flips and offsets show. */
const tfCase = parseCase(
  {
    framework: 'tf',
    op: 'conv2d',
    attrs: { strides: [2, 2], padding: 'SAME' },
    inputs: {
      input: { shape: [1, 4, 5, 2], data: Array.from({ length: 40 }, (_, i) => ((i * 7) % 11) - 5) },
      filters: { shape: [2, 3, 2, 2], data: Array.from({ length: 24 }, (_, i) => ((i * 5) % 7) - 3) },
    },
  },
  'tf',
) as OracleCall;

/** onnx ConvTranspose, stride 2, asymmetric pads, output_padding, 2 groups of 2 outputs. */
const onnxCase = parseCase(
  {
    framework: 'onnx',
    op: 'ConvTranspose',
    attrs: { strides: [2, 2], pads: [1, 0, 0, 1], output_padding: [1, 0], group: 2 },
    inputs: {
      X: { shape: [2, 2, 3, 2], data: Array.from({ length: 24 }, (_, i) => ((i * 3) % 7) - 3) },
      W: { shape: [2, 2, 3, 2], data: Array.from({ length: 24 }, (_, i) => ((i * 5) % 9) - 4) },
      B: { shape: [4], data: [1, -1, 2, 0] },
    },
  },
  'onnx',
) as OracleCall;

describe('browser oracles in headless chromium', () => {
  for (const [name, call] of [
    ['tfjs-webgl', tfCase],
    ['tfjs-webgpu', tfCase],
    ['ort-web', onnxCase],
    ['ort-webgpu', onnxCase],
  ] as const) {
    it(`${name} starts, says what it runs on, and computes an integer case exactly`, async () => {
      const oracle = new IsolatedOracle(name, { timeoutMs: 60_000 });
      try {
        expect(await oracle.start()).toBeUndefined();
        const env = oracle.info?.environment ?? {};
        expect(env).toMatchObject({ kind: name });
        if (name !== 'ort-web') expect(String(env['renderer'] ?? '')).not.toBe('');
        const r = await oracle.run(call);
        const want = reference(call);
        expect(r).toMatchObject({ kind: 'value', shape: [...want.shape] });
        // Integer data whose every partial sum is a small integer: float32 computes it exactly.
        expect(Array.from((r as { data: Float64Array }).data)).toEqual(Array.from(want.data));
      } finally {
        await oracle.close();
      }
    });
  }
});

describe('a hung or crashed browser page is a verdict', () => {
  let oracle: IsolatedOracle;
  const call = (first: number): OracleCall =>
    parseCase({ framework: 'tf', op: 'conv1d', attrs: { padding: 'VALID' }, inputs: { input: { shape: [1, 2, 1], data: [first, 2] }, filters: { shape: [1, 1, 1], data: [3] } } }, 'hook') as OracleCall;
  beforeAll(() => {
    process.env['CONVCHECK_TEST_ORACLES'] = '1';
    oracle = new IsolatedOracle('browser-faulty', { timeoutMs: 8000 });
  });
  afterAll(async () => {
    await oracle.close();
    delete process.env['CONVCHECK_TEST_ORACLES'];
  });

  it('answers', async () => {
    expect(await oracle.run(call(0))).toMatchObject({ kind: 'value', shape: [1, 2, 1] });
  });
  it('a hung page fails after the timeout, then a fresh browser answers', async () => {
    const r = await oracle.run(call(2));
    expect(r).toMatchObject({ kind: 'failed' });
    expect((r as { error: string }).error).toMatch(/no answer within 8000 ms/);
    expect(await oracle.run(call(1))).toMatchObject({ kind: 'value' });
  });
  it('a crashed page is a failure naming the crash, then a fresh browser answers', async () => {
    const r = await oracle.run(call(3));
    expect(r).toMatchObject({ kind: 'failed' });
    expect((r as { error: string }).error).toMatch(/page crashed/);
    expect(await oracle.run(call(1))).toMatchObject({ kind: 'value' });
  });
});
