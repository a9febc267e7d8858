/**
 * Forward conv → its adjoint in the same convention. Given a forward call x ↦ y and a tensor y
 * of y's shape, builds the transposed call y ↦ x' whose output has x's shape, with the same
 * kernel tensor. Used by adjointness and the shape law. Returns undefined where the convention
 * has no transposed op for the call (tf depthwise, grouped jax, torch with uneven 'same' pads).
 *
 * The forward conv may leave `rem = (L + lo + hi − k_eff) mod s` trailing input elements unread;
 * the adjoint must give them zeros, which each convention says its own way (output_padding,
 * output_shape, a smaller high pad).
 */
import type { CaseJson, TensorJson } from '../src/case/case.js';
import { parseCase } from '../src/case/case.js';
import { lower } from '../src/conventions/index.js';

const TRANSPOSE_OF: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  tf: { conv1d: 'conv1d_transpose', conv2d: 'conv2d_transpose', conv3d: 'conv3d_transpose' },
  onnx: { Conv: 'ConvTranspose' },
  torch: { conv1d: 'conv_transpose1d', conv2d: 'conv_transpose2d', conv3d: 'conv_transpose3d' },
  jax: { conv_general_dilated: 'conv_transpose' },
};

export function transposeOpOf(framework: string, op: string): string | undefined {
  return TRANSPOSE_OF[framework]?.[op];
}

const X_NAME: Readonly<Record<string, string>> = { tf: 'input', jax: 'lhs', onnx: 'X', torch: 'input' };
const W_NAME: Readonly<Record<string, string>> = { tf: 'filters', jax: 'rhs', onnx: 'W', torch: 'weight' };

export const inputName = (framework: string): string => X_NAME[framework]!;
export const kernelName = (framework: string, op: string): string => (op === 'depthwise_conv2d' ? 'filter' : W_NAME[framework]!);

/** The case without its bias input: bias makes a conv affine, not linear. */
export function withoutBias(c: CaseJson): CaseJson {
  const inputs = { ...c.inputs };
  delete inputs['B'];
  delete inputs['bias'];
  return { ...c, inputs };
}

export interface Pair {
  readonly forward: CaseJson;
  /** Same kernel, input y of the forward output's shape. */
  readonly transpose: CaseJson;
}

/** `yOf(shape)` supplies the data of y once the forward output shape is known. */
export function adjointPair(fwd: CaseJson, yOf: (shape: number[]) => TensorJson): Pair | undefined {
  const tOp = transposeOpOf(fwd.framework, fwd.op);
  if (!tOp) return undefined;
  const forward = withoutBias(fwd);
  const l = lower(parseCase(forward, 'pair'));
  const s = l.spec;
  const r = s.padding.length;
  if (s.batchGroupCount !== 1 || s.lhsDilation.some((d) => d !== 1)) return undefined;
  const x = forward.inputs[inputName(fwd.framework)]!;
  const lhsAxes = l.layout.lhs;
  const inSp = lhsAxes.slice(1, r + 1).map((ax) => l.lhs.shape[ax]!);
  const kSp = l.layout.rhs.slice(0, r).map((ax) => l.rhs.shape[ax]!);
  const effK = kSp.map((k, i) => (k - 1) * s.rhsDilation[i]! + 1);
  const outSp = inSp.map((L, i) => Math.floor((L + s.padding[i]![0] + s.padding[i]![1] - effK[i]!) / s.windowStrides[i]!) + 1);
  const rem = inSp.map((L, i) => (L + s.padding[i]![0] + s.padding[i]![1] - effK[i]!) % s.windowStrides[i]!);
  // Forward output shape in the native output layout.
  const outC = l.rhs.shape[l.layout.rhs[r + 1]!]!;
  const yShape = new Array<number>(x.shape.length);
  const outAxes = l.layout.out;
  const batched = x.shape.length === r + 2;
  const fullY: number[] = [];
  fullY[outAxes[0]!] = batched ? l.lhs.shape[lhsAxes[0]!]! : 1;
  outSp.forEach((o, i) => (fullY[outAxes[i + 1]!] = o));
  fullY[outAxes[r + 1]!] = outC;
  (batched ? fullY : fullY.slice(1)).forEach((d, i) => (yShape[i] = d));
  const y = yOf(yShape);
  const kernel = forward.inputs[kernelName(fwd.framework, fwd.op)]!;
  const a = forward.attrs ?? {};
  let attrs: Record<string, unknown>;
  let inputs: CaseJson['inputs'];
  switch (fwd.framework) {
    case 'tf':
      // TF's transposed convs have no groups.
      if (s.featureGroupCount !== 1) return undefined;
      attrs = { output_shape: x.shape, strides: a['stride'] ?? a['strides'], padding: a['padding'], data_format: a['data_format'] ?? null, dilations: a['dilations'] ?? null };
      inputs = { input: y, filters: kernel };
      break;
    case 'onnx': {
      const pads = [...s.padding.map((p) => p[0]), ...s.padding.map((p) => p[1])];
      attrs = { strides: s.windowStrides, dilations: s.rhsDilation, group: s.featureGroupCount, pads };
      if (rem.some((v) => v > 0)) attrs['output_padding'] = rem;
      inputs = { X: y, W: kernel };
      break;
    }
    case 'torch': {
      if (s.padding.some(([lo, hi]) => lo !== hi)) return undefined;
      attrs = { stride: s.windowStrides, padding: s.padding.map((p) => p[0]), output_padding: rem, groups: s.featureGroupCount, dilation: s.rhsDilation };
      inputs = { input: y, weight: kernel };
      break;
    }
    case 'jax': {
      if (s.featureGroupCount !== 1) return undefined;
      const sp = 'HWD'.slice(0, r);
      // y is laid out as the forward output, and x' as the forward input.
      const [lhsSpec, rhsSpec, outSpec] = (a['dimension_numbers'] as string[] | null | undefined) ?? [`NC${sp}`, `OI${sp}`, `NC${sp}`];
      attrs = {
        strides: s.windowStrides,
        // Forward pads with use_consistent_padding; the unread tail shrinks the high pad.
        padding: s.padding.map(([lo, hi], i) => [lo, hi - rem[i]!]),
        rhs_dilation: s.rhsDilation,
        dimension_numbers: [outSpec, rhsSpec, lhsSpec],
        transpose_kernel: true,
        use_consistent_padding: true,
      };
      inputs = { lhs: y, rhs: kernel };
      break;
    }
    default:
      return undefined;
  }
  // null attrs mean "not given": drop them so each convention applies its default.
  attrs = Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== null && v !== undefined));
  return { forward, transpose: { framework: fwd.framework, op: tOp, attrs, inputs, ...(fwd.dtype ? { dtype: fwd.dtype } : {}) } };
}
