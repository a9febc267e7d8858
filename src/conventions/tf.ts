/**
 * TensorFlow (`tf.nn`) conventions. Layouts come from data_format; filters are [K..., in, out]
 * for forward ops and [K..., out, in] for transposes; SAME puts the odd padding element at the
 * end. A TF transposed conv is the input-gradient of the forward conv that maps output_shape to
 * the input's shape: that forward conv fixes the padding, and output_shape decides what the
 * forward conv never read (so which side is cropped).
 */
import { ConvError, show } from '../core/errors.js';
import { samePadding, transposePadding, dilatedSize, type PadPair } from '../core/shapes.js';
import { flip, swapAxes, reshape, type Tensor } from '../core/tensor.js';
import { Attrs } from './attrs.js';
import { channelsFirst, channelsLast, kernelSpatialFirst, range, requireRank, type ConvCall, type Lowering } from './lowering.js';

type Kind = 'conv' | 'transpose' | 'depthwise';
interface TfOp {
  readonly rank: number;
  readonly kind: Kind;
  readonly attrs: readonly string[];
  readonly inputs: readonly string[];
  /** Whether padding may be an explicit list (TF only wires explicit_paddings into some ops). */
  readonly explicitPadding: boolean;
  /** Strides/dilations must be a full-length list (raw ops with no _get_sequence in front). */
  readonly fullLists: boolean;
}

const CONV_ATTRS = ['strides', 'padding', 'data_format', 'dilations'];
const TRANSPOSE_ATTRS = ['output_shape', 'strides', 'padding', 'data_format', 'dilations'];

export const TF_OPS: Readonly<Record<string, TfOp>> = {
  conv1d: { rank: 1, kind: 'conv', attrs: ['stride', 'padding', 'data_format', 'dilations'], inputs: ['input', 'filters'], explicitPadding: false, fullLists: false },
  conv2d: { rank: 2, kind: 'conv', attrs: CONV_ATTRS, inputs: ['input', 'filters'], explicitPadding: true, fullLists: false },
  conv3d: { rank: 3, kind: 'conv', attrs: CONV_ATTRS, inputs: ['input', 'filters'], explicitPadding: false, fullLists: true },
  conv1d_transpose: { rank: 1, kind: 'transpose', attrs: TRANSPOSE_ATTRS, inputs: ['input', 'filters'], explicitPadding: false, fullLists: false },
  conv2d_transpose: { rank: 2, kind: 'transpose', attrs: TRANSPOSE_ATTRS, inputs: ['input', 'filters'], explicitPadding: true, fullLists: false },
  conv3d_transpose: { rank: 3, kind: 'transpose', attrs: TRANSPOSE_ATTRS, inputs: ['input', 'filters'], explicitPadding: false, fullLists: false },
  depthwise_conv2d: { rank: 2, kind: 'depthwise', attrs: CONV_ATTRS, inputs: ['input', 'filter'], explicitPadding: true, fullLists: true },
};

const DATA_FORMATS: Readonly<Record<number, readonly [string, string]>> = {
  1: ['NWC', 'NCW'],
  2: ['NHWC', 'NCHW'],
  3: ['NDHWC', 'NCDHW'],
};

export function lowerTf(call: ConvCall): Lowering {
  const def = TF_OPS[call.op]!;
  const op = `tf.${call.op}`;
  const a = new Attrs(op, call.attrs);
  const r = def.rank;
  const formats = DATA_FORMATS[r]!;
  // NB: tf.nn.conv1d also takes the 2-D names (it runs as a conv2d over a unit H axis).
  const format = conv1dAlias(call.op, a.string('data_format', formats[0]));
  if (!formats.includes(format)) throw a.reject('data_format', `must be one of ${formats.join(', ')}, got ${show(format)}`);
  const cFirst = format === formats[1];
  const lhsAxes = cFirst ? channelsFirst(r) : channelsLast(r);

  const input = call.inputs['input']!;
  const filters = call.inputs[def.kind === 'depthwise' ? 'filter' : 'filters']!;
  requireRank(op, 'input', input, r + 2);
  requireRank(op, def.kind === 'depthwise' ? 'filter' : 'filters', filters, def.kind === 'depthwise' ? 4 : r + 2);

  const strideName = call.op === 'conv1d' ? 'stride' : 'strides';
  const seq = r === 1 ? oneDimSeq : spatialOf;
  const strides = seq(op, strideName, a.intOrList(strideName), r, cFirst, def.fullLists);
  const dilations =
    def.kind === 'depthwise' ? depthwiseRate(op, a.intOrList('dilations')) : seq(op, 'dilations', a.intOrList('dilations'), r, cFirst, def.fullLists);
  const padding = a.paddingSpec('padding', def.kind === 'transpose' ? 'SAME' : undefined);
  const inSpatial = lhsAxes.slice(1, r + 1).map((ax) => input.shape[ax]!);
  const kSpatial = filters.shape.slice(0, r);
  const effK = kSpatial.map((k, i) => dilatedSize(k, dilations[i]!));
  const explicit = explicitPads(op, padding, r, lhsAxes, def.explicitPadding);
  const layout = { lhs: lhsAxes, rhs: kernelSpatialFirst(r), out: lhsAxes };
  const inC = input.shape[lhsAxes[r + 1]!]!;

  if (def.kind === 'transpose') {
    const outShape = a.intList('output_shape');
    if (outShape === undefined) throw a.required('output_shape');
    if (outShape.length !== r + 2) throw a.reject('output_shape', `must have ${r + 2} entries, got ${show(outShape)}`);
    if (outShape.some((d) => d < 0)) throw a.reject('output_shape', `must be non-negative, got ${show(outShape)}`);
    const outSpatial = lhsAxes.slice(1, r + 1).map((ax) => outShape[ax]!);
    const [outN, outC] = [outShape[lhsAxes[0]!]!, outShape[lhsAxes[r + 1]!]!];
    const [fOut, fIn] = [filters.shape[r]!, filters.shape[r + 1]!];
    if (outN !== input.shape[lhsAxes[0]!]) throw a.reject('output_shape', `batch (${outN}) must equal the input batch (${input.shape[lhsAxes[0]!]})`);
    if (fIn !== inC) throw new ConvError(op, 'filters', `in_channels (last axis, ${fIn}) must equal the input's channels (${inC})`);
    if (fOut !== outC) throw new ConvError(op, 'filters', `output channels (axis ${r}, ${fOut}) must equal output_shape's channels (${outC})`);
    const forward = outSpatial.map((o, i) => forwardPads(op, padding, explicit, i, o, effK[i]!, strides[i]!));
    const pads = outSpatial.map((o, i): PadPair => {
      const reached = forwardOutSize(op, o + forward[i]![0] + forward[i]![1], effK[i]!, strides[i]!);
      if (reached !== inSpatial[i]) {
        throw a.reject(
          'output_shape',
          `${show(outShape)} is inconsistent with the input: a forward conv of spatial size ${o} gives ${reached}, the input has ${inSpatial[i]} (axis ${i})`,
        );
      }
      return transposePadding(inSpatial[i]!, o, effK[i]!, strides[i]!, forward[i]![0]);
    });
    // The adjoint's kernel: the same taps, mirrored, with in/out exchanged.
    const rhs = swapAxes(flip(filters, range(0, r)), r, r + 1);
    return {
      op,
      lhs: input,
      rhs,
      layout,
      spec: { windowStrides: ones(r), padding: pads, lhsDilation: strides, rhsDilation: dilations, featureGroupCount: 1, batchGroupCount: 1 },
      kernelSteps: [`flip spatial axes [${range(0, r).join(', ')}]`, `swap axes ${r} and ${r + 1} (out, in) -> (in, out)`],
      expectShape: outShape,
    };
  }

  if (def.kind === 'depthwise' && dilations.some((x) => x > 1) && strides.some((x) => x > 1)) {
    // NB: TF documents this rule but only warns, then returns a result that is not a strided
    // dilated convolution (see docs/findings.md). convcheck holds to the documented rule.
    throw new ConvError(op, 'dilations', `${show(dilations)} > 1 requires all strides to be 1, got strides ${show(strides)}`);
  }
  let rhs: Tensor = filters;
  let groups: number;
  const steps: string[] = [];
  if (def.kind === 'depthwise') {
    const [fC, mult] = [filters.shape[2]!, filters.shape[3]!];
    if (fC !== inC) throw new ConvError(op, 'filter', `in_channels (${fC}) must equal the input's channels (${inC})`);
    // Output channel c·multiplier + m reads input channel c alone: a grouped conv with C groups.
    rhs = reshape(filters, [...kSpatial, 1, fC * mult]);
    groups = inC;
    steps.push(`reshape [H, W, C, M] -> [H, W, 1, C*M] with feature_group_count = C`);
  } else {
    const fIn = filters.shape[r]!;
    const fOut = filters.shape[r + 1]!;
    if (fIn === 0 || inC % fIn !== 0) throw new ConvError(op, 'input', `depth (${inC}) must be a multiple of the filters' input depth (${fIn})`);
    groups = inC / fIn;
    // NB: Conv3D has no grouped form; Conv2D (and so conv1d) accepts input depth = k × filter depth.
    if (def.rank === 3 && groups !== 1) throw new ConvError(op, 'filters', `input and filter must have the same depth: ${inC} vs ${fIn}`);
    if (fOut % groups !== 0) throw new ConvError(op, 'filters', `output depth (${fOut}) must be a multiple of the number of groups (${groups})`);
  }
  const pads = inSpatial.map((l, i) => forwardPads(op, padding, explicit, i, l, effK[i]!, strides[i]!));
  pads.forEach((p, i) => forwardOutSize(op, inSpatial[i]! + p[0] + p[1], effK[i]!, strides[i]!));
  return {
    op,
    lhs: input,
    rhs,
    layout,
    spec: { windowStrides: strides, padding: pads, lhsDilation: ones(r), rhsDilation: dilations, featureGroupCount: groups, batchGroupCount: 1 },
    kernelSteps: steps,
  };
}

function ones(r: number): number[] {
  return new Array<number>(r).fill(1);
}

/**
 * TF's `_get_sequence`: an int or a list of 1, r or r+2 entries (in data_format order, batch and
 * channel entries 1). Ops without it in front (`fullLists`) take only the r+2 form.
 */
function spatialOf(op: string, name: string, v: number[] | undefined, r: number, cFirst: boolean, fullLists: boolean): number[] {
  let full: number[];
  if (v === undefined) full = new Array<number>(r + 2).fill(1);
  else if (v.length === r + 2) full = v;
  else if (!fullLists && (v.length === 1 || v.length === r)) {
    const sp = v.length === 1 ? new Array<number>(r).fill(v[0]!) : v;
    full = cFirst ? [1, 1, ...sp] : [1, ...sp, 1];
  } else {
    throw new ConvError(op, name, fullLists ? `must be a list of ${r + 2} integers, got ${show(v)}` : `should be of length 1, ${r} or ${r + 2}, got ${show(v)}`);
  }
  const [nAx, cAx] = cFirst ? [0, 1] : [0, r + 1];
  if (full[nAx] !== 1 || full[cAx] !== 1) {
    throw new ConvError(op, name, `in the batch and depth dimensions must be 1, got ${show(v)}`);
  }
  const sp = full.filter((_, i) => i !== nAx && i !== cAx);
  if (sp.some((x) => x < 1)) throw new ConvError(op, name, `must be positive, got ${show(v)}`);
  return sp;
}

function conv1dAlias(op: string, format: string): string {
  if (op !== 'conv1d') return format;
  return format === 'NHWC' ? 'NWC' : format === 'NCHW' ? 'NCW' : format;
}

/**
 * conv1d and conv1d_transpose run as 2-D ops over a unit H axis: the Python layer builds
 * `[1] + _get_sequence(v, 1, channel_index)` and reads it in NHWC or NCHW order. So a full
 * 3-entry list [a, b, c] means N=1, then (NWC) H=a, W=b, C=c or (NCW) C=a, H=b, W=c. The H
 * entry strides or dilates an axis of size 1 and changes nothing; only N and C must be 1.
 */
function oneDimSeq(op: string, name: string, v: number[] | undefined, _r: number, cFirst: boolean): number[] {
  if (v === undefined) return [1];
  let full: number[]; // 2-D order: NHWC [N, H, W, C] or NCHW [N, C, H, W]
  if (v.length === 1) full = cFirst ? [1, 1, 1, v[0]!] : [1, 1, v[0]!, 1];
  else if (v.length === 3) full = [1, ...v];
  else throw new ConvError(op, name, `should be of length 1 or 3, got ${show(v)}`);
  const [c, h, w] = cFirst ? [full[1]!, full[2]!, full[3]!] : [full[3]!, full[1]!, full[2]!];
  if (c !== 1) throw new ConvError(op, name, `in the batch and depth dimensions must be 1, got ${show(v)}`);
  if (h < 1 || w < 1) throw new ConvError(op, name, `must be positive, got ${show(v)}`);
  return [w];
}

/** depthwise_conv2d takes `dilations` (rate) as two spatial entries. */
function depthwiseRate(op: string, v: number[] | undefined): number[] {
  if (v === undefined) return [1, 1];
  if (v.length !== 2) throw new ConvError(op, 'dilations', `must have 2 entries (rate), got ${show(v)}`);
  if (v.some((x) => x < 1)) throw new ConvError(op, 'dilations', `must be positive, got ${show(v)}`);
  return v;
}

/** Explicit [[lo, hi] per data_format axis] → spatial pairs; batch/depth must be zero. */
function explicitPads(op: string, padding: string | Array<[number, number]>, r: number, lhsAxes: number[], allowed: boolean): PadPair[] | undefined {
  if (typeof padding === 'string') {
    if (padding !== 'SAME' && padding !== 'VALID') throw new ConvError(op, 'padding', `must be 'SAME', 'VALID' or a list of pairs, got ${show(padding)}`);
    return undefined;
  }
  if (!allowed) throw new ConvError(op, 'padding', `must be 'SAME' or 'VALID' (explicit padding is not supported by this op), got ${show(padding)}`);
  if (padding.length !== r + 2) throw new ConvError(op, 'padding', `as a list must have ${r + 2} pairs, got ${show(padding)}`);
  if (padding.some((p) => p[0]! < 0 || p[1]! < 0)) throw new ConvError(op, 'padding', `entries must be non-negative, got ${show(padding)}`);
  const [nAx, cAx] = [lhsAxes[0]!, lhsAxes[r + 1]!];
  if (padding[nAx]!.some((x) => x !== 0) || padding[cAx]!.some((x) => x !== 0)) {
    throw new ConvError(op, 'padding', `in the batch and depth dimensions must be [0, 0], got ${show(padding)}`);
  }
  return lhsAxes.slice(1, r + 1).map((ax) => [padding[ax]![0]!, padding[ax]![1]!] as const);
}

function forwardPads(op: string, padding: string | unknown, explicit: PadPair[] | undefined, axis: number, inSize: number, effK: number, stride: number): PadPair {
  if (explicit) return explicit[axis]!;
  if (padding === 'SAME') return samePadding(inSize, effK, stride);
  void op;
  return [0, 0];
}

/**
 * TF's output size: (padded - k_eff + s) / s in C++ integer division (truncates toward zero),
 * refused only when negative. So a window that does not fit by less than a stride gives 0.
 */
function forwardOutSize(op: string, padded: number, effK: number, stride: number): number {
  const out = Math.trunc((padded - effK + stride) / stride);
  if (out < 0) {
    throw new ConvError(op, 'input', `is too small: computed output size would be negative (${out}) [padded input ${padded}, effective filter ${effK}, stride ${stride}]`);
  }
  return out;
}
