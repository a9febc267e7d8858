/**
 * Structural laws of convolution, each comparing the implementation with itself:
 * - batch independence: each batch item alone gives its slice of the batched output;
 * - dilation: a dilated kernel equals the undilated conv with zeros inserted in the kernel;
 * - stride: a strided conv is the stride-1 conv subsampled (for paddings that do not depend on
 *   the stride);
 * - groups: a grouped conv is the concatenation of per-group convs.
 */
import { parseCase, type CaseJson, type TensorJson } from '../src/case/case.js';
import { lower } from '../src/conventions/index.js';
import type { Tensor } from '../src/core/tensor.js';
import { agree, runValid, type Ran } from './checks.js';
import { casesFor, lacks } from './generate.js';
import { transposeOpOf, inputName, kernelName } from './pairs.js';
import type { Property, Verdict } from './property.js';
import { concatAxis, resample, sliceAxis } from './tensors.js';

const toJson = (t: Tensor): TensorJson => ({ shape: [...t.shape], data: Array.from(t.data) });
const fromJson = (t: TensorJson): Tensor => ({ shape: t.shape, data: Float64Array.from(t.data as number[]) });
const isForward = (fw: string, op: string) => transposeOpOf(fw, op) !== undefined || op === 'depthwise_conv2d';

/** torch also takes unbatched input; the structural laws want the batched form. */
function batched(c: CaseJson): CaseJson {
  if (c.framework !== 'torch') return c;
  const x = c.inputs['input']!;
  const w = c.inputs['weight']!;
  if (x.shape.length === w.shape.length) return c;
  return { ...c, inputs: { ...c.inputs, input: { shape: [1, ...x.shape], data: x.data } } };
}

function unsupported(reason: string): Verdict {
  return { status: 'unsupported', reason };
}

async function both(impl: Parameters<Property['check']>[0], a: CaseJson, b: CaseJson, cases: readonly CaseJson[]): Promise<[Ran & { ok: true }, Ran & { ok: true }] | Verdict> {
  const ra = await runValid(impl, a, cases);
  if (!ra.ok) return ra.verdict;
  const rb = await runValid(impl, b, cases);
  if (!rb.ok) return rb.verdict;
  return [ra, rb];
}

export const batchProperty: Property<CaseJson> = {
  name: 'batch-independence',
  description: 'each batch item alone gives its slice of the batched output',
  arbitrary: (impl, gen) => casesFor(impl, gen)?.map(batched),
  async check(impl, c): Promise<Verdict> {
    const l = lower(parseCase(c, 'batch'));
    if (l.spec.batchGroupCount > 1) return unsupported('batch_group_count mixes batch items by design');
    const xName = inputName(c.framework);
    const x = fromJson(c.inputs[xName]!);
    const n = x.shape[l.layout.lhs[0]!]!;
    if (n < 2) return unsupported('batch of 1');
    const full = await runValid(impl, c);
    if (!full.ok) return full.verdict;
    for (let i = 0; i < n; i++) {
      const one: CaseJson = { ...c, inputs: { ...c.inputs, [xName]: toJson(sliceAxis(x, l.layout.lhs[0]!, i, 1)) } };
      if (c.framework === 'tf' && Array.isArray(c.attrs?.['output_shape'])) {
        const os = [...(c.attrs['output_shape'] as number[])];
        os[l.layout.lhs[0]!] = 1;
        one.attrs = { ...c.attrs, output_shape: os };
      }
      const r = await runValid(impl, one, [c, one]);
      if (!r.ok) return r.verdict;
      const ax = l.layout.out[0]!;
      const slice = { ok: true as const, out: sliceAxis(full.out, ax, i, 1), bound: sliceAxis({ shape: full.out.shape, data: full.bound }, ax, i, 1).data };
      const v = agree(`batch item ${i} alone vs its slice of the batch`, r, slice, [c, one]);
      if (v.status !== 'pass') return v;
    }
    return { status: 'pass' };
  },
};

/** The dilation attribute of a forward case, as per-axis numbers, and the case without it. */
function undilated(c: CaseJson, r: number, kernel: TensorJson, kernelAxes: readonly number[], d: readonly number[]): CaseJson {
  const w = toJson(resample(fromJson(kernel), kernelAxes, d, true));
  const attrs = { ...c.attrs };
  switch (c.framework) {
    case 'tf':
      delete attrs['dilations'];
      break;
    case 'jax':
      attrs['rhs_dilation'] = new Array<number>(r).fill(1);
      break;
    case 'onnx':
      attrs['dilations'] = new Array<number>(r).fill(1);
      if (attrs['kernel_shape']) attrs['kernel_shape'] = kernelAxes.map((ax) => w.shape[ax]!);
      break;
    case 'torch':
      attrs['dilation'] = 1;
      break;
  }
  return { ...c, attrs, inputs: { ...c.inputs, [kernelName(c.framework, c.op)]: w } };
}

export const dilationProperty: Property<CaseJson> = {
  name: 'dilation',
  description: 'a dilated kernel equals zeros inserted into the kernel',
  arbitrary: (impl, gen) => casesFor(impl, gen, isForward),
  async check(impl, c): Promise<Verdict> {
    const l = lower(parseCase(c, 'dilation'));
    const d = l.spec.rhsDilation;
    const r = d.length;
    if (d.every((x) => x === 1)) return unsupported('no dilation');
    // Forward lowerings keep the native kernel; depthwise only reshapes it (spatial axes stay 0..1).
    const axes = c.op === 'depthwise_conv2d' ? [0, 1] : l.layout.rhs.slice(0, r);
    const plain = undilated(c, r, c.inputs[kernelName(c.framework, c.op)]!, axes, d);
    const rs = await both(impl, c, plain, [c, plain]);
    return Array.isArray(rs) ? agree('dilated kernel vs zero-inserted kernel', rs[0], rs[1], [c, plain]) : rs;
  },
};

/** Whether the case's padding is fixed in elements, so changing the stride leaves it alone. */
function strideFreePadding(c: CaseJson): boolean {
  const p = c.attrs?.['padding'];
  switch (c.framework) {
    case 'tf':
      return p === 'VALID' || Array.isArray(p);
    case 'jax':
      return Array.isArray(p) || (typeof p === 'string' && p.toUpperCase() === 'VALID');
    case 'onnx':
      return (c.attrs?.['auto_pad'] ?? 'NOTSET') === 'NOTSET' || c.attrs?.['auto_pad'] === 'VALID';
    case 'torch':
      return p !== 'same';
  }
}

function stride1(c: CaseJson, r: number): CaseJson {
  const attrs = { ...c.attrs };
  const ones = new Array<number>(r).fill(1);
  if (c.framework === 'tf') {
    const key = c.op === 'conv1d' ? 'stride' : 'strides';
    const cur = attrs[key];
    attrs[key] = Array.isArray(cur) && cur.length === r + 2 ? cur.map(() => 1) : 1;
  } else if (c.framework === 'jax') attrs['window_strides'] = ones;
  else if (c.framework === 'onnx') attrs['strides'] = ones;
  else attrs['stride'] = 1;
  return { ...c, attrs };
}

export const strideProperty: Property<CaseJson> = {
  name: 'stride',
  description: 'a strided conv is the stride-1 conv subsampled',
  arbitrary: (impl, gen) => casesFor(impl, gen, isForward)?.map(batched),
  async check(impl, c): Promise<Verdict> {
    const l = lower(parseCase(c, 'stride'));
    const s = l.spec.windowStrides;
    if (s.every((x) => x === 1)) return unsupported('stride 1');
    if (!strideFreePadding(c)) return unsupported('padding depends on the stride');
    const dense = stride1(c, s.length);
    const rs = await both(impl, c, dense, [c, dense]);
    if (!Array.isArray(rs)) return rs;
    const axes = l.layout.out.slice(1, s.length + 1);
    const sub = { ok: true as const, out: resample(rs[1].out, axes, s, false), bound: resample({ shape: rs[1].out.shape, data: rs[1].bound }, axes, s, false).data };
    return agree('strided conv vs subsampled stride-1 conv', rs[0], sub, [c, dense]);
  },
};

export const groupsProperty: Property<CaseJson> = {
  name: 'groups',
  description: 'a grouped conv is the concatenation of per-group convs',
  // An implementation that declares no groups has nothing to show here.
  arbitrary: (impl, gen) => (lacks(impl, 'groups') ? undefined : casesFor(impl, gen, (fw, op) => isForward(fw, op) && op !== 'depthwise_conv2d')?.map(batched)),
  async check(impl, c): Promise<Verdict> {
    const l = lower(parseCase(c, 'groups'));
    const g = l.spec.featureGroupCount;
    if (g === 1) return unsupported('one group');
    const r = l.spec.padding.length;
    const xName = inputName(c.framework);
    const wName = kernelName(c.framework, c.op);
    const x = fromJson(c.inputs[xName]!);
    const w = fromJson(c.inputs[wName]!);
    const cAx = l.layout.lhs[r + 1]!;
    const oAx = l.layout.rhs[r + 1]!;
    const Cg = x.shape[cAx]! / g;
    const Og = w.shape[oAx]! / g;
    const bias = c.inputs['B'] ?? c.inputs['bias'];
    const parts: CaseJson[] = [];
    for (let i = 0; i < g; i++) {
      const inputs: CaseJson['inputs'] = { ...c.inputs, [xName]: toJson(sliceAxis(x, cAx, i * Cg, Cg)), [wName]: toJson(sliceAxis(w, oAx, i * Og, Og)) };
      if (bias) inputs[c.inputs['B'] ? 'B' : 'bias'] = { shape: [Og], data: bias.data.slice(i * Og, (i + 1) * Og) };
      const attrs = { ...c.attrs };
      if (c.framework === 'onnx') attrs['group'] = 1;
      else if (c.framework === 'torch') attrs['groups'] = 1;
      else if (c.framework === 'jax') attrs['feature_group_count'] = 1;
      parts.push({ ...c, attrs, inputs });
    }
    const full = await runValid(impl, c, [c, ...parts]);
    if (!full.ok) return full.verdict;
    const outs: Tensor[] = [];
    const bounds: Tensor[] = [];
    for (const p of parts) {
      const r1 = await runValid(impl, p, [c, ...parts]);
      if (!r1.ok) return r1.verdict;
      outs.push(r1.out);
      bounds.push({ shape: r1.out.shape, data: r1.bound });
    }
    const ax = l.layout.out[r + 1]!;
    const cat = { ok: true as const, out: concatAxis(outs, ax), bound: concatAxis(bounds, ax).data };
    return agree('grouped conv vs concatenated per-group convs', full, cat, [c, ...parts]);
  },
};

