/**
 * Translation between conventions. The source call is lowered to the canonical op (lower());
 * a call of the target convention is then chosen whose own lowering is the same canonical
 * computation: same window strides, lhs/rhs dilations, groups, the same canonical kernel and
 * input, and the same signed padding — either directly, or up to an exact recipe (pad the input
 * of a forward conv; crop the output of a transposed conv). Every translation is checked by
 * lowering it again before it is returned.
 */
import { parseCase, type CaseJson, type DType, type TensorJson } from '../case/case.js';
import { lower, SIGNATURES, type Framework, type Lowering } from '../conventions/index.js';
import { layoutFromSpecs, type DimensionNumbers } from '../conventions/jax.js';
import { channelsFirst, channelsLast, kernelOIFirst, kernelSpatialFirst } from '../conventions/lowering.js';
import { ConvError, show } from '../core/errors.js';
import { convInfo, samePadding, type ConvInfo, type ConvSpec, type PadPair } from '../core/shapes.js';
import { invertPerm, reshape, transpose, type Tensor } from '../core/tensor.js';
import { NotExpressible } from './errors.js';
import {
  applyKernelOps,
  canonicalForm,
  depthwiseForm,
  groupedTransposeForm,
  planKernel,
  swappedForm,
  type KernelForm,
  type KernelOp,
  type Label,
} from './kernel.js';
import {
  isDirect,
  jaxTransposeStringPads,
  nonNegativeSplit,
  onnxTranspose,
  symmetricSplit,
  tfTransposeExplicit,
  tfTransposeString,
  torchSame,
  torchTranspose,
  type ForwardChoice,
  type TAxis,
  type TransposeChoice,
} from './pads.js';
import { describeAmounts, padInput, type AxisAmount, type Recipe } from './recipe.js';

export interface TranslateOptions {
  /**
   * The target op. Default: the target's transposed op for a transposed source (falling back to
   * its forward op when the strides are 1), its forward op otherwise; for JAX always
   * `conv_general_dilated`, which expresses every canonical call.
   */
  readonly op?: string;
  /** Only for a JAX `conv_transpose` target: emit `transpose_kernel=True` (default) or False. */
  readonly transposeKernel?: boolean;
}

/** What was done to the data, as data (the `*Steps` strings print the same objects). */
export interface TranslationPlan {
  /** Source native kernel -> translated kernel. */
  readonly kernel: readonly KernelOp[];
  /** torch unbatched source, batched target: the input gets a leading axis of size 1 first. */
  readonly addBatch: boolean;
  /** translated input = transpose(source input (batched), inputPerm). */
  readonly inputPerm: readonly number[];
  /** source output (batched) = transpose(translated output after crop and bias, outputPerm). */
  readonly outputPerm: readonly number[];
  readonly dropBatch: boolean;
  /** Shape of the translated call's own output (before the recipe's crop). */
  readonly outputShape: readonly number[];
  /** Axis of the translated output that `bias` is added along, when the target has no bias input. */
  readonly biasAxis?: number;
  /** Axes of the source's input (as given, unbatched or not) holding canonical spatial axes 0..r-1. */
  readonly sourceSpatialAxes: readonly number[];
  /** Axes of the translated call's input and output holding canonical spatial axes 0..r-1, and its output's channel axis. */
  readonly targetSpatialAxes: { readonly input: readonly number[]; readonly output: readonly number[]; readonly outputChannel: number };
}

export interface Translation {
  readonly source: { readonly framework: Framework; readonly op: string; readonly id?: string };
  /** The translated call; its inputs already hold the transposed input and the transformed kernel. */
  readonly case: CaseJson;
  readonly kernelSteps: string[];
  readonly inputSteps: string[];
  readonly outputSteps: string[];
  /** Present when the target cannot express the call directly but pad -> call -> crop can. */
  readonly recipe?: Recipe;
  /** The source's bias when the target takes none (tf, jax): add it after the call. */
  readonly bias?: TensorJson;
  readonly notes: string[];
  readonly plan: TranslationPlan;
}

// ---------------------------------------------------------------------------------------------
// The source, lowered and described.

export interface Source {
  readonly json: CaseJson;
  readonly framework: Framework;
  readonly op: string;
  readonly low: Lowering;
  readonly info: ConvInfo;
  readonly spec: ConvSpec;
  readonly r: number;
  /** Feature groups. */
  readonly g: number;
  readonly transposedOp: boolean;
  /** Names of the spatial axes in canonical order (the source's own letters for JAX). */
  readonly letters: readonly string[];
  /** JAX sources: the dimension numbers in effect. */
  readonly dn?: DimensionNumbers;
  readonly form: KernelForm;
  readonly kernel: Tensor;
  readonly unbatched: boolean;
  readonly dtype: DType;
}

const SPATIAL_NAMES = 'XYZABEFGJKLMPQRTUV';
function defaultLetters(r: number): string[] {
  return r <= 3 ? ['D', 'H', 'W'].slice(3 - r) : [...SPATIAL_NAMES.slice(0, r)];
}

function jaxDn(op: string, attrs: Readonly<Record<string, unknown>>, r: number): DimensionNumbers {
  const v = attrs['dimension_numbers'];
  if (Array.isArray(v)) return v as unknown as DimensionNumbers;
  // The defaults of conventions/jax.ts: NCHW/OIHW for conv_general_dilated, NHWC/HWIO for conv_transpose.
  const sp = 'HWDXYZ'.slice(0, r);
  return op === 'conv_transpose' ? [`N${sp}C`, `${sp}IO`, `N${sp}C`] : [`NC${sp}`, `OI${sp}`, `NC${sp}`];
}

/** The source call, lowered and described (a ConvError when its own framework rejects it). */
export function analyze(c: CaseJson): Source {
  const call = parseCase(c, c.id ?? 'case');
  const low = lower(call); // a ConvError here: the source framework itself rejects the call
  const r = low.spec.windowStrides.length;
  const canon = (t: Tensor, perm: readonly number[]) => perm.map((a) => t.shape[a]!);
  const info = convInfo(low.op, canon(low.lhs, low.layout.lhs), canon(low.rhs, low.layout.rhs), low.spec);
  const g = low.spec.featureGroupCount;
  const op = call.op;
  let form: KernelForm;
  let kernelName: string;
  let letters = defaultLetters(r);
  let dn: DimensionNumbers | undefined;
  switch (call.framework) {
    case 'tf':
      kernelName = op === 'depthwise_conv2d' ? 'filter' : 'filters';
      form = op === 'depthwise_conv2d' ? depthwiseForm(g) : op.endsWith('_transpose') ? swappedForm(kernelSpatialFirst(r)) : canonicalForm(kernelSpatialFirst(r), g);
      break;
    case 'jax':
      kernelName = 'rhs';
      dn = jaxDn(op, call.attrs, r);
      letters = [...dn[1]].filter((ch) => ch !== 'O' && ch !== 'I');
      form = op === 'conv_transpose' && call.attrs['transpose_kernel'] === true ? swappedForm(low.layout.rhs) : canonicalForm(low.layout.rhs, g);
      break;
    case 'onnx':
      kernelName = 'W';
      form = op === 'ConvTranspose' ? groupedTransposeForm(r, g) : canonicalForm(kernelOIFirst(r), g);
      break;
    case 'torch':
      kernelName = 'weight';
      form = op.startsWith('conv_transpose') ? groupedTransposeForm(r, g) : canonicalForm(kernelOIFirst(r), g);
      break;
  }
  const transposedOp = /transpose/i.test(op);
  return {
    json: c,
    framework: call.framework,
    op,
    low,
    info,
    spec: low.spec,
    r,
    g,
    transposedOp,
    letters,
    ...(dn ? { dn } : {}),
    form,
    kernel: call.inputs[kernelName]!,
    unbatched: low.unbatched === true,
    dtype: call.dtype,
  };
}

// ---------------------------------------------------------------------------------------------
// Target calls. A builder picks the native parameters; assemble() moves the data and checks.

interface Built {
  readonly op: string;
  readonly attrs: Record<string, unknown>;
  readonly names: { readonly input: string; readonly kernel: string; readonly bias?: string };
  readonly layout: { readonly lhs: readonly number[]; readonly out: readonly number[] };
  readonly form: KernelForm;
  /** The canonical pads the target call computes itself. */
  readonly pads: readonly PadPair[];
  /** Recipe, per spatial axis in canonical order. */
  readonly pre?: readonly PadPair[];
  readonly crop?: readonly PadPair[];
  readonly notes: string[];
  /** torch -> torch keeps an unbatched input unbatched. */
  readonly keepUnbatched?: boolean;
}

type Kind = 'forward' | 'transposed';

export const qualified = (fw: Framework, op: string) =>
  fw === 'tf' ? `tf.nn.${op}` : fw === 'jax' ? `jax.lax.${op}` : fw === 'onnx' ? `ONNX ${op}` : `torch.nn.functional.${op}`;

const ones = (v: readonly number[]) => v.every((x) => x === 1);
const zeros = (p: readonly PadPair[]) => p.every(([a, b]) => a === 0 && b === 0);
const samePads = (a: readonly PadPair[], b: readonly PadPair[]) => a.every((p, i) => p[0] === b[i]![0] && p[1] === b[i]![1]);

function targetOps(to: Framework, r: number): Record<Kind, string> {
  switch (to) {
    case 'tf':
      return { forward: `conv${r}d`, transposed: `conv${r}d_transpose` };
    case 'jax':
      return { forward: 'conv_general_dilated', transposed: 'conv_general_dilated' };
    case 'onnx':
      return { forward: 'Conv', transposed: 'ConvTranspose' };
    case 'torch':
      return { forward: `conv${r}d`, transposed: `conv_transpose${r}d` };
  }
}

function checkRank(s: Source, to: Framework): void {
  if (to === 'onnx' ? s.r < 1 : s.r < 1 || s.r > 3) {
    throw new NotExpressible(to, 'spatial rank', `spatial rank ${s.r} has no ${to} equivalent (${to} convolves ${to === 'onnx' ? 'at least 1' : '1, 2 or 3'} spatial axes)`);
  }
}

function checkBatchGroups(s: Source, to: Framework, op: string): void {
  const bgc = s.spec.batchGroupCount;
  if (bgc > 1) throw new NotExpressible(to, 'batch_group_count', `batch_group_count (${bgc}) has no ${to} equivalent: ${qualified(to, op)} cannot group over the batch`);
}

function checkKind(s: Source, to: Framework, op: string, kind: Kind): void {
  const { windowStrides: ws, lhsDilation: ld } = s.spec;
  if (!ones(ld) && !ones(ws)) {
    throw new NotExpressible(
      to,
      'lhs_dilation',
      `lhs_dilation ${show(ld)} together with window_strides ${show(ws)} (a strided convolution of a dilated input) has no ${to} equivalent`,
    );
  }
  if (kind === 'forward' && !ones(ld)) {
    throw new NotExpressible(to, 'lhs_dilation', `lhs_dilation ${show(ld)} (a transposed convolution) cannot be expressed by the forward ${qualified(to, op)}`);
  }
  if (kind === 'transposed' && !ones(ws)) {
    throw new NotExpressible(to, 'window_strides', `window_strides ${show(ws)} (a strided forward convolution) cannot be expressed by the transposed ${qualified(to, op)}`);
  }
}

const forwardNote = (s: Source, to: Framework, op: string, choice: readonly ForwardChoice[], why: string) => {
  if (choice.every((c) => isDirect(c))) return [];
  const parts = choice.flatMap((c, i) => (isDirect(c) ? [] : [`axis ${s.letters[i]}: pad the input by ${show(c.pre)} before the call`]));
  return [`${qualified(to, op)} ${why}; this call pads ${show(s.spec.padding)}: ${parts.join('; ')} (recipe.pad), then call with pads ${show(choice.map((c) => c.pads))}.`];
};

const transposeNote = (s: Source, to: Framework, op: string, choice: readonly TransposeChoice[]) => {
  if (choice.every((c) => isDirect(c))) return [];
  const parts = choice.flatMap((c, i) => (isDirect(c) ? [] : [`axis ${s.letters[i]}: its output starts ${c.crop[0]} earlier and ends ${c.crop[1]} later than this call's`]));
  return [
    `${qualified(to, op)} cannot place the output window of this call exactly (canonical pads of the dilated input ${show(s.spec.padding)}; ` +
      `the closest it computes is ${show(choice.map((c) => c.pads))}): ${parts.join('; ')}. Crop its output (recipe.crop; a negative crop adds zeros, exact there because those windows see no data).`,
  ];
};

function cropNote(s: Source, to: Framework, op: string, choice: readonly ForwardChoice[]): string[] {
  // ONNX wording for the common case: what the negative pads of this call do.
  const crops = choice.flatMap((c, i) =>
    [0, 1].flatMap((side) => (c.pre[side]! < 0 ? [`crops by ${-c.pre[side]!} at the ${side === 0 ? 'start' : 'end'} of axis ${i} (${s.letters[i]})`] : [])),
  );
  return crops.length ? [`${qualified(to, op)} pads must be >= 0; this call ${crops.join(' and ')}: crop the input first (recipe.pad with negative amounts).`] : [];
}

// tf ------------------------------------------------------------------------------------------

const TF_FORMAT: Record<number, string> = { 1: 'NWC', 2: 'NHWC', 3: 'NDHWC' };
const TF_CPU_DILATION =
  "TF's Eigen CPU kernels (TF_ENABLE_ONEDNN_OPTS=0) refuse dilations > 1 for conv3d and for transposed convolutions; the default oneDNN build and GPUs run them.";

function tfForward(s: Source): Built {
  const { r, g, spec } = s;
  const op = `conv${r}d`;
  if (g > 1 && r === 3) {
    throw new NotExpressible('tf', 'groups', `feature groups (${g}) have no tf.nn.conv3d equivalent: Conv3D has no grouped form (tf.nn.conv1d and conv2d have)`);
  }
  const same = s.info.inSpatial.map((l, i) => samePadding(l, s.info.effectiveKernel[i]!, spec.windowStrides[i]!));
  let padding: unknown;
  let choice: ForwardChoice[] = spec.padding.map((p) => ({ pads: p, pre: [0, 0] }));
  const notes: string[] = [];
  if (zeros(spec.padding)) padding = 'VALID';
  else if (samePads(spec.padding, same)) padding = 'SAME';
  else if (r === 2) {
    choice = spec.padding.map(nonNegativeSplit);
    padding = [[0, 0], ...choice.map((c) => [...c.pads]), [0, 0]];
    notes.push(...cropNote(s, 'tf', op, choice));
  } else {
    choice = spec.padding.map((p) => ({ pads: [0, 0], pre: p }));
    padding = 'VALID';
    notes.push(...forwardNote(s, 'tf', op, choice, `takes only padding 'SAME' or 'VALID' and these pads are neither`));
  }
  const ws = spec.windowStrides;
  const rd = spec.rhsDilation;
  const attrs: Record<string, unknown> =
    r === 1
      ? { stride: ws[0], padding, data_format: TF_FORMAT[r], ...(ones(rd) ? {} : { dilations: rd[0] }) }
      : r === 2
        ? { strides: [...ws], padding, data_format: TF_FORMAT[r], ...(ones(rd) ? {} : { dilations: [...rd] }) }
        : { strides: [1, ...ws, 1], padding, data_format: TF_FORMAT[r], ...(ones(rd) ? {} : { dilations: [1, ...rd, 1] }) };
  if (r === 3 && !ones(rd)) notes.push(TF_CPU_DILATION);
  if (g > 1) notes.push(`tf.nn.${op} groups by the input depth: ${s.info.inChannels} input channels over filters of depth ${s.info.kernelInChannels} make ${g} groups.`);
  return {
    op,
    attrs,
    names: { input: 'input', kernel: 'filters' },
    layout: { lhs: channelsLast(r), out: channelsLast(r) },
    form: canonicalForm(kernelSpatialFirst(r), g),
    pads: choice.map((c) => c.pads),
    pre: choice.map((c) => c.pre),
    notes,
  };
}

function transposeAxes(s: Source): TAxis[] {
  return s.spec.padding.map((p, i) => ({
    pads: p,
    effK: s.info.effectiveKernel[i]!,
    s: s.spec.lhsDilation[i]!,
    d: s.spec.rhsDilation[i]!,
    inSize: s.info.inSpatial[i]!,
  }));
}

function tfTransposed(s: Source): Built {
  const { r, g, spec } = s;
  const op = `conv${r}d_transpose`;
  if (g > 1) throw new NotExpressible('tf', 'groups', `feature groups (${g}) have no tf.nn.${op} equivalent: TF's transposed convolutions are ungrouped`);
  const axes = transposeAxes(s);
  type C = NonNullable<ReturnType<typeof tfTransposeExplicit>>;
  const all = (cs: (C | undefined)[]): C[] | undefined => (cs.every((c) => c !== undefined) ? (cs as C[]) : undefined);
  const modes: Array<{ padding: unknown; choice: C[] | undefined }> = [
    { padding: 'SAME', choice: all(axes.map((a) => tfTransposeString(a, 'SAME'))) },
    { padding: 'VALID', choice: all(axes.map((a) => tfTransposeString(a, 'VALID'))) },
  ];
  if (r === 2) {
    const ex = all(axes.map(tfTransposeExplicit));
    modes.push({ padding: ex && [[0, 0], ...ex.map((c) => [...c.forward]), [0, 0]], choice: ex });
  }
  const cost = (cs: C[]) => cs.reduce((a, c) => a + Math.abs(c.crop[0]) + Math.abs(c.crop[1]), 0);
  let pick: { padding: unknown; choice: C[] } | undefined;
  for (const m of modes) if (m.choice && (!pick || cost(m.choice) < cost(pick.choice))) pick = { padding: m.padding, choice: m.choice };
  if (!pick) {
    throw new NotExpressible('tf', 'padding', `the pads ${show(spec.padding)} of this transposed convolution give an output window no tf.nn.${op} output_shape reaches`);
  }
  const { choice, padding } = pick;
  const ld = spec.lhsDilation;
  const rd = spec.rhsDilation;
  const attrs: Record<string, unknown> = {
    output_shape: [s.info.batch, ...choice.map((c) => c.out), s.info.outChannels],
    strides: r === 1 ? ld[0] : [...ld],
    padding,
    data_format: TF_FORMAT[r],
    ...(ones(rd) ? {} : { dilations: r === 1 ? rd[0] : [...rd] }),
  };
  const notes = transposeNote(s, 'tf', op, choice);
  if (!ones(rd)) notes.push(TF_CPU_DILATION);
  if (typeof padding !== 'string' && !notes.length) notes.push(`explicit padding: the pads of the forward conv whose gradient this is, ${show(choice.map((c) => c.forward))}.`);
  return {
    op,
    attrs,
    names: { input: 'input', kernel: 'filters' },
    layout: { lhs: channelsLast(r), out: channelsLast(r) },
    form: swappedForm(kernelSpatialFirst(r)),
    pads: choice.map((c) => c.pads),
    crop: choice.map((c) => c.crop),
    notes,
  };
}

// jax -----------------------------------------------------------------------------------------

function jaxSpecs(s: Source): DimensionNumbers {
  if (s.dn) return s.dn;
  const sp = s.letters.join('');
  const cLast = s.low.layout.lhs.join() === channelsLast(s.r).join();
  const lhs = cLast ? `N${sp}C` : `NC${sp}`;
  return [lhs, s.framework === 'tf' ? `${sp}IO` : `OI${sp}`, lhs];
}

function jaxGeneral(s: Source): Built {
  const { spec, r } = s;
  const dn = jaxSpecs(s);
  const layout = layoutFromSpecs('jax.lax.conv_general_dilated', dn, r + 2);
  let padding: unknown = spec.padding.map((p) => [...p]);
  if (ones(spec.lhsDilation)) {
    const same = (lower: boolean) => s.info.inSpatial.map((l, i) => samePadding(l, s.info.effectiveKernel[i]!, spec.windowStrides[i]!, lower));
    if (zeros(spec.padding)) padding = 'VALID';
    else if (samePads(spec.padding, same(false))) padding = 'SAME';
    else if (samePads(spec.padding, same(true))) padding = 'SAME_LOWER';
  }
  const attrs: Record<string, unknown> = {
    window_strides: [...spec.windowStrides],
    padding,
    lhs_dilation: [...spec.lhsDilation],
    rhs_dilation: [...spec.rhsDilation],
    dimension_numbers: [...dn],
    ...(spec.featureGroupCount > 1 ? { feature_group_count: spec.featureGroupCount } : {}),
    ...(spec.batchGroupCount > 1 ? { batch_group_count: spec.batchGroupCount } : {}),
  };
  const notes: string[] = [];
  if (s.transposedOp && s.framework !== 'jax') {
    notes.push(
      `a transposed convolution is conv_general_dilated with lhs_dilation = its strides ${show(spec.lhsDilation)}, window_strides 1, ` +
        `padding ${show(spec.padding)} of the dilated input, and the kernel mirrored with in/out exchanged.`,
    );
  }
  return {
    op: 'conv_general_dilated',
    attrs,
    names: { input: 'lhs', kernel: 'rhs' },
    layout,
    form: canonicalForm(layout.rhs, s.g),
    pads: spec.padding,
    notes,
  };
}

function jaxTranspose(s: Source, transposeKernel: boolean): Built {
  const { spec, r } = s;
  if (s.g > 1) {
    throw new NotExpressible('jax', 'feature_group_count', `feature groups (${s.g}) have no jax.lax.conv_transpose equivalent (it has no feature_group_count; use conv_general_dilated)`);
  }
  const dn = jaxSpecs(s);
  const layout = layoutFromSpecs('jax.lax.conv_transpose', dn, r + 2);
  const eff = s.info.effectiveKernel;
  const str = (mode: 'SAME' | 'VALID') => samePads(spec.padding, eff.map((k, i) => jaxTransposeStringPads(k, spec.lhsDilation[i]!, mode)));
  const padding = str('SAME') ? 'SAME' : str('VALID') ? 'VALID' : spec.padding.map((p) => [...p]);
  const notes: string[] = [];
  if (typeof padding !== 'string') {
    notes.push('explicit pairs of lax.conv_transpose (use_consistent_padding=False, the default) are the pads of the dilated input, handed to conv_general_dilated as they are.');
  }
  if (transposeKernel) {
    notes.push(`with transpose_kernel=True the rhs spec ${show(dn[1])} names the forward conv's axes: its I axis holds this call's output channels and its O axis the input channels.`);
  }
  return {
    op: 'conv_transpose',
    attrs: { strides: [...spec.lhsDilation], padding, rhs_dilation: [...spec.rhsDilation], dimension_numbers: [...dn], transpose_kernel: transposeKernel },
    names: { input: 'lhs', kernel: 'rhs' },
    layout,
    form: transposeKernel ? swappedForm(layout.rhs) : canonicalForm(layout.rhs, 1),
    pads: spec.padding,
    notes,
  };
}

// onnx ----------------------------------------------------------------------------------------

function onnxForward(s: Source): Built {
  const { spec, r, g } = s;
  const choice = spec.padding.map(nonNegativeSplit);
  const pads = choice.map((c) => c.pads);
  const attrs: Record<string, unknown> = {
    kernel_shape: [...s.info.kernelSpatial],
    strides: [...spec.windowStrides],
    dilations: [...spec.rhsDilation],
    ...(zeros(pads) ? {} : { pads: [...pads.map((p) => p[0]), ...pads.map((p) => p[1])] }),
    ...(g > 1 ? { group: g } : {}),
  };
  return {
    op: 'Conv',
    attrs,
    names: { input: 'X', kernel: 'W', bias: 'B' },
    layout: { lhs: channelsFirst(r), out: channelsFirst(r) },
    form: canonicalForm(kernelOIFirst(r), g),
    pads,
    pre: choice.map((c) => c.pre),
    notes: cropNote(s, 'onnx', 'Conv', choice),
  };
}

function onnxTransposed(s: Source): Built {
  const { spec, r, g } = s;
  const axes = transposeAxes(s);
  const choice = axes.map(onnxTranspose);
  const base = {
    op: 'ConvTranspose',
    names: { input: 'X', kernel: 'W', bias: 'B' },
    layout: { lhs: channelsFirst(r), out: channelsFirst(r) },
    form: groupedTransposeForm(r, g),
  };
  const common = { kernel_shape: [...s.info.kernelSpatial], strides: [...spec.lhsDilation], dilations: [...spec.rhsDilation] };
  const attrs: Record<string, unknown> = {
    ...common,
    ...(choice.every((c) => c.begin === 0 && c.end === 0) ? {} : { pads: [...choice.map((c) => c.begin), ...choice.map((c) => c.end)] }),
    ...(choice.every((c) => c.outputPadding === 0) ? {} : { output_padding: choice.map((c) => c.outputPadding) }),
    ...(g > 1 ? { group: g } : {}),
  };
  return {
    ...base,
    attrs,
    pads: choice.map((c) => c.pads),
    crop: choice.map((c) => c.crop),
    notes: [
      ...transposeNote(s, 'onnx', 'ConvTranspose', choice),
      ...(choice.every((c) => isDirect(c))
        ? []
        : ['(output_padding is kept below the stride and output_shape is not used: onnxruntime departs from the spec for output_padding >= stride and for a negative total padding, so only forms every runtime computes alike are emitted)']),
    ],
  };
}

// torch ---------------------------------------------------------------------------------------

function torchForward(s: Source): Built {
  const { spec, r, g } = s;
  const op = `conv${r}d`;
  let padding: unknown;
  let choice: ForwardChoice[] = spec.padding.map((p) => ({ pads: p, pre: [0, 0] }));
  const notes: string[] = [];
  if (spec.padding.every(([lo, hi]) => lo === hi && lo >= 0)) padding = spec.padding.map((p) => p[0]);
  else if (ones(spec.windowStrides) && samePads(spec.padding, s.info.effectiveKernel.map(torchSame))) padding = 'same';
  else {
    choice = spec.padding.map(symmetricSplit);
    padding = choice.map((c) => c.pads[0]);
    notes.push(...forwardNote(s, 'torch', op, choice, `pads both ends of an axis by the same amount (or 'same' at stride 1, odd element at the end)`));
  }
  return {
    op,
    attrs: { stride: [...spec.windowStrides], padding, dilation: [...spec.rhsDilation], groups: g },
    names: { input: 'input', kernel: 'weight', bias: 'bias' },
    layout: { lhs: channelsFirst(r), out: channelsFirst(r) },
    form: canonicalForm(kernelOIFirst(r), g),
    pads: choice.map((c) => c.pads),
    pre: choice.map((c) => c.pre),
    notes,
    ...(s.unbatched && s.framework === 'torch' ? { keepUnbatched: true } : {}),
  };
}

function torchTransposed(s: Source): Built {
  const { spec, r, g } = s;
  const op = `conv_transpose${r}d`;
  // NB: torch's grouped path accepts an empty output, its ungrouped path refuses it (conventions/torch.ts).
  const choice = transposeAxes(s).map((ax) => torchTranspose(ax, g > 1 ? 0 : 1));
  return {
    op,
    attrs: {
      stride: [...spec.lhsDilation],
      padding: choice.map((c) => c.padding),
      output_padding: choice.map((c) => c.outputPadding),
      groups: g,
      dilation: [...spec.rhsDilation],
    },
    names: { input: 'input', kernel: 'weight', bias: 'bias' },
    layout: { lhs: channelsFirst(r), out: channelsFirst(r) },
    form: groupedTransposeForm(r, g),
    pads: choice.map((c) => c.pads),
    crop: choice.map((c) => c.crop),
    notes: transposeNote(s, 'torch', op, choice),
    ...(s.unbatched && s.framework === 'torch' ? { keepUnbatched: true } : {}),
  };
}

const BUILDERS: Record<Exclude<Framework, 'jax'>, Record<Kind, (s: Source) => Built>> = {
  tf: { forward: tfForward, transposed: tfTransposed },
  onnx: { forward: onnxForward, transposed: onnxTransposed },
  torch: { forward: torchForward, transposed: torchTransposed },
};

/** The builders to try, best first. Throws NotExpressible when none can apply. */
function candidates(s: Source, to: Framework, opts: TranslateOptions): Array<() => Built> {
  const ops = targetOps(to, s.r);
  if (opts.op !== undefined && !Object.hasOwn(SIGNATURES[to], opts.op)) {
    throw new Error(`translate: ${to} has no op ${show(opts.op)} (it has ${Object.keys(SIGNATURES[to]).join(', ')})`);
  }
  if (to === 'jax') {
    if (opts.op === 'conv_transpose') {
      return [
        () => {
          checkBatchGroups(s, 'jax', 'conv_transpose');
          checkKind(s, 'jax', 'conv_transpose', 'transposed');
          return jaxTranspose(s, opts.transposeKernel ?? true);
        },
      ];
    }
    return [() => jaxGeneral(s)];
  }
  const transposedish = s.transposedOp || !ones(s.spec.lhsDilation);
  let kinds: Kind[] = transposedish ? ['transposed', ...(ones(s.spec.lhsDilation) ? (['forward'] as const) : [])] : ['forward'];
  if (opts.op !== undefined) kinds = [opts.op === ops.forward ? 'forward' : 'transposed'];
  if (opts.op !== undefined && opts.op !== ops[kinds[0]!]) {
    throw new Error(`translate: ${to} ${opts.op} does not take spatial rank ${s.r}`);
  }
  return kinds.map((kind) => () => {
    checkRank(s, to);
    checkBatchGroups(s, to, ops[kind]);
    checkKind(s, to, ops[kind], kind);
    return BUILDERS[to][kind](s);
  });
}

// ---------------------------------------------------------------------------------------------

function toJson(t: Tensor): TensorJson {
  return {
    shape: [...t.shape],
    data: Array.from(t.data, (v) => (Number.isFinite(v) ? v : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity')),
  };
}

/** `NWC` for a layout permutation: the letter of the canonical axis each native axis holds. */
function layoutName(perm: readonly number[], letters: readonly string[], drop = false): string[] {
  const labels = ['N', ...letters, 'C'];
  const out = new Array<string>(perm.length);
  perm.forEach((axis, i) => (out[axis] = labels[i]!));
  return drop ? out.slice(1) : out;
}

/** P with target[j] = source[P[j]], for canonical = transpose(source, a) = transpose(target, b). */
const compose = (a: readonly number[], b: readonly number[]) => invertPerm(b).map((c) => a[c]!);
const isIdentity = (p: readonly number[]) => p.every((x, i) => x === i);

function assemble(s: Source, to: Framework, b: Built): Translation {
  const { r } = s;
  // Input: add the batch axis the lowering added, move axes to the target's layout.
  const addBatch = s.unbatched && !b.keepUnbatched;
  const inputPerm = compose(s.low.layout.lhs, b.layout.lhs);
  let x = transpose(s.low.lhs, inputPerm);
  if (b.keepUnbatched) x = reshape(x, x.shape.slice(1));
  const shift = b.keepUnbatched ? 1 : 0;
  // Kernel: the plan from the source's native form to the target's.
  const sizes: Record<Label, number> = { I: s.info.kernelInChannels, G: s.g, M: s.info.outChannels / s.g };
  const names: Record<Label, string> = { I: 'I', G: 'G', M: s.g > 1 ? 'M' : 'O' };
  s.letters.forEach((l, i) => {
    sizes[`S${i}`] = s.info.kernelSpatial[i]!;
    names[`S${i}`] = l;
  });
  const plan = planKernel(s.form, b.form, sizes, names);
  const w = applyKernelOps(s.kernel, plan.ops);
  const amounts = (perm: readonly number[], per: readonly PadPair[] | undefined): AxisAmount[] | undefined => {
    const list = (per ?? []).flatMap(([lo, hi], i) => (lo !== 0 || hi !== 0 ? [{ axis: perm[i + 1]! - shift, lo, hi }] : []));
    return list.length ? list : undefined;
  };
  const pad = amounts(b.layout.lhs, b.pre);
  const crop = amounts(b.layout.out, b.crop);
  const recipe: Recipe | undefined = pad || crop ? { ...(pad ? { pad } : {}), ...(crop ? { crop } : {}) } : undefined;
  // Zeros added to the output by a negative crop must get the bias too: then it goes after the crop.
  const bias = s.low.bias;
  const biasInCall = bias !== undefined && b.names.bias !== undefined && !(crop ?? []).some((a) => a.lo < 0 || a.hi < 0);
  const inputs: Record<string, TensorJson> = { [b.names.input]: toJson(x), [b.names.kernel]: toJson(w) };
  if (biasInCall) inputs[b.names.bias!] = toJson(bias);

  const tcase: CaseJson = {
    id: `${s.json.id ?? `${s.framework}.${s.op}`} -> ${to}`,
    framework: to,
    op: b.op,
    attrs: b.attrs,
    inputs,
    dtype: s.dtype,
    note: `translated by convcheck from ${qualified(s.framework, s.op)}${recipe ? ' (with a recipe: see the translation)' : ''}`,
  };
  const lt = check(s, to, b, tcase, recipe);

  // Output: crop, bias, back to the source's layout.
  const outputPerm = compose(lt.layout.out, s.low.layout.out);
  const dropBatch = s.unbatched && !b.keepUnbatched;
  const canonOut = convInfo(lt.op, lt.layout.lhs.map((a) => lt.lhs.shape[a]!), lt.layout.rhs.map((a) => lt.rhs.shape[a]!), lt.spec).outShape;
  const outputShape = new Array<number>(r + 2);
  lt.layout.out.forEach((axis, j) => (outputShape[axis] = canonOut[j]!));
  if (b.keepUnbatched) outputShape.shift();
  const biasAxis = bias && !biasInCall ? b.layout.out[r + 1]! - shift : undefined;

  const inNames = layoutName(b.layout.lhs, s.letters, b.keepUnbatched);
  const outNames = layoutName(b.layout.out, s.letters, b.keepUnbatched);
  const inputSteps: string[] = [];
  if (addBatch) inputSteps.push('add a batch axis of size 1 at the front: x[None]');
  if (!isIdentity(inputPerm)) {
    inputSteps.push(`transpose input ${layoutName(s.low.layout.lhs, s.letters).join('')} -> ${inNames.join('')}: axes (${inputPerm.join(', ')})`);
  }
  if (pad) inputSteps.push(...describeAmounts('pad', pad, inNames));
  const outputSteps: string[] = [];
  if (crop) outputSteps.push(...describeAmounts('crop', crop, outNames));
  const biasWhy = b.names.bias ? 'after the crop, so that the zeros it adds get the bias too' : `${to} has no bias input`;
  if (biasAxis !== undefined) outputSteps.push(`add bias b (shape [${bias!.shape.join(', ')}]) after the call, along output axis ${biasAxis} (C): ${biasWhy}`);
  if (!isIdentity(outputPerm)) {
    outputSteps.push(`transpose output ${layoutName(b.layout.out, s.letters).join('')} -> ${layoutName(s.low.layout.out, s.letters).join('')}: axes (${outputPerm.join(', ')})`);
  }
  if (dropBatch) outputSteps.push('remove the batch axis: y[0]');

  const notes = [...b.notes];
  if (plan.steps.some((st) => /[(, ](G|M|C)[,)]/.test(st))) notes.push(`kernel axes: G = ${s.g} groups, I = input channels per group, M = output channels per group, C = G·I, O = G·M.`);
  if (biasAxis !== undefined) notes.push(`add the bias (Translation.bias) after the call: ${biasWhy}.`);
  if (!plan.steps.length) notes.push('the kernel is used as it is.');
  return {
    source: { framework: s.framework, op: s.op, ...(s.json.id !== undefined ? { id: s.json.id } : {}) },
    case: tcase,
    kernelSteps: [...plan.steps],
    inputSteps,
    outputSteps,
    ...(recipe ? { recipe } : {}),
    ...(biasAxis !== undefined ? { bias: toJson(bias!) } : {}),
    notes,
    plan: {
      kernel: plan.ops,
      addBatch,
      inputPerm,
      outputPerm,
      dropBatch,
      outputShape,
      ...(biasAxis !== undefined ? { biasAxis } : {}),
      sourceSpatialAxes: s.low.layout.lhs.slice(1, r + 1).map((a) => a - (s.unbatched ? 1 : 0)),
      targetSpatialAxes: {
        input: b.layout.lhs.slice(1, r + 1).map((a) => a - shift),
        output: b.layout.out.slice(1, r + 1).map((a) => a - shift),
        outputChannel: b.layout.out[r + 1]! - shift,
      },
    },
  };
}

const sameData = (a: Tensor, b: Tensor) =>
  a.shape.join() === b.shape.join() && a.data.every((v, i) => v === b.data[i] || (Number.isNaN(v) && Number.isNaN(b.data[i]!)));

/**
 * Lowers the translated call (with the recipe's input pad applied) and checks that it is the
 * source's canonical call: a refusal by the target is NotExpressible, any other difference a bug.
 */
function check(s: Source, to: Framework, b: Built, tcase: CaseJson, recipe: Recipe | undefined): Lowering {
  let lt: Lowering;
  try {
    lt = lower(parseCase(withRecipeInput(tcase, recipe, b.names.input), 'translated'));
  } catch (e) {
    if (e instanceof ConvError) throw new NotExpressible(to, e.arg, `${qualified(to, b.op)} rejects the translated call (${e.message})`);
    throw e;
  }
  const want: ConvSpec = { ...s.spec, padding: b.pads };
  const got = lt.spec;
  const bad = (['windowStrides', 'lhsDilation', 'rhsDilation'] as const).filter((k) => want[k].join() !== got[k].join());
  if (!samePads(want.padding, got.padding) || want.padding.length !== got.padding.length) bad.push('padding' as never);
  if (want.featureGroupCount !== got.featureGroupCount || want.batchGroupCount !== got.batchGroupCount) bad.push('groups' as never);
  const kernel = (l: Lowering) => transpose(l.rhs, l.layout.rhs);
  if (!sameData(kernel(lt), kernel(s.low))) bad.push('kernel' as never);
  if (bad.length) {
    throw new Error(`internal: translation ${s.framework}.${s.op} -> ${to}.${b.op} changed ${bad.join(', ')}: want ${show(want)}, got ${show(got)}`);
  }
  return lt;
}

function withRecipeInput(c: CaseJson, recipe: Recipe | undefined, inputName: string): CaseJson {
  if (!recipe?.pad) return c;
  const x = c.inputs[inputName]!;
  const t = padInput({ shape: x.shape, data: Float64Array.from(x.data, Number) }, recipe);
  return { ...c, inputs: { ...c.inputs, [inputName]: toJson(t) } };
}

/** The input tensor name of a framework's op: `input`, `lhs` or `X`. */
export function inputNameOf(framework: Framework): string {
  return framework === 'jax' ? 'lhs' : framework === 'onnx' ? 'X' : 'input';
}

/** The translated case with the recipe's input pad applied: what to run before `cropOutput`. */
export function applyRecipe(t: Translation): CaseJson {
  return withRecipeInput(t.case, t.recipe, inputNameOf(t.case.framework));
}

/**
 * Translates a call into the `to` convention. Throws NotExpressible when the target can't
 * compute it even with a recipe; a ConvError when the source framework itself rejects the call.
 */
export function translate(c: CaseJson, to: Framework, opts: TranslateOptions = {}): Translation {
  const s = analyze(c);
  let first: NotExpressible | undefined;
  let withRecipe: Translation | undefined;
  for (const build of candidates(s, to, opts)) {
    try {
      const t = assemble(s, to, build());
      if (!t.recipe) return t;
      withRecipe ??= t;
    } catch (e) {
      if (!(e instanceof NotExpressible)) throw e;
      first ??= e;
    }
  }
  if (withRecipe) return withRecipe;
  throw first!;
}
