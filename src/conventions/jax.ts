/**
 * JAX (`jax.lax`) conventions. conv_general_dilated *is* the canonical op; its dimension_numbers
 * are permutations at the edges. conv_transpose is conv_general_dilated with lhs_dilation =
 * strides and padding from `_conv_transpose_padding`, mirrored here branch for branch: that
 * function reads explicit pads as pads of the *dilated* conv unless use_consistent_padding is set,
 * and strings other than exactly 'SAME'/'VALID' fall through to conv_general_dilated.
 */
import { ConvError, show } from '../core/errors.js';
import type { Layout } from '../core/reference.js';
import { dilatedSize, samePadding, type PadPair } from '../core/shapes.js';
import { flip, swapAxes, type Tensor } from '../core/tensor.js';
import { Attrs } from './attrs.js';
import { type ConvCall, type Lowering } from './lowering.js';

export const JAX_OPS = {
  conv_general_dilated: {
    attrs: ['window_strides', 'padding', 'lhs_dilation', 'rhs_dilation', 'dimension_numbers', 'feature_group_count', 'batch_group_count', 'precision', 'preferred_element_type'],
    inputs: ['lhs', 'rhs'],
  },
  conv_transpose: {
    attrs: ['strides', 'padding', 'rhs_dilation', 'dimension_numbers', 'transpose_kernel', 'use_consistent_padding', 'precision', 'preferred_element_type'],
    inputs: ['lhs', 'rhs'],
  },
} as const;

/** JAX's dimension-number strings, e.g. ['NWC', 'WIO', 'NWC']. */
export type DimensionNumbers = readonly [string, string, string];

/**
 * conv_general_permutations: spatial axes follow the order in which their letters appear in the
 * rhs spec; lhs and out spatial axes are matched to those letters.
 */
export function layoutFromSpecs(op: string, dn: DimensionNumbers, ndim: number): Layout {
  const pairs = [['N', 'C'], ['O', 'I'], ['N', 'C']] as const;
  dn.forEach((spec, i) => {
    const [a, b] = pairs[i]!;
    if (count(spec, a) !== 1 || count(spec, b) !== 1) {
      throw new ConvError(op, 'dimension_numbers', `[${i}] must contain the characters '${a}' and '${b}' exactly once, got ${show(spec)}`);
    }
    if (new Set(spec).size !== spec.length) throw new ConvError(op, 'dimension_numbers', `[${i}] cannot have duplicate characters, got ${show(spec)}`);
    if (spec.length !== ndim) throw new ConvError(op, 'dimension_numbers', `[${i}] ${show(spec)} must have one character per operand axis (${ndim})`);
  });
  const spatialOf = (s: string, [a, b]: readonly [string, string]) => [...s].filter((c) => c !== a && c !== b).sort().join();
  if (spatialOf(dn[0], pairs[0]) !== spatialOf(dn[1], pairs[1]) || spatialOf(dn[1], pairs[1]) !== spatialOf(dn[2], pairs[2])) {
    throw new ConvError(op, 'dimension_numbers', `elements must each have the same set of spatial characters, got ${show(dn)}`);
  }
  const letters = [...dn[1]].filter((c) => c !== 'O' && c !== 'I');
  const at = (s: string) => letters.map((c) => s.indexOf(c));
  return {
    lhs: [dn[0].indexOf('N'), ...at(dn[0]), dn[0].indexOf('C')],
    rhs: [...at(dn[1]), dn[1].indexOf('I'), dn[1].indexOf('O')],
    out: [dn[2].indexOf('N'), ...at(dn[2]), dn[2].indexOf('C')],
  };
}

function count(s: string, c: string): number {
  return [...s].filter((x) => x === c).length;
}

function readDimensionNumbers(a: Attrs): DimensionNumbers | undefined {
  const v = a.raw('dimension_numbers');
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v) && v.length === 3 && v.every((s) => typeof s === 'string')) return v as unknown as DimensionNumbers;
  throw a.malformed('dimension_numbers', 'null or a list of three spec strings such as ["NHWC", "HWIO", "NHWC"]');
}

function defaultSpecs(ndim: number, channelsLast: boolean): DimensionNumbers {
  const sp = 'HWDXYZ'.slice(0, ndim - 2);
  return channelsLast ? [`N${sp}C`, `${sp}IO`, `N${sp}C`] : [`NC${sp}`, `OI${sp}`, `NC${sp}`];
}

function perAxis(a: Attrs, name: string, r: number, required: boolean): number[] {
  const v = a.intList(name);
  if (v === undefined) {
    if (required) throw a.required(name);
    return new Array<number>(r).fill(1);
  }
  if (v.length !== r) throw a.reject(name, `must have ${r} entries (one per spatial axis), got ${show(v)}`);
  if (v.some((x) => x < 1)) throw a.reject(name, `must be positive, got ${show(v)}`);
  return v;
}

/** lax.padtype_to_pads: 'SAME', 'SAME_LOWER', 'VALID', case-insensitive. */
function padsFromString(op: string, mode: string, inSp: readonly number[], effK: readonly number[], strides: readonly number[]): PadPair[] {
  const m = mode.toUpperCase();
  if (m === 'VALID') return inSp.map(() => [0, 0] as const);
  if (m === 'SAME' || m === 'SAME_LOWER') return inSp.map((l, i) => samePadding(l, effK[i]!, strides[i]!, m === 'SAME_LOWER'));
  throw new ConvError(op, 'padding', `unrecognized padding type: expected 'VALID', 'SAME', or 'SAME_LOWER', got ${show(mode)}`);
}

function checkPairs(op: string, p: Array<[number, number]>, r: number): PadPair[] {
  if (p.length !== r) throw new ConvError(op, 'padding', `must have ${r} (low, high) pairs, got ${show(p)}`);
  return p;
}

interface GeneralArgs {
  readonly op: string;
  readonly lhs: Tensor;
  readonly rhs: Tensor;
  readonly dn: DimensionNumbers;
  readonly windowStrides: number[];
  readonly padding: string | Array<[number, number]>;
  readonly lhsDilation?: number[];
  readonly rhsDilation: number[];
  readonly featureGroupCount: number;
  readonly batchGroupCount: number;
  readonly kernelSteps: string[];
}

function lowerGeneral(g: GeneralArgs): Lowering {
  const r = g.lhs.shape.length - 2;
  if (g.rhs.shape.length !== g.lhs.shape.length) {
    throw new ConvError(g.op, 'rhs', `must have the same rank as lhs, got lhs [${g.lhs.shape.join(', ')}] and rhs [${g.rhs.shape.join(', ')}]`);
  }
  const layout = layoutFromSpecs(g.op, g.dn, g.lhs.shape.length);
  const lhsDilation = g.lhsDilation ?? new Array<number>(r).fill(1);
  let padding: PadPair[];
  if (typeof g.padding === 'string') {
    if (lhsDilation.some((d) => d !== 1)) {
      throw new ConvError(g.op, 'padding', `string padding (${show(g.padding)}) is not implemented for transposed convolution (lhs_dilation ${show(lhsDilation)}): give explicit pairs or use conv_transpose`);
    }
    const inSp = layout.lhs.slice(1, r + 1).map((ax) => g.lhs.shape[ax]!);
    const effK = layout.rhs.slice(0, r).map((ax, i) => dilatedSize(g.rhs.shape[ax]!, g.rhsDilation[i]!));
    padding = padsFromString(g.op, g.padding, inSp, effK, g.windowStrides);
  } else {
    padding = checkPairs(g.op, g.padding, r);
  }
  return {
    op: g.op,
    lhs: g.lhs,
    rhs: g.rhs,
    layout,
    spec: { windowStrides: g.windowStrides, padding, lhsDilation, rhsDilation: g.rhsDilation, featureGroupCount: g.featureGroupCount, batchGroupCount: g.batchGroupCount },
    kernelSteps: g.kernelSteps,
  };
}

/** Bytes per element of the floating dtypes lax takes (jnp.dtype(name).itemsize). */
const FLOAT_ITEMSIZE: Readonly<Record<string, number>> = { float16: 2, bfloat16: 2, float32: 4, float64: 8 };

/**
 * lax's own check (_validate_preferred_element_type): on floating inputs it must be a floating
 * dtype no narrower than the input's; it does not change the reference, which accumulates in
 * float64 anyway. The input dtype is the case's, when the call carries one.
 */
function checkPreferredElementType(op: string, v: unknown, dtype: string | undefined): void {
  if (v === undefined || v === null) return;
  const size = typeof v === 'string' ? FLOAT_ITEMSIZE[v] : undefined;
  if (size === undefined) throw new ConvError(op, 'preferred_element_type', `must be a floating dtype name (${Object.keys(FLOAT_ITEMSIZE).join(', ')}) or null, got ${JSON.stringify(v)}`);
  const input = dtype === undefined ? undefined : FLOAT_ITEMSIZE[dtype];
  if (input !== undefined && size < input) throw new ConvError(op, 'preferred_element_type', `must not be narrower than the input dtype ${dtype}, got ${v}`);
}

export function lowerJax(call: ConvCall): Lowering {
  const op = `jax.lax.${call.op}`;
  const a = new Attrs(op, call.attrs);
  const lhs = call.inputs['lhs']!;
  const rhs = call.inputs['rhs']!;
  const ndim = lhs.shape.length;
  if (ndim < 2) throw new ConvError(op, 'lhs', `must have rank >= 2, got [${lhs.shape.join(', ')}]`);
  const r = ndim - 2;
  a.raw('precision'); // accepted: the reference always accumulates in float64
  checkPreferredElementType(op, a.raw('preferred_element_type'), (call as { dtype?: string }).dtype);

  if (call.op === 'conv_general_dilated') {
    const padding = a.paddingSpec('padding');
    return lowerGeneral({
      op,
      lhs,
      rhs,
      dn: readDimensionNumbers(a) ?? defaultSpecs(ndim, false),
      windowStrides: perAxis(a, 'window_strides', r, true),
      padding,
      lhsDilation: perAxis(a, 'lhs_dilation', r, false),
      rhsDilation: perAxis(a, 'rhs_dilation', r, false),
      featureGroupCount: a.int('feature_group_count', 1),
      batchGroupCount: a.int('batch_group_count', 1),
      kernelSteps: [],
    });
  }

  // conv_transpose
  if (ndim > 5) throw new ConvError(op, 'lhs', `has no default dimension_numbers for rank ${ndim}`);
  if (rhs.shape.length !== ndim) {
    throw new ConvError(op, 'rhs', `must have the same rank as lhs, got lhs [${lhs.shape.join(', ')}] and rhs [${rhs.shape.join(', ')}]`);
  }
  const dn = readDimensionNumbers(a) ?? defaultSpecs(ndim, true);
  const strides = perAxis(a, 'strides', r, true);
  const rhsDilation = perAxis(a, 'rhs_dilation', r, false);
  const padding = a.paddingSpec('padding');
  const consistent = a.bool('use_consistent_padding', false);
  const transposeKernel = a.bool('transpose_kernel', false);
  const layout = layoutFromSpecs(op, dn, ndim);
  const effK = layout.rhs.slice(0, r).map((ax, i) => dilatedSize(rhs.shape[ax]!, rhsDilation[i]!));
  let pads: string | Array<[number, number]>;
  if (consistent || padding === 'SAME' || padding === 'VALID') {
    if (typeof padding !== 'string') checkPairs(op, padding, r);
    pads = effK.map((k, i) => jaxTransposePadding(op, k, strides[i]!, typeof padding === 'string' ? padding : padding[i]!));
  } else {
    pads = padding; // NB: handed to conv_general_dilated as is (pads of the dilated conv)
  }
  let kernel = rhs;
  const steps: string[] = [];
  if (transposeKernel) {
    const spatialAxes = layout.rhs.slice(0, r);
    const [iAx, oAx] = [layout.rhs[r]!, layout.rhs[r + 1]!];
    kernel = swapAxes(flip(rhs, spatialAxes), oAx, iAx);
    steps.push(`flip spatial axes [${spatialAxes.join(', ')}]`, `swap axes ${oAx} (O) and ${iAx} (I)`);
  }
  return lowerGeneral({
    op,
    lhs,
    rhs: kernel,
    dn,
    windowStrides: new Array<number>(r).fill(1),
    padding: pads,
    lhsDilation: strides,
    rhsDilation,
    featureGroupCount: 1,
    batchGroupCount: 1,
    kernelSteps: steps,
  });
}

/** jax's `_conv_transpose_padding(k, s, padding)` for one axis, k the dilated kernel size. */
export function jaxTransposePadding(op: string, k: number, s: number, padding: string | readonly number[]): [number, number] {
  let padLen: number;
  let padA: number;
  if (padding === 'SAME') {
    padLen = k + s - 2;
    padA = s > k - 1 ? k - 1 : Math.ceil(padLen / 2);
  } else if (padding === 'VALID') {
    padLen = k + s - 2 + Math.max(k - s, 0);
    padA = k - 1;
  } else if (typeof padding !== 'string') {
    // Explicit pads of the forward conv become k - p - 1 on each side.
    padA = k - padding[0]! - 1;
    padLen = padA + (k - padding[1]! - 1);
  } else {
    throw new ConvError(op, 'padding', `invalid padding mode ${show(padding)} (with use_consistent_padding only 'SAME', 'VALID' or pairs)`);
  }
  return [padA, padLen - padA];
}

