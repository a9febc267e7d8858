/**
 * Translations that hold at every input size. A translation (translate.ts) is exact for the
 * sizes it was made at; what can change with the input size is only the canonical padding
 * (TF/JAX/ONNX 'SAME' at stride > 1, a TF or ONNX transposed conv's output_shape). So the
 * source's padding is kept as a rule of the input size (PadRule), and the target's padding (and
 * any pad/crop around the call) is derived from the canonical pads by `realize`, the same way at
 * every size. `runGeneric` does in TypeScript, on the reference, exactly what the emitted Python
 * (python-function.ts) does in the target framework, so both can be checked at many sizes.
 */
import { parseCase, type CaseJson, type DType } from '../case/case.js';
import { reference, type Framework } from '../conventions/index.js';
import { dilatedSize, samePadding, transposePadding, type PadPair } from '../core/shapes.js';
import { reshape, transpose, type Tensor } from '../core/tensor.js';
import { applyKernelOps } from './kernel.js';
import { padAxes } from './recipe.js';
import { analyze, translate, type Source, type TranslateOptions, type Translation } from './translate.js';

/** The canonical (lo, hi) padding of one spatial axis as a function of its input size n. */
export type PadRule =
  | { readonly kind: 'const'; readonly pads: PadPair }
  /** Forward 'SAME': ceil(n/s) outputs, the odd padding element at the end (or start: lower). */
  | { readonly kind: 'same'; readonly k: number; readonly s: number; readonly lower: boolean }
  /** TF conv*_transpose: the gradient of a forward conv from output size `out` padded by `forward`. */
  | { readonly kind: 'tf-output'; readonly k: number; readonly s: number; readonly forward: 'SAME' | 'VALID' | number }
  /** ONNX ConvTranspose with output_shape: total = s(n-1) + output_padding + k - out, split per auto_pad. */
  | { readonly kind: 'onnx-output'; readonly k: number; readonly s: number; readonly outputPadding: number; readonly upper: boolean };

/** A source whose output size is an attribute: forward() takes it as an argument. */
export interface OutputShapeParam {
  readonly framework: 'tf' | 'onnx';
  /** The source's own value (TF: full [N, ..., C] in data_format order; ONNX: spatial sizes). */
  readonly value: readonly number[];
  /** Index into the value of canonical spatial axis i. */
  readonly spatial: readonly number[];
}

export function padsAt(rule: PadRule, n: number, out?: number): PadPair {
  switch (rule.kind) {
    case 'const':
      return rule.pads;
    case 'same':
      return samePadding(n, rule.k, rule.s, rule.lower);
    case 'tf-output': {
      const o = out!;
      const lo = rule.forward === 'SAME' ? samePadding(o, rule.k, rule.s)[0] : rule.forward === 'VALID' ? 0 : rule.forward;
      return transposePadding(n, o, rule.k, rule.s, lo);
    }
    case 'onnx-output': {
      const o = out!;
      const total = rule.s * (n - 1) + rule.outputPadding + rule.k - o;
      const half = Math.floor(total / 2);
      const lo = rule.upper ? half : total - half;
      return transposePadding(n, o, rule.k, rule.s, lo);
    }
  }
}

function sourceRules(s: Source): { rules: PadRule[]; outputShape?: OutputShapeParam } {
  const a = s.json.attrs ?? {};
  const k = s.info.effectiveKernel;
  const ws = s.spec.windowStrides;
  const ld = s.spec.lhsDilation;
  const consts = (): PadRule[] => s.spec.padding.map((p) => ({ kind: 'const', pads: p }));
  const same = (lower: boolean): PadRule[] => k.map((kk, i) => ({ kind: 'same', k: kk, s: ws[i]!, lower }));
  const outAxes = s.low.layout.out.slice(1, s.r + 1);
  switch (s.framework) {
    case 'tf': {
      const padding = a['padding'] ?? (s.transposedOp ? 'SAME' : undefined);
      if (!s.transposedOp) return { rules: padding === 'SAME' ? same(false) : consts() };
      const os = a['output_shape'] as number[];
      const rules: PadRule[] = k.map((kk, i) => ({
        kind: 'tf-output',
        k: kk,
        s: ld[i]!,
        forward: padding === 'SAME' || padding === 'VALID' ? padding : (padding as number[][])[outAxes[i]!]![0]!,
      }));
      return { rules, outputShape: { framework: 'tf', value: os, spatial: outAxes } };
    }
    case 'jax': {
      const p = typeof a['padding'] === 'string' ? (a['padding'] as string).toUpperCase() : undefined;
      if (s.op === 'conv_general_dilated' && (p === 'SAME' || p === 'SAME_LOWER')) return { rules: same(p === 'SAME_LOWER') };
      return { rules: consts() };
    }
    case 'onnx': {
      const ap = a['auto_pad'];
      if (s.op === 'Conv') return { rules: ap === 'SAME_UPPER' || ap === 'SAME_LOWER' ? same(ap === 'SAME_LOWER') : consts() };
      const os = a['output_shape'];
      if (!Array.isArray(os)) return { rules: consts() };
      const op = a['output_padding'];
      const rules: PadRule[] = k.map((kk, i) => ({
        kind: 'onnx-output',
        k: kk,
        s: ld[i]!,
        outputPadding: Array.isArray(op) ? (op[i] as number) : 0,
        upper: ap === 'SAME_UPPER',
      }));
      return { rules, outputShape: { framework: 'onnx', value: os as number[], spatial: k.map((_, i) => i) } };
    }
    case 'torch':
      return { rules: consts() };
  }
}

export type Kind = 'forward' | 'transposed';

export interface GenericPlan {
  /** The translation at the case's own sizes: op, static attributes, kernel plan, layouts. */
  readonly t: Translation;
  readonly to: Framework;
  readonly kind: Kind;
  readonly rules: readonly PadRule[];
  readonly outputShape?: OutputShapeParam;
  /** Per canonical spatial axis: effective kernel, lhs dilation (transposed stride), window stride, rhs dilation. */
  readonly axes: { readonly k: readonly number[]; readonly s: readonly number[]; readonly ws: readonly number[]; readonly d: readonly number[] };
  /** The target's own size-generic padding form, when it is exact at every size ('SAME', SAME_LOWER, torch 'same'). */
  readonly own?: string;
  readonly sizeDependent: boolean;
  /** Whether the bias goes into the call (it must come after a crop that may add zeros). */
  readonly biasInCall: boolean;
  readonly outChannels: number;
  readonly dtype: DType;
  readonly unbatchedSource: boolean;
}

/** Attributes that realize() sets; the rest of the translation's attributes hold at every size. */
const PAD_KEYS: Record<Framework, string[]> = {
  tf: ['padding', 'output_shape'],
  jax: ['padding'],
  onnx: ['pads', 'auto_pad', 'output_padding', 'output_shape'],
  torch: ['padding', 'output_padding'],
};

export function genericPlan(c: CaseJson, to: Framework, opts: TranslateOptions = {}): GenericPlan {
  const s = analyze(c);
  const t = translate(c, to, opts);
  if (to === 'jax' && t.case.op !== 'conv_general_dilated') {
    throw new Error(`translate: --emit function/layer writes jax.lax.conv_general_dilated; --op ${t.case.op} is for the call at one size`);
  }
  const { rules, outputShape } = sourceRules(s);
  const n = s.info.inSpatial;
  const outs = outputShape ? outputShape.spatial.map((j) => outputShape.value[j]!) : [];
  rules.forEach((r, i) => {
    const p = padsAt(r, n[i]!, outs[i]);
    const want = s.spec.padding[i]!;
    if (p[0] !== want[0] || p[1] !== want[1]) throw new Error(`internal: the padding rule of axis ${i} gives ${p.join(', ')} for size ${n[i]}, the source pads ${want.join(', ')}`);
  });
  const lowered = t.case.framework === 'jax' ? (t.case.attrs?.['lhs_dilation'] as number[] | undefined) : undefined;
  const kind: Kind = lowered ? (lowered.every((x) => x === 1) ? 'forward' : 'transposed') : /transpose/i.test(t.case.op) ? 'transposed' : 'forward';
  const axes = { k: s.info.effectiveKernel, s: s.spec.lhsDilation, ws: s.spec.windowStrides, d: s.spec.rhsDilation };
  const sizeDependent = rules.some((r) => r.kind !== 'const');
  const own = ownForm(to, kind, rules, axes.ws, axes.d);
  const base = { t, to, kind, rules, axes, ...(own ? { own } : {}), sizeDependent, outChannels: s.info.outChannels, dtype: s.dtype, unbatchedSource: s.unbatched };
  const plan0 = { ...base, biasInCall: false, ...(outputShape ? { outputShape } : {}) };
  // The bias may go into the call unless a crop can add zeros (which must get the bias too).
  const hasBiasInput = to === 'onnx' || to === 'torch';
  const cropsNonNegative = kind === 'forward' || (!sizeDependent && (realize(plan0, s.spec.padding, n, s.info.batch).crop ?? []).every(([a, b]) => a >= 0 && b >= 0));
  return { ...plan0, biasInCall: hasBiasInput && cropsNonNegative };
}

function ownForm(to: Framework, kind: Kind, rules: readonly PadRule[], ws: readonly number[], d: readonly number[]): string | undefined {
  if (kind !== 'forward' || !rules.every((r) => r.kind === 'same')) return undefined;
  const lower = (rules[0] as { lower: boolean }).lower;
  if (!rules.every((r) => (r as { lower: boolean }).lower === lower)) return undefined;
  if (to === 'jax') return lower ? 'SAME_LOWER' : 'SAME';
  // NB: onnxruntime refuses auto_pad SAME_* with dilations > 1 (docs/findings.md); explicit pads then.
  if (to === 'onnx') return d.some((x) => x > 1) ? undefined : lower ? 'SAME_LOWER' : 'SAME_UPPER';
  if (to === 'tf' && !lower) return 'SAME';
  if (to === 'torch' && !lower && ws.every((x) => x === 1)) return 'same';
  return undefined;
}

export interface Realized {
  readonly attrs: Record<string, unknown>;
  /** Signed pad of the translated call's input per canonical spatial axis (negative crops). */
  readonly pre?: readonly PadPair[];
  /** Signed crop of its output per canonical spatial axis (negative adds zeros). */
  readonly crop?: readonly PadPair[];
}

const max0 = (p: PadPair): PadPair => [Math.max(0, p[0]), Math.max(0, p[1])];
const min0 = (p: PadPair): PadPair => [Math.min(0, p[0]), Math.min(0, p[1])];
const nonZero = (ps: readonly PadPair[]) => ps.some(([a, b]) => a !== 0 || b !== 0);

/**
 * Transposed targets with explicit forward pads (ONNX, TF conv2d_transpose): begin b, end e >= 0
 * and a slack 0 <= a < s give canonical (k-1-b, k-1-e+a); the crop takes the rest.
 */
export function explicitTranspose([lo, hi]: PadPair, k: number, s: number): { b: number; e: number; a: number; crop: PadPair } {
  const k1 = k - 1;
  const b = Math.max(0, k1 - lo);
  const e = Math.max(0, k1 - hi);
  const a = Math.min(s - 1, Math.max(0, hi - (k1 - e)));
  return { b, e, a, crop: [k1 - b - lo, k1 - e + a - hi] };
}

/** torch conv_transpose: one p >= 0 for both sides, output_padding a < max(s, d) at the end. */
export function torchTransposeAt([lo, hi]: PadPair, k: number, s: number, d: number): { p: number; a: number; crop: PadPair } {
  const k1 = k - 1;
  const amax = Math.max(s, d) - 1;
  const p = Math.max(0, Math.min(k1 - lo, k1 - hi + amax));
  const a = Math.min(amax, Math.max(0, hi - (k1 - p)));
  return { p, a, crop: [k1 - p - lo, k1 - p + a - hi] };
}

/** TF conv1d/conv3d_transpose with 'VALID': canonical (k-1, k-1+j) with the slack 0 <= j < s. */
export function tfValidTranspose([lo, hi]: PadPair, k: number, s: number): { j: number; crop: PadPair } {
  const k1 = k - 1;
  const j = Math.min(s - 1, Math.max(0, hi - k1));
  return { j, crop: [k1 - lo, k1 + j - hi] };
}

/** The target's padding attributes (and the pad/crop around it) for canonical pads at input sizes n. */
export function realize(plan: Omit<GenericPlan, 'biasInCall'>, pads: readonly PadPair[], n: readonly number[], batch: number): Realized {
  const { to, kind, axes, own } = plan;
  const attrs: Record<string, unknown> = Object.fromEntries(Object.entries(plan.t.case.attrs ?? {}).filter(([key]) => !PAD_KEYS[to].includes(key)));
  const r = pads.length;
  if (to === 'jax') return { attrs: { ...attrs, padding: own ?? pads.map((p) => [...p]) } };
  if (kind === 'forward') {
    if (own) return { attrs: { ...attrs, [to === 'onnx' ? 'auto_pad' : 'padding']: own } };
    if (to === 'torch') {
      const p = pads.map(([lo, hi]) => Math.max(0, Math.min(lo, hi)));
      const pre = pads.map(([lo, hi], i): PadPair => [lo - p[i]!, hi - p[i]!]);
      return { attrs: { ...attrs, padding: p }, ...(nonZero(pre) ? { pre } : {}) };
    }
    const pre = pads.map(min0);
    const keep = pads.map(max0);
    if (to === 'onnx') return { attrs: { ...attrs, ...(nonZero(keep) ? { pads: [...keep.map((p) => p[0]), ...keep.map((p) => p[1])] } : {}) }, ...(nonZero(pre) ? { pre } : {}) };
    if (r === 2) return { attrs: { ...attrs, padding: nonZero(keep) ? [[0, 0], ...keep.map((p) => [...p]), [0, 0]] : 'VALID' }, ...(nonZero(pre) ? { pre } : {}) };
    return { attrs: { ...attrs, padding: 'VALID' }, ...(nonZero(pads) ? { pre: pads } : {}) };
  }
  if (to === 'torch') {
    const c = pads.map((p, i) => torchTransposeAt(p, axes.k[i]!, axes.s[i]!, axes.d[i]!));
    const crop = c.map((x) => x.crop);
    return { attrs: { ...attrs, padding: c.map((x) => x.p), output_padding: c.map((x) => x.a) }, ...(nonZero(crop) ? { crop } : {}) };
  }
  if (to === 'onnx') {
    const c = pads.map((p, i) => explicitTranspose(p, axes.k[i]!, axes.s[i]!));
    const crop = c.map((x) => x.crop);
    const bes = [...c.map((x) => x.b), ...c.map((x) => x.e)];
    return {
      attrs: { ...attrs, ...(bes.some((v) => v !== 0) ? { pads: bes } : {}), ...(c.some((x) => x.a !== 0) ? { output_padding: c.map((x) => x.a) } : {}) },
      ...(nonZero(crop) ? { crop } : {}),
    };
  }
  // tf transposed: output_shape from the input size; explicit forward pads for conv2d_transpose.
  const out = (i: number, got: PadPair) => dilatedSize(n[i]!, axes.s[i]!) + got[0] + got[1] - axes.k[i]! + 1;
  if (r === 2) {
    const c = pads.map((p, i) => explicitTranspose(p, axes.k[i]!, axes.s[i]!));
    const outs = c.map((x, i) => out(i, [axes.k[i]! - 1 - x.b, axes.k[i]! - 1 - x.e + x.a]));
    const crop = c.map((x) => x.crop);
    return { attrs: { ...attrs, output_shape: [batch, ...outs, plan.outChannels], padding: [[0, 0], ...c.map((x) => [x.b, x.e]), [0, 0]] }, ...(nonZero(crop) ? { crop } : {}) };
  }
  const c = pads.map((p, i) => tfValidTranspose(p, axes.k[i]!, axes.s[i]!));
  const outs = c.map((x, i) => out(i, [axes.k[i]! - 1, axes.k[i]! - 1 + x.j]));
  const crop = c.map((x) => x.crop);
  return { attrs: { ...attrs, output_shape: [batch, ...outs, plan.outChannels], padding: 'VALID' }, ...(nonZero(crop) ? { crop } : {}) };
}

const KERNEL: Record<Framework, string> = { tf: 'filters', jax: 'rhs', onnx: 'W', torch: 'weight' };
const INPUT: Record<Framework, string> = { tf: 'input', jax: 'lhs', onnx: 'X', torch: 'input' };
const BIAS: Partial<Record<Framework, string>> = { onnx: 'B', torch: 'bias' };

const isIdentity = (p: readonly number[]) => p.every((x, i) => x === i);
const json = (t: Tensor) => ({ shape: [...t.shape], data: Array.from(t.data) });

/**
 * What the emitted forward(x, w, b, output_shape) computes, on the reference: the source's
 * arrays in the source's layouts in, the source's output in its layout out. `outputShape` is the
 * source's output_shape attribute (TF, ONNX transposed sources) for this input size.
 */
export function runGeneric(plan: GenericPlan, x: Tensor, w: Tensor, b?: Tensor, outputShape?: readonly number[]): Tensor {
  const tp = plan.t.plan;
  const n = tp.sourceSpatialAxes.map((a) => x.shape[a]!);
  const os = outputShape ?? plan.outputShape?.value;
  const pads = plan.rules.map((rule, i) => padsAt(rule, n[i]!, os && plan.outputShape ? os[plan.outputShape.spatial[i]!] : undefined));
  let xt = tp.addBatch ? reshape(x, [1, ...x.shape]) : x;
  if (!isIdentity(tp.inputPerm)) xt = transpose(xt, tp.inputPerm);
  // Every target layout puts the batch first (torch -> torch unbatched never needs it).
  const real = realize(plan, pads, n, xt.shape[0]!);
  if (real.pre) xt = padAxes(xt, real.pre.map(([lo, hi], i) => ({ axis: tp.targetSpatialAxes.input[i]!, lo, hi })));
  const inputs: Record<string, ReturnType<typeof json>> = { [INPUT[plan.to]]: json(xt), [KERNEL[plan.to]]: json(applyKernelOps(w, tp.kernel)) };
  if (b && plan.biasInCall) inputs[BIAS[plan.to]!] = json(b);
  const c: CaseJson = { framework: plan.to, op: plan.t.case.op, attrs: real.attrs, inputs, dtype: 'float64' };
  let y = reference(parseCase(c, 'generic'));
  if (real.crop) y = padAxes(y, real.crop.map(([lo, hi], i) => ({ axis: tp.targetSpatialAxes.output[i]!, lo: -lo, hi: -hi })));
  if (b && !plan.biasInCall) {
    const axis = tp.targetSpatialAxes.outputChannel;
    const inner = y.shape.slice(axis + 1).reduce((p, q) => p * q, 1);
    const m = y.shape[axis]!;
    y = { shape: y.shape, data: Float64Array.from(y.data, (v, i) => v + b.data[Math.floor(i / inner) % m]!) };
  }
  if (!isIdentity(tp.outputPerm)) y = transpose(y, tp.outputPerm);
  return tp.dropBatch ? reshape(y, y.shape.slice(1)) : y;
}
