/**
 * Hand-built cases for the Python bridge: each op with every attribute form the case format
 * allows (ints and lists, string and explicit padding, groups, dilations, output_padding,
 * unbatched torch, JAX dimension numbers, lhs dilation, batch groups, negative padding, ...).
 * Data are small integers, so every dtype computes them exactly; expectations come from the
 * reference, never from the framework.
 */
import type { CaseJson } from '../../src/case/case.js';

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
/** Deterministic, non-uniform small integers in [-3, 3]. */
export function ints(shape: number[], seed: number): { shape: number[]; data: number[] } {
  let x = seed * 7919 + 17;
  const data = Array.from({ length: size(shape) }, () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return (Math.floor(x / 65536) % 7) - 3;
  });
  return { shape, data };
}

type Inputs = Record<string, number[]>;
function mk(framework: CaseJson['framework'], id: string, op: string, attrs: Record<string, unknown>, shapes: Inputs): CaseJson {
  return { id, framework, op, attrs, inputs: Object.fromEntries(Object.entries(shapes).map(([k, s], i) => [k, ints(s, id.length * 31 + i)])) };
}

export const TORCH_CASES: CaseJson[] = [
  mk('torch', 'conv1d-groups-bias', 'conv1d', { stride: 2, padding: 1, dilation: 2, groups: 2 }, { input: [2, 4, 7], weight: [6, 2, 3], bias: [6] }),
  mk('torch', 'conv1d-unbatched-same-even-k', 'conv1d', { padding: 'same' }, { input: [2, 6], weight: [3, 2, 4] }),
  mk('torch', 'conv2d-valid-lists', 'conv2d', { stride: [2, 1], padding: 'valid', dilation: [1, 2] }, { input: [1, 2, 6, 7], weight: [3, 2, 2, 3] }),
  mk('torch', 'conv2d-pad-pair', 'conv2d', { padding: [1, 2] }, { input: [2, 1, 3, 4], weight: [2, 1, 2, 2] }),
  mk('torch', 'conv3d-groups', 'conv3d', { stride: [1, 2, 1], padding: 1, groups: 2 }, { input: [1, 2, 4, 5, 3], weight: [2, 1, 2, 2, 2], bias: [2] }),
  mk('torch', 'convt1d-output-padding', 'conv_transpose1d', { stride: 3, padding: 1, output_padding: 2, groups: 2 }, { input: [1, 4, 5], weight: [4, 3, 2], bias: [6] }),
  mk('torch', 'convt2d-unbatched', 'conv_transpose2d', { stride: 2, padding: [1, 0], output_padding: [1, 0], dilation: [1, 2] }, { input: [2, 3, 4], weight: [2, 3, 3, 3] }),
  mk('torch', 'convt3d', 'conv_transpose3d', { stride: [2, 1, 2], output_padding: [1, 0, 0] }, { input: [1, 2, 3, 2, 3], weight: [2, 2, 2, 2, 2] }),
  mk('torch', 'convt2d-output-padding-below-dilation', 'conv_transpose2d', { stride: 1, dilation: 2, output_padding: 1 }, { input: [1, 1, 3, 3], weight: [1, 1, 2, 2] }),
  // rejected by torch and by the reference alike
  mk('torch', 'conv2d-channel-mismatch', 'conv2d', {}, { input: [1, 3, 4, 4], weight: [2, 2, 2, 2] }),
  mk('torch', 'conv1d-same-strided', 'conv1d', { stride: 2, padding: 'same' }, { input: [1, 1, 5], weight: [1, 1, 3] }),
];

export const JAX_CASES: CaseJson[] = [
  mk('jax', 'cgd-nchw-same-groups', 'conv_general_dilated', { window_strides: [2, 1], padding: 'SAME', rhs_dilation: [1, 2], feature_group_count: 2 }, { lhs: [1, 4, 5, 6], rhs: [4, 2, 2, 3] }),
  mk('jax', 'cgd-nhwc-negative-pad-lhs-dilation', 'conv_general_dilated', { window_strides: [1, 1], padding: [[1, -1], [0, 2]], lhs_dilation: [2, 1], dimension_numbers: ['NHWC', 'HWIO', 'NHWC'] }, { lhs: [2, 3, 4, 2], rhs: [2, 2, 2, 3] }),
  mk('jax', 'cgd-batch-groups', 'conv_general_dilated', { window_strides: [1], padding: 'VALID', batch_group_count: 2 }, { lhs: [4, 2, 5], rhs: [4, 2, 2] }),
  mk('jax', 'cgd-same-lower-precision', 'conv_general_dilated', { window_strides: [2], padding: 'SAME_LOWER', precision: 'highest', preferred_element_type: 'float64' }, { lhs: [1, 1, 6], rhs: [2, 1, 4] }),
  mk('jax', 'cgd-3d-odd-dn', 'conv_general_dilated', { window_strides: [1, 2, 1], padding: [[0, 1], [1, 0], [0, 0]], dimension_numbers: ['NDHWC', 'OIDHW', 'NCDHW'] }, { lhs: [1, 3, 4, 3, 2], rhs: [2, 2, 2, 2, 2] }),
  mk('jax', 'ct-same', 'conv_transpose', { strides: [2], padding: 'SAME' }, { lhs: [1, 4, 2], rhs: [3, 2, 3] }),
  mk('jax', 'ct-transpose-kernel-valid', 'conv_transpose', { strides: [2, 1], padding: 'VALID', transpose_kernel: true, rhs_dilation: [1, 2] }, { lhs: [1, 3, 3, 2], rhs: [2, 2, 3, 2] }),
  mk('jax', 'ct-explicit', 'conv_transpose', { strides: [3], padding: [[1, 2]], dimension_numbers: ['NCH', 'OIH', 'NCH'] }, { lhs: [1, 2, 4], rhs: [1, 2, 3] }),
  mk('jax', 'ct-consistent', 'conv_transpose', { strides: [2], padding: [[0, 1]], use_consistent_padding: true }, { lhs: [1, 3, 1], rhs: [3, 1, 2] }),
  mk('jax', 'ct-3d', 'conv_transpose', { strides: [1, 2, 2], padding: 'SAME' }, { lhs: [1, 2, 2, 3, 1], rhs: [2, 2, 2, 1, 2] }),
  mk('jax', 'cgd-groups-mismatch', 'conv_general_dilated', { window_strides: [1], padding: 'VALID', feature_group_count: 2 }, { lhs: [1, 3, 5], rhs: [2, 1, 2] }),
];

/** Channels-last only: TF's CPU kernels have no channels-first convolutions (the bridge says unsupported). */
export const TF_CASES: CaseJson[] = [
  mk('tf', 'conv1d-same-stride', 'conv1d', { stride: 2, padding: 'SAME' }, { input: [1, 7, 2], filters: [3, 2, 3] }),
  mk('tf', 'conv1d-dilated', 'conv1d', { stride: 1, padding: 'VALID', dilations: 2, data_format: 'NWC' }, { input: [2, 6, 1], filters: [2, 1, 2] }),
  mk('tf', 'conv2d-explicit-groups', 'conv2d', { strides: [1, 2], padding: [[0, 0], [1, 2], [0, 1], [0, 0]] }, { input: [1, 4, 5, 4], filters: [2, 2, 2, 6] }),
  mk('tf', 'conv2d-valid-dilated', 'conv2d', { strides: 1, padding: 'VALID', dilations: [2, 1] }, { input: [1, 5, 4, 2], filters: [2, 2, 2, 2] }),
  mk('tf', 'conv3d-same', 'conv3d', { strides: [1, 1, 1, 1, 1], padding: 'SAME' }, { input: [1, 3, 4, 2, 2], filters: [2, 3, 2, 2, 3] }),
  mk('tf', 'conv1d-transpose-seed', 'conv1d_transpose', { output_shape: [1, 5, 2], strides: 1, padding: 'SAME' }, { input: [1, 5, 2], filters: [3, 2, 2] }),
  mk('tf', 'conv2d-transpose-same-s2', 'conv2d_transpose', { output_shape: [2, 7, 6, 2], strides: 2, padding: 'SAME' }, { input: [2, 4, 3, 3], filters: [3, 4, 2, 3] }),
  mk('tf', 'conv2d-transpose-explicit', 'conv2d_transpose', { output_shape: [1, 5, 5, 2], strides: [1, 2], padding: [[0, 0], [1, 1], [0, 1], [0, 0]] }, { input: [1, 5, 3, 2], filters: [3, 2, 2, 2] }),
  mk('tf', 'conv3d-transpose-valid', 'conv3d_transpose', { output_shape: [1, 3, 5, 3, 2], strides: [1, 2, 1], padding: 'VALID' }, { input: [1, 2, 2, 2, 2], filters: [2, 2, 2, 2, 2] }),
  mk('tf', 'depthwise-mult', 'depthwise_conv2d', { strides: [1, 1, 1, 1], padding: 'VALID', dilations: [2, 1] }, { input: [1, 5, 4, 2], filter: [2, 2, 2, 2] }),
  mk('tf', 'depthwise-same-stride', 'depthwise_conv2d', { strides: [1, 2, 2, 1], padding: 'SAME' }, { input: [1, 5, 5, 3], filter: [3, 3, 3, 1] }),
  mk('tf', 'conv2d-depth-mismatch', 'conv2d', { strides: 1, padding: 'VALID' }, { input: [1, 3, 3, 3], filters: [2, 2, 2, 2] }),
];
