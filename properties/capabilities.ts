/**
 * What an implementation declares it supports. Built-in oracles declare it in
 * oracles/registry.ts; a user's adapter declares it in its module object or in the hello line of
 * the process protocol (docs/protocol.md). Generators draw only inside this space, and a call
 * outside it is counted as "unsupported", never as wrong.
 *
 * Every field is optional: an absent field means "no restriction".
 */
import type { OracleCall, OracleResult } from '../oracles/types.js';
import { lower, type ConvCall, type Lowering } from '../src/conventions/index.js';
import { ConvError, LimitError } from '../src/core/errors.js';
import { convInfo, type ConvInfo } from '../src/core/shapes.js';

export type Feature =
  /** feature_group_count / groups / group > 1 (depthwise is its own op and is not affected). */
  | 'groups'
  /** Kernel dilation > 1 in any op. */
  | 'dilation'
  /** Kernel dilation > 1 in a transposed op only. */
  | 'dilatedTranspose'
  /** Stride > 1 together with dilation > 1 in the same call. */
  | 'strideWithDilation'
  /** JAX batch_group_count > 1. */
  | 'batchGroups'
  /** JAX lhs_dilation > 1 (an explicitly dilated input). */
  | 'lhsDilation'
  /** output_padding (ONNX, torch) or an output_shape that needs one. */
  | 'outputPadding'
  /** Explicit numeric padding (ONNX pads, torch padding, TF explicit padding lists). */
  | 'explicitPadding'
  /** SAME / 'same' / SAME_UPPER / SAME_LOWER padding. */
  | 'samePadding'
  /** A bias input. */
  | 'bias'
  /** Negative padding (JAX, torch crop; ONNX refuses it anyway). */
  | 'negativePadding';

export type CapDType = 'float32' | 'float64' | 'float16' | 'bfloat16';

export interface Capabilities {
  /** Spatial ranks implemented, e.g. [2] for a conv2d-only kernel. */
  readonly ranks?: readonly number[];
  /** Only batched inputs (torch's unbatched form is not implemented). */
  readonly batchedOnly?: boolean;
  /** Data formats accepted, in the framework's own words: 'NCHW', 'NHWC', 'NWC', ... (JAX: the lhs spec). */
  readonly layouts?: readonly string[];
  /** dtypes computed. */
  readonly dtypes?: readonly CapDType[];
  /** Features the implementation does not have. */
  readonly lacks?: readonly Feature[];
  /** Size limits: largest spatial extent of any input/output axis, channel count, kernel extent, elements per tensor. */
  readonly maxSpatial?: number;
  readonly maxChannels?: number;
  readonly maxKernel?: number;
  readonly maxElements?: number;
}

// ---------------------------------------------------------------------------------------------
// Is a call inside the declared space? Generators map their draws inside it; this is the check
// for everything else (saved regressions, hand-written cases, draws a mapping cannot reach), so
// the runner can count such a call as unsupported, never as wrong.

/** Layout letters with the spatial ones made generic: NCHW → NCSS, NWC → NSC, JAX's NCH → NCS. */
function layoutForm(spec: string): string {
  return spec.replace(/[^NCOI]/g, 'S');
}

const SPATIAL_LETTERS = ['W', 'HW', 'DHW'];

/** The data layout of a call's input, in the framework's own words (JAX: the lhs spec). */
function inputLayout(call: ConvCall, r: number): string {
  const sp = SPATIAL_LETTERS[r - 1] ?? 'S'.repeat(r);
  const a = call.attrs;
  if (call.framework === 'tf') return typeof a['data_format'] === 'string' ? a['data_format'] : `N${sp}C`;
  if (call.framework === 'jax') {
    const dn = a['dimension_numbers'];
    if (Array.isArray(dn) && typeof dn[0] === 'string') return dn[0];
    return call.op === 'conv_transpose' ? `N${sp}C` : `NC${sp}`;
  }
  return `NC${sp}`;
}

const anyOf = (v: unknown, p: (x: number) => boolean): boolean => (Array.isArray(v) ? v.flat(2) : [v]).some((x) => typeof x === 'number' && p(x));

/** The features of `lacks` a call uses, each with the attribute that uses it. */
function featuresUsed(call: ConvCall, l: Lowering, transposed: boolean): Array<[Feature, string]> {
  const a = call.attrs;
  const s = l.spec;
  const out: Array<[Feature, string]> = [];
  const stride = transposed ? s.lhsDilation : s.windowStrides;
  if (s.featureGroupCount > 1 && call.op !== 'depthwise_conv2d') out.push(['groups', `${s.featureGroupCount} groups`]);
  if (s.batchGroupCount > 1) out.push(['batchGroups', `batch_group_count ${s.batchGroupCount}`]);
  if (s.rhsDilation.some((d) => d > 1)) {
    out.push(['dilation', `dilation [${s.rhsDilation.join(', ')}]`]);
    if (transposed) out.push(['dilatedTranspose', `dilation [${s.rhsDilation.join(', ')}] in a transposed conv`]);
    if (stride.some((x) => x > 1)) out.push(['strideWithDilation', `stride [${stride.join(', ')}] with dilation [${s.rhsDilation.join(', ')}]`]);
  }
  if (!transposed && s.lhsDilation.some((d) => d > 1)) out.push(['lhsDilation', `lhs_dilation [${s.lhsDilation.join(', ')}]`]);
  if (anyOf(a['output_padding'], (x) => x > 0)) out.push(['outputPadding', `output_padding ${JSON.stringify(a['output_padding'])}`]);
  if (call.framework === 'tf' && transposed && tfNeedsOutputPadding(call, l)) out.push(['outputPadding', `output_shape ${JSON.stringify(a['output_shape'])} (not the natural size)`]);
  const pad = a['padding'];
  const explicit =
    (call.framework === 'onnx' && anyOf(a['pads'], (x) => x !== 0)) ||
    (call.framework !== 'onnx' && typeof pad !== 'string' && anyOf(pad, (x) => x !== 0));
  if (explicit) out.push(['explicitPadding', `padding ${JSON.stringify(call.framework === 'onnx' ? a['pads'] : pad)}`]);
  const mode = String(call.framework === 'onnx' ? (a['auto_pad'] ?? '') : typeof pad === 'string' ? pad : '').toUpperCase();
  if (mode.startsWith('SAME')) out.push(['samePadding', `padding ${mode}`]);
  if (call.framework === 'jax' && anyOf(pad, (x) => x < 0)) out.push(['negativePadding', `padding ${JSON.stringify(pad)}`]);
  if (l.bias) out.push(['bias', 'a bias input']);
  return out;
}

/** A TF transposed conv whose output_shape is not the natural size of its padding mode. */
function tfNeedsOutputPadding(call: ConvCall, l: Lowering): boolean {
  const r = l.spec.windowStrides.length;
  const layout = l.layout;
  const inSp = layout.lhs.slice(1, r + 1).map((ax) => l.lhs.shape[ax]!);
  const outShape = call.attrs['output_shape'];
  if (!Array.isArray(outShape)) return false;
  const outSp = layout.out.slice(1, r + 1).map((ax) => outShape[ax] as number);
  const effK = layout.rhs.slice(0, r).map((ax, i) => (l.rhs.shape[ax]! - 1) * l.spec.rhsDilation[i]! + 1);
  const pad = call.attrs['padding'];
  return outSp.some((o, i) => {
    const s = l.spec.lhsDilation[i]!;
    const natural = pad === 'SAME' ? inSp[i]! * s : (inSp[i]! - 1) * s + effK[i]!;
    return pad === 'SAME' || pad === 'VALID' ? o !== natural : false;
  });
}

/**
 * Why a call is outside what `caps` declares (rank, batching, layout, dtype, a lacked feature,
 * a size limit), or undefined when it is inside. A call its convention rejects is not a
 * capability question: undefined.
 */
export function outsideCapabilities(caps: Capabilities, call: ConvCall & { readonly dtype?: string }): string | undefined {
  let l: Lowering;
  let info: ConvInfo;
  try {
    l = lower(call);
    info = convInfo(l.op, l.layout.lhs.map((ax) => l.lhs.shape[ax]!), l.layout.rhs.map((ax) => l.rhs.shape[ax]!), l.spec);
  } catch (e) {
    if (e instanceof ConvError || e instanceof LimitError) return undefined;
    throw e;
  }
  const r = info.rank;
  const transposed = /transpose/i.test(call.op);
  if (caps.ranks && !caps.ranks.includes(r)) return `spatial rank ${r} is not among the declared ranks [${caps.ranks.join(', ')}]`;
  if (caps.batchedOnly && l.unbatched) return 'unbatched input (declared batchedOnly)';
  const layout = inputLayout(call, r);
  if (caps.layouts && !caps.layouts.some((x) => layoutForm(x) === layoutForm(layout))) return `layout ${layout} is not among the declared layouts [${caps.layouts.join(', ')}]`;
  const dtype = call.dtype ?? 'float32';
  if (caps.dtypes && !caps.dtypes.includes(dtype as CapDType)) return `dtype ${dtype} is not among the declared dtypes [${caps.dtypes.join(', ')}]`;
  const lacked = featuresUsed(call, l, transposed).find(([f]) => caps.lacks?.includes(f));
  if (lacked) return `uses ${lacked[0]} (${lacked[1]}), which it declares it lacks`;
  const spatial = Math.max(...info.inSpatial, ...info.outSpatial, 0);
  if (caps.maxSpatial !== undefined && spatial > caps.maxSpatial) return `spatial extent ${spatial} is over the declared maxSpatial ${caps.maxSpatial}`;
  const channels = Math.max(info.inChannels, info.outChannels);
  if (caps.maxChannels !== undefined && channels > caps.maxChannels) return `${channels} channels is over the declared maxChannels ${caps.maxChannels}`;
  const kernel = Math.max(...info.kernelSpatial, 0);
  if (caps.maxKernel !== undefined && kernel > caps.maxKernel) return `kernel extent ${kernel} is over the declared maxKernel ${caps.maxKernel}`;
  const elements = Math.max(l.lhs.data.length, l.rhs.data.length, info.outShape.reduce((x, y) => x * y, 1));
  if (caps.maxElements !== undefined && elements > caps.maxElements) return `a tensor of ${elements} elements is over the declared maxElements ${caps.maxElements}`;
  return undefined;
}

/**
 * The implementation with its declared space enforced: a call outside its capabilities is
 * answered 'unsupported' (with the reason) without reaching it. Generators already draw inside;
 * this covers calls a property derives from a drawn one (a transposed output larger than
 * maxSpatial, say), so they are counted apart, never as wrong.
 */
export function withinCapabilities<T extends { readonly capabilities?: Capabilities; run(call: OracleCall): Promise<OracleResult> }>(impl: T): T {
  const caps = impl.capabilities;
  if (!caps) return impl;
  return Object.assign(Object.create(impl) as T, {
    run(call: OracleCall): Promise<OracleResult> {
      const why = outsideCapabilities(caps, call);
      return why !== undefined ? Promise.resolve({ kind: 'unsupported', reason: why }) : impl.run(call);
    },
  });
}
