/**
 * TensorFlow conv1d, conv2d, conv1d_transpose, conv2d_transpose and depthwise_conv2d on the
 * direct-loop engine: TF's argument forms (strides as an int or a list of 1, r or r+2; conv1d's
 * 2-D sequences), data_format, SAME/VALID/explicit padding, output_shape and its consistency
 * check, grouped conv2d, and depthwise channel multipliers. `TfBugs` adds the bugs that live here.
 */
import type { CaseJson } from '../../../src/case/case.js';
import type { Adapter } from '../../../src/validate/adapter.js';
import { convolve, dense, inverse, permute, type Bugs, type Dense, type Summation } from './engine.js';

export interface TfBugs extends Bugs {
  /** Transposed SAME: the odd element of the crop taken at the start instead of the end. */
  readonly transposeCropWrongSide?: boolean;
  /** Forward SAME: the odd padding element at the start (SAME_LOWER) instead of the end. */
  readonly sameOddAtStart?: boolean;
  /** Transposed filters [K…, out, in] read as [K…, in, out]. */
  readonly transposeFiltersSwapped?: boolean;
  /** output_shape not checked against the input (any output_shape with the right channels accepted). */
  readonly skipOutputShapeCheck?: boolean;
  /** depthwise: output channel j·C + c instead of c·multiplier + j. */
  readonly depthwiseMultiplierOrder?: boolean;
  /** NCHW: the result is left in NHWC order (labelled with the NCHW shape). */
  readonly nchwOutputNotTransposed?: boolean;
}

export const TF_IMPLEMENTED = ['conv1d', 'conv2d', 'conv1d_transpose', 'conv2d_transpose', 'depthwise_conv2d'] as const;
type TfOp = (typeof TF_IMPLEMENTED)[number];

class Rejected extends Error {}

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

function intOrList(v: unknown, name: string): number[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isInteger(v)) return [v];
  if (Array.isArray(v) && v.every((x) => Number.isInteger(x))) return v as number[];
  throw new Rejected(`${name} must be an int or a list of ints`);
}

/** 2-D ops: an int or a list of 1, 2 or 4 (only 4 when `full`), batch and depth entries 1. */
function seq2(v: number[] | undefined, name: string, cFirst: boolean, full: boolean): number[] {
  let all: number[];
  if (v === undefined) all = [1, 1, 1, 1];
  else if (v.length === 4) all = v;
  else if (!full && (v.length === 1 || v.length === 2)) {
    const sp = v.length === 1 ? [v[0]!, v[0]!] : v;
    all = cFirst ? [1, 1, ...sp] : [1, ...sp, 1];
  } else throw new Rejected(`${name}: bad length ${v.length}`);
  const [nAx, cAx] = cFirst ? [0, 1] : [0, 3];
  if (all[nAx] !== 1 || all[cAx] !== 1) throw new Rejected(`${name}: batch and depth entries must be 1`);
  const sp = all.filter((_, i) => i !== nAx && i !== cAx);
  if (sp.some((x) => x < 1)) throw new Rejected(`${name} must be positive`);
  return sp;
}

/** 1-D ops run as 2-D over a unit H axis: an int, or a list of 1 or 3 in (N)HWC / (N)CHW order. */
function seq1(v: number[] | undefined, name: string, cFirst: boolean): number[] {
  if (v === undefined) return [1];
  let all: number[];
  if (v.length === 1) all = cFirst ? [1, 1, 1, v[0]!] : [1, 1, v[0]!, 1];
  else if (v.length === 3) all = [1, ...v];
  else throw new Rejected(`${name}: bad length ${v.length}`);
  const [c, h, w] = cFirst ? [all[1]!, all[2]!, all[3]!] : [all[3]!, all[1]!, all[2]!];
  if (c !== 1) throw new Rejected(`${name}: depth entry must be 1`);
  if (h < 1 || w < 1) throw new Rejected(`${name} must be positive`);
  return [w];
}

function samePads(L: number, effK: number, s: number, oddAtStart: boolean): [number, number] {
  const total = Math.max(0, (Math.ceil(L / s) - 1) * s + effK - L);
  const small = Math.floor(total / 2);
  return oddAtStart ? [total - small, small] : [small, total - small];
}

export function runTf(c: CaseJson, summation: Summation, bugs: TfBugs): { shape: number[]; data: Float32Array } {
  const op = c.op as TfOp;
  if (!TF_IMPLEMENTED.includes(op)) throw new Rejected(`not implemented: ${c.op}`);
  const attrs = (c.attrs ?? {}) as Record<string, unknown>;
  const r = op.startsWith('conv1d') ? 1 : 2;
  const transposed = op.endsWith('_transpose');
  const depthwise = op === 'depthwise_conv2d';
  const formats = r === 1 ? ['NWC', 'NCW'] : ['NHWC', 'NCHW'];
  let format = attrs['data_format'] ?? formats[0];
  if (typeof format !== 'string') throw new Rejected('data_format must be a string');
  if (op === 'conv1d') format = format === 'NHWC' ? 'NWC' : format === 'NCHW' ? 'NCW' : format;
  if (!formats.includes(format as string)) throw new Rejected(`bad data_format ${String(format)}`);
  const cFirst = format === formats[1];
  // native layout -> [N, C, S…] and back
  const toCF = cFirst ? range(0, r + 2) : [0, r + 1, ...range(1, r + 1)];
  const fromCF = inverse(toCF);

  const input = dense(c.inputs['input'])!;
  const filters = dense(c.inputs[depthwise ? 'filter' : 'filters'])!;
  if (input.shape.length !== r + 2) throw new Rejected(`input must have rank ${r + 2}`);
  if (filters.shape.length !== (depthwise ? 4 : r + 2)) throw new Rejected('filters have the wrong rank');
  const strideName = op === 'conv1d' ? 'stride' : 'strides';
  const strides = r === 1 ? seq1(intOrList(attrs[strideName], strideName), strideName, cFirst) : seq2(intOrList(attrs[strideName], strideName), strideName, cFirst, depthwise);
  let dil: number[];
  if (depthwise) {
    const v = intOrList(attrs['dilations'], 'dilations');
    dil = v ?? [1, 1];
    if (dil.length !== 2 || dil.some((x) => x < 1)) throw new Rejected('dilations must be 2 positive entries');
  } else dil = r === 1 ? seq1(intOrList(attrs['dilations'], 'dilations'), 'dilations', cFirst) : seq2(intOrList(attrs['dilations'], 'dilations'), 'dilations', cFirst, false);

  let padding = attrs['padding'];
  if (padding === undefined || padding === null) {
    if (!transposed) throw new Rejected('padding is required');
    padding = 'SAME';
  }
  let explicit: Array<[number, number]> | undefined;
  if (typeof padding === 'string') {
    if (padding !== 'SAME' && padding !== 'VALID') throw new Rejected(`bad padding ${padding}`);
  } else {
    if (!(op === 'conv2d' || op === 'conv2d_transpose' || depthwise)) throw new Rejected('explicit padding not supported by this op');
    if (!Array.isArray(padding) || padding.length !== r + 2) throw new Rejected(`padding must be ${r + 2} pairs`);
    const pairs = padding as unknown[];
    if (!pairs.every((p) => Array.isArray(p) && p.length === 2 && p.every((x) => Number.isInteger(x)))) throw new Rejected('padding entries must be [before, after] pairs');
    const ps = pairs as Array<[number, number]>;
    if (ps.some((p) => p[0] < 0 || p[1] < 0)) throw new Rejected('padding must be non-negative');
    const [nAx, cAx] = cFirst ? [0, 1] : [0, r + 1];
    if (ps[nAx]!.some((x) => x !== 0) || ps[cAx]!.some((x) => x !== 0)) throw new Rejected('no padding on batch or depth');
    explicit = range(1, r + 1).map((i) => ps[toCF[i + 1]!]!);
  }

  const x = permute(input, toCF);
  const [N, C] = [x.shape[0]!, x.shape[1]!];
  const inSp = x.shape.slice(2);
  const kSp = filters.shape.slice(0, r);
  const effK = kSp.map((k, a) => (k - 1) * dil[a]! + 1);
  const taps = kSp.reduce((p, k) => p * k, 1);
  const forwardPads = (L: number, a: number, oddAtStart: boolean): [number, number] =>
    explicit ? explicit[a]! : padding === 'SAME' ? samePads(L, effK[a]!, strides[a]!, oddAtStart) : [0, 0];
  const outSize = (padded: number, a: number): number => {
    const o = Math.trunc((padded - effK[a]! + strides[a]!) / strides[a]!);
    if (o < 0) throw new Rejected(`axis ${a}: negative output size`);
    return o;
  };
  let result: { shape: number[]; data: Float32Array };

  if (transposed) {
    const os = intOrList(attrs['output_shape'], 'output_shape');
    if (os === undefined) throw new Rejected('output_shape is required');
    if (os.length !== r + 2 || os.some((d) => d < 0)) throw new Rejected('bad output_shape');
    const osCF = toCF.map((ax) => os[ax]!);
    const outSp = osCF.slice(2);
    const [fOut, fIn] = [filters.shape[r]!, filters.shape[r + 1]!];
    if (osCF[0] !== N) throw new Rejected('output_shape batch differs from the input');
    if (fIn !== C) throw new Rejected(`filters in_channels ${fIn} != input channels ${C}`);
    if (fOut !== osCF[1]) throw new Rejected(`filters out_channels ${fOut} != output_shape channels ${osCF[1]}`);
    const pads = outSp.map((O, a) => {
      const p = forwardPads(O, a, !!bugs.transposeCropWrongSide);
      const reached = outSize(O + p[0] + p[1], a);
      if (reached !== inSp[a] && !bugs.skipOutputShapeCheck) throw new Rejected(`output_shape inconsistent with the input on axis ${a}`);
      return p;
    });
    // internal [C(in), M(out), K…] from [K…, out, in] (or, with the bug, from [K…, in, out]).
    let w: Dense;
    if (bugs.transposeFiltersSwapped) {
      const data = new Float64Array(filters.data.length);
      for (let ci = 0; ci < C; ci++) for (let m = 0; m < fOut; m++) for (let t = 0; t < taps; t++) data[(ci * fOut + m) * taps + t] = filters.data[(t * C + ci) * fOut + m]!;
      w = { shape: [C, fOut, ...kSp], data };
    } else w = permute(filters, [r + 1, r, ...range(0, r)]);
    result = convolve({ transposed: true, N, C, M: fOut, group: 1, inSp, kSp, outSp, strides, dilations: dil, lo: pads.map((p) => p[0]), x: x.data, w: w.data }, summation, bugs);
  } else if (depthwise) {
    if (dil.some((d) => d > 1) && strides.some((s) => s > 1)) throw new Rejected('dilations > 1 need strides 1');
    const [fC, mult] = [filters.shape[2]!, filters.shape[3]!];
    if (fC !== C) throw new Rejected(`filter channels ${fC} != input channels ${C}`);
    const pads = inSp.map((L, a) => forwardPads(L, a, !!bugs.sameOddAtStart));
    const outSp = inSp.map((L, a) => outSize(L + pads[a]![0] + pads[a]![1], a));
    // [H, W, C, mult] -> [C·mult, 1, H, W]: output channel c·mult + j reads input channel c.
    const w = permute(filters, [2, 3, 0, 1]);
    result = convolve({ transposed: false, N, C, M: C * mult, group: C, inSp, kSp, outSp, strides, dilations: dil, lo: pads.map((p) => p[0]), x: x.data, w: w.data }, summation, bugs);
    if (bugs.depthwiseMultiplierOrder) {
      const P = outSp.reduce((p, o) => p * o, 1);
      const data = new Float32Array(result.data.length);
      for (let n = 0; n < N; n++)
        for (let ch = 0; ch < C; ch++)
          for (let j = 0; j < mult; j++) data.set(result.data.subarray((n * C * mult + ch * mult + j) * P, (n * C * mult + ch * mult + j + 1) * P), (n * C * mult + j * C + ch) * P);
      result = { shape: result.shape, data };
    }
  } else {
    const [fIn, fOut] = [filters.shape[r]!, filters.shape[r + 1]!];
    if (fIn === 0 || C % fIn !== 0) throw new Rejected(`input depth ${C} not a multiple of the filters' ${fIn}`);
    const group = C / fIn;
    if (fOut % group !== 0) throw new Rejected(`output depth ${fOut} not a multiple of the groups ${group}`);
    const pads = inSp.map((L, a) => forwardPads(L, a, !!bugs.sameOddAtStart));
    const outSp = inSp.map((L, a) => outSize(L + pads[a]![0] + pads[a]![1], a));
    const w = permute(filters, [r + 1, r, ...range(0, r)]);
    result = convolve({ transposed: false, N, C, M: fOut, group, inSp, kSp, outSp, strides, dilations: dil, lo: pads.map((p) => p[0]), x: x.data, w: w.data }, summation, bugs);
  }
  const shape = fromCF.map((ax) => result.shape[ax]!);
  if (cFirst && bugs.nchwOutputNotTransposed) {
    // The kernel wrote channels-last; the caller is told NCHW.
    const nhwc = permute(result, [0, ...range(2, r + 2), 1]);
    return { shape, data: Float32Array.from(nhwc.data) };
  }
  return { shape, data: Float32Array.from(permute(result, fromCF).data) };
}

/** A TF adapter with the given summation and bugs. */
export function tfAdapter(name: string, summation: Summation, bugs: TfBugs = {}, ops: readonly TfOp[] = TF_IMPLEMENTED): Adapter {
  return {
    name,
    framework: 'tf',
    ops,
    run(c: CaseJson) {
      if (c.framework !== 'tf' || !ops.includes(c.op as TfOp)) throw new Error(`${name} does not implement ${c.framework} ${c.op}`);
      return runTf(c, summation, bugs);
    },
  };
}
