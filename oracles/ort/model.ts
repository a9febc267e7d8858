/**
 * The one-node ONNX model the ort oracle runs: built with onnx-proto's generated message classes,
 * with symbolic (dim_param) input dims so that one InferenceSession serves every input shape for
 * a given (op, ranks, dtype, attributes, bias) combination.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type AttributeProto = InstanceType<typeof onnx.AttributeProto>;
type ModelProto = InstanceType<typeof onnx.ModelProto>;

export type OrtOp = 'Conv' | 'ConvTranspose';
export type OrtDType = 'float32' | 'float64';

/** Everything that decides the model (and so the session): no shapes, only ranks. */
export interface ModelSpec {
  readonly op: OrtOp;
  readonly dtype: OrtDType;
  /** Rank of X and W (normally equal; a mismatch is passed on for ORT to judge). */
  readonly rankX: number;
  readonly rankW: number;
  /** Rank of B when the bias is given (normally 1), else undefined. */
  readonly rankB?: number | undefined;
  /** The node's attributes exactly as the case gives them; null/undefined values are left out. */
  readonly attrs: Readonly<Record<string, unknown>>;
  /** Default-domain opset; default DEFAULT_OPSET. */
  readonly opset?: number;
}

/** convcheck follows the opset-22 spec; onnxruntime 1.30 implements Conv/ConvTranspose at 22. */
export const DEFAULT_OPSET = 22;
/** IR version 10 is the one that goes with opsets 21-22 (onnx 1.16-1.17). */
export const IR_VERSION = 10;

const ELEM = { float32: onnx.TensorProto.DataType.FLOAT, float64: onnx.TensorProto.DataType.DOUBLE } as const;
const T = onnx.AttributeProto.AttributeType;

/** Thrown for an attribute value that no ONNX AttributeProto can carry (true, {}, [1, "a"]). */
export class UnrepresentableAttribute extends Error {}

/**
 * The AttributeProto for one case attribute, typed by its JSON form: string → STRING, integer →
 * INT, other number → FLOAT, list of integers (or empty list) → INTS, list of numbers → FLOATS,
 * list of strings → STRINGS. Values are not checked against the operator schema: that is ORT's job.
 */
export function toAttribute(name: string, v: unknown): AttributeProto {
  if (typeof v === 'string') return onnx.AttributeProto.create({ name, type: T.STRING, s: new TextEncoder().encode(v) });
  if (typeof v === 'number' && Number.isFinite(v)) {
    return Number.isInteger(v) ? onnx.AttributeProto.create({ name, type: T.INT, i: v }) : onnx.AttributeProto.create({ name, type: T.FLOAT, f: v });
  }
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'number' && Number.isInteger(x))) return onnx.AttributeProto.create({ name, type: T.INTS, ints: v as number[] });
    if (v.every((x) => typeof x === 'number' && Number.isFinite(x))) return onnx.AttributeProto.create({ name, type: T.FLOATS, floats: v as number[] });
    if (v.every((x) => typeof x === 'string')) {
      return onnx.AttributeProto.create({ name, type: T.STRINGS, strings: (v as string[]).map((s) => new TextEncoder().encode(s)) });
    }
  }
  throw new UnrepresentableAttribute(`attribute ${name} = ${JSON.stringify(v)} has no ONNX attribute type`);
}

/** The attributes that go into the node, sorted by name; absent (null/undefined) ones left out. */
/** Why an attribute set cannot be written into an ONNX model, or undefined when every one can. */
export function unrepresentable(attrs: Readonly<Record<string, unknown>>): string | undefined {
  for (const [k, v] of presentAttrs(attrs)) {
    try {
      toAttribute(k, v);
    } catch (e) {
      if (e instanceof UnrepresentableAttribute) return e.message;
      throw e;
    }
  }
  return undefined;
}

export function presentAttrs(attrs: Readonly<Record<string, unknown>>): Array<[string, unknown]> {
  return Object.entries(attrs)
    .filter(([, v]) => v !== undefined && v !== null)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function valueInfo(name: string, dtype: OrtDType, dims: string[] | undefined) {
  return onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType: ELEM[dtype],
        ...(dims ? { shape: onnx.TensorShapeProto.create({ dim: dims.map((dimParam) => onnx.TensorShapeProto.Dimension.create({ dimParam })) }) } : {}),
      }),
    }),
  });
}

function symbolic(prefix: string, rank: number): string[] {
  return Array.from({ length: rank }, (_, i) => `${prefix}${i}`);
}

/** The ModelProto: inputs X, W (and B) with all-symbolic dims, output Y with no declared shape. */
export function buildModelProto(spec: ModelSpec): ModelProto {
  const inputs = [valueInfo('X', spec.dtype, symbolic('x', spec.rankX)), valueInfo('W', spec.dtype, symbolic('w', spec.rankW))];
  if (spec.rankB !== undefined) inputs.push(valueInfo('B', spec.dtype, symbolic('b', spec.rankB)));
  const node = onnx.NodeProto.create({
    name: spec.op,
    opType: spec.op,
    domain: '',
    input: inputs.map((i) => i.name),
    output: ['Y'],
    attribute: presentAttrs(spec.attrs).map(([k, v]) => toAttribute(k, v)),
  });
  return onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: 'convcheck',
    opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: spec.opset ?? DEFAULT_OPSET })],
    graph: onnx.GraphProto.create({ name: `convcheck_${spec.op}`, node: [node], input: inputs, output: [valueInfo('Y', spec.dtype, undefined)] }),
  });
}

/** The serialized model (what InferenceSession.create is given). */
export function buildModel(spec: ModelSpec): Uint8Array {
  return onnx.ModelProto.encode(buildModelProto(spec)).finish();
}

/** Decodes model bytes back to a plain object (for tests and debugging). */
export function decodeModel(bytes: Uint8Array): Record<string, unknown> {
  return onnx.ModelProto.toObject(onnx.ModelProto.decode(bytes), { longs: Number, bytes: String, defaults: false }) as Record<string, unknown>;
}

/** The session cache key: equal keys give byte-identical models. */
export function modelKey(spec: ModelSpec): string {
  return JSON.stringify([spec.op, spec.dtype, spec.rankX, spec.rankW, spec.rankB ?? null, spec.opset ?? DEFAULT_OPSET, presentAttrs(spec.attrs)]);
}
