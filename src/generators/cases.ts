/**
 * fast-check arbitraries of valid cases for every framework and op, built by construction: each
 * case is a pure function of independent draws (per-axis kernel, stride, dilation, padding,
 * slack; channels and groups; a pool of values), so shrinking moves each knob on its own and
 * never leaves the valid region. No `.filter`, no `.chain`.
 *
 * Corners reached on purpose: kernel < stride, odd total padding, negative padding (jax),
 * output_shape parity (tf, onnx), groups with several outputs per group, batch > 1,
 * non-uniform multi-channel kernels, every layout.
 */
import fc from 'fast-check';
import type { Feature } from '../../properties/capabilities.js';
import type { CaseJson } from '../case/case.js';
import type { Framework } from '../conventions/index.js';
import { dilatedSize } from '../core/shapes.js';
import { drawArb, type Axis, type Draw, type GenOptions } from './draw.js';

export type { GenOptions } from './draw.js';

/** The choices whose feature the implementation does not lack (a static list: a mapping, not a filter). */
function allowed<T>(d: Draw, options: ReadonlyArray<readonly [T, Feature?]>): T[] {
  return options.filter(([, f]) => f === undefined || !d.lacks.has(f)).map(([x]) => x);
}

const hasBias = (d: Draw) => d.pick[5]! < 0.4 && !d.lacks.has('bias');

const choose = <T>(u: number, xs: readonly T[]): T => xs[Math.min(xs.length - 1, Math.floor(u * xs.length))]!;
const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

/** Tensor `which` (0, 1, 2) of the case, filled from its pool. */
function tensor(d: Draw, which: number, shape: readonly number[]) {
  const pool = d.pools[which]!;
  return { shape: [...shape], data: Array.from({ length: prod(shape) }, (_, i) => pool[i % pool.length]!) };
}

const effK = (a: Axis) => dilatedSize(a.k, a.d);
/** Length of a forward input so that explicit pads still leave room for the kernel. */
const forwardLen = (a: Axis, lo: number, hi: number) => Math.max(1, effK(a) - lo - hi) + a.extra;
/** Slack below the stride: which of the s output sizes that map to the same input we take. */
const parity = (d: Draw, a: Axis) => (d.lacks.has('outputPadding') ? 0 : a.slack % a.s);
/** output_padding below stride or dilation (ONNX, torch), 0 when the implementation lacks it. */
const outputPad = (d: Draw, a: Axis) => (d.lacks.has('outputPadding') ? 0 : a.slack % Math.max(a.s, a.d));

function caseOf(d: Draw, framework: Framework, op: string, attrs: Record<string, unknown>, inputs: CaseJson['inputs']): CaseJson {
  return { framework, op, attrs, inputs, dtype: d.dtype };
}

// ---------------------------------------------------------------------------------------------
// tf

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

const SAME = ['SAME', 'samePadding'] as const;
const EXPLICIT = ['EXPLICIT', 'explicitPadding'] as const;
const VALID = ['VALID'] as const;

function tfConv(r: number, op: string, d: Draw): CaseJson {
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

function tfTranspose(r: number, op: string, d: Draw): CaseJson {
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

function tfDepthwise(d: Draw): CaseJson {
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

// ---------------------------------------------------------------------------------------------
// jax

const SPATIAL = 'HWD';

/** A random arrangement of the letters of a spec: `N`/`C` (or `O`/`I`) among the spatial ones. */
function arrange(u: number, letters: string[]): string {
  // Deterministic shuffle from one uniform: Lehmer-code style, enough variety for layouts.
  const xs = [...letters];
  let v = u;
  for (let i = xs.length - 1; i > 0; i--) {
    v *= i + 1;
    const j = Math.floor(v) % (i + 1);
    v -= Math.floor(v);
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs.join('');
}

/** JAX pairs window_strides[i] etc. with the i-th spatial letter of the rhs spec. */
function spatialLetters(rhsSpec: string): string[] {
  return [...rhsSpec].filter((c) => c !== 'O' && c !== 'I');
}

function shapeFor(spec: string, sizes: Record<string, number>): number[] {
  return [...spec].map((c) => sizes[c]!);
}

/**
 * Random dimension_numbers (a quarter of the time the defaults, null). With declared layouts, the
 * lhs and output specs are one of those of this rank, and the kernel keeps `rhsDefault`.
 */
function jaxSpecs(d: Draw, r: number, rhsDefault: string): [string, string, string] | null {
  const layouts = d.caps.layouts?.filter((l) => l.length === r + 2 && l.includes('N') && l.includes('C'));
  if (layouts?.length) {
    // JAX needs the same spatial letters in all three specs: rename the layout's to ours.
    let i = 0;
    const lhs = [...choose(d.pick[5]!, layouts)].map((c) => (c === 'N' || c === 'C' ? c : SPATIAL[i++]!)).join('');
    return [lhs, rhsDefault, lhs];
  }
  if (d.pick[5]! < 0.25) return null;
  const sp = [...SPATIAL.slice(0, r)];
  return [arrange(d.pick[5]!, ['N', 'C', ...sp]), arrange(d.pick[6]!, ['O', 'I', ...sp]), arrange(d.pick[7]!, ['N', 'C', ...sp])];
}

/** Signed pads for a dilated length: crop at most about half, then grow high so the kernel fits. */
function signedPads(d: Draw, a: Axis, dilLen: number): [number, number] {
  const maxCrop = d.lacks.has('negativePadding') ? 0 : Math.floor((dilLen - 1) / 2);
  const lo = Math.max(a.lo - 2, -maxCrop);
  let hi = Math.max(a.hi - 2, -maxCrop);
  if (dilLen + lo + hi < effK(a)) hi = effK(a) - dilLen - lo;
  return [lo, hi];
}

function jaxGeneral(r: number, d: Draw): CaseJson {
  const specs = jaxSpecs(d, r, 'OI' + SPATIAL.slice(0, r));
  const [lhsSpec, rhsSpec, outSpec] = specs ?? ['NC' + SPATIAL.slice(0, r), 'OI' + SPATIAL.slice(0, r), 'NC' + SPATIAL.slice(0, r)];
  const batchGroups = d.pick[0]! < 0.25 && !d.lacks.has('batchGroups');
  const g = d.ch.groups;
  const [fgc, bgc] = batchGroups ? [1, g] : [g, 1];
  const N = batchGroups ? d.ch.batch * g : d.ch.batch;
  const C = batchGroups ? d.ch.inPer : d.ch.inPer * g;
  const I = batchGroups ? C : d.ch.inPer;
  const O = d.ch.outPer * g;
  // lhs dilation needs explicit pads (string padding is refused with it).
  const lhsDil = d.pick[1]! < 0.3 && !d.lacks.has('lhsDilation') && !d.lacks.has('explicitPadding');
  const stringPad = !lhsDil && (d.pick[2]! < 0.5 || d.lacks.has('explicitPadding'));
  const mode = choose(d.pick[3]!, allowed(d, [SAME, ['SAME_LOWER', 'samePadding'], VALID, ['same', 'samePadding']]));
  const len = d.axes.map((a) => 1 + a.extra);
  const ld = d.axes.map((a) => (lhsDil ? a.slack + 1 : 1));
  const padding = stringPad
    ? mode
    : d.axes.map((a, i) => signedPads(d, a, dilatedSize(len[i]!, ld[i]!)));
  if (stringPad && mode.toUpperCase() === 'VALID') d.axes.forEach((a, i) => (len[i] = Math.max(len[i]!, effK(a))));
  const sizes: Record<string, number> = { N, C, O, I };
  const kSizes: Record<string, number> = { ...sizes };
  spatialLetters(rhsSpec).forEach((c, i) => {
    sizes[c] = len[i]!;
    kSizes[c] = d.axes[i]!.k;
  });
  const attrs: Record<string, unknown> = {
    window_strides: d.axes.map((a) => a.s),
    padding,
    lhs_dilation: ld,
    rhs_dilation: d.axes.map((a) => a.d),
    dimension_numbers: specs,
    feature_group_count: fgc,
    batch_group_count: bgc,
  };
  return caseOf(d, 'jax', 'conv_general_dilated', attrs, {
    lhs: tensor(d, 0, shapeFor(lhsSpec, sizes)),
    rhs: tensor(d, 1, shapeFor(rhsSpec, kSizes)),
  });
}

function jaxTranspose(r: number, d: Draw): CaseJson {
  const sp = SPATIAL.slice(0, r);
  const specs = jaxSpecs(d, r, `${sp}IO`);
  const [lhsSpec, rhsSpec] = specs ?? [`N${sp}C`, `${sp}IO`];
  const transposeKernel = d.pick[0]! < 0.5;
  const consistent = d.pick[1]! < 0.4;
  const mode = choose(d.pick[2]!, allowed(d, [SAME, VALID, ['PAIRS', 'explicitPadding']]));
  const len = d.axes.map((a) => 1 + (a.extra % 4));
  const padding =
    mode !== 'PAIRS'
      ? mode
      : d.axes.map((a, i): [number, number] => {
          const dil = dilatedSize(len[i]!, a.s);
          if (!consistent) return signedPads(d, a, dil);
          // Forward-conv pads (lo, hi) become (k-1-lo, k-1-hi): keep the window inside.
          const lo = Math.min(a.lo % 3, dil + effK(a) - 2);
          const hi = Math.min(a.hi % 3, dil + effK(a) - 2 - lo);
          return [lo, hi];
        });
  const C = d.ch.inPer + 1;
  const O = d.ch.outPer;
  // With transpose_kernel the kernel's O axis is read as input features after the swap.
  const sizes: Record<string, number> = { N: d.ch.batch, C, O: transposeKernel ? C : O, I: transposeKernel ? O : C };
  spatialLetters(rhsSpec).forEach((c, i) => (sizes[c] = len[i]!));
  const kSizes: Record<string, number> = { ...sizes };
  spatialLetters(rhsSpec).forEach((c, i) => (kSizes[c] = d.axes[i]!.k));
  const attrs: Record<string, unknown> = {
    strides: d.axes.map((a) => a.s),
    padding,
    rhs_dilation: d.axes.map((a) => a.d),
    dimension_numbers: specs,
    transpose_kernel: transposeKernel,
    use_consistent_padding: consistent,
  };
  return caseOf(d, 'jax', 'conv_transpose', attrs, {
    lhs: tensor(d, 0, shapeFor(lhsSpec, sizes)),
    rhs: tensor(d, 1, shapeFor(rhsSpec, kSizes)),
  });
}

// ---------------------------------------------------------------------------------------------
// onnx

const NOTSET = ['NOTSET', 'explicitPadding'] as const;

function onnxConv(r: number, d: Draw): CaseJson {
  const g = d.ch.groups;
  const mode = choose(d.pick[0]!, allowed(d, [NOTSET, NOTSET, ['SAME_UPPER', 'samePadding'], ['SAME_LOWER', 'samePadding'], VALID]));
  const pads = d.axes.map((a) => (mode === 'NOTSET' ? [a.lo % 3, a.hi % 3] : [0, 0]) as [number, number]);
  const len = d.axes.map((a, i) => (mode.startsWith('SAME') ? 1 + a.extra : forwardLen(a, pads[i]![0], pads[i]![1])));
  const [C, M] = [d.ch.inPer * g, d.ch.outPer * g];
  const attrs: Record<string, unknown> = { strides: d.axes.map((a) => a.s), dilations: d.axes.map((a) => a.d), group: g };
  if (mode === 'NOTSET') attrs['pads'] = [...pads.map((p) => p[0]), ...pads.map((p) => p[1])];
  else attrs['auto_pad'] = mode;
  if (d.pick[1]! < 0.3) attrs['kernel_shape'] = d.axes.map((a) => a.k);
  const inputs: CaseJson['inputs'] = {
    X: tensor(d, 0, [d.ch.batch, C, ...len]),
    W: tensor(d, 1, [M, d.ch.inPer, ...d.axes.map((a) => a.k)]),
  };
  if (d.pick[2]! < 0.4 && !d.lacks.has('bias')) inputs['B'] = tensor(d, 2, [M]);
  return caseOf(d, 'onnx', 'Conv', attrs, inputs);
}

function onnxConvTranspose(r: number, d: Draw): CaseJson {
  const g = d.ch.groups;
  const mode = choose(d.pick[0]!, allowed(d, [NOTSET, NOTSET, ['SAME_UPPER', 'samePadding'], ['SAME_LOWER', 'samePadding'], VALID, ['SHAPE']]));
  const len = d.axes.map((a) => 1 + (a.extra % 4));
  const [C, M] = [d.ch.inPer * g, d.ch.outPer * g];
  // output_padding must stay below stride or dilation.
  const adj = d.axes.map((a) => outputPad(d, a));
  const natural = d.axes.map((a, i) => (len[i]! - 1) * a.s + effK(a) + adj[i]!);
  const attrs: Record<string, unknown> = { strides: d.axes.map((a) => a.s), dilations: d.axes.map((a) => a.d), group: g };
  if (adj.some((x) => x > 0)) attrs['output_padding'] = adj;
  if (mode === 'NOTSET') {
    const pads = d.axes.map((a, i) => {
      const lo = Math.min(a.lo % 3, natural[i]! - 1);
      return [lo, Math.min(a.hi % 3, natural[i]! - 1 - lo)];
    });
    attrs['pads'] = [...pads.map((p) => p[0]), ...pads.map((p) => p[1])];
  } else if (mode === 'SHAPE') {
    // output_shape below the natural size (pads derived, odd totals included).
    attrs['output_shape'] = d.axes.map((a, i) => Math.max(1, natural[i]! - (a.lo % 3)));
    if (d.pick[3]! < 0.5 && !d.lacks.has('samePadding')) attrs['auto_pad'] = 'SAME_UPPER';
  } else attrs['auto_pad'] = mode;
  if (d.pick[1]! < 0.3) attrs['kernel_shape'] = d.axes.map((a) => a.k);
  const inputs: CaseJson['inputs'] = {
    X: tensor(d, 0, [d.ch.batch, C, ...len]),
    W: tensor(d, 1, [C, d.ch.outPer, ...d.axes.map((a) => a.k)]),
  };
  if (d.pick[2]! < 0.4 && !d.lacks.has('bias')) inputs['B'] = tensor(d, 2, [M]);
  return caseOf(d, 'onnx', 'ConvTranspose', attrs, inputs);
}

// ---------------------------------------------------------------------------------------------
// torch

const intOrList = (u: number, v: number[]) => (v.every((x) => x === v[0]) && u < 0.5 ? v[0]! : v);

function torchConv(r: number, op: string, draw: Draw): CaseJson {
  // padding='same' needs stride 1 everywhere: give it a fair share of draws (odd totals live there).
  const d = draw.pick[6]! < 0.4 ? { ...draw, axes: draw.axes.map((a) => ({ ...a, s: 1 })) } : draw;
  const g = d.ch.groups;
  const allStride1 = d.axes.every((a) => a.s === 1);
  const INT = ['INT', 'explicitPadding'] as const;
  const same = ['same', 'samePadding'] as const;
  const mode = choose(d.pick[0]!, allowed(d, allStride1 ? [INT, same, same, ['valid']] : [INT, INT, ['valid']]));
  const pad = d.axes.map((a) => (mode === 'INT' ? a.lo % 3 : 0));
  const len = d.axes.map((a, i) => (mode === 'same' ? 1 + a.extra : forwardLen(a, pad[i]!, pad[i]!)));
  const [C, O] = [d.ch.inPer * g, d.ch.outPer * g];
  const unbatched = d.pick[1]! < 0.15 && !d.caps.batchedOnly;
  const attrs: Record<string, unknown> = {
    stride: intOrList(d.pick[2]!, d.axes.map((a) => a.s)),
    padding: mode === 'INT' ? intOrList(d.pick[3]!, pad) : mode,
    dilation: intOrList(d.pick[4]!, d.axes.map((a) => a.d)),
    groups: g,
  };
  const inputs: CaseJson['inputs'] = {
    input: tensor(d, 0, unbatched ? [C, ...len] : [d.ch.batch, C, ...len]),
    weight: tensor(d, 1, [O, d.ch.inPer, ...d.axes.map((a) => a.k)]),
  };
  if (hasBias(d)) inputs['bias'] = tensor(d, 2, [O]);
  return caseOf(d, 'torch', op, attrs, inputs);
}

function torchConvTranspose(r: number, op: string, d: Draw): CaseJson {
  const g = d.ch.groups;
  const len = d.axes.map((a) => 1 + (a.extra % 4));
  const adj = d.axes.map((a) => outputPad(d, a));
  // output = (in-1)·s - 2p + k_eff + adj must stay >= 1.
  const pad = d.axes.map((a, i) => (d.lacks.has('explicitPadding') ? 0 : Math.min(a.lo % 3, Math.floor(((len[i]! - 1) * a.s + effK(a) + adj[i]! - 1) / 2))));
  const [C, O] = [d.ch.inPer * g, d.ch.outPer * g];
  const attrs: Record<string, unknown> = {
    stride: intOrList(d.pick[2]!, d.axes.map((a) => a.s)),
    padding: intOrList(d.pick[3]!, pad),
    output_padding: intOrList(d.pick[0]!, adj),
    groups: g,
    dilation: intOrList(d.pick[4]!, d.axes.map((a) => a.d)),
  };
  const inputs: CaseJson['inputs'] = {
    input: tensor(d, 0, [d.ch.batch, C, ...len]),
    weight: tensor(d, 1, [C, d.ch.outPer, ...d.axes.map((a) => a.k)]),
  };
  if (hasBias(d)) inputs['bias'] = tensor(d, 2, [O]);
  return caseOf(d, 'torch', op, attrs, inputs);
}

// ---------------------------------------------------------------------------------------------

type Builder = { rank: number | 'any'; build: (r: number, d: Draw) => CaseJson };

export const GENERATORS: Readonly<Record<Framework, Readonly<Record<string, Builder>>>> = {
  tf: {
    conv1d: { rank: 1, build: (r, d) => tfConv(r, 'conv1d', d) },
    conv2d: { rank: 2, build: (r, d) => tfConv(r, 'conv2d', d) },
    conv3d: { rank: 3, build: (r, d) => tfConv(r, 'conv3d', d) },
    conv1d_transpose: { rank: 1, build: (r, d) => tfTranspose(r, 'conv1d_transpose', d) },
    conv2d_transpose: { rank: 2, build: (r, d) => tfTranspose(r, 'conv2d_transpose', d) },
    conv3d_transpose: { rank: 3, build: (r, d) => tfTranspose(r, 'conv3d_transpose', d) },
    depthwise_conv2d: { rank: 2, build: (_r, d) => tfDepthwise(d) },
  },
  jax: {
    conv_general_dilated: { rank: 'any', build: jaxGeneral },
    conv_transpose: { rank: 'any', build: jaxTranspose },
  },
  onnx: {
    Conv: { rank: 'any', build: onnxConv },
    ConvTranspose: { rank: 'any', build: onnxConvTranspose },
  },
  torch: {
    conv1d: { rank: 1, build: (r, d) => torchConv(r, 'conv1d', d) },
    conv2d: { rank: 2, build: (r, d) => torchConv(r, 'conv2d', d) },
    conv3d: { rank: 3, build: (r, d) => torchConv(r, 'conv3d', d) },
    conv_transpose1d: { rank: 1, build: (r, d) => torchConvTranspose(r, 'conv_transpose1d', d) },
    conv_transpose2d: { rank: 2, build: (r, d) => torchConvTranspose(r, 'conv_transpose2d', d) },
    conv_transpose3d: { rank: 3, build: (r, d) => torchConvTranspose(r, 'conv_transpose3d', d) },
  },
};

/** Valid cases of one op. Ranks 1–3 for ops that take any rank. */
export function caseArb(framework: Framework, op: string, o: GenOptions = {}): fc.Arbitrary<CaseJson> {
  const b = GENERATORS[framework][op];
  if (!b) throw new Error(`no generator for ${framework} ${op}`);
  const ranks = opRanks(framework, op, o);
  if (ranks.length === 0) throw new Error(`${framework} ${op}: none of its ranks is among the declared ones`);
  const transposed = /transpose/i.test(op);
  return fc.oneof(...ranks.map((r) => drawArb(r, o, transposed).map((d) => b.build(r, d))));
}

/** The spatial ranks drawn for an op: 1–3 for ops that take any rank, within the declared ranks. */
export function opRanks(framework: Framework, op: string, o: GenOptions = {}): number[] {
  const b = GENERATORS[framework][op];
  if (!b) return [];
  const ranks = b.rank === 'any' ? [1, 2, 3] : [b.rank];
  const declared = o.capabilities?.ranks;
  return declared ? ranks.filter((r) => declared.includes(r)) : ranks;
}

/** Valid cases of any of the given ops (default: all ops of all frameworks). */
export function anyCaseArb(select?: ReadonlyArray<readonly [Framework, string]>, o: GenOptions = {}): fc.Arbitrary<CaseJson> {
  const all = select ?? (Object.entries(GENERATORS) as Array<[Framework, Record<string, Builder>]>).flatMap(([fw, ops]) => Object.keys(ops).map((op) => [fw, op] as const));
  return fc.oneof(...all.map(([fw, op]) => caseArb(fw, op, o)));
}
