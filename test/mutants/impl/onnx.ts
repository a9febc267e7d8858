/**
 * ONNX Conv and ConvTranspose (opset 22) on the direct-loop engine: attribute parsing, the
 * spec's validity rules and padding arithmetic, written from the operator spec. `OnnxBugs` adds
 * the bugs that live in this layer.
 */
import type { CaseJson } from '../../../src/case/case.js';
import type { Adapter } from '../../../src/validate/adapter.js';
import { convolve, dense, type Bugs, type Dense, type Summation } from './engine.js';

export interface OnnxBugs extends Bugs {
  /** SAME_UPPER and SAME_LOWER exchanged. */
  readonly sameSwapped?: boolean;
  /** ConvTranspose with output_shape: the odd element of the total padding always at the end. */
  readonly outputShapeOddAtEnd?: boolean;
  /** pads read as [x1_begin, x1_end, x2_begin, x2_end, …]. */
  readonly padsInterleaved?: boolean;
  /** ConvTranspose: W [C, M/g, K…] read as [M/g, C, K…] (in/out swapped). */
  readonly transposeKernelSwapped?: boolean;
  /** ConvTranspose: output_padding adds its zeros at the start instead of the end. */
  readonly outputPaddingAtStart?: boolean;
  /** Negative pads accepted (and applied as crops). */
  readonly acceptNegativePads?: boolean;
  /** SAME padding computed as if the stride were 1 (total k_eff − 1). */
  readonly sameIgnoresStride?: boolean;
  /** The kernel is cached by its shape: a later kernel of the same shape gets the first one's values. */
  readonly kernelCacheByShape?: boolean;
}

class Rejected extends Error {}

function ints(v: unknown, name: string): number[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x))) throw new Rejected(`${name} must be a list of integers`);
  return v as number[];
}

function perAxis(attrs: Record<string, unknown>, name: string, r: number): number[] {
  const v = ints(attrs[name], name);
  if (v === undefined) return new Array<number>(r).fill(1);
  if (v.length !== r) throw new Rejected(`${name} must have ${r} entries`);
  if (v.some((x) => x < 1)) throw new Rejected(`${name} must be positive`);
  return v;
}

/** Forward SAME padding: out = ceil(L/s), the odd element at the end (upper) or start (lower). */
function same(L: number, effK: number, s: number, lower: boolean, bugs: OnnxBugs): [number, number] {
  const stride = bugs.sameIgnoresStride ? 1 : s;
  const total = Math.max(0, (Math.ceil(L / stride) - 1) * stride + effK - L);
  const small = Math.floor(total / 2);
  const lowerSide = bugs.sameSwapped ? !lower : lower;
  return lowerSide ? [total - small, small] : [small, total - small];
}

export function runOnnx(c: CaseJson, summation: Summation, bugs: OnnxBugs, cache?: Map<string, Float64Array>): { shape: number[]; data: Float32Array } {
  const attrs = (c.attrs ?? {}) as Record<string, unknown>;
  const X = dense(c.inputs['X'])!;
  let W: Dense = dense(c.inputs['W'])!;
  const B = dense(c.inputs['B']);
  if (X.shape.length < 3) throw new Rejected('X must have rank >= 3');
  if (W.shape.length !== X.shape.length) throw new Rejected('W must have the rank of X');
  const r = X.shape.length - 2;
  const [N, C] = [X.shape[0]!, X.shape[1]!];
  const inSp = X.shape.slice(2);
  const kSp = W.shape.slice(2);
  const autoPad = attrs['auto_pad'] ?? 'NOTSET';
  if (!['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'].includes(autoPad as string)) throw new Rejected(`bad auto_pad ${String(autoPad)}`);
  const group = attrs['group'] ?? 1;
  if (typeof group !== 'number' || !Number.isInteger(group) || group < 1) throw new Rejected('group must be a positive integer');
  const strides = perAxis(attrs, 'strides', r);
  const dil = perAxis(attrs, 'dilations', r);
  const ks = ints(attrs['kernel_shape'], 'kernel_shape');
  if (ks && ks.join() !== kSp.join()) throw new Rejected('kernel_shape does not match W');
  const pads = ints(attrs['pads'], 'pads');
  if (pads) {
    if (pads.length !== 2 * r) throw new Rejected(`pads must have ${2 * r} entries`);
    if (!bugs.acceptNegativePads && pads.some((p) => p < 0)) throw new Rejected('pads must be >= 0');
    if (autoPad !== 'NOTSET') throw new Rejected('pads together with auto_pad');
  }
  const explicit = (a: number): [number, number] => {
    if (!pads) return [0, 0];
    return bugs.padsInterleaved ? [pads[2 * a]!, pads[2 * a + 1]!] : [pads[a]!, pads[a + r]!];
  };
  const effK = kSp.map((k, a) => (k - 1) * dil[a]! + 1);
  const transposed = c.op === 'ConvTranspose';
  const M = transposed ? W.shape[1]! * group : W.shape[0]!;
  if (B && (B.shape.length !== 1 || B.shape[0] !== M)) throw new Rejected(`B must have shape [${M}]`);
  if (cache && bugs.kernelCacheByShape) {
    const key = `${c.op}:${W.shape.join('x')}`;
    const hit = cache.get(key);
    if (hit) W = { shape: W.shape, data: hit };
    else cache.set(key, W.data);
  }

  if (!transposed) {
    if (C !== W.shape[1]! * group) throw new Rejected(`X channels ${C} != W channels ${W.shape[1]} × group ${group}`);
    if (M % group !== 0) throw new Rejected('output channels not divisible by group');
    const pp = inSp.map((L, a): [number, number] =>
      autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER' ? same(L, effK[a]!, strides[a]!, autoPad === 'SAME_LOWER', bugs) : autoPad === 'VALID' ? [0, 0] : explicit(a),
    );
    const outSp = inSp.map((L, a) => {
      const padded = L + pp[a]![0] + pp[a]![1];
      if (padded < effK[a]!) throw new Rejected(`axis ${a}: padded input smaller than the kernel`);
      return Math.floor((padded - effK[a]!) / strides[a]!) + 1;
    });
    return convolve({ transposed: false, N, C, M, group, inSp, kSp, outSp, strides, dilations: dil, lo: pp.map((p) => p[0]), x: X.data, w: W.data, ...(B ? { b: B.data } : {}) }, summation, bugs);
  }

  if (W.shape[0] !== C) throw new Rejected(`W's first axis ${W.shape[0]} != X channels ${C}`);
  if (C % group !== 0) throw new Rejected('group must divide the channels');
  const adj = ints(attrs['output_padding'], 'output_padding') ?? new Array<number>(r).fill(0);
  if (adj.length !== r) throw new Rejected(`output_padding must have ${r} entries`);
  adj.forEach((p, a) => {
    if (p < 0 || (p >= strides[a]! && p >= dil[a]!)) throw new Rejected(`output_padding ${p} must be below stride or dilation`);
  });
  const outShape = ints(attrs['output_shape'], 'output_shape');
  if (outShape && outShape.length !== r) throw new Rejected(`output_shape must list ${r} sizes`);
  const pp = inSp.map((L, a): [number, number] => {
    const natural = (L - 1) * strides[a]! + effK[a]! + adj[a]!;
    const sameTarget = autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER' ? L * strides[a]! : undefined;
    const target = outShape?.[a] ?? sameTarget;
    if (target === undefined) return autoPad === 'VALID' ? [0, 0] : explicit(a);
    const total = natural - target;
    const half = Math.floor(total / 2);
    let upper = autoPad === 'SAME_UPPER';
    if (bugs.sameSwapped && (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER')) upper = !upper;
    if (bugs.outputShapeOddAtEnd && outShape) upper = true;
    return upper ? [half, total - half] : [total - half, half];
  });
  const outSp = inSp.map((L, a) => {
    const o = (L - 1) * strides[a]! + effK[a]! - pp[a]![0] - pp[a]![1] + adj[a]!;
    if (o < 1) throw new Rejected(`non-positive output size on axis ${a}`);
    return o;
  });
  let w = W.data;
  if (bugs.transposeKernelSwapped) {
    // Reads W as [M/g, C, K…]: element (c, m, t) taken from flat ((m·C + c)·taps + t).
    const Mg = W.shape[1]!;
    const taps = kSp.reduce((p, k) => p * k, 1);
    w = new Float64Array(W.data.length);
    for (let ci = 0; ci < C; ci++) for (let m = 0; m < Mg; m++) for (let t = 0; t < taps; t++) w[(ci * Mg + m) * taps + t] = W.data[(m * C + ci) * taps + t]!;
  }
  const lo = pp.map((p, a) => (bugs.outputPaddingAtStart ? p[0] - adj[a]! : p[0]));
  return convolve({ transposed: true, N, C, M, group, inSp, kSp, outSp, strides, dilations: dil, lo, x: X.data, w, ...(B ? { b: B.data } : {}) }, summation, bugs);
}

/** An ONNX adapter for Conv and ConvTranspose with the given summation and bugs. */
export function onnxAdapter(name: string, summation: Summation, bugs: OnnxBugs = {}, ops: readonly ('Conv' | 'ConvTranspose')[] = ['Conv', 'ConvTranspose']): Adapter {
  const cache = new Map<string, Float64Array>();
  return {
    name,
    framework: 'onnx',
    ops,
    run(c: CaseJson) {
      if (c.framework !== 'onnx' || !ops.includes(c.op as 'Conv')) throw new Error(`${name} does not implement ${c.framework} ${c.op}`);
      return runOnnx(c, summation, bugs, cache);
    },
  };
}
