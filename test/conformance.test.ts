/**
 * ONNX conformance: the ONNX backend node tests for Conv and ConvTranspose (Debian's
 * libonnx-testdata, or $CONVCHECK_ONNX_TESTDATA) must all pass on the reference; the .pb reading
 * is checked on hand-encoded tensors; extraction and the command on small synthetic test dirs.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCaseText } from '../src/case/io.js';
import {
  attributeValue,
  conformanceCommand,
  extractConformanceCases,
  findOnnxNodeTests,
  ONNX_TESTDATA_ENV,
  readTensorPb,
  runConformance,
  type ConformanceReport,
} from '../src/conformance/index.js';

const { onnx } = onnxProto;
const hex = (s: string) => Uint8Array.from(s.split(/\s+/).filter(Boolean), (b) => parseInt(b, 16));

/** What failed on the reference, one line each, for assertion messages. */
const failures = (r: ConformanceReport) =>
  r.results
    .filter((x) => x.reference.status !== 'pass')
    .map((x) => `${x.id}: ${x.reference.status} ${x.reference.detail ?? ''}`)
    .join('\n');

describe('ONNX backend node tests (libonnx-testdata)', () => {
  const lookup = findOnnxNodeTests();
  if (!lookup.nodeDir) {
    it('the ONNX backend test data is installed', () => {
      throw new Error(`convcheck conformance: ${lookup.message}`);
    });
    return;
  }
  const nodeDir = lookup.nodeDir;
  let ex: ReturnType<typeof extractConformanceCases>;
  try {
    ex = extractConformanceCases(nodeDir);
  } catch (e) {
    it(`the ONNX backend node tests in ${nodeDir} can be read`, () => {
      throw e;
    });
    return;
  }
  const names = ex.cases.map((c) => c.test);
  it(`reference passes all ${ex.cases.length} Conv/ConvTranspose node tests in ${nodeDir}: ${names.join(', ')}`, async () => {
    expect(ex.cases.length, `no Conv/ConvTranspose node test found in ${nodeDir}`).toBeGreaterThan(0);
    expect(ex.cases.filter((c) => c.error).map((c) => `${c.id}: ${c.error}`)).toEqual([]);
    const r = await runConformance(ex, []);
    expect(r.failed, failures(r)).toBe(0);
    expect(r.passed).toBe(ex.cases.length);
  });
  it('covers both ops, and skips only other convolution ops (ConvInteger, QLinearConv, …) and multi-node graphs', () => {
    expect(new Set(ex.cases.map((c) => c.op))).toEqual(new Set(['Conv', 'ConvTranspose']));
    for (const s of ex.skipped) expect(s.reason, s.test).toMatch(/^(?!Conv is|ConvTranspose is)\S+ is |^the graph has \d+ nodes/);
  });

  // Debian's data also has Conv tests exported from PyTorch (float data: checked with tolerance).
  const root = basename(nodeDir) === 'node' ? dirname(nodeDir) : undefined;
  const more = ['pytorch-converted', 'pytorch-operator'].map((d) => root && join(root, d)).filter((d): d is string => !!d && existsSync(d));
  for (const dir of more) {
    const ex2 = extractConformanceCases(dir);
    it(`reference passes the ${ex2.cases.length} Conv/ConvTranspose tests in ${dir}: ${ex2.cases.map((c) => c.test).join(', ')}`, async () => {
      expect(ex2.cases.length).toBeGreaterThan(0);
      const r = await runConformance(ex2, []);
      expect(r.failed, failures(r)).toBe(0);
    });
  }
});

describe('findOnnxNodeTests', () => {
  it(`honours $${ONNX_TESTDATA_ENV}, and reports a wrong value instead of falling back`, () => {
    const d = mkdtempSync(join(tmpdir(), 'convcheck-td-'));
    try {
      expect(findOnnxNodeTests({ [ONNX_TESTDATA_ENV]: d })).toMatchObject({ nodeDir: d, fromEnv: true });
      mkdirSync(join(d, 'node'));
      expect(findOnnxNodeTests({ [ONNX_TESTDATA_ENV]: d }).nodeDir).toBe(join(d, 'node'));
      const missing = findOnnxNodeTests({ [ONNX_TESTDATA_ENV]: join(d, 'nope') });
      expect(missing.nodeDir).toBeUndefined();
      expect(missing.message).toContain(ONNX_TESTDATA_ENV);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
  it('names the Debian package when nothing is found', () => {
    const r = findOnnxNodeTests({}, ['/nonexistent/onnx/backend/test/data']);
    expect(r.nodeDir).toBeUndefined();
    expect(r.message).toContain('apt-get install libonnx-testdata');
    expect(r.message).toContain(ONNX_TESTDATA_ENV);
  });
});

describe('TensorProto .pb parsing', () => {
  it('float raw_data, little-endian, with name and dims (hand-encoded)', () => {
    // dims: 2, 1 (field 1, varint); data_type FLOAT = 1 (field 2); name "x" (field 8);
    // raw_data (field 9): 1.5f = 0x3FC00000, -2f = 0xC0000000, little-endian.
    const t = readTensorPb(hex('08 02 08 01 10 01 42 01 78 4a 08 00 00 c0 3f 00 00 00 c0'));
    expect(t).toEqual({ name: 'x', dtype: 'float32', shape: [2, 1], data: Float64Array.from([1.5, -2]) });
  });
  it('packed float_data', () => {
    // float_data (field 4, packed): 0.5f = 0x3F000000, 3f = 0x40400000.
    const t = readTensorPb(hex('08 02 10 01 22 08 00 00 00 3f 00 00 40 40'));
    expect(t).toMatchObject({ dtype: 'float32', shape: [2], data: Float64Array.from([0.5, 3]) });
  });
  it('double raw_data and double_data', () => {
    // data_type DOUBLE = 11; 0.1 = 0x3FB999999999999A little-endian.
    expect(readTensorPb(hex('08 01 10 0b 4a 08 9a 99 99 99 99 99 b9 3f')).data[0]).toBe(0.1);
    // double_data (field 10, packed), a scalar (no dims): -0.25 = 0xBFD0000000000000.
    expect(readTensorPb(hex('10 0b 52 08 00 00 00 00 00 00 d0 bf'))).toMatchObject({ dtype: 'float64', shape: [], data: Float64Array.from([-0.25]) });
  });
  it('refuses other data types and sizes that do not match the dims', () => {
    expect(() => readTensorPb(hex('08 01 10 06 2a 01 07'))).toThrow(/INT32 is not a data type convcheck computes/);
    expect(() => readTensorPb(hex('08 03 10 01 4a 04 00 00 80 3f'))).toThrow(/raw_data has 4 bytes, but float32 \[3\] needs 12/);
  });
  it('typed attributes: INT, INTS, STRING', () => {
    const T = onnx.AttributeProto.AttributeType;
    const dec = (a: Parameters<typeof onnx.AttributeProto.create>[0]) => attributeValue(onnx.AttributeProto.decode(onnx.AttributeProto.encode(onnx.AttributeProto.create(a)).finish()));
    expect(dec({ name: 'group', type: T.INT, i: 2 })).toBe(2);
    expect(dec({ name: 'pads', type: T.INTS, ints: [1, 0, 1, 0] })).toEqual([1, 0, 1, 0]);
    expect(dec({ name: 'auto_pad', type: T.STRING, s: new TextEncoder().encode('SAME_LOWER') })).toBe('SAME_LOWER');
  });
});

// ---- synthetic backend tests --------------------------------------------------------------------

const F = onnx.TensorProto.DataType;
type Arr = { shape: number[]; data: number[] };
const tensorBytes = (name: string, t: Arr, dataType = F.FLOAT) =>
  onnx.TensorProto.encode(
    onnx.TensorProto.create(dataType === F.FLOAT ? { name, dims: t.shape, dataType, floatData: t.data } : { name, dims: t.shape, dataType, doubleData: t.data }),
  ).finish();
const vi = (name: string, dataType = F.FLOAT) => onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: dataType } } });

interface Spec {
  nodes: Array<{ op: string; input: string[]; output: string[]; attrs?: Record<string, number | number[] | string> }>;
  inputs: string[];
  outputs: string[];
  initializers?: Record<string, Arr>;
  sets: Array<{ inputs: Arr[]; outputs: Arr[] }>;
  dataType?: number;
  opset?: number;
}

function writeTest(dir: string, s: Spec): void {
  mkdirSync(dir, { recursive: true });
  const T = onnx.AttributeProto.AttributeType;
  const attr = (name: string, v: number | number[] | string) =>
    typeof v === 'string' ? { name, type: T.STRING, s: new TextEncoder().encode(v) } : Array.isArray(v) ? { name, type: T.INTS, ints: v } : { name, type: T.INT, i: v };
  const dt = s.dataType ?? F.FLOAT;
  const model = onnx.ModelProto.create({
    irVersion: 3,
    opsetImport: [{ domain: '', version: s.opset ?? 11 }],
    graph: {
      name: 'g',
      node: s.nodes.map((n) => ({ opType: n.op, input: n.input, output: n.output, attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attr(k, v)) })),
      input: s.inputs.map((n) => vi(n, dt)),
      output: s.outputs.map((n) => vi(n, dt)),
      initializer: Object.entries(s.initializers ?? {}).map(([name, t]) => onnx.TensorProto.decode(tensorBytes(name, t, dt))),
    },
  });
  writeFileSync(join(dir, 'model.onnx'), onnx.ModelProto.encode(model).finish());
  const runtime = s.inputs.filter((n) => !(n in (s.initializers ?? {})));
  s.sets.forEach((set, k) => {
    const d = join(dir, `test_data_set_${k}`);
    mkdirSync(d);
    set.inputs.forEach((t, i) => writeFileSync(join(d, `input_${i}.pb`), tensorBytes(runtime[i]!, t, dt)));
    set.outputs.forEach((t, i) => writeFileSync(join(d, `output_${i}.pb`), tensorBytes(s.outputs[i]!, t, dt)));
  });
}

const work = mkdtempSync(join(tmpdir(), 'convcheck-conformance-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// 1-D: X = [1, 2, 3], W = [1, -1] → Conv (correlation) = [1-2, 2-3] = [-1, -1]; + B = 10 → [9, 9].
const X = { shape: [1, 1, 3], data: [1, 2, 3] };
const W = { shape: [1, 1, 2], data: [1, -1] };
const good = join(work, 'good');
writeTest(join(good, 'test_conv_init'), {
  nodes: [{ op: 'Conv', input: ['x', 'w', 'b'], output: ['y'], attrs: { kernel_shape: [2], group: 1 } }],
  inputs: ['x', 'w', 'b'],
  outputs: ['y'],
  initializers: { w: W, b: { shape: [1], data: [10] } },
  sets: [
    { inputs: [X], outputs: [{ shape: [1, 1, 2], data: [9, 9] }] },
    { inputs: [{ shape: [1, 1, 3], data: [0, 0, 1] }], outputs: [{ shape: [1, 1, 2], data: [10, 9] }] },
  ],
});
// ConvTranspose, SAME_UPPER, stride 2, double: X = [1, 2], W = [1, 1, 1] → full [1, 1, 3, 2, 2], total
// padding 5 - 4 = 1, at the end (SAME_UPPER) → [1, 1, 3, 2].
writeTest(join(good, 'test_convtranspose_double'), {
  nodes: [{ op: 'ConvTranspose', input: ['X', 'W'], output: ['Y'], attrs: { auto_pad: 'SAME_UPPER', strides: [2] } }],
  inputs: ['X', 'W'],
  outputs: ['Y'],
  dataType: F.DOUBLE,
  sets: [{ inputs: [{ shape: [1, 1, 2], data: [1, 2] }, { shape: [1, 1, 3], data: [1, 1, 1] }], outputs: [{ shape: [1, 1, 4], data: [1, 1, 3, 2] }] }],
});
writeTest(join(good, 'test_conv_relu'), {
  nodes: [
    { op: 'Conv', input: ['x', 'w'], output: ['t'] },
    { op: 'Relu', input: ['t'], output: ['y'] },
  ],
  inputs: ['x', 'w'],
  outputs: ['y'],
  sets: [{ inputs: [X, W], outputs: [{ shape: [1, 1, 2], data: [0, 0] }] }],
});
writeTest(join(good, 'test_convinteger'), {
  nodes: [{ op: 'ConvInteger', input: ['x', 'w'], output: ['y'] }],
  inputs: ['x', 'w'],
  outputs: ['y'],
  sets: [],
});
writeTest(join(good, 'test_relu'), { nodes: [{ op: 'Relu', input: ['x'], output: ['y'] }], inputs: ['x'], outputs: ['y'], sets: [] });
const bad = join(work, 'bad');
writeTest(join(bad, 'test_conv_wrong'), {
  nodes: [{ op: 'Conv', input: ['x', 'w'], output: ['y'] }],
  inputs: ['x', 'w'],
  outputs: ['y'],
  sets: [{ inputs: [X, W], outputs: [{ shape: [1, 1, 2], data: [-1, 1] }] }],
});
const noConv = join(work, 'noconv');
writeTest(join(noConv, 'test_relu'), { nodes: [{ op: 'Relu', input: ['x'], output: ['y'] }], inputs: ['x'], outputs: ['y'], sets: [] });

describe('extractConformanceCases', () => {
  const ex = extractConformanceCases(good);
  it('one case per data set of each single-node Conv/ConvTranspose test; initializers resolved; attributes typed', () => {
    expect(ex.tests).toBe(5);
    expect(ex.unrelated).toBe(1);
    expect(ex.cases.map((c) => c.id)).toEqual(['test_conv_init/test_data_set_0', 'test_conv_init/test_data_set_1', 'test_convtranspose_double/test_data_set_0']);
    expect(ex.cases[0]!.case).toMatchObject({
      id: 'test_conv_init/test_data_set_0',
      framework: 'onnx',
      op: 'Conv',
      attrs: { kernel_shape: [2], group: 1 },
      inputs: { X, W, B: { shape: [1], data: [10] } },
      dtype: 'float32',
      expected: { shape: [1, 1, 2], data: [9, 9] },
    });
    expect(ex.cases[2]!.case).toMatchObject({ op: 'ConvTranspose', attrs: { auto_pad: 'SAME_UPPER', strides: [2] }, dtype: 'float64' });
  });
  it('lists the skipped convolution tests with the reason', () => {
    expect(ex.skipped.map((s) => [s.test, s.reason])).toEqual([
      ['test_conv_relu', 'the graph has 2 nodes (Conv, Relu); only single-node Conv/ConvTranspose graphs are checked'],
      ['test_convinteger', 'ConvInteger is an integer (quantized) convolution, not a float Conv/ConvTranspose'],
    ]);
  });
  it('a single test directory works as DIR too', () => {
    expect(extractConformanceCases(join(good, 'test_conv_init')).cases.map((c) => c.id)).toEqual(['test_conv_init/test_data_set_0', 'test_conv_init/test_data_set_1']);
  });
});

describe('convcheck conformance', () => {
  const call = async (dir: string, a: Parameters<typeof conformanceCommand>[1]) => {
    let out = '';
    let err = '';
    const code = await conformanceCommand(dir, a, (s) => (out += s), (s) => (err += s));
    return { code, out, err };
  };
  it('exit 0 when the reference passes; table and final line', async () => {
    const r = await call(good, { oracles: 'reference' });
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/test_conv_init\s+test_data_set_1\s+Conv\s+11\s+pass/);
    expect(r.out).toContain('skipped test_convinteger: ConvInteger');
    expect(r.out.trimEnd().split('\n').at(-1)).toBe('3 passed, 0 failed');
  });
  it('exit 1 when the reference disagrees with the expected output; --json; --cases', async () => {
    const out = join(work, 'out', 'cases.jsonl');
    const r = await call(bad, { oracles: 'reference', json: true, cases: out });
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as ConformanceReport;
    expect(j.results[0]).toMatchObject({ id: 'test_conv_wrong/test_data_set_0', reference: { status: 'fail' } });
    expect(j.results[0]!.reference.detail).toContain('integer data: exact');
    expect([j.passed, j.failed]).toEqual([0, 1]);
    const entries = parseCaseText(readFileSync(out, 'utf8'), 'cases.jsonl', 'lines');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toHaveProperty('case.id', 'test_conv_wrong/test_data_set_0');
  });
  it('exit 2 for a bad DIR, a DIR with no Conv test, or an unknown oracle', async () => {
    expect((await call(join(work, 'missing'), {})).code).toBe(2);
    const none = await call(noConv, {});
    expect(none.code).toBe(2);
    expect(none.err).toContain('none a single-node Conv or ConvTranspose');
    expect((await call(good, { oracles: 'nope' })).code).toBe(2);
  });
});
