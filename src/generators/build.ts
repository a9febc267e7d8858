/**
 * What every op's builder shares: choices within the declared capabilities, tensors filled from
 * the draw's data specs, and the per-axis size helpers.
 */
import { NARROW } from '../case/case.js';
import { roundToFormat } from '../core/formats.js';
import type { Feature } from '../../properties/capabilities.js';
import type { CaseJson } from '../case/case.js';
import type { Framework } from '../conventions/index.js';
import { dilatedSize } from '../core/shapes.js';
import { fillData } from './data.js';
import type { Axis, Draw } from './draw.js';

/** The choices whose feature the implementation does not lack (a static list: a mapping, not a filter). */
export function allowed<T>(d: Draw, options: ReadonlyArray<readonly [T, Feature?]>): T[] {
  return options.filter(([, f]) => f === undefined || !d.lacks.has(f)).map(([x]) => x);
}

export const hasBias = (d: Draw) => d.pick[5]! < 0.4 && !d.lacks.has('bias');

export const choose = <T>(u: number, xs: readonly T[]): T => xs[Math.min(xs.length - 1, Math.floor(u * xs.length))]!;
const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

/** Tensor `which` (0, 1, 2) of the case, filled from its data spec. */
export function tensor(d: Draw, which: number, shape: readonly number[]) {
  let data = fillData(d.data[which]!, d.kind, prod(shape));
  // Dyadic data: the nearest multiple of 1/64 in [-2, 2]; 16-bit dtypes: values of the dtype.
  if (d.dyadic) data = data.map((x) => Math.max(-2, Math.min(2, Math.round(x * 64) / 64)));
  const f = NARROW[d.dtype];
  if (f && d.kind === 'float') data = data.map((x) => roundToFormat(x, f));
  return { shape: [...shape], data };
}

export const effK = (a: Axis) => dilatedSize(a.k, a.d);
/** Length of a forward input so that explicit pads still leave room for the kernel. */
export const forwardLen = (a: Axis, lo: number, hi: number) => Math.max(1, effK(a) - lo - hi) + a.extra;
/** Slack below the stride: which of the s output sizes that map to the same input we take. */
export const parity = (d: Draw, a: Axis) => (d.lacks.has('outputPadding') ? 0 : a.slack % a.s);
/** output_padding below stride or dilation (ONNX, torch), 0 when the implementation lacks it. */
export const outputPad = (d: Draw, a: Axis) => (d.lacks.has('outputPadding') ? 0 : a.slack % Math.max(a.s, a.d));

export function caseOf(d: Draw, framework: Framework, op: string, attrs: Record<string, unknown>, inputs: CaseJson['inputs']): CaseJson {
  return { framework, op, attrs, inputs, dtype: d.dtype };
}

export const SAME = ['SAME', 'samePadding'] as const;
export const EXPLICIT = ['EXPLICIT', 'explicitPadding'] as const;
export const VALID = ['VALID'] as const;
