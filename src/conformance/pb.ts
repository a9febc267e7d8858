/**
 * Reading the protobuf files of the ONNX backend tests with the same generated classes the ort
 * oracle builds its models with (onnx-proto): `model.onnx` (ModelProto) and
 * `test_data_set_<n>/input_<i>.pb` and `output_<i>.pb` (TensorProto).
 *
 * Only what the Conv/ConvTranspose node tests need is decoded to numbers: float and double
 * tensors, from raw_data (little-endian, as the ONNX spec fixes) or from float_data / double_data.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
export type ModelProto = InstanceType<typeof onnx.ModelProto>;
export type TensorProto = InstanceType<typeof onnx.TensorProto>;
export type AttributeProto = InstanceType<typeof onnx.AttributeProto>;
export type NodeProto = InstanceType<typeof onnx.NodeProto>;

/** The data types convcheck computes, by TensorProto.DataType. */
export const PB_DTYPES: Readonly<Record<number, 'float32' | 'float64'>> = {
  [onnx.TensorProto.DataType.FLOAT]: 'float32',
  [onnx.TensorProto.DataType.DOUBLE]: 'float64',
};

/** A TensorProto.DataType's name (`FLOAT`, `INT8`, …) for messages. */
export function dataTypeName(t: number): string {
  return (onnx.TensorProto.DataType as unknown as Record<number, string>)[t] ?? `data type ${t}`;
}

/** A decoded float tensor. */
export interface PbTensor {
  /** The TensorProto's name (often the graph input it feeds; may be empty). */
  readonly name: string;
  readonly dtype: 'float32' | 'float64';
  readonly shape: number[];
  readonly data: Float64Array;
}

/** A .pb file or a model that convcheck cannot read; the message says what is wrong. */
export class PbError extends Error {
  override readonly name = 'PbError';
}

/** int64 fields decode as number or as a Long, depending on whether `long` is installed. */
type Int64 = number | { toNumber(): number; toString(): string };

export function int64(v: Int64 | null | undefined, what: string): number {
  if (v === null || v === undefined) return 0;
  const n = typeof v === 'number' ? v : v.toNumber();
  if (!Number.isSafeInteger(n)) throw new PbError(`${what}: ${String(v)} is not a safe integer`);
  return n;
}

/** Decodes a TensorProto file's bytes. */
export function decodeTensorProto(bytes: Uint8Array): TensorProto {
  try {
    return onnx.TensorProto.decode(bytes);
  } catch (e) {
    throw new PbError(`not a TensorProto: ${(e as Error).message}`);
  }
}

/** Decodes a model.onnx file's bytes. */
export function decodeModelProto(bytes: Uint8Array): ModelProto {
  try {
    return onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new PbError(`not a ModelProto: ${(e as Error).message}`);
  }
}

/** The parts of a decoded model the conformance check reads, with no optional fields. */
export interface OnnxModel {
  readonly irVersion: number;
  /** The default-domain (`''` or `ai.onnx`) opset, 0 when the model imports none. */
  readonly opset: number;
  readonly nodes: ReadonlyArray<{ opType: string; domain: string; input: string[]; output: string[]; attribute: AttributeProto[] }>;
  readonly initializers: readonly TensorProto[];
  /** Graph input and output names, in order. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/** A decoded model.onnx, flattened to what the conformance check needs. */
export function readModel(bytes: Uint8Array): OnnxModel {
  const m = decodeModelProto(bytes);
  const g = m.graph;
  if (!g) throw new PbError('the model has no graph');
  const imp = (m.opsetImport ?? []).find((o) => (o.domain ?? '') === '' || o.domain === 'ai.onnx');
  return {
    irVersion: int64(m.irVersion as Int64, 'ir_version'),
    opset: imp ? int64(imp.version as Int64, 'opset_import.version') : 0,
    nodes: (g.node ?? []).map((n) => ({
      opType: n.opType ?? '',
      domain: n.domain ?? '',
      input: [...(n.input ?? [])],
      output: [...(n.output ?? [])],
      attribute: (n.attribute ?? []) as AttributeProto[],
    })),
    initializers: (g.initializer ?? []) as TensorProto[],
    inputs: (g.input ?? []).map((v) => v.name ?? ''),
    outputs: (g.output ?? []).map((v) => v.name ?? ''),
  };
}

/**
 * The values of a float or double TensorProto, widened to float64 (exactly: every float32 is a
 * float64). Throws PbError for another data type, external data, or a count that does not match
 * the dims.
 */
export function tensorFromProto(t: TensorProto): PbTensor {
  const label = t.name ? `tensor ${JSON.stringify(t.name)}` : 'tensor';
  const dtype = PB_DTYPES[t.dataType];
  if (!dtype) throw new PbError(`${label}: ${dataTypeName(t.dataType)} is not a data type convcheck computes (FLOAT, DOUBLE)`);
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL || (t.externalData && t.externalData.length > 0)) {
    throw new PbError(`${label}: external data is not supported`);
  }
  if (t.segment) throw new PbError(`${label}: segmented tensors are not supported`);
  const shape = t.dims.map((d, i) => int64(d, `${label}: dims[${i}]`));
  if (shape.some((d) => d < 0)) throw new PbError(`${label}: negative dim in [${shape.join(', ')}]`);
  const n = shape.reduce((a, b) => a * b, 1);
  let data: Float64Array;
  const raw = t.rawData;
  if (raw && raw.length > 0) {
    const width = dtype === 'float32' ? 4 : 8;
    if (raw.length !== n * width) {
      throw new PbError(`${label}: raw_data has ${raw.length} bytes, but ${dtype} [${shape.join(', ')}] needs ${n * width}`);
    }
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    data = new Float64Array(n);
    for (let i = 0; i < n; i++) data[i] = width === 4 ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true);
  } else {
    const src = dtype === 'float32' ? t.floatData : t.doubleData;
    const field = dtype === 'float32' ? 'float_data' : 'double_data';
    if (src.length !== n) throw new PbError(`${label}: ${field} has ${src.length} values, but [${shape.join(', ')}] needs ${n}`);
    data = Float64Array.from(src);
  }
  return { name: t.name ?? '', dtype, shape, data };
}

/** Reads one input_*.pb / output_*.pb file's bytes. */
export function readTensorPb(bytes: Uint8Array): PbTensor {
  return tensorFromProto(decodeTensorProto(bytes));
}

/** An attribute's value in the case format's JSON form. */
export type AttrValue = number | string | number[] | string[];

const A = onnx.AttributeProto.AttributeType;

/**
 * An AttributeProto's value, typed by its declared type: INT → integer, INTS → integer list,
 * STRING → string (UTF-8), FLOAT/FLOATS → numbers, STRINGS → strings. Old models may leave the
 * type unset; then it is read from the one field that is set. Anything else (tensors, graphs)
 * throws PbError.
 */
export function attributeValue(a: AttributeProto): AttrValue {
  const what = `attribute ${a.name}`;
  let type = a.type;
  if (type === A.UNDEFINED) {
    if (a.ints.length > 0) type = A.INTS;
    else if (a.floats.length > 0) type = A.FLOATS;
    else if (a.strings.length > 0) type = A.STRINGS;
    else if (a.s && a.s.length > 0) type = A.STRING;
    else if (a.f) type = A.FLOAT;
    else if (a.i !== undefined && a.i !== null) type = A.INT;
  }
  const utf8 = (b: Uint8Array) => new TextDecoder('utf-8', { fatal: true }).decode(b);
  switch (type) {
    case A.INT:
      return int64(a.i as Int64, what);
    case A.INTS:
      return a.ints.map((v, i) => int64(v as Int64, `${what}[${i}]`));
    case A.STRING:
      return utf8(a.s);
    case A.STRINGS:
      return a.strings.map(utf8);
    case A.FLOAT:
      return a.f;
    case A.FLOATS:
      return [...a.floats];
    default:
      throw new PbError(`${what}: attribute type ${(A as unknown as Record<number, string>)[type] ?? type} is not supported`);
  }
}
