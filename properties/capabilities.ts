/**
 * What an implementation declares it supports. Built-in oracles declare it in
 * oracles/registry.ts; a user's adapter declares it in its module object or in the hello line of
 * the process protocol (docs/protocol.md). Generators draw only inside this space, and a call
 * outside it is counted as "unsupported", never as wrong.
 *
 * Every field is optional: an absent field means "no restriction".
 */
export type Feature =
  /** feature_group_count / groups / group > 1 (depthwise is its own op and is not affected). */
  | 'groups'
  /** Kernel dilation > 1 in any op. */
  | 'dilation'
  /** Kernel dilation > 1 in a transposed op only. */
  | 'dilatedTranspose'
  /** Stride > 1 together with dilation > 1 in the same call. */
  | 'strideWithDilation'
  /** JAX batch_group_count > 1. */
  | 'batchGroups'
  /** JAX lhs_dilation > 1 (an explicitly dilated input). */
  | 'lhsDilation'
  /** output_padding (ONNX, torch) or an output_shape that needs one. */
  | 'outputPadding'
  /** Explicit numeric padding (ONNX pads, torch padding, TF explicit padding lists). */
  | 'explicitPadding'
  /** SAME / 'same' / SAME_UPPER / SAME_LOWER padding. */
  | 'samePadding'
  /** A bias input. */
  | 'bias'
  /** Negative padding (JAX, torch crop; ONNX refuses it anyway). */
  | 'negativePadding';

export type CapDType = 'float32' | 'float64' | 'float16' | 'bfloat16';

export interface Capabilities {
  /** Spatial ranks implemented, e.g. [2] for a conv2d-only kernel. */
  readonly ranks?: readonly number[];
  /** Only batched inputs (torch's unbatched form is not implemented). */
  readonly batchedOnly?: boolean;
  /** Data formats accepted, in the framework's own words: 'NCHW', 'NHWC', 'NWC', ... (JAX: the lhs spec). */
  readonly layouts?: readonly string[];
  /** dtypes computed. */
  readonly dtypes?: readonly CapDType[];
  /** Features the implementation does not have. */
  readonly lacks?: readonly Feature[];
  /** Size limits: largest spatial extent of any input/output axis, channel count, kernel extent, elements per tensor. */
  readonly maxSpatial?: number;
  readonly maxChannels?: number;
  readonly maxKernel?: number;
  readonly maxElements?: number;
}
