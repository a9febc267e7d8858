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
import type { CaseJson } from '../case/case.js';
import type { Framework } from '../conventions/index.js';
import { dilatedSize } from '../core/shapes.js';
import { NARROW, type DType } from '../case/case.js';
import { roundToFormat } from '../core/formats.js';
import type { DataKind } from './tensors.js';

/** Per spatial axis: independent small naturals, mapped to sizes by each op's builder. */
interface Axis {
  readonly k: number;
  readonly s: number;
  readonly d: number;
  readonly extra: number;
  readonly lo: number;
  readonly hi: number;
  readonly slack: number;
}

interface Channels {
  readonly batch: number;
  readonly groups: number;
  readonly inPer: number;
  readonly outPer: number;
}

/** Everything a builder may use. `pick` values are uniform in [0, 1) for discrete choices. */
interface Draw {
  readonly axes: readonly Axis[];
  readonly ch: Channels;
  readonly pick: readonly number[];
  readonly pools: readonly (readonly number[])[];
  readonly kind: DataKind;
  readonly dtype: DType;
  readonly avoid: NonNullable<GenOptions['avoid']>;
}

// Caps keep every tensor to a few hundred elements: fast for oracles, readable when shrunk.
const MAX_LEN: Record<number, number> = { 1: 7, 2: 5, 3: 3 };
const MAX_K: Record<number, number> = { 1: 4, 2: 3, 3: 2 };
/** A prime pool length, so periodic reuse of values never lines up with a batch or channel stride. */
const POOL = 251;

function axisArb(r: number): fc.Arbitrary<Axis> {
  return fc.record({
    k: fc.integer({ min: 1, max: MAX_K[r]! }),
    s: fc.integer({ min: 1, max: 3 }),
    d: fc.integer({ min: 1, max: 2 }),
    extra: fc.integer({ min: 0, max: MAX_LEN[r]! - 1 }),
    lo: fc.integer({ min: 0, max: 4 }),
    hi: fc.integer({ min: 0, max: 4 }),
    slack: fc.integer({ min: 0, max: 2 }),
  });
}

export interface GenOptions {
  /** Share of integer-valued cases (exact arithmetic); default 0.7. */
  readonly intShare?: number;
  /** Allow float64 cases (oracles like tfjs compute only float32); default false. */
  readonly float64?: boolean;
  /**
   * Steer away from what an implementation declares it cannot do, so its runs are not mostly
   * "unsupported": no groups, no dilation in transposed convs, no stride together with dilation.
   * These are mappings of the same draws, not filters.
   */
  readonly avoid?: { readonly groups?: boolean; readonly dilatedTranspose?: boolean; readonly strideWithDilation?: boolean };
  /**
   * float16 or bfloat16 cases (instead of float32/float64): every value drawn is a value of the
   * dtype (float pools rounded to it), as the case format requires.
   */
  readonly dtype?: 'float16' | 'bfloat16';
  /**
   * Share of the non-integer cases drawn from multiples of 1/64 in [-2, 2] (default 0). They are
   * exact in float16, bfloat16 and tf32, so input rounding is nil and a precision profile's
   * accumulation and output rounding show alone: what `--precision` needs to tell fp16 from
   * fp16 with a float16 accumulator, or fp16 output from bf16 output.
   */
  readonly dyadicShare?: number;
}

const dyadicPool = fc.array(fc.integer({ min: -128, max: 128 }).map((k) => k / 64), { minLength: POOL, maxLength: POOL });

/** Float pools rounded to a 16-bit dtype (its values only); unchanged for float32/float64. */
function narrow(pools: readonly (readonly number[])[], dtype: GenOptions['dtype']): readonly (readonly number[])[] {
  const f = dtype ? NARROW[dtype] : undefined;
  return f ? pools.map((p) => p.map((x) => roundToFormat(x, f))) : pools;
}

function drawArb(r: number, o: GenOptions): fc.Arbitrary<Draw> {
  const intShare = o.intShare ?? 0.7;
  const pool = fc.array(fc.integer({ min: -3, max: 3 }), { minLength: POOL, maxLength: POOL });
  const floatPool = fc.array(fc.float({ min: -2, max: 2, noNaN: true, noDefaultInfinity: true }).map((x) => (Math.abs(x) < 1e-30 ? 0 : x)), {
    minLength: POOL,
    maxLength: POOL,
  });
  return fc
    .record({
      axes: fc.array(axisArb(r), { minLength: r, maxLength: r }),
      ch: fc.record({
        batch: fc.integer({ min: 1, max: 2 }),
        groups: fc.integer({ min: 1, max: 3 }),
        inPer: fc.integer({ min: 1, max: 2 }),
        outPer: fc.integer({ min: 1, max: 3 }),
      }),
      // Unbiased: fast-check leans numbers toward small values, which would starve later choices.
      pick: fc.array(fc.noBias(fc.integer({ min: 0, max: 9999 })).map((x) => x / 10000), { minLength: 8, maxLength: 8 }),
      isInt: fc.noBias(fc.integer({ min: 0, max: 9999 })).map((x) => x / 10000 < intShare),
      intPools: fc.tuple(pool, pool, pool),
      floatPools: fc.tuple(floatPool, floatPool, floatPool),
      f64: o.float64 && !o.dtype ? fc.boolean() : fc.constant(false),
      // Drawn only when asked for, so the default generator's draws are unchanged.
      isDyadic: o.dyadicShare ? fc.noBias(fc.integer({ min: 0, max: 9999 })).map((x) => x / 10000 < o.dyadicShare!) : fc.constant(false),
      dyadicPools: o.dyadicShare ? fc.tuple(dyadicPool, dyadicPool, dyadicPool) : fc.constant(undefined),
    })
    .map((v): Draw => ({
      axes: v.axes,
      ch: v.ch,
      pick: v.pick,
      pools: v.isInt ? v.intPools : v.isDyadic && v.dyadicPools ? v.dyadicPools : narrow(v.floatPools, o.dtype),
      kind: v.isInt ? 'int' : 'float',
      dtype: o.dtype ?? (v.f64 ? 'float64' : 'float32'),
      avoid: o.avoid ?? {},
    }))
    .map((d): Draw => {
      // Mappings, not filters: the same draw, with what the implementation cannot do switched off.
      let axes = d.axes;
      if (d.avoid.strideWithDilation) axes = axes.map((a) => (a.d > 1 ? { ...a, s: 1 } : a));
      return { ...d, axes, ch: d.avoid.groups ? { ...d.ch, groups: 1 } : d.ch };
    });
}

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
const parity = (a: Axis) => a.slack % a.s;

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

function layoutShape(cFirst: boolean, n: number, c: number, sp: readonly number[]): number[] {
  return cFirst ? [n, c, ...sp] : [n, ...sp, c];
}

function tfConv(r: number, op: string, d: Draw): CaseJson {
  const cFirst = d.pick[0]! < 0.3;
  // Only conv2d wires explicit paddings through to its kernel.
  const mode = choose(d.pick[1]!, op === 'conv2d' ? ['SAME', 'VALID', 'EXPLICIT'] : ['SAME', 'VALID']);
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
  const cFirst = d.pick[0]! < 0.3;
  const mode = choose(d.pick[1]!, op === 'conv2d_transpose' ? ['SAME', 'VALID', 'EXPLICIT'] : ['SAME', 'VALID']);
  const dilate = d.pick[3]! < 0.3 && !d.avoid.dilatedTranspose;
  const axes = d.axes.map((a) => ({ ...a, d: dilate ? a.d : 1 }));
  const inLen = axes.map((a) => 1 + (a.extra % 4));
  const pads: Array<[number, number]> = [];
  // The output size is chosen so that the forward conv maps it back to the input size: a value
  // in a window of s sizes, which one picked by the slack (this is output_shape parity).
  const outLen = axes.map((a, i) => {
    const base = (inLen[i]! - 1) * a.s + effK(a);
    if (mode === 'SAME') return inLen[i]! * a.s - parity(a);
    if (mode === 'VALID') return base + parity(a);
    const lo = Math.min(a.lo % 3, base - 1);
    const hi = Math.min(a.hi % 3, base - 1 - lo);
    pads.push([lo, hi]);
    return base - lo - hi + parity(a);
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
  const cFirst = d.pick[0]! < 0.3;
  const mode = choose(d.pick[1]!, ['SAME', 'VALID', 'EXPLICIT']);
  // TF: equal strides in H and W; dilation only with stride 1.
  const s = d.axes[0]!.s;
  const dilate = d.pick[3]! < 0.4;
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

function jaxSpecs(d: Draw, r: number): [string, string, string] | null {
  if (d.pick[5]! < 0.25) return null;
  const sp = [...SPATIAL.slice(0, r)];
  return [arrange(d.pick[5]!, ['N', 'C', ...sp]), arrange(d.pick[6]!, ['O', 'I', ...sp]), arrange(d.pick[7]!, ['N', 'C', ...sp])];
}

/** Signed pads for a dilated length: crop at most about half, then grow high so the kernel fits. */
function signedPads(a: Axis, dilLen: number): [number, number] {
  const maxCrop = Math.floor((dilLen - 1) / 2);
  const lo = Math.max(a.lo - 2, -maxCrop);
  let hi = Math.max(a.hi - 2, -maxCrop);
  if (dilLen + lo + hi < effK(a)) hi = effK(a) - dilLen - lo;
  return [lo, hi];
}

function jaxGeneral(r: number, d: Draw): CaseJson {
  const specs = jaxSpecs(d, r);
  const [lhsSpec, rhsSpec, outSpec] = specs ?? ['NC' + SPATIAL.slice(0, r), 'OI' + SPATIAL.slice(0, r), 'NC' + SPATIAL.slice(0, r)];
  const batchGroups = d.pick[0]! < 0.25;
  const g = d.ch.groups;
  const [fgc, bgc] = batchGroups ? [1, g] : [g, 1];
  const N = batchGroups ? d.ch.batch * g : d.ch.batch;
  const C = batchGroups ? d.ch.inPer : d.ch.inPer * g;
  const I = batchGroups ? C : d.ch.inPer;
  const O = d.ch.outPer * g;
  const lhsDil = d.pick[1]! < 0.3;
  const stringPad = !lhsDil && d.pick[2]! < 0.5;
  const mode = choose(d.pick[3]!, ['SAME', 'SAME_LOWER', 'VALID', 'same']);
  const len = d.axes.map((a) => 1 + a.extra);
  const ld = d.axes.map((a) => (lhsDil ? a.slack + 1 : 1));
  const padding = stringPad
    ? mode
    : d.axes.map((a, i) => signedPads(a, dilatedSize(len[i]!, ld[i]!)));
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
  const specs = jaxSpecs(d, r);
  const [lhsSpec, rhsSpec] = specs ?? [`N${sp}C`, `${sp}IO`];
  const transposeKernel = d.pick[0]! < 0.5;
  const consistent = d.pick[1]! < 0.4;
  const mode = choose(d.pick[2]!, ['SAME', 'VALID', 'PAIRS']);
  const len = d.axes.map((a) => 1 + (a.extra % 4));
  const padding =
    mode !== 'PAIRS'
      ? mode
      : d.axes.map((a, i): [number, number] => {
          const dil = dilatedSize(len[i]!, a.s);
          if (!consistent) return signedPads(a, dil);
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

function onnxConv(r: number, d: Draw): CaseJson {
  const g = d.ch.groups;
  const mode = choose(d.pick[0]!, ['NOTSET', 'NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID']);
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
  if (d.pick[2]! < 0.4) inputs['B'] = tensor(d, 2, [M]);
  return caseOf(d, 'onnx', 'Conv', attrs, inputs);
}

function onnxConvTranspose(r: number, d: Draw): CaseJson {
  const g = d.ch.groups;
  const mode = choose(d.pick[0]!, ['NOTSET', 'NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID', 'SHAPE']);
  const len = d.axes.map((a) => 1 + (a.extra % 4));
  const [C, M] = [d.ch.inPer * g, d.ch.outPer * g];
  // output_padding must stay below stride or dilation.
  const adj = d.axes.map((a) => a.slack % Math.max(a.s, a.d));
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
    if (d.pick[3]! < 0.5) attrs['auto_pad'] = 'SAME_UPPER';
  } else attrs['auto_pad'] = mode;
  if (d.pick[1]! < 0.3) attrs['kernel_shape'] = d.axes.map((a) => a.k);
  const inputs: CaseJson['inputs'] = {
    X: tensor(d, 0, [d.ch.batch, C, ...len]),
    W: tensor(d, 1, [C, d.ch.outPer, ...d.axes.map((a) => a.k)]),
  };
  if (d.pick[2]! < 0.4) inputs['B'] = tensor(d, 2, [M]);
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
  const mode = choose(d.pick[0]!, allStride1 ? ['INT', 'same', 'same', 'valid'] : ['INT', 'INT', 'valid']);
  const pad = d.axes.map((a) => (mode === 'INT' ? a.lo % 3 : 0));
  const len = d.axes.map((a, i) => (mode === 'same' ? 1 + a.extra : forwardLen(a, pad[i]!, pad[i]!)));
  const [C, O] = [d.ch.inPer * g, d.ch.outPer * g];
  const unbatched = d.pick[1]! < 0.15;
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
  if (d.pick[5]! < 0.4) inputs['bias'] = tensor(d, 2, [O]);
  return caseOf(d, 'torch', op, attrs, inputs);
}

function torchConvTranspose(r: number, op: string, d: Draw): CaseJson {
  const g = d.ch.groups;
  const len = d.axes.map((a) => 1 + (a.extra % 4));
  const adj = d.axes.map((a) => a.slack % Math.max(a.s, a.d));
  // output = (in-1)·s - 2p + k_eff + adj must stay >= 1.
  const pad = d.axes.map((a, i) => Math.min(a.lo % 3, Math.floor(((len[i]! - 1) * a.s + effK(a) + adj[i]! - 1) / 2)));
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
  if (d.pick[5]! < 0.4) inputs['bias'] = tensor(d, 2, [O]);
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
  const ranks = b.rank === 'any' ? [1, 2, 3] : [b.rank];
  return fc.oneof(...ranks.map((r) => drawArb(r, o).map((d) => b.build(r, d))));
}

/** Valid cases of any of the given ops (default: all ops of all frameworks). */
export function anyCaseArb(select?: ReadonlyArray<readonly [Framework, string]>, o: GenOptions = {}): fc.Arbitrary<CaseJson> {
  const all = select ?? (Object.entries(GENERATORS) as Array<[Framework, Record<string, Builder>]>).flatMap(([fw, ops]) => Object.keys(ops).map((op) => [fw, op] as const));
  return fc.oneof(...all.map(([fw, op]) => caseArb(fw, op, o)));
}
