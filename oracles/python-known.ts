/**
 * Known findings of the Python oracles (torch, jax, tf, tf-eigen on bridge/convcheck_bridge.py),
 * each checked by hand and written up with a minimal case and a Python repro in
 * docs/findings-python.md. oracles/known.ts includes them in KNOWN.
 */
import type { CaseJson } from '../src/case/case.js';
import type { KnownFinding } from './known.js';

const list = (v: unknown): number[] => (Array.isArray(v) ? (v as number[]) : typeof v === 'number' ? [v] : []);

/** Spatial entries of a TF strides/dilations value for a 3-D op (int, 3 or 5 entries). */
function spatial3(v: unknown, cFirst: boolean): number[] {
  const l = list(v);
  if (l.length === 5) return cFirst ? l.slice(2) : l.slice(1, 4);
  if (l.length === 3) return l;
  return l.length === 1 ? [l[0]!, l[0]!, l[0]!] : [1, 1, 1];
}

/** TF's SAME rule, unclamped, is -2 or less on some axis of a conv3d (where Eigen's Conv3D goes wrong). */
function conv3dSameNegativePad(c: CaseJson): boolean {
  if (c.framework !== 'tf' || c.op !== 'conv3d' || c.attrs?.['padding'] !== 'SAME') return false;
  const x = c.inputs['input'];
  const f = c.inputs['filters'];
  if (!x || !f) return false;
  const cFirst = c.attrs?.['data_format'] === 'NCDHW';
  const inSp = cFirst ? x.shape.slice(2) : x.shape.slice(1, 4);
  const s = spatial3(c.attrs?.['strides'], cFirst);
  const d = spatial3(c.attrs?.['dilations'], cFirst);
  const k = f.shape.slice(0, 3).map((kk, i) => (kk - 1) * d[i]! + 1);
  return inSp.some((L, i) => (Math.ceil(L / s[i]!) - 1) * s[i]! + k[i]! - L <= -2);
}

export const PYTHON_KNOWN: readonly KnownFinding[] = [
  {
    id: 'tf-eigen-conv3d-same-negative-pad',
    oracles: ['tf-eigen'],
    summary:
      "TensorFlow's Eigen Conv3D with SAME padding, where the total padding (out - 1)·s + k - in is -2 or less on an axis (stride larger than the kernel), halves the negative padding instead of clamping it to 0: the window starts one element (or more) late. Conv3DBackpropInputV2 and oneDNN are right",
    matches: conv3dSameNegativePad,
  },
  {
    id: 'tf-conv3d-float64-same-negative-pad',
    oracles: ['tf'],
    summary:
      'The same Eigen Conv3D SAME bug in the default (oneDNN) build for float64: oneDNN computes only float32, so float64 Conv3D runs on Eigen',
    matches: (c) => c.dtype === 'float64' && conv3dSameNegativePad(c),
  },
  {
    id: 'tf-onednn-conv3d-strided-stale',
    // tfjs-node runs the same libtensorflow 2.21 kernels (oneDNN on by default).
    oracles: ['tf', 'tfjs-node'],
    summary:
      "TensorFlow's oneDNN Conv3D (float32) with a stride > 1 returns values that depend on the Conv3D calls made before it in the process: zeros where the answer is not, or uninitialised memory (e.g. -6e27). The same call in a fresh process is right",
    matches: (c) => c.framework === 'tf' && c.op === 'conv3d' && (c.dtype ?? 'float32') === 'float32' && spatial3(c.attrs?.['strides'], c.attrs?.['data_format'] === 'NCDHW').some((x) => x > 1),
  },
];
