/**
 * The quantities a known-finding region may test (docs/known-findings.md): sizes, strides and
 * paddings derived from a case of the tf or onnx convention, per spatial axis and per call.
 *
 * They are computed from the case's own attributes, not from the reference's lowering, because
 * most findings live exactly where the convention refuses the call (an output_shape that does not
 * match, a stride of 0, a negative size), and a lowering only exists for valid calls. The size
 * formulas are the conventions' own, from src/core/shapes.ts where it has them.
 */
import type { CaseJson } from '../../src/case/case.js';
import { dilatedSize } from '../../src/core/shapes.js';
import type { Value } from './expr.js';

/** Per call. */
export const SCALARS = ['op', 'rank', 'batch', 'inChannels', 'outChannels', 'groups', 'inputSize', 'padMode', 'layout', 'transposed', 'dtype'] as const;
/** Per spatial axis, in the framework's axis order. */
export const AXES = ['in', 'out', 'forwardOut', 'k', 'effK', 's', 'd', 'padLo', 'padHi', 'outputPadding', 'full', 'target'] as const;

export interface Quantities {
  readonly scalars: Record<(typeof SCALARS)[number], Value>;
  readonly axes: Array<Record<(typeof AXES)[number], number>>;
}

const TF_RANK: Readonly<Record<string, number>> = {
  conv1d: 1,
  conv2d: 2,
  conv3d: 3,
  conv1d_transpose: 1,
  conv2d_transpose: 2,
  conv3d_transpose: 3,
  depthwise_conv2d: 2,
};

const list = (v: unknown): number[] => (Array.isArray(v) ? (v as number[]) : typeof v === 'number' ? [v] : []);
const product = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

/** A TF per-axis attribute: one value, one per spatial axis, or one per input axis. */
function tfSpatial(v: unknown, r: number, cFirst: boolean, dflt: number): number[] {
  const l = list(v);
  if (l.length === 0) return new Array<number>(r).fill(dflt);
  if (l.length === 1) return new Array<number>(r).fill(l[0]!);
  if (l.length === r) return l;
  if (r === 1 && l.length === 3) return [cFirst ? l[2]! : l[1]!];
  return cFirst ? l.slice(2) : l.slice(1, r + 1);
}

function tf(c: CaseJson): Quantities | undefined {
  const r = TF_RANK[c.op];
  if (r === undefined) return undefined;
  const a = c.attrs ?? {};
  const cFirst = String(a['data_format'] ?? '').startsWith('NC');
  const x = c.inputs['input'];
  const depthwise = c.op === 'depthwise_conv2d';
  const w = c.inputs[depthwise ? 'filter' : 'filters'];
  const transposed = c.op.endsWith('_transpose');
  if (!x || !w || x.shape.length !== r + 2 || w.shape.length !== r + 2) return undefined;
  const sp = <T>(v: readonly T[]): T[] => (cFirst ? v.slice(2) : v.slice(1, r + 1));
  const s = tfSpatial(a[c.op === 'conv1d' ? 'stride' : 'strides'], r, cFirst, 1);
  // depthwise_conv2d's rate is spatial-only whatever the data format.
  const d = tfSpatial(a['dilations'], r, depthwise ? false : cFirst, 1);
  const k = w.shape.slice(0, r);
  const effK = k.map((x, i) => dilatedSize(x, d[i] ?? 1));
  const padding = a['padding'] ?? (transposed ? 'SAME' : undefined);
  const pads = Array.isArray(padding) ? sp(padding as number[][]) : undefined;
  const padMode = Array.isArray(padding) ? 'EXPLICIT' : String(padding);
  let inSp: number[];
  let outSp: number[] | undefined;
  if (transposed) {
    const os = a['output_shape'];
    if (!Array.isArray(os) || os.length !== r + 2) return undefined;
    inSp = sp(os as number[]);
    outSp = sp(x.shape);
  } else inSp = sp(x.shape);
  // TF's forward output size (negative where TF refuses the call).
  const forwardOut = inSp.map((n, i) => {
    if (padMode === 'SAME') return Math.ceil(n / s[i]!);
    const p = pads ? (pads[i]?.[0] ?? 0) + (pads[i]?.[1] ?? 0) : 0;
    return Math.trunc((n + p - effK[i]! + s[i]!) / s[i]!);
  });
  const inChannels = x.shape[cFirst ? 1 : r + 1]!;
  return {
    scalars: {
      op: c.op,
      rank: r,
      batch: x.shape[0]!,
      inChannels,
      outChannels: transposed ? w.shape[r]! : depthwise ? w.shape[r]! * w.shape[r + 1]! : w.shape[r + 1]!,
      groups: depthwise ? inChannels : transposed ? 1 : inChannels / w.shape[r]!,
      inputSize: product(x.shape),
      padMode,
      layout: cFirst ? 'channelsFirst' : 'channelsLast',
      dtype: c.dtype ?? 'float32',
      transposed,
    },
    axes: inSp.map((n, i) => ({
      in: n,
      out: outSp ? outSp[i]! : forwardOut[i]!,
      forwardOut: forwardOut[i]!,
      k: k[i]!,
      effK: effK[i]!,
      s: s[i]!,
      d: d[i]!,
      padLo: pads?.[i]?.[0] ?? 0,
      padHi: pads?.[i]?.[1] ?? 0,
      outputPadding: 0,
      full: outSp ? (outSp[i]! - 1) * s[i]! + effK[i]! : NaN,
      target: outSp ? n : NaN,
    })),
  };
}

function onnx(c: CaseJson): Quantities | undefined {
  if (c.op !== 'Conv' && c.op !== 'ConvTranspose') return undefined;
  const a = c.attrs ?? {};
  const x = c.inputs['X'];
  const w = c.inputs['W'];
  if (!x || !w || x.shape.length < 3 || w.shape.length !== x.shape.length) return undefined;
  const r = x.shape.length - 2;
  const at = (name: string, i: number, dflt: number) => list(a[name])[i] ?? dflt;
  const padMode = String(a['auto_pad'] ?? 'NOTSET') === 'NOTSET' ? 'EXPLICIT' : String(a['auto_pad']);
  const same = padMode.startsWith('SAME_');
  const transposed = c.op === 'ConvTranspose';
  const group = at('group', 0, 1);
  const axes = x.shape.slice(2).map((L, i) => {
    const s = at('strides', i, 1);
    const d = at('dilations', i, 1);
    const k = w.shape[i + 2]!;
    const effK = dilatedSize(k, d);
    const [padLo, padHi] = padMode === 'EXPLICIT' ? [at('pads', i, 0), at('pads', i + r, 0)] : [0, 0];
    const outputPadding = at('output_padding', i, 0);
    // ONNX's forward output size of an input of n.
    const fwd = (n: number) => (same ? Math.ceil(n / s) : padMode === 'VALID' ? Math.ceil((n - effK + 1) / s) : Math.floor((n + padLo + padHi - effK) / s) + 1);
    if (!transposed) return { in: L, out: fwd(L), forwardOut: fwd(L), k, effK, s, d, padLo, padHi, outputPadding, full: NaN, target: NaN };
    const full = (L - 1) * s + effK + outputPadding;
    const given = list(a['output_shape']);
    const target = given.length ? (given[given.length - r + i] ?? NaN) : same ? L * s : NaN;
    const inSize = Number.isNaN(target) ? full - padLo - padHi : target;
    return { in: inSize, out: L, forwardOut: fwd(inSize), k, effK, s, d, padLo, padHi, outputPadding, full, target };
  });
  return {
    scalars: {
      op: c.op,
      rank: r,
      batch: x.shape[0]!,
      inChannels: x.shape[1]!,
      outChannels: transposed ? w.shape[1]! * group : w.shape[0]!,
      groups: group,
      inputSize: product(x.shape),
      padMode,
      layout: 'channelsFirst',
      transposed,
      dtype: c.dtype ?? 'float32',
    },
    axes,
  };
}

/** Per case object: every finding's predicate asks for them (a case is not changed once drawn). */
const memo = new WeakMap<CaseJson, Quantities | null>();

/** The quantities of a case, or undefined when convcheck derives none for its framework and op. */
export function quantities(c: CaseJson): Quantities | undefined {
  let q = memo.get(c);
  if (q === undefined) memo.set(c, (q = (c.framework === 'tf' ? tf(c) : c.framework === 'onnx' ? onnx(c) : undefined) ?? null));
  return q ?? undefined;
}
