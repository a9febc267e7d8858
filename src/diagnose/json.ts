/**
 * Small pure helpers on CaseJson: tensors in and out, attributes replaced, nothing mutated.
 */
import type { CaseJson, TensorJson } from '../case/case.js';
import type { Tensor } from '../core/tensor.js';

export function decode(t: TensorJson): Tensor {
  return { shape: [...t.shape], data: Float64Array.from(t.data, (v) => Number(v)) };
}

export function encode(t: Tensor): TensorJson {
  return {
    shape: [...t.shape],
    data: Array.from(t.data, (v) => (Number.isFinite(v) ? v : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity')),
  };
}

export function tensorOf(c: CaseJson, name: string): Tensor | undefined {
  const t = c.inputs[name];
  return t ? decode(t) : undefined;
}

export function withTensor(c: CaseJson, name: string, t: Tensor): CaseJson {
  return { ...c, inputs: { ...c.inputs, [name]: encode(t) } };
}

export function withAttr(c: CaseJson, key: string, value: unknown): CaseJson {
  const attrs = { ...(c.attrs ?? {}) };
  if (value === undefined) delete attrs[key];
  else attrs[key] = value;
  return { ...c, attrs };
}

/** Stable JSON of the parts that decide a computation (no id, note, expected). */
export function callKey(c: CaseJson): string {
  return JSON.stringify([c.framework, c.op, c.attrs ?? {}, c.inputs, c.dtype ?? 'float32']);
}

/** The case without `expected` (a corrected call's old expectation would be wrong) and with a new id/note. */
export function renamed(c: CaseJson, id: string, note: string): CaseJson {
  const { expected: _e, ...rest } = c;
  void _e;
  return { ...rest, id, note };
}
