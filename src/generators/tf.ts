/** Builders of TensorFlow (`tf.nn`) cases: conv1d/2d/3d, their transposes, depthwise_conv2d. */
import type { CaseJson } from '../case/case.js';
import { allowed, caseOf, choose, EXPLICIT, effK, forwardLen, parity, SAME, tensor, VALID } from './build.js';
import type { Draw } from './draw.js';

const TF_FORMATS: Record<number, [string, string]> = { 1: ['NWC', 'NCW'], 2: ['NHWC', 'NCHW'], 3: ['NDHWC', 'NCDHW'] };

/** One of the forms TF accepts for strides/dilations. */
function tfSeq(u: number, sp: number[], cFirst: boolean, full: boolean): number | number[] {
  const fullList = cFirst ? [1, 1, ...sp] : [1, ...sp, 1];
  if (full) return fullList;
  const uniform = sp.every((x) => x === sp[0]);
  const forms: Array<number | number[]> = [sp, fullList];
  if (uniform) forms.push(sp[0]!, [sp[0]!]);
  return choose(u, forms);
}

/** TF data_format: channels-first with probability 0.3, unless the declared layouts allow one only. */
function tfChannelsFirst(d: Draw, r: number): boolean {
  const ok = d.caps.layouts ? TF_FORMATS[r]!.map((f) => d.caps.layouts!.includes(f)) : [true, true];
  if (ok[0] !== ok[1]) return ok[1]!;
  return d.pick[0]! < 0.3;
}

function layoutShape(cFirst: boolean, n: number, c: number, sp: readonly number[]): number[] {
  return cFirst ? [n, c, ...sp] : [n, ...sp, c];
}

export function tfConv(r: number, op: string, d: Draw): CaseJson {
  const cFirst = tfChannelsFirst(d, r);
  // Only conv2d wires explicit paddings through to its kernel.
  const mode = choose(d.pick[1]!, allowed(d, op === 'conv2d' ? [SAME, VALID, EXPLICIT] : [SAME, VALID]));
  const axes = [...d.axes];
  const pads = axes.map((a) => (mode === 'EXPLICIT' ? [a.lo % 3, a.hi % 3] : [0, 0]) as [number, number]);
  const len = axes.map((a, i) => (mode === 'SAME' ? 1 + a.extra : forwardLen(a, pads[i]![0], pads[i]![1])));
  // Conv2D (and conv1d through it) groups when the input depth is a multiple of the filters'.
  const groups = op === 'conv3d' ? 1 : d.ch.groups;
  const inC = d.ch.inPer * groups;
  const outC = d.ch.outPer * groups;
  const attrs: Record<string, unknown> = {
    [op === 'conv1d' ? 'stride' : 'strides']: tfSeq(d.pick[2]!, axes.map((a) => a.s), cFirst, op === 'conv3d'),
    padding: mode === 'EXPLICIT' ? (cFirst ? [[0, 0], [0, 0], ...pads] : [[0, 0], ...pads, [0, 0]]) : mode,
    data_format: TF_FORMATS[r]![cFirst ? 1 : 0],
  };
  if (d.pick[3]! < 0.6) attrs['dilations'] = tfSeq(d.pick[4]!, axes.map((a) => a.d), cFirst, op === 'conv3d');
  else axes.forEach((a, i) => (axes[i] = { ...a, d: 1 }));
  return caseOf(d, 'tf', op, attrs, {
    input: tensor(d, 0, layoutShape(cFirst, d.ch.batch, inC, len)),
    filters: tensor(d, 1, [...axes.map((a) => a.k), d.ch.inPer, outC]),
  });
}

export function tfTranspose(r: number, op: string, d: Draw): CaseJson {
  const cFirst = tfChannelsFirst(d, r);
  const mode = choose(d.pick[1]!, allowed(d, op === 'conv2d_transpose' ? [SAME, VALID, EXPLICIT] : [SAME, VALID]));
  const dilate = d.pick[3]! < 0.3 && !d.lacks.has('dilatedTranspose') && !d.lacks.has('dilation');
  const axes = d.axes.map((a) => ({ ...a, d: dilate ? a.d : 1 }));
  const inLen = axes.map((a) => 1 + (a.extra % 4));
  const pads: Array<[number, number]> = [];
  // The output size is chosen so that the forward conv maps it back to the input size: a value
  // in a window of s sizes, which one picked by the slack (this is output_shape parity).
  const outLen = axes.map((a, i) => {
    const base = (inLen[i]! - 1) * a.s + effK(a);
    if (mode === 'SAME') return inLen[i]! * a.s - parity(d, a);
    if (mode === 'VALID') return base + parity(d, a);
    const lo = Math.min(a.lo % 3, base - 1);
    const hi = Math.min(a.hi % 3, base - 1 - lo);
    pads.push([lo, hi]);
    return base - lo - hi + parity(d, a);
  });
  const [inC, outC] = [d.ch.inPer + 1, d.ch.outPer];
  const attrs: Record<string, unknown> = {
    output_shape: layoutShape(cFirst, d.ch.batch, outC, outLen),
    strides: tfSeq(d.pick[2]!, axes.map((a) => a.s), cFirst, false),
    padding: mode === 'EXPLICIT' ? (cFirst ? [[0, 0], [0, 0], ...pads] : [[0, 0], ...pads, [0, 0]]) : mode,
    data_format: TF_FORMATS[r]![cFirst ? 1 : 0],
  };
  if (dilate) attrs['dilations'] = tfSeq(d.pick[4]!, axes.map((a) => a.d), cFirst, false);
  return caseOf(d, 'tf', op, attrs, {
    input: tensor(d, 0, layoutShape(cFirst, d.ch.batch, inC, inLen)),
    filters: tensor(d, 1, [...axes.map((a) => a.k), outC, inC]),
  });
}

export function tfDepthwise(d: Draw): CaseJson {
  const cFirst = tfChannelsFirst(d, 2);
  const mode = choose(d.pick[1]!, allowed(d, [SAME, VALID, EXPLICIT]));
  // TF: equal strides in H and W; dilation only with stride 1.
  const s = d.axes[0]!.s;
  const dilate = d.pick[3]! < 0.4 && !d.lacks.has('dilation');
  const axes = d.axes.map((a) => ({ ...a, s: dilate ? 1 : s, d: dilate ? a.d : 1 }));
  const pads = axes.map((a) => (mode === 'EXPLICIT' ? [a.lo % 3, a.hi % 3] : [0, 0]) as [number, number]);
  const len = axes.map((a, i) => (mode === 'SAME' ? 1 + a.extra : forwardLen(a, pads[i]![0], pads[i]![1])));
  const C = d.ch.groups;
  const M = d.ch.outPer;
  const sp = axes.map((a) => a.s);
  const attrs: Record<string, unknown> = {
    strides: cFirst ? [1, 1, ...sp] : [1, ...sp, 1],
    padding: mode === 'EXPLICIT' ? (cFirst ? [[0, 0], [0, 0], ...pads] : [[0, 0], ...pads, [0, 0]]) : mode,
    data_format: cFirst ? 'NCHW' : 'NHWC',
  };
  if (dilate) attrs['dilations'] = axes.map((a) => a.d);
  return caseOf(d, 'tf', 'depthwise_conv2d', attrs, {
    input: tensor(d, 0, layoutShape(cFirst, d.ch.batch, C, len)),
    filter: tensor(d, 1, [...axes.map((a) => a.k), C, M]),
  });
}
