/**
 * The case format (docs/case-format.md, schema/case.schema.json): parsing with errors that name
 * the case and the field, and evaluation on the reference.
 */
import { CaseError, ConvError, show } from '../core/errors.js';
import { BFLOAT16, FLOAT16, representable, roundArray, type Format } from '../core/formats.js';
import { roundTo, sizeOf, type Tensor } from '../core/tensor.js';
import { FRAMEWORKS, reference, SIGNATURES, type ConvCall, type Framework } from '../conventions/index.js';
import { ParsedNumbers } from './stream.js';

export type DType = 'float32' | 'float64' | 'float16' | 'bfloat16';
export const DTYPES: readonly DType[] = ['float32', 'float64', 'float16', 'bfloat16'];

/** The 16-bit dtypes, whose data must be given exactly (see `inputTensor`). */
export const NARROW: Readonly<Record<string, Format>> = { float16: FLOAT16, bfloat16: BFLOAT16 };

export interface TensorJson {
  shape: number[];
  data: Array<number | string>;
}

export type Expected = { shape: number[]; data: Array<number | string> } | { error: string };

/** A case as it appears in JSON. */
export interface CaseJson {
  id?: string;
  framework: Framework;
  op: string;
  attrs?: Record<string, unknown>;
  inputs: Record<string, TensorJson>;
  dtype?: DType;
  expected?: Expected;
  note?: string;
}

/** A parsed case: tensors decoded and rounded to the dtype. */
export interface Case extends ConvCall {
  readonly id: string;
  readonly dtype: DType;
  readonly expected?: { shape: number[]; data: Float64Array } | { error: string };
  readonly note?: string;
  /**
   * The case as read. In a case read through src/case/stream.ts (`convcheck eval` on a `.json`
   * file), a long `data` list is a ParsedNumbers sharing its values with the input tensor (rounded
   * to the dtype), not a list: eval never reads `json`, and a second copy is what it avoids.
   */
  readonly json: CaseJson;
}

/** Largest tensor a case may carry; far beyond any useful test, well within memory. */
export const MAX_ELEMENTS = 1 << 24;

const TOP_FIELDS = ['id', 'framework', 'op', 'attrs', 'inputs', 'dtype', 'expected', 'note'];
const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Decodes `{shape, data}`; `field` names it in errors (`inputs.X`, `expected`). */
export function decodeTensor(id: string, field: string, v: unknown): Tensor {
  if (!isObject(v)) throw new CaseError(id, field, 'must be an object {"shape": [...], "data": [...]}');
  const { shape, data } = v;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
    throw new CaseError(id, `${field}.shape`, `must be a list of non-negative integers, got ${show(shape)}`);
  }
  const n = sizeOf(shape as number[]);
  const long = (shape as number[]).findIndex((d) => d > MAX_ELEMENTS);
  // An empty tensor may still claim a 2^53-long axis; no axis may be longer than the limit.
  if (long >= 0) throw new CaseError(id, `${field}.shape[${long}]`, `${shape[long]} is longer than the limit ${MAX_ELEMENTS}`);
  if (n > MAX_ELEMENTS) throw new CaseError(id, `${field}.shape`, `[${shape.join(', ')}] has ${n} elements, more than the limit ${MAX_ELEMENTS}`);
  const parsed = data instanceof ParsedNumbers;
  if (!Array.isArray(data) && !parsed) throw new CaseError(id, `${field}.data`, 'must be a list of numbers');
  if (data.length !== n) {
    throw new CaseError(id, `${field}.data`, `has ${data.length} values, but shape [${shape.join(', ')}] needs ${n}`);
  }
  // Read by src/case/stream.ts: numbers already, and nothing else holds them (no copy).
  if (parsed) return { shape: shape as number[], data: data.values };
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = data[i];
    if (typeof x === 'number') out[i] = x;
    else if (typeof x === 'string' && x in NON_FINITE) out[i] = NON_FINITE[x]!;
    else throw new CaseError(id, `${field}.data[${i}]`, `must be a number (or "NaN", "Infinity", "-Infinity"), got ${show(x)}`);
  }
  return { shape: shape as number[], data: out };
}

/**
 * An input in the case's dtype. float32 data is rounded (as it always was: decimal JSON like 0.1
 * is the usual way to write a float32 case, and float64 → float32 rounding is unambiguous).
 * float16 and bfloat16 data must already be values of the dtype, else the case is refused naming
 * the element: frameworks disagree on how a decimal reaches a 16-bit type (ml_dtypes and torch go
 * through float32, numpy's float16 does not, and the two roundings differ on double-rounding
 * ties), so a rounded case would not say which numbers the framework saw. A checker should not
 * guess its inputs.
 */
function inputTensor(id: string, field: string, t: Tensor, dtype: DType): Tensor {
  const f = NARROW[dtype];
  // decodeTensor's data is always its own (a fresh array, or the stream's), so it is rounded in place.
  if (!f) return roundTo(t, dtype as 'float32' | 'float64', t.data);
  const bad = t.data.findIndex((x) => !representable(x, f));
  if (bad >= 0) {
    const x = t.data[bad]!;
    throw new CaseError(id, `${field}.data[${bad}]`, `${x} is not a ${dtype} value (nearest: ${roundArray(Float64Array.of(x), f)[0]}); ${dtype} data must be given exactly`);
  }
  return t;
}

/** Validates the structure of a case. `where` names it when it has no id (`line 3`). */
export function parseCase(v: unknown, where: string): Case {
  if (!isObject(v)) throw new CaseError(where, '(case)', 'must be a JSON object');
  const id = typeof v['id'] === 'string' ? v['id'] : where;
  if (v['id'] !== undefined && typeof v['id'] !== 'string') throw new CaseError(where, 'id', 'must be a string');
  for (const k of Object.keys(v)) {
    if (!TOP_FIELDS.includes(k)) throw new CaseError(id, k, `is not a case field (expected one of ${TOP_FIELDS.join(', ')})`);
  }
  const framework = v['framework'];
  if (typeof framework !== 'string' || !FRAMEWORKS.includes(framework as Framework)) {
    throw new CaseError(id, 'framework', `must be one of ${FRAMEWORKS.join(', ')}, got ${show(framework)}`);
  }
  const fw = framework as Framework;
  const op = v['op'];
  const sig = typeof op === 'string' ? SIGNATURES[fw][op] : undefined;
  if (typeof op !== 'string' || !sig || !Object.hasOwn(SIGNATURES[fw], op)) {
    throw new CaseError(id, 'op', `${show(op)} is not a ${fw} op convcheck knows (${Object.keys(SIGNATURES[fw]).join(', ')})`);
  }
  const attrs = v['attrs'] ?? {};
  if (!isObject(attrs)) throw new CaseError(id, 'attrs', 'must be an object of keyword arguments');
  for (const k of Object.keys(attrs)) {
    if (!sig.attrs.includes(k)) throw new CaseError(id, `attrs.${k}`, `is not an attribute of ${fw} ${op} (it takes ${sig.attrs.join(', ')})`);
  }
  const inputsJson = v['inputs'];
  if (!isObject(inputsJson)) throw new CaseError(id, 'inputs', 'must be an object of tensors by input name');
  const inputs: Record<string, Tensor> = {};
  const dtype = (v['dtype'] ?? 'float32') as DType;
  if (!DTYPES.includes(dtype)) throw new CaseError(id, 'dtype', `must be one of ${DTYPES.map((d) => `"${d}"`).join(', ')}, got ${show(dtype)}`);
  for (const k of Object.keys(inputsJson)) {
    if (!sig.inputs.includes(k) && !sig.optionalInputs.includes(k)) {
      throw new CaseError(id, `inputs.${k}`, `is not an input of ${fw} ${op} (it takes ${[...sig.inputs, ...sig.optionalInputs].join(', ')})`);
    }
    inputs[k] = inputTensor(id, `inputs.${k}`, decodeTensor(id, `inputs.${k}`, inputsJson[k]), dtype);
  }
  for (const k of sig.inputs) if (!inputs[k]) throw new CaseError(id, `inputs.${k}`, `is required by ${fw} ${op}`);
  let expected: Case['expected'];
  const e = v['expected'];
  if (e !== undefined) {
    if (isObject(e) && typeof e['error'] === 'string' && Object.keys(e).length === 1) expected = { error: e['error'] };
    else {
      const t = decodeTensor(id, 'expected', e);
      expected = { shape: [...t.shape], data: t.data };
    }
  }
  const note = v['note'];
  if (note !== undefined && typeof note !== 'string') throw new CaseError(id, 'note', 'must be a string');
  return {
    id,
    framework: fw,
    op,
    attrs,
    inputs,
    dtype,
    ...(expected ? { expected } : {}),
    ...(note !== undefined ? { note } : {}),
    json: v as unknown as CaseJson,
  };
}

export type Outcome = { shape: number[]; data: Float64Array } | { error: string };

/**
 * Evaluates a case on the reference. A call the framework rejects is an outcome with `error`;
 * a malformed case throws CaseError.
 */
export function evaluate(c: Case): Outcome {
  try {
    const t = reference(c);
    // float16/bfloat16: the exact result rounded once to the dtype (round to nearest even, ±∞
    // past the range), which is what a framework gives when it accumulates in float32 or wider
    // and rounds the output. float32/float64 results stay exact, as they always were.
    const f = NARROW[c.dtype];
    return { shape: [...t.shape], data: f ? roundArray(t.data, f) : t.data };
  } catch (e) {
    if (e instanceof ConvError) return { error: e.message };
    throw e;
  }
}
