/**
 * ONNX Conv and ConvTranspose (opset 22), from the operator spec. Layouts are NCHW / OIHW;
 * ConvTranspose's weight is [C, M/group, K...]. The spec's own formulas decide the output size
 * and, when output_shape is given, the pads (SAME_UPPER puts the odd pad at the end; every other
 * auto_pad value at the beginning).
 */
import { ConvError, show } from '../core/errors.js';
import { dilatedSize, samePadding, transposeOutSize, transposePadding, type PadPair } from '../core/shapes.js';
import { flip } from '../core/tensor.js';
import { Attrs } from './attrs.js';
import { channelsFirst, groupedTransposeKernel, kernelOIFirst, kernelSpatialFirst, range, type ConvCall, type Lowering } from './lowering.js';

const COMMON = ['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides'];
export const ONNX_OPS = {
  Conv: { attrs: COMMON, inputs: ['X', 'W'], optional: ['B'] },
  ConvTranspose: { attrs: [...COMMON, 'output_padding', 'output_shape'], inputs: ['X', 'W'], optional: ['B'] },
} as const;

const AUTO_PADS = ['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'];

export function lowerOnnx(call: ConvCall): Lowering {
  const op = `onnx.${call.op}`;
  const a = new Attrs(op, call.attrs);
  const X = call.inputs['X']!;
  const W = call.inputs['W']!;
  const B = call.inputs['B'];
  if (X.shape.length < 3) throw new ConvError(op, 'X', `must have rank >= 3 [N, C, D1, ...], got [${X.shape.join(', ')}]`);
  if (W.shape.length !== X.shape.length) throw new ConvError(op, 'W', `must have the same rank as X (${X.shape.length}), got [${W.shape.join(', ')}]`);
  const r = X.shape.length - 2;
  const inSp = X.shape.slice(2);
  const kSp = W.shape.slice(2);
  const C = X.shape[1]!;

  const autoPad = a.string('auto_pad', 'NOTSET');
  if (!AUTO_PADS.includes(autoPad)) throw a.reject('auto_pad', `must be one of ${AUTO_PADS.join(', ')}, got ${show(autoPad)}`);
  const group = a.int('group', 1);
  if (group < 1) throw a.reject('group', `must be positive, got ${group}`);
  const strides = perAxis(a, 'strides', r);
  const dilations = perAxis(a, 'dilations', r);
  const kernelShape = a.intList('kernel_shape');
  if (kernelShape && kernelShape.join() !== kSp.join()) {
    throw a.reject('kernel_shape', `${show(kernelShape)} does not match W's spatial shape ${show(kSp)}`);
  }
  const padsAttr = a.intList('pads');
  if (padsAttr) {
    if (padsAttr.length !== 2 * r) throw a.reject('pads', `must have ${2 * r} entries [x1_begin, …, x1_end, …], got ${show(padsAttr)}`);
    if (padsAttr.some((p) => p < 0)) throw a.reject('pads', `must be >= 0, got ${show(padsAttr)}`);
    if (autoPad !== 'NOTSET') throw a.reject('pads', `cannot be used together with auto_pad ${autoPad}`);
  }
  const explicit: PadPair[] = range(0, r).map((i) => (padsAttr ? [padsAttr[i]!, padsAttr[i + r]!] : [0, 0]));
  const effK = kSp.map((k, i) => dilatedSize(k, dilations[i]!));
  const transposed = call.op === 'ConvTranspose';
  const M = transposed ? W.shape[1]! * group : W.shape[0]!;
  if (B && (B.shape.length !== 1 || B.shape[0] !== M)) throw new ConvError(op, 'B', `must have shape [${M}], got [${B.shape.join(', ')}]`);

  if (!transposed) {
    if (C !== W.shape[1]! * group) {
      throw new ConvError(op, 'W', `channels (${W.shape[1]}) × group (${group}) must equal X's channels (${C})`);
    }
    if (M % group !== 0) throw new ConvError(op, 'W', `output channels (${M}) must be divisible by group (${group})`);
    const pads = inSp.map((l, i): PadPair => {
      if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return samePadding(l, effK[i]!, strides[i]!, autoPad === 'SAME_LOWER');
      return autoPad === 'VALID' ? [0, 0] : explicit[i]!;
    });
    pads.forEach((p, i) => {
      if (inSp[i]! + p[0] + p[1] < effK[i]!) {
        throw new ConvError(op, 'X', `spatial axis ${i} padded to ${inSp[i]! + p[0] + p[1]} is smaller than the dilated kernel (${effK[i]}): non-positive output size`);
      }
    });
    return {
      op,
      lhs: X,
      rhs: W,
      layout: { lhs: channelsFirst(r), rhs: kernelOIFirst(r), out: channelsFirst(r) },
      spec: { windowStrides: strides, padding: pads, lhsDilation: ones(r), rhsDilation: dilations, featureGroupCount: group, batchGroupCount: 1 },
      ...(B ? { bias: B } : {}),
      kernelSteps: [],
    };
  }

  if (W.shape[0] !== C) throw new ConvError(op, 'W', `first axis (${W.shape[0]}) must equal X's channels (${C})`);
  if (C % group !== 0) throw new ConvError(op, 'group', `(${group}) must divide X's channels (${C})`);
  const outputPadding = a.intList('output_padding') ?? new Array<number>(r).fill(0);
  if (outputPadding.length !== r) throw a.reject('output_padding', `must have ${r} entries, got ${show(outputPadding)}`);
  outputPadding.forEach((p, i) => {
    if (p < 0 || (p >= strides[i]! && p >= dilations[i]!)) {
      throw a.reject('output_padding', `(${p}) must be non-negative and less than stride (${strides[i]}) or dilation (${dilations[i]}) on axis ${i}`);
    }
  });
  const outShapeAttr = a.intList('output_shape');
  if (outShapeAttr && outShapeAttr.length !== r) {
    throw a.reject('output_shape', `must list the ${r} spatial sizes (no batch or channels), got ${show(outShapeAttr)}`);
  }
  const forward = inSp.map((l, i): PadPair => {
    const natural = transposeOutSize(l, effK[i]!, strides[i]!, [0, 0], outputPadding[i]!);
    const sameTarget = autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER' ? l * strides[i]! : undefined;
    const target = outShapeAttr?.[i] ?? sameTarget;
    if (target === undefined) return autoPad === 'VALID' ? [0, 0] : explicit[i]!;
    // total = s·(in-1) + output_padding + k_eff - output; the spec's split, in floor division.
    const total = natural - target;
    const half = Math.floor(total / 2);
    return autoPad === 'SAME_UPPER' ? [half, total - half] : [total - half, half];
  });
  const outSp = inSp.map((l, i) => transposeOutSize(l, effK[i]!, strides[i]!, forward[i]!, outputPadding[i]!));
  outSp.forEach((o, i) => {
    if (o < 1) throw new ConvError(op, 'pads', `give a non-positive output size (${o}) on spatial axis ${i}`);
  });
  return {
    op,
    lhs: X,
    rhs: flip(groupedTransposeKernel(op, W, group), range(0, r)),
    layout: { lhs: channelsFirst(r), rhs: kernelSpatialFirst(r), out: channelsFirst(r) },
    spec: {
      windowStrides: ones(r),
      padding: inSp.map((l, i) => transposePadding(l, outSp[i]!, effK[i]!, strides[i]!, forward[i]![0])),
      lhsDilation: strides,
      rhsDilation: dilations,
      featureGroupCount: group,
      batchGroupCount: 1,
    },
    ...(B ? { bias: B } : {}),
    kernelSteps: ['regroup [C, M/g, K...] -> [K..., C/g, M] (in/out swap per group)', `flip spatial axes [${range(0, r).join(', ')}]`],
    expectShape: [X.shape[0]!, M, ...outSp],
  };
}

function ones(r: number): number[] {
  return new Array<number>(r).fill(1);
}

function perAxis(a: Attrs, name: string, r: number): number[] {
  const v = a.intList(name);
  if (v === undefined) return ones(r);
  if (v.length !== r) throw a.reject(name, `must have ${r} entries, got ${show(v)}`);
  if (v.some((x) => x < 1)) throw a.reject(name, `must be positive, got ${show(v)}`);
  return v;
}

