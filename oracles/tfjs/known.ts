/**
 * Known findings of TensorFlow.js 4.22, and of TF's oneDNN kernels under tfjs-node, beyond the
 * two in oracles/known.ts (tfjs-depthwise-nchw, tfjs-conv3d-same-negative-pad). Each was
 * reproduced against TF 2.21 (Python) with a minimal case in test/oracles/tfjs.test.ts
 * ("tfjs findings"); oracles/known.ts includes them in KNOWN.
 */
import type { CaseJson } from '../../src/case/case.js';
import type { KnownFinding } from '../known.js';

const RANK: Readonly<Record<string, number>> = {
  conv1d: 1,
  conv2d: 2,
  conv3d: 3,
  conv1d_transpose: 1,
  conv2d_transpose: 2,
  conv3d_transpose: 3,
  depthwise_conv2d: 2,
};

interface Geometry {
  /** Spatial sizes of the forward conv's input (for a transpose: output_shape's). */
  readonly inSp: number[];
  /** Spatial sizes of the forward conv's output (for a transpose: the input's). */
  readonly outSp?: number[];
  readonly effK: number[];
  readonly strides: number[];
  readonly padding: unknown;
  /** Explicit spatial [before, after] pairs, when padding is a list. */
  readonly pads?: number[][];
}

function spatial(v: unknown, r: number, cFirst: boolean, dflt: number): number[] {
  const l = typeof v === 'number' ? [v] : Array.isArray(v) ? (v as number[]) : [];
  if (l.length === 0) return new Array<number>(r).fill(dflt);
  if (l.length === 1) return new Array<number>(r).fill(l[0]!);
  if (l.length === r) return l;
  if (r === 1 && l.length === 3) return [cFirst ? l[2]! : l[1]!];
  return cFirst ? l.slice(2) : l.slice(1, r + 1);
}

function geometry(c: CaseJson): Geometry | undefined {
  const r = RANK[c.op];
  if (c.framework !== 'tf' || r === undefined) return undefined;
  const a = c.attrs ?? {};
  const cFirst = String(a['data_format'] ?? '').startsWith('NC');
  const x = c.inputs['input'];
  const w = c.inputs[c.op === 'depthwise_conv2d' ? 'filter' : 'filters'];
  if (!x || !w || x.shape.length !== r + 2) return undefined;
  const sp = <T>(v: readonly T[]): T[] => (cFirst ? v.slice(2) : v.slice(1, r + 1));
  const strides = spatial(a[c.op === 'conv1d' ? 'stride' : 'strides'], r, cFirst, 1);
  const dil = spatial(a['dilations'], r, c.op === 'depthwise_conv2d' ? false : cFirst, 1);
  const effK = w.shape.slice(0, r).map((k, i) => (k - 1) * (dil[i] ?? 1) + 1);
  const padding = a['padding'] ?? (c.op.endsWith('_transpose') ? 'SAME' : undefined);
  const pads = Array.isArray(padding) ? sp(padding as number[][]) : undefined;
  const base = { effK, strides, padding, ...(pads ? { pads } : {}) };
  if (c.op.endsWith('_transpose')) {
    const os = a['output_shape'];
    if (!Array.isArray(os) || os.length !== r + 2) return undefined;
    return { ...base, inSp: sp(os as number[]), outSp: sp(x.shape) };
  }
  return { ...base, inSp: sp(x.shape) };
}

/** TF's forward output size along axis i (negative where TF rejects). */
function forwardSize(g: Geometry, i: number): number {
  const n = g.inSp[i]!;
  const s = g.strides[i]!;
  if (g.padding === 'SAME') return Math.ceil(n / s);
  const p = g.pads ? g.pads[i]![0]! + g.pads[i]![1]! : 0;
  return Math.trunc((n + p - g.effK[i]! + s) / s);
}

/** SAME total padding (out-1)·s + k − in, before TF's max(0, ·). */
function sameTotals(g: Geometry): number[] {
  return g.inSp.map((n, i) => {
    const out = g.outSp ? g.outSp[i]! : Math.ceil(n / g.strides[i]!);
    return (out - 1) * g.strides[i]! + g.effK[i]! - n;
  });
}

/** Some forward output dimension is empty (or, by tfjs' VALID arithmetic, negative). */
function emptyForwardOutput(c: CaseJson): boolean {
  const g = geometry(c);
  if (!g || g.outSp) return false;
  const x = c.inputs['input']!;
  if (x.shape.some((d) => d === 0)) return true;
  return g.inSp.some((n, i) => {
    const padded = n + (g.pads ? g.pads[i]![0]! + g.pads[i]![1]! : 0);
    return g.padding !== 'SAME' && padded < g.effK[i]!;
  });
}

export const TFJS_KNOWN: readonly KnownFinding[] = [
  {
    id: 'tfjs-transpose-output-shape-unchecked',
    oracles: ['tfjs-cpu', 'tfjs-wasm'],
    summary: 'tfjs conv2dTranspose/conv3dTranspose never check output_shape against the input: where TF raises, they return uninitialised or NaN values',
    matches: (c) => {
      if (!c.op.endsWith('_transpose')) return false;
      const g = geometry(c);
      return !!g && g.inSp.some((_, i) => forwardSize(g, i) !== g.outSp![i]);
    },
  },
  {
    id: 'tfjs-transpose-nonpositive-stride',
    oracles: ['tfjs-cpu', 'tfjs-wasm'],
    summary: 'tfjs conv2dTranspose/conv3dTranspose do not check strides (conv2d/conv3d do): a stride of 0 or less returns zeros where TF raises "Stride must be > 0"',
    matches: (c) => {
      if (!c.op.endsWith('_transpose')) return false;
      const g = geometry(c);
      return !!g && g.strides.some((s) => s < 1);
    },
  },
  {
    id: 'tfjs-valid-negative-size',
    oracles: ['tfjs-cpu', 'tfjs-wasm'],
    summary:
      "tfjs' VALID output size ceil((in − k + 1)/s) goes negative where TF's (in − k + s)/s truncates to 0: cpu throws \"Invalid typed array length\", wasm returns a -1 dimension",
    matches: (c) => {
      const g = geometry(c);
      if (!g || g.outSp || g.padding !== 'VALID') return false;
      return g.inSp.some((n, i) => Math.ceil((n - g.effK[i]! + 1) / g.strides[i]!) < 0 && forwardSize(g, i) >= 0);
    },
  },
  {
    id: 'tfjs-conv3d-valid-kernel-larger',
    oracles: ['tfjs-cpu', 'tfjs-wasm'],
    summary:
      "tfjs conv3d with VALID and an input shorter than the (dilated) kernel returns an empty result (its 3-D output size is 0 whenever in < k) where TF's (in − k + s)/s is negative and TF raises",
    matches: (c) => {
      if (c.op !== 'conv3d') return false;
      const g = geometry(c);
      return !!g && g.padding === 'VALID' && g.inSp.some((_, i) => forwardSize(g, i) < 0);
    },
  },
  {
    id: 'tfjs-wasm-empty-output',
    oracles: ['tfjs-wasm'],
    summary:
      'the wasm kernels trap ("memory access out of bounds", "table index is out of bounds") on a conv whose output has an empty dimension, and leave the module corrupted (the oracle replaces it); TF returns the empty result',
    matches: emptyForwardOutput,
  },
  {
    id: 'tf-onednn-empty-output',
    oracles: ['tfjs-node'],
    summary:
      "TF's oneDNN Conv2D/Conv3D/DepthwiseConv2dNative (the default CPU kernels) return a tensor of uninitialised memory, of the wrong shape, where the output has an empty dimension (Eigen kernels: the empty result)",
    matches: emptyForwardOutput,
  },
  {
    id: 'tfjs-wasm-same-negative-slack',
    oracles: ['tfjs-wasm'],
    summary: 'tfjs-wasm (XNNPACK) conv1d/conv2d/depthwise with SAME where (out−1)·s + k − in < 0 (stride > kernel with slack): the output is zeros',
    matches: (c) => {
      if (c.op !== 'conv1d' && c.op !== 'conv2d' && c.op !== 'depthwise_conv2d') return false;
      const g = geometry(c);
      return !!g && g.padding === 'SAME' && sameTotals(g).some((t) => t < 0);
    },
  },
  {
    id: 'tfjs-wasm-conv3d-transpose',
    oracles: ['tfjs-wasm'],
    summary: "tfjs-wasm's Conv3DBackpropInputV2 kernel drops contributions along depth and height and leaves parts of its output uninitialised",
    matches: (c) => c.framework === 'tf' && c.op === 'conv3d_transpose',
  },
];
