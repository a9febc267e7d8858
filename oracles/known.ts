/**
 * Known discrepancies: real departures of an oracle from its convention's spec, each found by
 * convcheck, checked by hand, and written up in docs/findings.md with a minimal case. A run
 * counts a failure that matches one as "known" and keeps searching for new ones; anything else
 * is new.
 */
import type { CaseJson } from '../src/case/case.js';
import { PYTHON_KNOWN } from './python-known.js';
import { TFJS_KNOWN } from './tfjs/known.js';

export interface KnownFinding {
  readonly id: string;
  readonly oracles: readonly string[];
  readonly summary: string;
  /** Upstream issue, where one exists. */
  readonly upstream?: string;
  /** Whether a failing case falls in this finding's region. */
  matches(c: CaseJson): boolean;
}

const list = (v: unknown): number[] => (Array.isArray(v) ? (v as number[]) : typeof v === 'number' ? [v] : []);
const spatialKernel = (w: { shape: number[] } | undefined, first: number) => (w ? w.shape.slice(first) : []);
const effK = (k: number[], d: number[]) => k.map((x, i) => (x - 1) * (d[i] ?? 1) + 1);

const BASE: readonly KnownFinding[] = [
  {
    id: 'ort-conv-same-dilation',
    oracles: ['ort'],
    summary: 'onnxruntime refuses Conv with auto_pad SAME_UPPER/SAME_LOWER and dilations > 1, which the ONNX spec defines',
    matches: (c) => c.framework === 'onnx' && c.op === 'Conv' && /^SAME_/.test(String(c.attrs?.['auto_pad'] ?? '')) && list(c.attrs?.['dilations']).some((d) => d > 1),
  },
  {
    id: 'ort-convtranspose-negative-total-padding',
    oracles: ['ort'],
    summary: 'onnxruntime clamps a negative total padding of ConvTranspose to 0 (auto_pad SAME_* with stride > kernel, or an output_shape above the natural size), changing size and placement',
    matches: (c) => {
      if (c.framework !== 'onnx' || c.op !== 'ConvTranspose') return false;
      const x = c.inputs['X'];
      if (!x) return false;
      const r = x.shape.length - 2;
      const s = list(c.attrs?.['strides']);
      const d = list(c.attrs?.['dilations']);
      const adj = list(c.attrs?.['output_padding']);
      const k = effK(spatialKernel(c.inputs['W'], 2), d);
      const natural = x.shape.slice(2).map((L, i) => (L - 1) * (s[i] ?? 1) + k[i]! + (adj[i] ?? 0));
      const target = list(c.attrs?.['output_shape']);
      const same = /^SAME_/.test(String(c.attrs?.['auto_pad'] ?? ''));
      return Array.from({ length: r }, (_, i) => target[i] ?? (same ? x.shape[i + 2]! * (s[i] ?? 1) : undefined)).some((t, i) => t !== undefined && t > natural[i]!);
    },
  },
  {
    id: 'ort-convtranspose-output-padding-dilation',
    oracles: ['ort'],
    summary: 'onnxruntime refuses ConvTranspose output_padding >= stride even when it is below the dilation (its own attribute check allows max(stride, dilation))',
    matches: (c) => {
      if (c.framework !== 'onnx' || c.op !== 'ConvTranspose') return false;
      const s = list(c.attrs?.['strides']);
      return list(c.attrs?.['output_padding']).some((p, i) => p >= (s[i] ?? 1));
    },
  },
  {
    id: 'tf-onednn-single-channel-backprop-input',
    oracles: ['tfjs-node'],
    summary:
      'TensorFlow 2.21 with oneDNN (the default CPU build) computes Conv2DBackpropInput / Conv3DBackpropInputV2 wrongly when input and output have one channel: only the first kernel tap is used',
    matches: (c) => {
      if (c.framework !== 'tf' || !c.op.endsWith('_transpose')) return false;
      const f = c.inputs['filters'];
      if (!f) return false;
      const r = f.shape.length - 2;
      return f.shape[r] === 1 && f.shape[r + 1] === 1 && f.shape.slice(0, r).some((k) => k > 1);
    },
  },
  {
    id: 'tfjs-depthwise-nchw',
    oracles: ['tfjs-cpu', 'tfjs-wasm', 'tfjs-node'],
    summary:
      "tf.depthwiseConv2d accepts dataFormat 'NCHW', but the cpu and wasm kernels compute as if it were NHWC (wrong shape and values; wasm can fault with 'memory access out of bounds'), and tfjs-node fails with 'Invalid TF_Status: 3'",
    matches: (c) => c.framework === 'tf' && c.op === 'depthwise_conv2d' && c.attrs?.['data_format'] === 'NCHW',
  },
  {
    id: 'tfjs-conv3d-same-negative-pad',
    oracles: ['tfjs-cpu', 'tfjs-wasm'],
    summary:
      "tf.conv3d and tf.conv3dTranspose with 'same' padding and a stride larger than the (dilated) kernel do not clamp the negative total padding to 0: the window is shifted by one element (conv2d and conv2dTranspose are right; tfjs-node is right)",
    matches: (c) => {
      if (c.framework !== 'tf' || (c.op !== 'conv3d' && c.op !== 'conv3d_transpose') || (c.attrs?.['padding'] ?? 'SAME') !== 'SAME') return false;
      const f = c.inputs['filters'];
      const x = c.inputs['input'];
      if (!f || !x) return false;
      const cFirst = c.attrs?.['data_format'] === 'NCDHW';
      const sp = (shape: readonly number[]) => (cFirst ? shape.slice(2) : shape.slice(1, 4));
      const full = (v: unknown) => {
        const l = list(v);
        if (l.length === 5) return cFirst ? l.slice(2) : l.slice(1, 4);
        return l.length === 1 ? [l[0]!, l[0]!, l[0]!] : l.length === 3 ? l : [1, 1, 1];
      };
      const s = full(c.attrs?.['strides']);
      const k = effK(f.shape.slice(0, 3), full(c.attrs?.['dilations']));
      // The forward conv's SAME total padding, before clamping: (out - 1)·s + k - in.
      const [inSp, outSp] = c.op === 'conv3d' ? [sp(x.shape), sp(x.shape).map((L, i) => Math.ceil(L / s[i]!))] : [sp(list(c.attrs?.['output_shape'])), sp(x.shape)];
      return inSp.some((L, i) => (outSp[i]! - 1) * s[i]! + k[i]! - L < 0);
    },
  },
  {
    id: 'ort-negative-pads-accepted',
    oracles: ['ort'],
    summary: 'onnxruntime accepts negative pads (the spec: "it can take any value greater than or equal to 0") and crops instead of refusing',
    matches: (c) => c.framework === 'onnx' && list(c.attrs?.['pads']).some((p) => p < 0),
  },
];

/** Every known finding: the ones above, the TensorFlow.js ones (oracles/tfjs/known.ts) and the Python ones (oracles/python-known.ts). */
export const KNOWN: readonly KnownFinding[] = [...BASE, ...TFJS_KNOWN, ...PYTHON_KNOWN];

export function knownFinding(oracle: string, cases: readonly CaseJson[]): KnownFinding | undefined {
  return KNOWN.find((k) => k.oracles.includes(oracle) && cases.some((c) => k.matches(c)));
}
