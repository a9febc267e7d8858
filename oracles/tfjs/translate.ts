/**
 * The translation of a convcheck `tf` case into TensorFlow.js calls, shared by the Node oracles
 * (oracles/tfjs/backend.ts) and the browser oracles (oracles/browser/), where this compiled module
 * is loaded by the page as it is. It therefore imports nothing at run time: `tf` is passed in.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import type { Tensor as CcTensor } from '../../src/core/tensor.js';
import type { OracleCall } from '../types.js';

type Tf = typeof TfCore;
type TfTensor = TfCore.Tensor;
type Pad = 'same' | 'valid' | TfCore.backend_util.ExplicitPadding;

/** What a backend really implements where the tfjs API alone does not say. */
export interface Caps {
  /**
   * tf.conv2d with dataFormat 'NCHW' reaches a kernel that implements it. cpu: yes. wasm: its
   * Conv2D kernel throws "does not support dataFormat 'channelsFirst'". tensorflow: forwarded to
   * TF's Conv2D, which supports NCHW on CPU only with oneDNN (probed at start).
   * Where false, the adapter transposes to NHWC around the call.
   */
  readonly conv2dNchw: boolean;
  /** Why dilated depthwiseConv2d cannot run, if it cannot (TF's CPU kernel without oneDNN). */
  readonly depthwiseDilated?: string;
  /** Why depthwiseConv2d with unequal H and W strides cannot run, if it cannot (ditto). */
  readonly depthwiseUnequalStrides?: string;
  /** Why dilated conv3d cannot run, if it cannot (tfjs-node throws for depth dilation; TF CPU without oneDNN for any). */
  readonly conv3dDilated?: (d: readonly number[]) => string | undefined;
  /** Non-zero explicit padding in conv2dTranspose (tfjs-node's Conv2DBackpropInput takes only SAME/VALID). */
  readonly transposeExplicit: boolean;
}

/** A call with no tfjs form: the reason becomes the 'unsupported' result. */
export class Unsupported extends Error {}

// ---------------------------------------------------------------------------------------------
// Translation: TF attribute forms -> tfjs arguments.

export type Exec = (tf: Tf) => TfTensor;

interface OpDef {
  readonly r: 1 | 2 | 3;
  readonly kind: 'conv' | 'transpose' | 'depthwise';
  readonly strideName: 'stride' | 'strides';
  /** TF accepts strides/dilations only as a full r+2 list (raw ops with no _get_sequence). */
  readonly fullLists: boolean;
}

const OPS: Readonly<Record<string, OpDef>> = {
  conv1d: { r: 1, kind: 'conv', strideName: 'stride', fullLists: false },
  conv2d: { r: 2, kind: 'conv', strideName: 'strides', fullLists: false },
  conv3d: { r: 3, kind: 'conv', strideName: 'strides', fullLists: true },
  conv1d_transpose: { r: 1, kind: 'transpose', strideName: 'strides', fullLists: false },
  conv2d_transpose: { r: 2, kind: 'transpose', strideName: 'strides', fullLists: false },
  conv3d_transpose: { r: 3, kind: 'transpose', strideName: 'strides', fullLists: false },
  depthwise_conv2d: { r: 2, kind: 'depthwise', strideName: 'strides', fullLists: true },
};

const FORMATS: Readonly<Record<number, readonly [string, string]>> = { 1: ['NWC', 'NCW'], 2: ['NHWC', 'NCHW'], 3: ['NDHWC', 'NCDHW'] };

/** TF ops that take an explicit padding list (Python wires explicit_paddings into these only). */
const EXPLICIT_OK = new Set(['conv2d', 'conv2d_transpose', 'depthwise_conv2d']);

export function translate(call: OracleCall, caps: Caps): Exec {
  const def = OPS[call.op];
  if (call.framework !== 'tf' || !def) throw new Unsupported(`tfjs oracles run tf ops only (${Object.keys(OPS).join(', ')}), not ${call.framework} ${call.op}`);
  if (call.dtype !== 'float32') throw new Unsupported(`tfjs computes in float32 only (no float64 kernels); the case asks for ${call.dtype}`);
  const { r, kind } = def;
  const attrs = call.attrs;
  const op = `tf.${call.op}`;

  let fmt = attrs['data_format'] ?? FORMATS[r]![0];
  // tf.nn.conv1d also takes the 2-D names ('NHWC' for 'NWC', 'NCHW' for 'NCW'); conv1d_transpose does not.
  if (call.op === 'conv1d' && (fmt === 'NHWC' || fmt === 'NCHW')) fmt = fmt === 'NHWC' ? 'NWC' : 'NCW';
  if (typeof fmt !== 'string' || !FORMATS[r]!.includes(fmt)) throw new Unsupported(`${op}: data_format ${show(fmt)} is not one TF accepts, so there is no tfjs call for it`);
  const cFirst = fmt === FORMATS[r]![1];

  const input = call.inputs['input'];
  const filters = call.inputs[kind === 'depthwise' ? 'filter' : 'filters'];
  if (!input || !filters) throw new Unsupported(`${op}: missing input tensors`);
  const fRank = kind === 'depthwise' ? 4 : r + 2;
  // TF refuses other ranks; tfjs would read rank r+1 as an unbatched input instead.
  if (input.shape.length !== r + 2) throw new Unsupported(`${op}: input of rank ${input.shape.length} (TF takes rank ${r + 2}; tfjs would read rank ${r + 1} as unbatched)`);
  if (filters.shape.length !== fRank) throw new Unsupported(`${op}: filters of rank ${filters.shape.length} (TF takes rank ${fRank})`);

  const seqOf = r === 1 ? seq1 : seq;
  const strides = seqOf(op, def.strideName, attrs[def.strideName], r, cFirst, def.fullLists);
  const dilations = kind === 'depthwise' ? rate(op, attrs['dilations']) : seqOf(op, 'dilations', attrs['dilations'], r, cFirst, def.fullLists);
  const padding = attrs['padding'] ?? (kind === 'transpose' ? 'SAME' : undefined);
  const pads = paddingOf(op, padding, r, cFirst, EXPLICIT_OK.has(call.op));
  const allOne = (v: readonly number[]): boolean => v.every((x) => x === 1);
  // tfjs documents for conv1d/conv2d/conv3d/depthwiseConv2d: "If dilations > 1, then all values of
  // strides must be 1". The conv ops assert it, the cpu depthwise kernel asserts it (wasm and
  // tfjs-node compute something); TF also documents it for depthwise_conv2d and returns a
  // non-convolution there. No tfjs call stands for these cases.
  const stridedAndDilated = !allOne(strides) && !allOne(dilations);
  if (stridedAndDilated && kind !== 'transpose') {
    throw new Unsupported(`${op}: tfjs refuses strides > 1 together with dilations > 1 ("Either strides or dilations must be 1"); strides ${show(strides)}, dilations ${show(dilations)}`);
  }

  const inC = input.shape[cFirst ? 1 : r + 1]!;
  const toLast = [0, ...range(2, r + 2), 1];
  const toFirst = [0, r + 1, ...range(1, r + 1)];

  if (kind === 'transpose') {
    // tfjs' conv2dTranspose / conv3dTranspose take no dilations.
    if (!allOne(dilations)) throw new Unsupported(`${op}: tfjs conv${r === 3 ? 3 : 2}dTranspose has no dilations argument (dilations ${show(dilations)})`);
    const os = attrs['output_shape'];
    if (!Array.isArray(os) || !os.every((d) => Number.isInteger(d))) throw new Unsupported(`${op}: output_shape ${show(os)} is not a list of integers`);
    if (os.length !== r + 2) throw new Unsupported(`${op}: output_shape ${show(os)} needs ${r + 2} entries (TF rejects it)`);
    let outShape = os as number[];
    if (cFirst) outShape = toLast.map((i) => outShape[i]!);
    if (typeof pads !== 'string' && !caps.transposeExplicit && pads.some((p) => p[0] !== 0 || p[1] !== 0)) {
      throw new Unsupported(`${op}: tfjs-node's Conv2DBackpropInput kernel takes only SAME/VALID padding ("TF Backend supports only 'valid' and 'same' padding")`);
    }
    return (tf) => {
      let x = tensorOf(tf, input);
      const w = tensorOf(tf, filters);
      // tfjs' transposes are channels-last only (conv2dTranspose hard-codes NHWC, conv3dTranspose
      // NDHWC): channels-first cases are transposed to channels-last around the call.
      if (cFirst) x = tf.transpose(x, toLast);
      let y: TfTensor;
      if (r === 1) {
        // tfjs has no conv1dTranspose: conv2dTranspose with a unit H axis in input, filters and
        // output shape, removed after.
        const [n, wOut, c] = outShape as [number, number, number];
        y = tf.conv2dTranspose(
          tf.expandDims(x, 1) as TfCore.Tensor4D,
          tf.expandDims(w, 0) as TfCore.Tensor4D,
          [n, 1, wOut, c],
          [1, strides[0]!],
          stringPad(op, pads),
        );
        y = tf.squeeze(y, [1]);
      } else if (r === 2) {
        y = tf.conv2dTranspose(x as TfCore.Tensor4D, w as TfCore.Tensor4D, outShape as [number, number, number, number], strides as [number, number], padOf(pads, spatialPads(pads, 2), 'NHWC'));
      } else {
        y = tf.conv3dTranspose(
          x as TfCore.Tensor5D,
          w as TfCore.Tensor5D,
          outShape as [number, number, number, number, number],
          strides as [number, number, number],
          stringPad(op, pads),
        );
      }
      return cFirst ? tf.transpose(y, toFirst) : y;
    };
  }

  if (kind === 'depthwise') {
    if (!allOne(dilations) && caps.depthwiseDilated) throw new Unsupported(`${op}: ${caps.depthwiseDilated}`);
    if (strides[0] !== strides[1] && caps.depthwiseUnequalStrides) throw new Unsupported(`${op}: ${caps.depthwiseUnequalStrides}`);
    return (tf) =>
      // tfjs' depthwiseConv2d accepts dataFormat 'NCHW' and explicit padding in data_format order:
      // passed as TF has them. (Its kernels ignore dataFormat: NCHW cases are a tfjs finding.)
      tf.depthwiseConv2d(
        tensorOf(tf, input) as TfCore.Tensor4D,
        tensorOf(tf, filters) as TfCore.Tensor4D,
        strides as [number, number],
        padOf(pads, spatialPads(pads, 2), cFirst ? 'NCHW' : 'NHWC'),
        cFirst ? 'NCHW' : 'NHWC',
        dilations as [number, number],
      );
  }

  // Forward convolutions. tfjs conv1d/2d/3d assert that input and filter depths are equal: no groups.
  const fIn = filters.shape[r]!;
  if (r < 3 && fIn > 0 && inC !== fIn && inC % fIn === 0) {
    throw new Unsupported(`${op}: grouped convolution (input depth ${inC} = ${inC / fIn} groups of ${fIn}); tfjs conv${r}d has no groups`);
  }
  // (TF's Conv3D rejects groups itself: those cases go to tfjs, which rejects them too.)
  if (r === 3 && caps.conv3dDilated) {
    const why = caps.conv3dDilated(dilations);
    if (why) throw new Unsupported(`${op}: ${why}`);
  }
  return (tf) => {
    let x = tensorOf(tf, input);
    const w = tensorOf(tf, filters);
    if (r === 2 && cFirst && caps.conv2dNchw) {
      return tf.conv2d(x as TfCore.Tensor4D, w as TfCore.Tensor4D, strides as [number, number], padOf(pads, spatialPads(pads, 2), 'NCHW'), 'NCHW', dilations as [number, number]);
    }
    // tfjs conv1d takes only 'NWC' and conv3d only 'NDHWC' (both assert); the wasm Conv2D kernel
    // throws for NCHW and TF's CPU Conv2D without oneDNN rejects it: channels-first cases are
    // transposed to channels-last around the call.
    if (cFirst) x = tf.transpose(x, toLast);
    let y: TfTensor;
    if (r === 1) y = tf.conv1d(x as TfCore.Tensor3D, w as TfCore.Tensor3D, strides[0]!, stringPad(op, pads), 'NWC', dilations[0]!);
    else if (r === 2) y = tf.conv2d(x as TfCore.Tensor4D, w as TfCore.Tensor4D, strides as [number, number], padOf(pads, spatialPads(pads, 2), 'NHWC'), 'NHWC', dilations as [number, number]);
    else y = tf.conv3d(x as TfCore.Tensor5D, w as TfCore.Tensor5D, strides as [number, number, number], stringPad(op, pads), 'NDHWC', dilations as [number, number, number]);
    return cFirst ? tf.transpose(y, toFirst) : y;
  };
}

type Pairs = Array<[number, number]>;

function tensorOf(tf: Tf, t: CcTensor): TfTensor {
  return tf.tensor(Float32Array.from(t.data), [...t.shape], 'float32');
}

/**
 * TF's strides/dilations forms to r spatial values: an int or a list of 1, r or r+2 entries (the
 * last in data_format order, batch and depth entries 1). Ops without _get_sequence in front
 * (conv3d, depthwise strides) take only the r+2 list. Forms TF refuses have no tfjs call.
 * Non-positive values are passed on for tfjs to judge.
 */
function seq(op: string, name: string, v: unknown, r: number, cFirst: boolean, fullLists: boolean): number[] {
  if (v === undefined || v === null) return new Array<number>(r).fill(1);
  const list = Number.isInteger(v) ? [v as number] : v;
  if (!Array.isArray(list) || !list.every((x) => Number.isInteger(x))) throw new Unsupported(`${op}: ${name} ${show(v)} is not an int or a list of ints`);
  if (list.length === r + 2) {
    const [nAx, cAx] = cFirst ? [0, 1] : [0, r + 1];
    if (list[nAx] !== 1 || list[cAx] !== 1) throw new Unsupported(`${op}: ${name} ${show(v)} has batch/depth entries other than 1 (TF rejects it; tfjs has no such form)`);
    return list.filter((_, i) => i !== nAx && i !== cAx) as number[];
  }
  if (!fullLists && (list.length === 1 || list.length === r)) return list.length === 1 ? new Array<number>(r).fill(list[0]) : (list as number[]);
  throw new Unsupported(`${op}: ${name} ${show(v)} is not a form TF accepts (${fullLists ? `a list of ${r + 2}` : `an int or a list of 1, ${r} or ${r + 2}`})`);
}

/**
 * conv1d and conv1d_transpose: TF runs them as 2-D ops over a unit H axis with
 * `[1] + _get_sequence(v, 1, channel_index)` read in NHWC/NCHW order. So a 3-entry list [a, b, c]
 * is H=a, W=b, C=c (NWC) or C=a, H=b, W=c (NCW): only C must be 1, and the H entry strides or
 * dilates an axis of size 1 with a kernel of size 1, which changes nothing (dropped here; TF
 * rejects a non-positive one, which has no tfjs form).
 */
function seq1(op: string, name: string, v: unknown, _r: number, cFirst: boolean): number[] {
  if (v === undefined || v === null) return [1];
  const list = Number.isInteger(v) ? [v as number] : v;
  if (!Array.isArray(list) || !list.every((x) => Number.isInteger(x))) throw new Unsupported(`${op}: ${name} ${show(v)} is not an int or a list of ints`);
  if (list.length === 1) return [list[0] as number];
  if (list.length !== 3) throw new Unsupported(`${op}: ${name} ${show(v)} is not a form TF accepts (an int or a list of 1 or 3)`);
  const [h, w, c] = (cFirst ? [list[1], list[2], list[0]] : [list[0], list[1], list[2]]) as [number, number, number];
  if (c !== 1) throw new Unsupported(`${op}: ${name} ${show(v)} has a depth entry other than 1 (TF rejects it; tfjs has no such form)`);
  if (h < 1) throw new Unsupported(`${op}: ${name} ${show(v)} has a non-positive H entry (TF rejects it; tfjs has no such form)`);
  return [w];
}

/** depthwise_conv2d's `dilations` is the rate: a list of 2. */
function rate(op: string, v: unknown): number[] {
  if (v === undefined || v === null) return [1, 1];
  if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => Number.isInteger(x))) throw new Unsupported(`${op}: dilations ${show(v)} is not a form TF accepts (a list of 2)`);
  return v as number[];
}

/**
 * 'SAME'/'VALID' -> 'same'/'valid'; an explicit list of r+2 [before, after] pairs in data_format
 * order -> the r spatial pairs. Only conv2d, conv2d_transpose and depthwise_conv2d take a list in
 * TF (tf.nn.conv1d passes it to gen_nn_ops.conv2d, which raises TypeError).
 */
function paddingOf(op: string, p: unknown, r: number, cFirst: boolean, explicitOk: boolean): 'same' | 'valid' | Pairs {
  if (p === 'SAME') return 'same';
  if (p === 'VALID') return 'valid';
  if (!Array.isArray(p)) throw new Unsupported(`${op}: padding ${show(p)} is not 'SAME', 'VALID' or a list of pairs`);
  if (!explicitOk) throw new Unsupported(`${op}: TF takes no explicit padding list for this op (only 'SAME'/'VALID')`);
  if (p.length !== r + 2 || !p.every((q) => Array.isArray(q) && q.length === 2 && q.every((x) => Number.isInteger(x)))) {
    throw new Unsupported(`${op}: padding ${show(p)} is not ${r + 2} [before, after] integer pairs`);
  }
  const pairs = p as Pairs;
  const [nAx, cAx] = cFirst ? [0, 1] : [0, r + 1];
  if (pairs[nAx]!.some((x) => x !== 0) || pairs[cAx]!.some((x) => x !== 0)) {
    throw new Unsupported(`${op}: padding ${show(p)} pads the batch/depth dimension (TF rejects it; tfjs has no such form)`);
  }
  return pairs.filter((_, i) => i !== nAx && i !== cAx);
}

function spatialPads(pads: 'same' | 'valid' | Pairs, r: number): Pairs {
  return typeof pads === 'string' ? new Array(r).fill([0, 0]) : pads;
}

/** tfjs' ExplicitPadding: four pairs in the dataFormat's order, batch and depth [0, 0]. */
function padOf(pads: 'same' | 'valid' | Pairs, spatial: Pairs, format: 'NHWC' | 'NCHW'): Pad {
  if (typeof pads === 'string') return pads;
  const [h, w] = spatial as [[number, number], [number, number]];
  return (format === 'NHWC' ? [[0, 0], h, w, [0, 0]] : [[0, 0], [0, 0], h, w]) as TfCore.backend_util.ExplicitPadding;
}

/** For ops TF gives no explicit padding (paddingOf has refused lists for them already). */
function stringPad(op: string, pads: 'same' | 'valid' | Pairs): 'same' | 'valid' {
  if (typeof pads !== 'string') throw new Error(`${op}: internal: explicit padding reached an op that takes none`);
  return pads;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

function show(v: unknown): string {
  return JSON.stringify(v)?.replace(/,/g, ', ') ?? String(v);
}
