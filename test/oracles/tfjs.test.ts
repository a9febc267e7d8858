/**
 * The TensorFlow.js oracles (tfjs-cpu, tfjs-wasm, tfjs-node) against convcheck's reference.
 * Cases run through IsolatedOracle, which forks dist/oracles/host.js: build first (`npx tsc -p .`).
 * Data are small integers, so float32 results are exact and compared exactly.
 *
 * Where tfjs itself is wrong, the case is listed under "tfjs findings" with what TensorFlow 2.21
 * (Python) returns: those tests pin the current tfjs behaviour, so a tfjs fix shows up here.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { evaluate, parseCase, type CaseJson } from '../../src/case/case.js';
import { IsolatedOracle } from '../../oracles/isolated.js';
import type { OracleCall, OracleResult } from '../../oracles/types.js';
import create from '../../oracles/tfjs/backend.js';
import { knownFinding } from '../../oracles/known.js';

type Backend = 'tfjs-cpu' | 'tfjs-wasm' | 'tfjs-node';

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
/** Deterministic, non-uniform small integers in [-3, 3]. */
function ints(n: number, seed: number): number[] {
  let x = seed * 7919 + 17;
  return Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return (Math.floor(x / 65536) % 7) - 3;
  });
}
const t = (shape: number[], seed: number) => ({ shape, data: ints(size(shape), seed) });
/** 1, 2, 3, …: every tap distinct, so an impulse response shows where each landed. */
const iota = (shape: number[]) => ({ shape, data: Array.from({ length: size(shape) }, (_, i) => i + 1) });
/** A single 1 at multi-index `at`. */
function impulse(shape: number[], at: number[]) {
  const data = new Array<number>(size(shape)).fill(0);
  data[at.reduce((acc, a, i) => acc * shape[i]! + a, 0)] = 1;
  return { shape, data };
}
/** Plain numbers with -0 folded into 0 (toEqual tells them apart; the comparison should not). */
const vals = (d: ArrayLike<number>) => Array.from(d, (v) => v + 0);

type Json = Omit<CaseJson, 'framework'> & { id: string };
/** tfjs-node runs TF's default oneDNN CPU kernels unless TF_ENABLE_ONEDNN_OPTS=0 (Eigen kernels). */
const NODE_ONEDNN = process.env['TF_ENABLE_ONEDNN_OPTS'] !== '0';
const tfCase = (j: Json) => parseCase({ framework: 'tf', ...j }, j.id);
const call = (j: Json, dtype: 'float32' | 'float64' = 'float32'): OracleCall => ({ ...tfCase(j), dtype });

/**
 * Cases where a backend is expected to depart from "same value as the reference / rejected when
 * the reference rejects": 'unsupported' (declared), or a tfjs finding (see the findings block).
 */
interface Spec {
  readonly j: Json;
  readonly on?: Partial<Record<Backend, 'unsupported' | 'finding'>>;
}

const conv = (id: string, op: string, attrs: Record<string, unknown>, input: { shape: number[]; data: number[] }, filters: { shape: number[]; data: number[] }): Json => ({
  id,
  op,
  attrs,
  inputs: op === 'depthwise_conv2d' ? { input, filter: filters } : { input, filters },
});

const AGREE: Spec[] = [
  // Impulse responses, one per op: a single 1 against a kernel of distinct taps.
  { j: conv('impulse-conv1d', 'conv1d', { stride: 1, padding: 'SAME' }, impulse([1, 7, 1], [0, 3, 0]), iota([3, 1, 2])) },
  { j: conv('impulse-conv2d', 'conv2d', { strides: 1, padding: 'SAME' }, impulse([1, 5, 5, 1], [0, 2, 3, 0]), iota([3, 2, 1, 2])) },
  { j: conv('impulse-conv3d', 'conv3d', { strides: [1, 1, 1, 1, 1], padding: 'SAME' }, impulse([1, 4, 4, 4, 1], [0, 1, 2, 2, 0]), iota([2, 3, 2, 1, 2])) },
  { j: conv('impulse-conv1d_transpose', 'conv1d_transpose', { output_shape: [1, 8, 2], strides: 2, padding: 'SAME' }, impulse([1, 4, 1], [0, 1, 0]), iota([3, 2, 1])) },
  { j: conv('impulse-conv2d_transpose', 'conv2d_transpose', { output_shape: [1, 6, 6, 2], strides: 2, padding: 'SAME' }, impulse([1, 3, 3, 1], [0, 1, 1, 0]), iota([3, 3, 2, 1])) },
  {
    // Two output channels: with one in and one out, TF's oneDNN kernel drops taps (a TF finding).
    j: conv('impulse-conv3d_transpose', 'conv3d_transpose', { output_shape: [1, 4, 4, 4, 2], strides: 2, padding: 'VALID' }, impulse([1, 2, 2, 2, 1], [0, 1, 0, 1, 0]), iota([2, 2, 2, 2, 1])),
    on: { 'tfjs-wasm': 'finding' },
  },
  { j: conv('impulse-depthwise', 'depthwise_conv2d', { strides: [1, 1, 1, 1], padding: 'SAME' }, impulse([1, 5, 5, 2], [0, 2, 2, 1]), iota([3, 3, 2, 2])) },

  // SAME with an odd total padding (the extra element goes at the end), batch 2.
  { j: conv('same-odd-conv1d', 'conv1d', { stride: 1, padding: 'SAME' }, t([2, 6, 2], 1), t([4, 2, 2], 2)) },
  { j: conv('same-odd-conv2d-b2', 'conv2d', { strides: 1, padding: 'SAME' }, t([2, 5, 6, 2], 3), t([4, 3, 2, 3], 4)) },
  { j: conv('same-odd-conv3d', 'conv3d', { strides: [1, 1, 1, 1, 1], padding: 'SAME' }, t([1, 3, 4, 5, 2], 5), t([2, 2, 4, 2, 1], 6)) },

  // Stride larger than the kernel.
  { j: conv('stride-gt-kernel-conv1d', 'conv1d', { stride: 3, padding: 'SAME' }, t([2, 8, 1], 7), t([2, 1, 2], 8)) },
  { j: conv('stride-gt-kernel-conv2d-same', 'conv2d', { strides: [3, 4], padding: 'SAME' }, t([2, 7, 9, 1], 9), t([2, 2, 1, 2], 10)) },
  { j: conv('stride-gt-kernel-conv2d-valid', 'conv2d', { strides: 3, padding: 'VALID' }, t([1, 8, 7, 2], 11), t([1, 2, 2, 1], 12)) },
  { j: conv('stride-gt-kernel-conv3d-valid', 'conv3d', { strides: [1, 3, 2, 3, 1], padding: 'VALID' }, t([2, 5, 4, 6, 1], 13), t([2, 1, 2, 1, 2], 14)) },
  { j: conv('stride-gt-kernel-conv2d_transpose', 'conv2d_transpose', { output_shape: [1, 9, 7, 1], strides: 3, padding: 'SAME' }, t([1, 3, 3, 2], 15), t([2, 2, 1, 2], 16)) },

  // Dilations.
  { j: conv('dilations-conv1d', 'conv1d', { stride: 1, padding: 'VALID', dilations: 2 }, t([1, 9, 2], 17), t([3, 2, 2], 18)) },
  { j: conv('dilations-conv2d', 'conv2d', { strides: 1, padding: 'SAME', dilations: [2, 3] }, t([1, 7, 8, 2], 19), t([2, 3, 2, 2], 20)) },
  // TF's Eigen CPU kernels (TF_ENABLE_ONEDNN_OPTS=0) have no dilated Conv3D or DepthwiseConv2dNative.
  {
    j: conv('dilations-conv3d', 'conv3d', { strides: [1, 1, 1, 1, 1], padding: 'VALID', dilations: [1, 1, 2, 2, 1] }, t([1, 3, 5, 5, 1], 21), t([2, 2, 2, 1, 2], 22)),
    on: { 'tfjs-node': NODE_ONEDNN ? undefined : 'unsupported' },
  },
  {
    j: conv('dilations-depthwise', 'depthwise_conv2d', { strides: [1, 1, 1, 1], padding: 'SAME', dilations: [2, 2] }, t([1, 6, 6, 2], 23), t([2, 3, 2, 1], 24)),
    on: { 'tfjs-node': NODE_ONEDNN ? undefined : 'unsupported' },
  },

  // Channels-first layouts.
  { j: conv('nchw-conv2d', 'conv2d', { strides: [1, 1, 2, 1], padding: 'SAME', data_format: 'NCHW' }, t([2, 2, 5, 5], 25), t([3, 3, 2, 3], 26)) },
  { j: conv('ncw-conv1d', 'conv1d', { stride: 2, padding: 'SAME', data_format: 'NCW' }, t([2, 3, 7], 27), t([3, 3, 2], 28)) },
  // tf.nn.conv1d takes 'NCHW' for 'NCW', and a 3-entry list is [C, H, W]: H strides a unit axis.
  { j: conv('ncw-conv1d-alias-list', 'conv1d', { stride: [1, 2, 3], padding: 'VALID', data_format: 'NCHW' }, t([1, 2, 8], 29), t([2, 2, 1], 30)) },
  { j: conv('ncdhw-conv3d', 'conv3d', { strides: [1, 1, 1, 2, 1], padding: 'SAME', data_format: 'NCDHW' }, t([1, 2, 3, 4, 4], 31), t([2, 2, 2, 2, 2], 32)) },
  { j: conv('nchw-conv2d_transpose-7', 'conv2d_transpose', { output_shape: [1, 2, 7, 8], strides: 2, padding: 'SAME', data_format: 'NCHW' }, t([1, 3, 4, 4], 33), t([3, 3, 2, 3], 34)) },
  { j: conv('ncw-conv1d_transpose-valid-9', 'conv1d_transpose', { output_shape: [2, 2, 9], strides: 2, padding: 'VALID', data_format: 'NCW' }, t([2, 3, 4], 35), t([3, 2, 3], 36)) },

  // Explicit padding.
  { j: conv('explicit-conv2d', 'conv2d', { strides: 2, padding: [[0, 0], [1, 2], [0, 3], [0, 0]] }, t([1, 5, 6, 2], 37), t([3, 3, 2, 2], 38)) },
  { j: conv('explicit-conv2d-nchw', 'conv2d', { strides: 1, padding: [[0, 0], [0, 0], [2, 0], [1, 1]], data_format: 'NCHW' }, t([1, 2, 4, 4], 39), t([2, 3, 2, 1], 40)) },
  { j: conv('explicit-depthwise', 'depthwise_conv2d', { strides: [1, 1, 1, 1], padding: [[0, 0], [1, 0], [0, 2], [0, 0]] }, t([1, 4, 4, 2], 41), t([3, 2, 2, 2], 42)) },
  {
    j: conv('explicit-conv2d_transpose', 'conv2d_transpose', { output_shape: [1, 8, 7, 2], strides: 2, padding: [[0, 0], [0, 1], [2, 0], [0, 0]] }, t([1, 4, 4, 3], 43), t([3, 3, 2, 3], 44)),
    on: { 'tfjs-node': 'unsupported' },
  },

  // Transposes: both parities of output_shape for the same input (stride 2, input 4 -> 7 or 8).
  { j: conv('conv1d_transpose-same-7', 'conv1d_transpose', { output_shape: [2, 7, 3], strides: 2, padding: 'SAME' }, t([2, 4, 2], 45), t([3, 3, 2], 46)) },
  { j: conv('conv1d_transpose-same-8', 'conv1d_transpose', { output_shape: [2, 8, 3], strides: 2, padding: 'SAME' }, t([2, 4, 2], 45), t([3, 3, 2], 46)) },
  { j: conv('conv2d_transpose-same-7x8', 'conv2d_transpose', { output_shape: [1, 7, 8, 1], strides: 2, padding: 'SAME' }, t([1, 4, 4, 2], 47), t([3, 3, 1, 2], 48)) },
  { j: conv('conv2d_transpose-same-8x7', 'conv2d_transpose', { output_shape: [1, 8, 7, 1], strides: 2, padding: 'SAME' }, t([1, 4, 4, 2], 47), t([3, 3, 1, 2], 48)) },
  { j: conv('conv2d_transpose-valid-9x10-b2', 'conv2d_transpose', { output_shape: [2, 9, 10, 2], strides: 2, padding: 'VALID' }, t([2, 4, 4, 1], 49), t([3, 3, 2, 1], 50)) },
  {
    j: conv('conv3d_transpose-same', 'conv3d_transpose', { output_shape: [1, 4, 5, 3, 2], strides: [1, 2, 2, 2, 1], padding: 'SAME' }, t([1, 2, 3, 2, 1], 51), t([2, 3, 2, 2, 1], 52)),
    on: { 'tfjs-wasm': 'finding' },
  },

  // Depthwise with channel multiplier 2, batch 2.
  { j: conv('depthwise-m2-b2', 'depthwise_conv2d', { strides: [1, 2, 2, 1], padding: 'SAME' }, t([2, 5, 4, 3], 53), t([3, 2, 3, 2], 54)) },
  { j: conv('depthwise-m2-valid', 'depthwise_conv2d', { strides: [1, 1, 1, 1], padding: 'VALID' }, t([1, 4, 5, 2], 55), t([2, 3, 2, 2], 56)) },

  // Calls TF (so the reference) rejects, and tfjs rejects too.
  { j: conv('reject-conv2d-depth', 'conv2d', { strides: 1, padding: 'SAME' }, t([1, 3, 3, 3], 57), t([2, 2, 2, 1], 58)) },
  { j: conv('reject-depthwise-depth', 'depthwise_conv2d', { strides: [1, 1, 1, 1], padding: 'SAME' }, t([1, 3, 3, 3], 59), t([2, 2, 2, 1], 60)) },
  { j: conv('reject-conv3d-grouped', 'conv3d', { strides: [1, 1, 1, 1, 1], padding: 'VALID' }, t([1, 2, 2, 2, 2], 61), t([1, 1, 1, 1, 2], 62)) },
];

const UNSUPPORTED: Array<{ j: Json; dtype?: 'float64'; reason: RegExp }> = [
  { j: conv('float64', 'conv2d', { strides: 1, padding: 'SAME' }, t([1, 3, 3, 1], 63), t([2, 2, 1, 1], 64)), dtype: 'float64', reason: /float32 only/ },
  { j: conv('grouped-conv2d', 'conv2d', { strides: 1, padding: 'SAME' }, t([1, 3, 3, 4], 65), t([2, 2, 2, 2], 66)), reason: /grouped/ },
  { j: conv('grouped-conv1d', 'conv1d', { stride: 1, padding: 'VALID' }, t([1, 3, 4], 65), t([2, 1, 2], 66)), reason: /grouped/ },
  { j: conv('strided-dilated-conv2d', 'conv2d', { strides: 2, padding: 'SAME', dilations: 2 }, t([1, 6, 6, 1], 67), t([2, 2, 1, 1], 68)), reason: /Either strides or dilations/ },
  { j: conv('strided-dilated-depthwise', 'depthwise_conv2d', { strides: [1, 2, 2, 1], padding: 'VALID', dilations: [2, 2] }, t([1, 6, 6, 1], 67), t([2, 2, 1, 1], 68)), reason: /Either strides or dilations/ },
  { j: conv('dilated-conv2d_transpose', 'conv2d_transpose', { output_shape: [1, 5, 5, 1], strides: 1, padding: 'VALID', dilations: 2 }, t([1, 3, 3, 1], 69), t([2, 2, 1, 1], 70)), reason: /no dilations/ },
];

/**
 * tfjs is wrong here (TF 2.21 Python gives the reference's answer, noted per case). `got` pins
 * what each backend returns today; 'agrees' means that backend is right.
 */
type Pinned =
  | 'agrees'
  | 'rejected'
  /** A value where TF gives another value or an error (not deterministic enough to pin). */
  | 'value'
  /** A value other than the reference's. */
  | 'differs'
  | { value: number[] };
const FINDINGS: Array<{ j: Json; tf: string; got: Record<Backend, Pinned> }> = [
  {
    // tfjs' 3-D SAME padding lacks TF's max(0, ·): (out-1)*s + k - in = -1 here, so front = -1 and
    // every window is shifted by one. TF: [1, 4].
    j: conv('finding-conv3d-same-stride-gt-kernel', 'conv3d', { strides: [1, 3, 1, 1, 1], padding: 'SAME' }, iota([1, 5, 1, 1, 1]), iota([1, 1, 1, 1, 1])),
    tf: '[1, 4]',
    got: { 'tfjs-cpu': { value: [2, 5] }, 'tfjs-wasm': { value: [2, 5] }, 'tfjs-node': 'agrees' },
  },
  {
    // depthwiseConv2d accepts dataFormat 'NCHW' but every kernel computes NHWC. TF: [10, 200].
    j: conv('finding-depthwise-nchw', 'depthwise_conv2d', { strides: [1, 1, 1, 1], padding: 'VALID', data_format: 'NCHW' }, { shape: [1, 2, 1, 1], data: [1, 2] }, { shape: [1, 1, 2, 1], data: [10, 100] }),
    tf: '[10, 200]',
    got: { 'tfjs-cpu': { value: [10, 20] }, 'tfjs-wasm': { value: [10, 20] }, 'tfjs-node': 'rejected' },
  },
  {
    // conv2dTranspose never checks output_shape against the input: cpu/wasm return a tensor of
    // uninitialised or NaN values where TF raises.
    j: conv('finding-conv2d_transpose-inconsistent-output_shape', 'conv2d_transpose', { output_shape: [1, 3, 1, 1], strides: 1, padding: 'VALID' }, { shape: [1, 1, 1, 1], data: [1] }, { shape: [1, 1, 1, 1], data: [1] }),
    tf: 'InvalidArgumentError (Conv2DCustomBackpropInput: Size of out_backprop doesn\'t match computed)',
    got: { 'tfjs-cpu': 'value', 'tfjs-wasm': 'value', 'tfjs-node': 'rejected' },
  },
  {
    // The wasm Conv3DBackpropInputV2 kernel drops contributions along depth/height. TF: [1, 2].
    j: conv('finding-wasm-conv3d_transpose', 'conv3d_transpose', { output_shape: [1, 2, 1, 1, 1], strides: 1, padding: 'VALID' }, { shape: [1, 2, 1, 1, 1], data: [1, 2] }, { shape: [1, 1, 1, 1, 1], data: [1] }),
    tf: '[1, 2]',
    got: { 'tfjs-cpu': 'agrees', 'tfjs-wasm': { value: [1, 0] }, 'tfjs-node': 'agrees' },
  },
  {
    // SAME where the padding formula goes negative (stride > kernel with slack): tfjs clamps it to
    // 0 like TF, but the wasm (XNNPACK) kernel then returns zeros. TF: [21, 54].
    j: conv('finding-wasm-same-negative-slack', 'conv2d', { strides: [1, 3], padding: 'SAME' }, iota([1, 1, 6, 1]), { shape: [1, 2, 1, 1], data: [1, 10] }),
    tf: '[21, 54]',
    got: { 'tfjs-cpu': 'agrees', 'tfjs-wasm': { value: [0, 0] }, 'tfjs-node': 'agrees' },
  },
  {
    // An output with an empty dimension: the wasm kernels trap ("memory access out of bounds",
    // "table index is out of bounds") and leave the module corrupted (the oracle then replaces
    // it). TF's Eigen kernels: shape [1, 0, 4, 1]; TF's oneDNN kernels (and so tfjs-node by
    // default) return uninitialised memory of shape [1, 1, 4, 1], a known TF finding.
    j: conv('finding-wasm-empty-output', 'conv2d', { strides: 1, padding: 'VALID' }, iota([1, 1, 4, 1]), { shape: [2, 1, 1, 1], data: [1, 1] }),
    tf: 'shape [1, 0, 4, 1]',
    got: { 'tfjs-cpu': 'agrees', 'tfjs-wasm': 'rejected', 'tfjs-node': NODE_ONEDNN ? 'value' : 'agrees' },
  },
  {
    // conv2dTranspose (and conv3dTranspose) never check strides: a zero stride returns zeros where
    // TF raises "Stride must be > 0".
    j: conv('finding-conv2d_transpose-zero-stride', 'conv2d_transpose', { output_shape: [1, 2, 2, 1], strides: [0, 1], padding: 'SAME' }, iota([1, 2, 2, 1]), { shape: [1, 1, 1, 1], data: [3] }),
    tf: 'InvalidArgumentError (Stride must be > 0, but got 0)',
    got: { 'tfjs-cpu': { value: [0, 0, 0, 0] }, 'tfjs-wasm': { value: [0, 0, 0, 0] }, 'tfjs-node': 'rejected' },
  },
  {
    // tfjs' 3-D output size is 0 whenever the input is shorter than the kernel, so conv3d returns
    // an empty tensor where TF's (in - k + s) / s = -1 and TF raises ("Computed output size would
    // be negative").
    j: conv('finding-conv3d-valid-kernel-larger', 'conv3d', { strides: [1, 1, 1, 1, 1], padding: 'VALID' }, { shape: [1, 1, 1, 1, 1], data: [1] }, iota([3, 1, 1, 1, 1])),
    tf: 'InvalidArgumentError (Computed output size would be negative: -1)',
    got: { 'tfjs-cpu': 'value', 'tfjs-wasm': 'value', 'tfjs-node': 'rejected' },
  },
  {
    // VALID output size: tfjs ceil((in - k + 1) / s) = -1 here where TF's (in - k + s) / s
    // truncates to 0. cpu throws "Invalid typed array length"; wasm returns a shape with -1 (which
    // the oracle reports as rejected). TF's Eigen kernels: shape [1, 0, 1, 1]; TF's default oneDNN
    // build (Python and tfjs-node alike) returns uninitialised memory of shape [1, 1, 1, 1].
    j: conv('finding-valid-input-shorter-than-kernel', 'conv2d', { strides: 2, padding: 'VALID' }, { shape: [1, 1, 1, 1], data: [1] }, { shape: [4, 1, 1, 1], data: [1, 1, 1, 1] }),
    tf: 'shape [1, 0, 1, 1]',
    got: { 'tfjs-cpu': 'rejected', 'tfjs-wasm': 'rejected', 'tfjs-node': NODE_ONEDNN ? 'value' : 'agrees' },
  },
];

function nodeInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

const BACKENDS: Backend[] = ['tfjs-cpu', 'tfjs-wasm', 'tfjs-node'];
const HAVE_NODE = nodeInstalled();
if (!HAVE_NODE) {
  console.warn(
    '\n' +
      '!'.repeat(78) +
      '\n!!  tfjs-node oracle tests SKIPPED: @tensorflow/tfjs-node is not installed.\n' +
      '!!  Run `npx convcheck setup tfjs-node` to test against TensorFlow\'s own kernels.\n' +
      '!'.repeat(78) +
      '\n',
  );
}

for (const name of BACKENDS) {
  const suite = name === 'tfjs-node' && !HAVE_NODE ? describe.skip : describe;
  suite(`${name} oracle`, () => {
    let oracle: IsolatedOracle;
    beforeAll(async () => {
      oracle = new IsolatedOracle(name);
      expect(await oracle.start()).toBeUndefined();
    });
    afterAll(async () => {
      await oracle.close();
    });

    describe('agrees with the reference', () => {
      for (const { j, on } of AGREE) {
        const expectation = on?.[name];
        if (expectation === 'finding') continue; // pinned in the findings block
        it(j.id, async () => {
          const ref = evaluate(tfCase(j));
          const got = await oracle.run(call(j));
          if (expectation === 'unsupported') {
            expect(got.kind, JSON.stringify(got)).toBe('unsupported');
          } else if ('error' in ref) {
            expect(got.kind, JSON.stringify(got)).toBe('rejected');
          } else {
            expect(got.kind, JSON.stringify(got)).toBe('value');
            if (got.kind !== 'value') return;
            expect(got.shape).toEqual(ref.shape);
            expect(vals(got.data)).toEqual(vals(ref.data));
            // Non-trivial outputs: a zero result would agree with a kernel that did nothing.
            expect(vals(got.data).some((v) => v !== 0)).toBe(true);
          }
        });
      }
    });

    describe('declares unsupported', () => {
      for (const { j, dtype, reason } of UNSUPPORTED) {
        it(j.id, async () => {
          const got = await oracle.run(call(j, dtype));
          expect(got.kind, JSON.stringify(got)).toBe('unsupported');
          if (got.kind === 'unsupported') expect(got.reason).toMatch(reason);
        });
      }
    });

    it('a call that traps or yields an empty output leaves later calls right', async () => {
      const after = AGREE[1]!.j;
      const ref = evaluate(tfCase(after));
      for (const f of FINDINGS.filter((x) => x.j.id.includes('empty') || x.j.id.includes('shorter'))) {
        await oracle.run(call(f.j));
        const got = await oracle.run(call(after));
        expect(got.kind === 'value' && !('error' in ref) && vals(got.data)).toEqual(vals((ref as { data: Float64Array }).data));
      }
    });

    describe('tfjs findings (pinned)', () => {
      const pinned: Array<{ j: Json; tf: string; got: Pinned }> = [
        ...FINDINGS.map((f) => ({ j: f.j, tf: f.tf, got: f.got[name] })),
        ...AGREE.filter((s) => s.on?.[name] === 'finding').map((s) => ({ j: s.j, tf: 'the reference value', got: 'differs' as const })),
      ];
      for (const { j, tf: truth, got: want } of pinned) {
        it(`${j.id} (TF: ${truth})`, async () => {
          const ref = evaluate(tfCase(j));
          const got: OracleResult = await oracle.run(call(j));
          if (want === 'agrees') {
            expect(got.kind, JSON.stringify(got)).toBe('value');
            if (got.kind === 'value' && !('error' in ref)) expect({ shape: got.shape, data: vals(got.data) }).toEqual({ shape: ref.shape, data: vals(ref.data) });
          } else if (want === 'rejected') {
            expect(got.kind, JSON.stringify(got)).toBe('rejected');
          } else if (want === 'value') {
            expect(got.kind, JSON.stringify(got)).toBe('value');
            if (got.kind === 'value') expect({ shape: got.shape, data: vals(got.data) }).not.toEqual('error' in ref ? ref : { shape: ref.shape, data: vals(ref.data) });
          } else if (want === 'differs') {
            expect(got.kind).toBe('value');
            if (got.kind === 'value' && !('error' in ref)) expect(vals(got.data)).not.toEqual(vals(ref.data));
          } else {
            expect(got.kind, JSON.stringify(got)).toBe('value');
            if (got.kind === 'value') expect(vals(got.data)).toEqual(want.value);
            if (!('error' in ref)) expect(vals(ref.data)).not.toEqual(want.value);
          }
        });
      }
    });
  });
}

describe('tfjs oracle in-process', () => {
  const ok: Json = conv('leak-ok', 'conv2d', { strides: 1, padding: 'SAME', data_format: 'NCHW' }, t([1, 2, 4, 4], 71), t([2, 2, 2, 1], 72));
  const bad: Json = conv('leak-bad', 'conv2d', { strides: 1, padding: 'SAME' }, t([1, 3, 3, 3], 73), t([2, 2, 2, 1], 74));
  // One engine per process: each create() takes it over, so the backends run one after the other.
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`${backend}: no tensors leak over many calls, rejected ones included`, async () => {
      const b = await create({ backend });
      expect(tf.getBackend()).toBe(backend);
      await b.run(call(ok));
      const before = tf.memory().numTensors;
      for (let i = 0; i < 100; i++) {
        await b.run(call(ok));
        await expect(b.run(call(bad))).rejects.toThrow(/depth of input/);
      }
      expect(tf.memory().numTensors).toBe(before);
    });
  }
  it('the tfjs-node backend fails to load with a clear message when it is not installed', async () => {
    if (HAVE_NODE) return;
    await expect(create({ backend: 'tensorflow' })).rejects.toThrow('@tensorflow/tfjs-node is not installed; run npx convcheck setup tfjs-node');
  });
});

describe('tfjs-cpu: a zero stride that never returns (tfjs-transpose-nonpositive-stride)', () => {
  // Found by the validity property as a 30 s timeout that the output_shape finding used to absorb.
  const hang = parseCase(
    { framework: 'tf', op: 'conv2d_transpose', attrs: { output_shape: [1, 4, 2, 1], strides: [0, 2], padding: 'VALID', data_format: 'NHWC' }, inputs: { input: { shape: [1, 3, 1, 2], data: [1, 2, -2, 1, -1, 2] }, filters: { shape: [2, 1, 1, 2], data: [1, 0, -1, -1] } } },
    'zero-stride-hang',
  );
  let cpu: IsolatedOracle;
  beforeAll(() => {
    cpu = new IsolatedOracle('tfjs-cpu', { timeoutMs: 3000 });
  });
  afterAll(() => cpu.close());
  it('tfjs-cpu: no answer (timeout), a failure the finding claims; TF: Stride must be > 0', async () => {
    expect('error' in evaluate(hang)).toBe(true); // the convention refuses it, as TF does
    const r = await cpu.run(hang);
    expect(r.kind).toBe('failed');
    expect((r as { error: string }).error).toMatch(/no answer within 3000 ms/);
    expect(knownFinding('tfjs-cpu', [hang.json])?.id).toBe('tfjs-transpose-nonpositive-stride');
    // The next call gets a fresh host.
    expect((await cpu.run(call(conv('after-hang', 'conv2d', { strides: 1, padding: 'VALID' }, iota([1, 2, 2, 1]), { shape: [1, 1, 1, 1], data: [2] })))).kind).toBe('value');
  }, 30_000);
});
