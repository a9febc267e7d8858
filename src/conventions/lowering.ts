/**
 * What every convention produces: a call of the canonical op, plus the kernel transform that got
 * there, written down so that translate/diagnose can explain it in words.
 */
import { ConvError } from '../core/errors.js';
import { convInLayout, convInLayoutWithMagnitude, type Layout } from '../core/reference.js';
import type { ConvSpec } from '../core/shapes.js';
import { transpose, type Tensor } from '../core/tensor.js';

export type Framework = 'tf' | 'jax' | 'onnx' | 'torch';

/** A parsed call: native op name, native attrs, tensors by native input name. */
export interface ConvCall {
  readonly framework: Framework;
  readonly op: string;
  readonly attrs: Readonly<Record<string, unknown>>;
  readonly inputs: Readonly<Record<string, Tensor>>;
}

export interface Lowering {
  /** Qualified op name used in errors: `tf.conv2d_transpose`. */
  readonly op: string;
  /** Input, in the framework's layout. */
  readonly lhs: Tensor;
  /** Kernel after the convention's transform, laid out as `layout.rhs` says. */
  readonly rhs: Tensor;
  readonly layout: Layout;
  readonly spec: ConvSpec;
  /** One value per output channel, added after the convolution. */
  readonly bias?: Tensor;
  /** The kernel transform in words, e.g. `flip spatial axes [0]`, `swap in/out`. */
  readonly kernelSteps: readonly string[];
  /** torch accepts unbatched input: the batch axis was added and is removed from the output. */
  readonly unbatched?: boolean;
  /** The output shape the framework promises; checked against what the reference computed. */
  readonly expectShape?: readonly number[];
}

/** Runs a lowering on the reference. */
export function execute(l: Lowering): Tensor {
  return finish(l, convInLayout(l.op, l.lhs, l.rhs, l.spec, l.layout), l.bias);
}

/**
 * Runs a lowering on the reference and also returns Σ|x||w| + |b| per output (the magnitude the
 * error bound scales with), computed in the same pass.
 */
export function executeWithMagnitude(l: Lowering): { value: Tensor; magnitude: Tensor } {
  const r = convInLayoutWithMagnitude(l.op, l.lhs, l.rhs, l.spec, l.layout);
  const absBias = l.bias && { shape: l.bias.shape, data: l.bias.data.map(Math.abs) };
  return { value: finish(l, r.out, l.bias), magnitude: finish(l, r.magnitude, absBias) };
}

/** Checks the shape, adds the bias, drops the batch axis torch added. */
function finish(l: Lowering, out: Tensor, bias: Tensor | undefined): Tensor {
  if (l.expectShape && l.expectShape.join() !== out.shape.join()) {
    // A convention's own shape formula disagreeing with the canonical op is a bug in convcheck.
    throw new Error(`${l.op}: internal: lowered to [${out.shape.join(', ')}], convention says [${l.expectShape.join(', ')}]`);
  }
  if (bias) out = addBias(out, bias, l.layout.out[l.layout.out.length - 1]!);
  if (l.unbatched) out = { shape: out.shape.slice(1), data: out.data };
  return out;
}

/** Adds one value per channel, in place: `t` is the reference's own fresh output. */
function addBias(t: Tensor, bias: Tensor, axis: number): Tensor {
  const data = t.data;
  const inner = t.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const channels = t.shape[axis]!;
  for (let i = 0; i < data.length; i++) data[i]! += bias.data[Math.floor(i / inner) % channels]!;
  return t;
}

/** Axis lists for the two usual layouts of an op of spatial rank r. */
export function channelsLast(r: number): number[] {
  return [0, ...range(1, r + 1), r + 1];
}
export function channelsFirst(r: number): number[] {
  return [0, ...range(2, r + 2), 1];
}
/** Kernel [K..., I, O] (TF's HWIO) and [O, I, K...] (ONNX/torch OIHW). */
export function kernelSpatialFirst(r: number): number[] {
  return range(0, r + 2);
}
export function kernelOIFirst(r: number): number[] {
  return [...range(2, r + 2), 1, 0];
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

/**
 * Regroups a transposed-conv kernel [C_in, C_out/g, K...] (ONNX, torch) into the forward kernel of
 * its lowering, [K..., C_in/g, C_out]: output channel o = group·(C_out/g) + m reads
 * W[group·(C_in/g) + i, m]. With g = 1 this is "swap in/out"; the caller still flips spatially.
 */
export function groupedTransposeKernel(op: string, w: Tensor, groups: number): Tensor {
  const [cin, mg] = [w.shape[0]!, w.shape[1]!];
  const ks = w.shape.slice(2);
  const r = ks.length;
  if (cin % groups !== 0) throw new ConvError(op, 'group', `(${groups}) must divide the input channels (${cin})`);
  // [g, Cin/g, Mg, K...] -> [K..., Cin/g, g, Mg]
  const split = { shape: [groups, cin / groups, mg, ...ks], data: w.data };
  const t = transpose(split, [...range(3, r + 3), 1, 0, 2]);
  return { shape: [...ks, cin / groups, groups * mg], data: t.data };
}

/** Checks the positive size of every input dimension a framework needs. */
export function requireRank(op: string, arg: string, t: Tensor, rank: number): void {
  if (t.shape.length !== rank) {
    throw new ConvError(op, arg, `must have rank ${rank}, got shape [${t.shape.join(', ')}]`);
  }
}
