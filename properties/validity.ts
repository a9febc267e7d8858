/**
 * validity: the implementation rejects what its convention rejects. Each input is a valid case
 * broken in one way a user's code might meet (a channel count that no longer matches, a zero
 * stride, an output_padding torch refuses, an inconsistent TF output_shape, negative ONNX pads);
 * the reference confirms the convention refuses it, and the implementation should throw.
 *
 * An implementation that accepts such a call and returns a well-formed answer (finite values,
 * an output of the input's rank) is *lenient*: reported in its own column, a failure only with
 * --strict, since many real runtimes skip a check and still compute sensible numbers. Garbage for
 * a rejected call (NaN or infinities from finite inputs, an output of another rank) is a
 * failure. (Accepting what the convention accepts is what every other property checks: a valid
 * case the implementation rejects fails them.)
 */
import fc from 'fast-check';
import { parseCase, type CaseJson } from '../src/case/case.js';
import { lower } from '../src/conventions/index.js';
import type { OracleCall } from '../oracles/types.js';
import { runReference } from './implementation.js';
import { casesFor } from './generate.js';
import { inputName } from './pairs.js';
import type { Property, Verdict } from './property.js';

type Breaker = 'channels' | 'zero-stride' | 'output-padding' | 'output-shape' | 'negative-pads';
const BREAKERS: readonly Breaker[] = ['channels', 'zero-stride', 'output-padding', 'output-shape', 'negative-pads'];

const STRIDE_ATTR: Record<string, string> = { tf: 'strides', jax: 'window_strides', onnx: 'strides', torch: 'stride' };

/** One broken copy of a valid case, or undefined when this breaker does not apply to it. */
export function breakCase(c: CaseJson, how: Breaker): CaseJson | undefined {
  if (runReference(parseCase(c, 'validity')).kind !== 'value') return undefined; // only valid cases are broken
  const attrs = { ...(c.attrs ?? {}) };
  switch (how) {
    case 'channels': {
      const l = lower(parseCase(c, 'validity'));
      const r = l.spec.padding.length;
      const name = inputName(c.framework);
      const x = c.inputs[name]!;
      const shape = [...x.shape];
      const axis = x.shape.length === r + 1 ? 0 : l.layout.lhs[r + 1]!; // torch unbatched: C first
      shape[axis]! += 1;
      const n = shape.reduce((a, b) => a * b, 1);
      return { ...c, inputs: { ...c.inputs, [name]: { shape, data: Array.from({ length: n }, (_, i) => (i % 5) - 2) } } };
    }
    case 'zero-stride': {
      const key = c.framework === 'tf' && c.op === 'conv1d' ? 'stride' : c.framework === 'jax' && c.op === 'conv_transpose' ? 'strides' : STRIDE_ATTR[c.framework]!;
      const r = lower(parseCase(c, 'validity')).spec.padding.length;
      attrs[key] = c.framework === 'jax' || c.framework === 'onnx' ? new Array<number>(r).fill(0) : 0;
      return { ...c, attrs };
    }
    case 'output-padding': {
      if (c.framework !== 'torch' && !(c.framework === 'onnx' && c.op === 'ConvTranspose')) return undefined;
      if (c.framework === 'torch' && !c.op.startsWith('conv_transpose')) return undefined;
      const l = lower(parseCase(c, 'validity'));
      // lhs_dilation holds the stride of a transposed conv.
      attrs['output_padding'] = l.spec.lhsDilation.map((s, i) => Math.max(s, l.spec.rhsDilation[i]!));
      if (c.framework === 'onnx') delete attrs['output_shape'];
      return { ...c, attrs };
    }
    case 'output-shape': {
      if (c.framework !== 'tf' || !c.op.endsWith('_transpose')) return undefined;
      const os = [...((attrs['output_shape'] as number[]) ?? [])];
      const sp = c.attrs?.['data_format']?.toString().startsWith('NC') ? 2 : 1;
      const l = lower(parseCase(c, 'validity'));
      os[sp]! += l.spec.lhsDilation[0]!; // one more stride: the forward conv no longer maps back
      attrs['output_shape'] = os;
      return { ...c, attrs };
    }
    case 'negative-pads': {
      if (c.framework !== 'onnx' || !Array.isArray(attrs['pads'])) return undefined;
      attrs['pads'] = (attrs['pads'] as number[]).map((p, i) => (i === 0 ? -1 : p));
      return { ...c, attrs };
    }
  }
}

export const validityProperty: Property<{ c: CaseJson; how: Breaker }> = {
  name: 'validity',
  description: 'rejects the calls its convention rejects',
  arbitrary: (impl, gen) => {
    const cases = casesFor(impl, gen);
    return cases && fc.record({ c: cases, how: fc.constantFrom(...BREAKERS) });
  },
  async check(impl, { c, how }): Promise<Verdict> {
    const broken = breakCase(c, how);
    if (!broken) return { status: 'unsupported', reason: `${how} does not apply to ${c.framework} ${c.op}` };
    let call;
    try {
      call = parseCase(broken, 'validity');
    } catch {
      return { status: 'unsupported', reason: 'the broken case is malformed, not merely invalid' };
    }
    const ref = runReference(call);
    if (ref.kind === 'value') return { status: 'unsupported', reason: `the convention accepts this ${how} change` };
    const r = await impl.run(call);
    if (r.kind === 'rejected') return { status: 'pass' };
    if (r.kind === 'unsupported') return { status: 'unsupported', reason: r.reason };
    if (r.kind === 'failed') return { status: 'fail', message: `${impl.name} failed instead of rejecting: ${r.error}`, cases: [broken] };
    const refused = `a call the convention rejects (${how}: ${'error' in ref ? ref.error : ''})`;
    const garbage = garbageIn(call, r);
    if (garbage) return { status: 'fail', message: `${impl.name} returned ${garbage} for ${refused}`, cases: [broken] };
    return { status: 'lenient', message: `${impl.name} accepted ${refused} and returned shape [${r.shape.join(', ')}]`, cases: [broken] };
  },
};

/** What makes an answer to a rejected call garbage rather than a lenient computation. */
function garbageIn(call: OracleCall, r: { shape: readonly number[]; data: ArrayLike<number> }): string | undefined {
  const x = call.inputs[inputName(call.framework)]!;
  if (r.shape.length !== x.shape.length) return `an output of rank ${r.shape.length} (shape [${r.shape.join(', ')}]) from an input of rank ${x.shape.length}`;
  const n = r.shape.reduce((a, b) => a * b, 1);
  if (r.data.length !== n) return `${r.data.length} values for shape [${r.shape.join(', ')}] (needs ${n})`;
  const finiteIn = Object.values(call.inputs).every((t) => t.data.every(Number.isFinite));
  const bad = Array.prototype.findIndex.call(r.data, (v: number) => !Number.isFinite(v));
  if (finiteIn && bad >= 0) return `${r.data[bad]} at output[${bad}] from finite inputs`;
  return undefined;
}
