/**
 * The browser oracles' findings, each on its minimal case: the oracle departs from the reference
 * there (a wrong value, or a refusal of a call the spec defines), and the registry
 * (oracles/known/*.json) files the departure under that finding. docs/findings.md has the cases.
 */
import { describe, expect, it } from 'vitest';
import { knownFinding } from '../../oracles/known.js';
import { IsolatedOracle } from '../../oracles/isolated.js';
import type { OracleCall } from '../../oracles/types.js';
import { parseCase, type CaseJson } from '../../src/case/case.js';
import { reference } from '../../src/conventions/index.js';

const FINDINGS: ReadonlyArray<{ oracle: string; id: string; case: CaseJson; departs: 'value' | 'rejected' }> = [
  {
    oracle: 'tfjs-webgl',
    id: 'tfjs-depthwise-nchw',
    departs: 'value',
    case: { framework: 'tf', op: 'depthwise_conv2d', attrs: { strides: [1, 1, 1, 1], padding: 'SAME', data_format: 'NCHW' }, inputs: { input: { shape: [1, 1, 2, 1], data: [0, -1] }, filter: { shape: [2, 1, 1, 1], data: [0, -1] } } },
  },
  {
    oracle: 'tfjs-webgpu',
    id: 'tfjs-conv3d-same-negative-pad',
    departs: 'value',
    case: {
      framework: 'tf',
      op: 'conv3d_transpose',
      attrs: { output_shape: [1, 2, 1, 1, 2], strides: [1, 1, 1, 1, 3], padding: 'SAME', data_format: 'NCDHW' },
      inputs: { input: { shape: [1, 2, 1, 1, 1], data: [0, 1] }, filters: { shape: [1, 1, 1, 2, 2], data: [-1, -2, -2, -1] } },
    },
  },
  {
    oracle: 'ort-web',
    id: 'ort-conv-same-dilation',
    departs: 'rejected',
    case: { framework: 'onnx', op: 'Conv', attrs: { dilations: [2], auto_pad: 'SAME_UPPER' }, inputs: { X: { shape: [1, 1, 3], data: [1, 2, 3] }, W: { shape: [1, 1, 2], data: [1, -1] } } },
  },
  {
    oracle: 'ort-web',
    id: 'ort-convtranspose-negative-total-padding',
    departs: 'value',
    // SAME_LOWER asks for in·stride = 6; the web runtime, as the native one, clamps the negative total padding and returns 4.
    case: { framework: 'onnx', op: 'ConvTranspose', attrs: { strides: [3], auto_pad: 'SAME_LOWER' }, inputs: { X: { shape: [1, 1, 2], data: [1, 2] }, W: { shape: [1, 1, 1], data: [3] } } },
  },
  {
    oracle: 'ort-webgpu',
    id: 'ort-webgpu-conv3d-groups',
    departs: 'rejected',
    case: { framework: 'onnx', op: 'Conv', attrs: { group: 2 }, inputs: { X: { shape: [1, 2, 1, 1, 1], data: [1, -3] }, W: { shape: [2, 1, 1, 1, 1], data: [-1, -1] } } },
  },
];

describe('browser oracle findings, each on its minimal case', () => {
  for (const f of FINDINGS) {
    it(`${f.oracle}: ${f.id}`, async () => {
      const call = parseCase(f.case, f.id) as OracleCall;
      const want = reference(call);
      const oracle = new IsolatedOracle(f.oracle, { timeoutMs: 60_000 });
      try {
        const r = await oracle.run(call);
        expect(r.kind).toBe(f.departs);
        if (r.kind === 'value') expect({ shape: r.shape, data: Array.from(r.data) }).not.toEqual({ shape: [...want.shape], data: Array.from(want.data) });
        expect(knownFinding(f.oracle, [f.case])?.id).toBe(f.id);
      } finally {
        await oracle.close();
      }
    }, 120_000);
  }
});
