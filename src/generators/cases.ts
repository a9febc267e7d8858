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
import { allowed, caseOf, choose, effK, forwardLen, hasBias, outputPad, SAME, tensor, VALID } from './build.js';
import { drawArb, type Draw, type GenOptions } from './draw.js';
import { jaxGeneral, jaxTranspose } from './jax.js';
import { tfConv, tfDepthwise, tfTranspose } from './tf.js';

export type { GenOptions } from './draw.js';

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
