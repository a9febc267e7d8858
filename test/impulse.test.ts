/**
 * Impulse responses pin every convention before any random testing: a one-hot input shows
 * whether the kernel is flipped, where each padding rule puts it, and which axis is in/out.
 * Expected values are derived by hand from each framework's definition (derivation above each).
 * The kernel [1, 2, 3] (or [1, 2, 3, 4]) is asymmetric so a flip is visible.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, parseCase } from '../src/case/case.js';

type T = { shape: number[]; data: number[] };
const t = (shape: number[], data: number[]): T => ({ shape, data });
const onehot = (n: number, at: number) => Array.from({ length: n }, (_, i) => (i === at ? 1 : 0));

function run(framework: string, op: string, attrs: object, inputs: Record<string, T>) {
  const out = evaluate(parseCase({ framework, op, attrs, inputs }, 'impulse'));
  if ('error' in out) throw new Error(out.error);
  return { shape: out.shape, data: Array.from(out.data) };
}

describe('forward convs correlate (no flip); SAME puts the odd pad at the end', () => {
  // out[j] = Σ_k x[j + k - lo] w[k]; x = δ(2) ⇒ out[j] = w[2 + lo - j].
  it('tf conv1d VALID k=3: [w2, w1, w0]', () => {
    expect(run('tf', 'conv1d', { stride: 1, padding: 'VALID' }, { input: t([1, 5, 1], onehot(5, 2)), filters: t([3, 1, 1], [1, 2, 3]) })).toEqual(
      t([1, 3, 1], [3, 2, 1]),
    );
  });
  it('tf conv1d SAME k=4: lo=1, hi=2', () => {
    // lo = 1 ⇒ out[j] = w[3 - j]
    expect(run('tf', 'conv1d', { stride: 1, padding: 'SAME' }, { input: t([1, 5, 1], onehot(5, 2)), filters: t([4, 1, 1], [1, 2, 3, 4]) }).data).toEqual([
      4, 3, 2, 1, 0,
    ]);
  });
  it('jax SAME_LOWER k=4: lo=2, hi=1', () => {
    // lo = 2 ⇒ out[j] = w[4 - j]
    const r = run(
      'jax',
      'conv_general_dilated',
      { window_strides: [1], padding: 'SAME_LOWER' },
      { lhs: t([1, 1, 5], onehot(5, 2)), rhs: t([1, 1, 4], [1, 2, 3, 4]) },
    );
    expect(r.data).toEqual([0, 4, 3, 2, 1]);
  });
  it('onnx Conv SAME_UPPER vs SAME_LOWER, k=4', () => {
    const ins = { X: t([1, 1, 5], onehot(5, 2)), W: t([1, 1, 4], [1, 2, 3, 4]) };
    expect(run('onnx', 'Conv', { auto_pad: 'SAME_UPPER' }, ins).data).toEqual([4, 3, 2, 1, 0]);
    expect(run('onnx', 'Conv', { auto_pad: 'SAME_LOWER' }, ins).data).toEqual([0, 4, 3, 2, 1]);
  });
  it("torch conv1d padding='same' k=4: total 3, lo=1, hi=2 (as TF)", () => {
    expect(run('torch', 'conv1d', { padding: 'same' }, { input: t([1, 1, 5], onehot(5, 2)), weight: t([1, 1, 4], [1, 2, 3, 4]) }).data).toEqual([
      4, 3, 2, 1, 0,
    ]);
  });
  it('onnx pads layout [x1_begin, x2_begin, x1_end, x2_end]', () => {
    // 2-D: pads begin = (1, 0), end = (0, 2) on a 1×1 input with a 1×1 kernel [5]:
    // out is 2×3 with the input at row 1 (after one begin row), column 0.
    const r = run('onnx', 'Conv', { pads: [1, 0, 0, 2] }, { X: t([1, 1, 1, 1], [1]), W: t([1, 1, 1, 1], [5]) });
    expect(r).toEqual(t([1, 1, 2, 3], [0, 0, 0, 5, 0, 0]));
  });
});

describe('transposed convs scatter the kernel (unflipped) at i·s - lo', () => {
  // Adjoint of out[j] = Σ_k x[j·s + k - lo] w[k]: y[p] = Σ_i x[i] w[p - i·s + lo].
  it('tf conv1d_transpose SAME s=1 k=3: [0, w0, w1, w2, 0]', () => {
    const r = run('tf', 'conv1d_transpose', { output_shape: [1, 5, 1], strides: 1, padding: 'SAME' }, { input: t([1, 5, 1], onehot(5, 2)), filters: t([3, 1, 1], [1, 2, 3]) });
    expect(r.data).toEqual([0, 1, 2, 3, 0]);
  });
  it('tf conv1d_transpose s=2 k=3: output_shape parity decides the crop', () => {
    const f = t([3, 1, 1], [1, 2, 3]);
    // output 4: forward SAME from 4 has total pad 1 ⇒ lo = 0 ⇒ y[p] = Σ x[i] w[p - 2i]
    expect(run('tf', 'conv1d_transpose', { output_shape: [1, 4, 1], strides: 2, padding: 'SAME' }, { input: t([1, 2, 1], [1, 0]), filters: f }).data).toEqual([1, 2, 3, 0]);
    expect(run('tf', 'conv1d_transpose', { output_shape: [1, 4, 1], strides: 2, padding: 'SAME' }, { input: t([1, 2, 1], [0, 1]), filters: f }).data).toEqual([0, 0, 1, 2]);
    // output 3: forward SAME from 3 has total pad 2 ⇒ lo = 1 ⇒ y[p] = Σ x[i] w[p - 2i + 1]
    expect(run('tf', 'conv1d_transpose', { output_shape: [1, 3, 1], strides: 2, padding: 'SAME' }, { input: t([1, 2, 1], [1, 0]), filters: f }).data).toEqual([2, 3, 0]);
    expect(run('tf', 'conv1d_transpose', { output_shape: [1, 3, 1], strides: 2, padding: 'SAME' }, { input: t([1, 2, 1], [0, 1]), filters: f }).data).toEqual([0, 1, 2]);
  });
  it('onnx ConvTranspose SAME_UPPER vs SAME_LOWER, s=2 k=3 in=2', () => {
    // out = in·s = 4; total = s(in-1) + k - out = 1: SAME_UPPER pads (0, 1), SAME_LOWER (1, 0).
    // Spec scatter form: y[i·s + k - pad_begin] += x[i] w[k].
    const ins = { X: t([1, 1, 2], [1, 0]), W: t([1, 1, 3], [1, 2, 3]) };
    expect(run('onnx', 'ConvTranspose', { strides: [2], auto_pad: 'SAME_UPPER' }, ins).data).toEqual([1, 2, 3, 0]);
    expect(run('onnx', 'ConvTranspose', { strides: [2], auto_pad: 'SAME_LOWER' }, ins).data).toEqual([2, 3, 0, 0]);
  });
  it('onnx ConvTranspose output_shape with NOTSET puts the odd pad at the beginning', () => {
    // natural size 2·1 + 3 = 5, output_shape 4 ⇒ total 1 ⇒ NOTSET: (1, 0); SAME_UPPER: (0, 1).
    const ins = { X: t([1, 1, 2], [1, 0]), W: t([1, 1, 3], [1, 2, 3]) };
    expect(run('onnx', 'ConvTranspose', { strides: [2], output_shape: [4] }, ins).data).toEqual([2, 3, 0, 0]);
    expect(run('onnx', 'ConvTranspose', { strides: [2], output_shape: [4], auto_pad: 'SAME_UPPER' }, ins).data).toEqual([1, 2, 3, 0]);
  });
  it('torch conv_transpose1d s=2 p=1 output_padding=1: y[i·s + k - p] += x[i] w[k]', () => {
    // size (2-1)·2 - 2 + 3 + 1 = 4
    const w = t([1, 1, 3], [1, 2, 3]);
    expect(run('torch', 'conv_transpose1d', { stride: 2, padding: 1, output_padding: 1 }, { input: t([1, 1, 2], [1, 0]), weight: w }).data).toEqual([2, 3, 0, 0]);
    expect(run('torch', 'conv_transpose1d', { stride: 2, padding: 1, output_padding: 1 }, { input: t([1, 1, 2], [0, 1]), weight: w }).data).toEqual([0, 1, 2, 3]);
  });
  it('jax conv_transpose flips only with transpose_kernel', () => {
    // SAME, s=1, k=3: _conv_transpose_padding gives (1, 1); a plain correlation of δ(2).
    const ins = { lhs: t([1, 5, 1], onehot(5, 2)), rhs: t([3, 1, 1], [1, 2, 3]) };
    expect(run('jax', 'conv_transpose', { strides: [1], padding: 'SAME' }, ins).data).toEqual([0, 3, 2, 1, 0]);
    expect(run('jax', 'conv_transpose', { strides: [1], padding: 'SAME', transpose_kernel: true }, ins).data).toEqual([0, 1, 2, 3, 0]);
  });
});

describe('channel axes: which kernel axis is in and which is out', () => {
  // A 1-tap kernel and an impulse on input channel 1 of 2: output channel o = W[in=1, out=o].
  it('tf conv1d filters [W, in, out]', () => {
    const r = run('tf', 'conv1d', { stride: 1, padding: 'VALID' }, { input: t([1, 1, 2], [0, 1]), filters: t([1, 2, 3], [1, 2, 3, 4, 5, 6]) });
    expect(r.data).toEqual([4, 5, 6]);
  });
  it('tf conv1d_transpose filters [W, out, in]', () => {
    const r = run('tf', 'conv1d_transpose', { output_shape: [1, 1, 3], strides: 1, padding: 'VALID' }, { input: t([1, 1, 2], [0, 1]), filters: t([1, 3, 2], [1, 2, 3, 4, 5, 6]) });
    expect(r.data).toEqual([2, 4, 6]);
  });
  it('onnx Conv W [M, C, k] and ConvTranspose W [C, M, k]', () => {
    const X = t([1, 2, 1], [0, 1]);
    expect(run('onnx', 'Conv', {}, { X, W: t([3, 2, 1], [1, 2, 3, 4, 5, 6]) }).data).toEqual([2, 4, 6]);
    expect(run('onnx', 'ConvTranspose', {}, { X, W: t([2, 3, 1], [1, 2, 3, 4, 5, 6]) }).data).toEqual([4, 5, 6]);
  });
  it('onnx Conv group=2, 2 outputs per group: input channel 2 feeds outputs 2 and 3 only', () => {
    // W [4, C/g = 2, 1]: output o reads channels g·2 + c; channel 2 is c = 0 of group 1.
    const r = run('onnx', 'Conv', { group: 2 }, { X: t([1, 4, 1], [0, 0, 1, 0]), W: t([4, 2, 1], [1, 2, 3, 4, 5, 6, 7, 8]) });
    expect(r.data).toEqual([0, 0, 5, 7]);
  });
  it('torch conv_transpose1d groups=2: W [C_in, C_out/g, k], input channel 2 feeds outputs 2..3', () => {
    // W [4, 2, 1]: output g·2 + m reads W[c, m] for c in group g; channel 2 is group 1.
    const r = run('torch', 'conv_transpose1d', { groups: 2 }, { input: t([1, 4, 1], [0, 0, 1, 0]), weight: t([4, 2, 1], [1, 2, 3, 4, 5, 6, 7, 8]) });
    expect(r.data).toEqual([0, 0, 5, 6]);
  });
  it('tf depthwise_conv2d: output channel c·M + m', () => {
    // filter [1, 1, C=2, M=2]; impulse on channel 1 ⇒ outputs 2, 3 = filter[.., 1, 0..1].
    const r = run('tf', 'depthwise_conv2d', { strides: [1, 1, 1, 1], padding: 'VALID' }, { input: t([1, 1, 1, 2], [0, 1]), filter: t([1, 1, 2, 2], [1, 2, 3, 4]) });
    expect(r.data).toEqual([0, 0, 3, 4]);
  });
  it('jax batch_group_count=2: output feature group g reads lhs batch slice g', () => {
    // N=2, O=2, bgc=2 ⇒ output batch 1; feature 1 reads lhs batch 1.
    const r = run(
      'jax',
      'conv_general_dilated',
      { window_strides: [1], padding: 'VALID', batch_group_count: 2 },
      { lhs: t([2, 1, 1], [0, 1]), rhs: t([2, 1, 1], [7, 9]) },
    );
    expect(r).toEqual(t([1, 2, 1], [0, 9]));
  });
});
