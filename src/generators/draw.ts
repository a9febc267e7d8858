/**
 * The draw every generated case is a pure function of: per-axis knobs, channels, uniform picks
 * for discrete choices, and a seed-driven spec of each tensor's data. Sizes come from a preset (`--sizes`), and the draw is
 * then *mapped* into what the implementation declares it supports (properties/capabilities.ts):
 * knobs are folded into the limits and unsupported features switched off, so every draw is used
 * and shrinking never leaves the space. No `.filter`, no `.chain`.
 */
import fc from 'fast-check';
import type { Capabilities, Feature } from '../../properties/capabilities.js';
import { dataSpecArb, type DataSpec } from './data.js';
import type { DataKind } from './tensors.js';
import type { DType } from '../case/case.js';
import { resolveLimits, type ExplicitLimits, type SizeLimits, type SizePreset } from './sizes.js';

/** Per spatial axis: independent naturals, mapped to sizes by each op's builder. */
export interface Axis {
  readonly k: number;
  readonly s: number;
  readonly d: number;
  readonly extra: number;
  readonly lo: number;
  readonly hi: number;
  readonly slack: number;
}

export interface Channels {
  readonly batch: number;
  readonly groups: number;
  readonly inPer: number;
  readonly outPer: number;
}

/** Everything a builder may use. `pick` values are uniform in [0, 1) for discrete choices. */
export interface Draw {
  readonly axes: readonly Axis[];
  readonly ch: Channels;
  readonly pick: readonly number[];
  /** How each of the (up to three) tensors of the case is filled (src/generators/data.ts). */
  readonly data: readonly DataSpec[];
  readonly kind: DataKind;
  readonly dtype: DType;
  /** Float data as multiples of 1/64 in [-2, 2] (exact in every 16-bit format): see GenOptions.dyadicShare. */
  readonly dyadic: boolean;
  /** What the implementation lacks: builders switch these off (a mapping of the same draw). */
  readonly lacks: ReadonlySet<Feature>;
  readonly caps: Capabilities;
}

export interface GenOptions {
  /** Share of integer-valued cases (exact arithmetic); default 0.7. */
  readonly intShare?: number;
  /** Allow float64 cases (oracles like tfjs compute only float32); default false. */
  readonly float64?: boolean;
  /**
   * Steer away from what an implementation cannot do: a special case of `capabilities.lacks`
   * (groups, dilatedTranspose, strideWithDilation), kept for the built-in oracles' registry.
   */
  readonly avoid?: { readonly groups?: boolean; readonly dilatedTranspose?: boolean; readonly strideWithDilation?: boolean };
  /** What the implementation declares it supports: draws are mapped inside it. */
  readonly capabilities?: Capabilities;
  /** Size preset (default small), and explicit limits that override it. */
  readonly sizes?: SizePreset;
  readonly limits?: ExplicitLimits;
  /**
   * float16 or bfloat16 cases (instead of float32/float64): every value drawn is a value of the
   * dtype (float data rounded to it), as the case format requires.
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

/** The capabilities a generator honours: `capabilities` plus `avoid` as lacked features. */
export function effectiveCapabilities(o: GenOptions): Capabilities {
  const caps = o.capabilities ?? {};
  const avoid = o.avoid ?? {};
  const lacks = new Set<Feature>(caps.lacks ?? []);
  if (avoid.groups) lacks.add('groups');
  if (avoid.dilatedTranspose) lacks.add('dilatedTranspose');
  if (avoid.strideWithDilation) lacks.add('strideWithDilation');
  return { ...caps, lacks: [...lacks] };
}

/** The size limits of a generator: the preset, explicit limits, then the implementation's own. */
export function sizeLimits(o: GenOptions): SizeLimits {
  const caps = o.capabilities ?? {};
  return resolveLimits(o.sizes ?? 'small', o.limits, {
    ...(caps.maxSpatial !== undefined ? { spatial: caps.maxSpatial } : {}),
    ...(caps.maxChannels !== undefined ? { channels: caps.maxChannels } : {}),
    ...(caps.maxKernel !== undefined ? { kernel: caps.maxKernel } : {}),
  });
}

function axisArb(r: number, lim: SizeLimits): fc.Arbitrary<Axis> {
  const len = lim.spatial[r - 1]!;
  return fc.record({
    k: fc.integer({ min: 1, max: lim.kernel[r - 1]! }),
    s: fc.integer({ min: 1, max: 3 }),
    d: fc.integer({ min: 1, max: 2 }),
    extra: fc.integer({ min: 0, max: len - 1 }),
    lo: fc.integer({ min: 0, max: 4 }),
    hi: fc.integer({ min: 0, max: 4 }),
    slack: fc.integer({ min: 0, max: 2 }),
  });
}

/** Channels drawn per group; the small preset keeps convcheck's original ranges (≤ 2 in, ≤ 3 out, 3 groups). */
function channelsArb(lim: SizeLimits): fc.Arbitrary<Channels> {
  const per = Math.max(1, Math.floor(lim.channels / 3));
  return fc.record({
    batch: fc.integer({ min: 1, max: 2 }),
    groups: fc.integer({ min: 1, max: 3 }),
    inPer: fc.integer({ min: 1, max: Math.max(2, per - 1) }),
    outPer: fc.integer({ min: 1, max: Math.max(3, per) }),
  });
}

/**
 * Folds a draw into the declared space: groups, dilation and stride-with-dilation switched off
 * when lacked; channels folded (modulo, so variety survives) below the channel limit. Kernel and
 * extent are drawn within their limits already; the builders switch off the other features.
 */
function mapInto(d: Draw, lim: SizeLimits, transposed: boolean): Draw {
  const lacks = d.lacks;
  const maxSpatial = d.caps.maxSpatial ?? Infinity;
  const noDilation = lacks.has('dilation') || (transposed && lacks.has('dilatedTranspose'));
  // Stride with dilation is refused per call (tfjs: any stride > 1 with any dilation > 1).
  const dilated = !noDilation && d.axes.some((a) => a.d > 1);
  const axes = d.axes.map((a) => {
    let { s, d: dil } = a;
    if (noDilation) dil = 1;
    if (lacks.has('strideWithDilation') && dilated) s = 1;
    // A declared maxSpatial also bounds the kernel's extent, and the input's (about effK + extra).
    const k = Math.min(a.k, maxSpatial);
    if ((k - 1) * dil + 1 > maxSpatial) dil = 1;
    const room = Math.max(1, maxSpatial - ((k - 1) * dil + 1) + 1);
    return { ...a, s, d: dil, k, extra: Number.isFinite(maxSpatial) ? a.extra % room : a.extra };
  });
  const C = Math.max(1, lim.channels);
  const groups = lacks.has('groups') ? 1 : 1 + ((d.ch.groups - 1) % Math.min(3, C));
  // Channel counts are per group times groups (plus one for some transposed builders): keep both below C.
  const perMax = Math.max(1, Math.floor(C / groups) - 1);
  const ch = { ...d.ch, groups, inPer: 1 + ((d.ch.inPer - 1) % perMax), outPer: 1 + ((d.ch.outPer - 1) % Math.max(1, Math.floor(C / groups))) };
  return { ...d, axes, ch };
}

export function drawArb(r: number, o: GenOptions, transposed: boolean): fc.Arbitrary<Draw> {
  const intShare = o.intShare ?? 0.7;
  const caps = effectiveCapabilities(o);
  const lim = sizeLimits(o);
  const lacks = new Set(caps.lacks);
  const dtypes = caps.dtypes;
  const f64 = o.float64 === true && (dtypes?.includes('float64') ?? true);
  const onlyF64 = f64 && dtypes !== undefined && !dtypes.includes('float32');
  return fc
    .record({
      axes: fc.array(axisArb(r, lim), { minLength: r, maxLength: r }),
      ch: channelsArb(lim),
      // Unbiased: fast-check leans numbers toward small values, which would starve later choices.
      pick: fc.array(fc.noBias(fc.integer({ min: 0, max: 9999 })).map((x) => x / 10000), { minLength: 8, maxLength: 8 }),
      isInt: fc.noBias(fc.integer({ min: 0, max: 9999 })).map((x) => x / 10000 < intShare),
      data: fc.tuple(dataSpecArb(), dataSpecArb(), dataSpecArb()),
      f64: o.dtype ? fc.constant(false) : onlyF64 ? fc.constant(true) : f64 ? fc.boolean() : fc.constant(false),
      // Drawn only when asked for, so the default generator's draws are unchanged.
      isDyadic: o.dyadicShare ? fc.noBias(fc.integer({ min: 0, max: 9999 })).map((x) => x / 10000 < o.dyadicShare!) : fc.constant(false),
    })
    .map(
      (v): Draw =>
        mapInto(
          {
            axes: v.axes,
            ch: v.ch,
            pick: v.pick,
            data: v.data,
            kind: v.isInt ? 'int' : 'float',
            dtype: o.dtype ?? (v.f64 ? 'float64' : 'float32'),
            dyadic: !v.isInt && v.isDyadic,
            lacks,
            caps,
          },
          lim,
          transposed,
        ),
    );
}
