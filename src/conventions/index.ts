/**
 * The registry of conventions: which ops each framework has, their inputs and attributes, and
 * the lowering of each to the canonical op.
 */
import type { Tensor } from '../core/tensor.js';
import { JAX_OPS, lowerJax } from './jax.js';
import { execute, executeWithMagnitude, type ConvCall, type Framework, type Lowering } from './lowering.js';
import { lowerOnnx, ONNX_OPS } from './onnx.js';
import { lowerTf, TF_OPS } from './tf.js';
import { lowerTorch, TORCH_OPS } from './torch.js';

export interface OpSignature {
  /** Native input names that must be present, in order. */
  readonly inputs: readonly string[];
  readonly optionalInputs: readonly string[];
  readonly attrs: readonly string[];
}

function table(ops: Record<string, { attrs: readonly string[]; inputs: readonly string[]; optional?: readonly string[] }>): Record<string, OpSignature> {
  return Object.fromEntries(
    Object.entries(ops).map(([name, d]) => [name, { inputs: d.inputs, optionalInputs: d.optional ?? [], attrs: d.attrs }]),
  );
}

export const FRAMEWORKS: readonly Framework[] = ['tf', 'jax', 'onnx', 'torch'];

export const SIGNATURES: Readonly<Record<Framework, Readonly<Record<string, OpSignature>>>> = {
  tf: table(TF_OPS),
  jax: table(JAX_OPS),
  onnx: table(ONNX_OPS),
  torch: table(TORCH_OPS),
};

const LOWER: Readonly<Record<Framework, (call: ConvCall) => Lowering>> = {
  tf: lowerTf,
  jax: lowerJax,
  onnx: lowerOnnx,
  torch: lowerTorch,
};

/** Lowers a call to the canonical op. Throws ConvError for calls the framework rejects. */
export function lower(call: ConvCall): Lowering {
  return LOWER[call.framework](call);
}

/** Computes a call on the reference, in float64. */
export function reference(call: ConvCall): Tensor {
  return execute(lower(call));
}

/**
 * Computes a call on the reference, and Σ|x||w| + |b| per output (what the error bound scales
 * with) in the same pass.
 */
export function referenceWithMagnitude(call: ConvCall): { value: Tensor; magnitude: Tensor; lowering: Lowering } {
  const l = lower(call);
  return { ...executeWithMagnitude(l), lowering: l };
}

export type { ConvCall, Framework, Lowering };
