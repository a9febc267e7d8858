/**
 * ONNX backend node tests as convcheck cases.
 *
 * A backend test is a directory holding `model.onnx` and `test_data_set_<n>/` directories of
 * `input_<i>.pb` and `output_<i>.pb` TensorProtos (the layout of onnx/backend/test/data, which
 * Debian's libonnx-testdata installs). Every test whose graph is a single Conv or ConvTranspose
 * node becomes one case per data set: framework 'onnx', the node's op and attributes, inputs X, W
 * and B in the node's input order, dtype from the tensors' type, expected from the output.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import type { CaseJson, TensorJson } from '../case/case.js';
import { tensorJson } from '../case/io.js';
import { attributeValue, PbError, readModel, readTensorPb, tensorFromProto, type AttrValue, type OnnxModel, type PbTensor } from './pb.js';

export type ConformanceOp = 'Conv' | 'ConvTranspose';
export const CONFORMANCE_OPS: readonly ConformanceOp[] = ['Conv', 'ConvTranspose'];

/** One data set of one Conv/ConvTranspose test. */
export interface ConformanceCase {
  /** `<test>/<data set>`, also the case's id. */
  readonly id: string;
  /** The test directory's path relative to the extraction root (its name when the root holds tests directly). */
  readonly test: string;
  /** `test_data_set_0`, … */
  readonly dataSet: string;
  /** The test directory. */
  readonly dir: string;
  readonly op: ConformanceOp;
  /** The model's default-domain opset. */
  readonly opset: number;
  /** The case, or undefined when the data set could not be turned into one (see `error`). */
  readonly case?: CaseJson;
  /** Why this data set could not be read (a corrupt .pb, an input the node needs that is missing, …). */
  readonly error?: string;
}

/** A test that is not a single-node Conv/ConvTranspose test, but has a convolution-like op. */
export interface SkippedTest {
  readonly test: string;
  readonly dir: string;
  readonly reason: string;
}

export interface ConformanceExtraction {
  readonly root: string;
  /** Test directories found (with a model.onnx). */
  readonly tests: number;
  /** Tests with no convolution-like op at all (not listed one by one). */
  readonly unrelated: number;
  readonly cases: ConformanceCase[];
  readonly skipped: SkippedTest[];
}

/** DIR does not exist, is not a directory, or holds no backend test (no model.onnx anywhere). */
export class ConformanceDirError extends Error {
  override readonly name = 'ConformanceDirError';
}

/** How deep below the root test directories are looked for (data/ → node/ → test_x/). */
const MAX_DEPTH = 3;
const INPUT_KEYS = ['X', 'W', 'B'] as const;
const ONNX_DOMAINS = ['', 'ai.onnx'];

/** Directories with a model.onnx: DIR itself, or below it (not below a test directory). */
export function findTestDirs(root: string): string[] {
  if (!existsSync(root)) throw new ConformanceDirError(`${root}: no such directory`);
  if (!statSync(root).isDirectory()) throw new ConformanceDirError(`${root}: not a directory`);
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (existsSync(join(dir, 'model.onnx'))) {
      out.push(dir);
      return;
    }
    if (depth >= MAX_DEPTH) return;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const n of names.sort()) {
      const p = join(dir, n);
      try {
        if (statSync(p).isDirectory()) walk(p, depth + 1);
      } catch {
        // a dangling link: not a test
      }
    }
  };
  walk(root, 0);
  return out;
}

/** `test_data_set_<n>` directories, in numeric order. */
function dataSets(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => /^test_data_set_\d+$/.test(n) && statSync(join(dir, n)).isDirectory())
    .sort((a, b) => num(a) - num(b));
}

/** `<prefix>_<i>.pb` files of a data set, in numeric order. */
function pbFiles(dir: string, prefix: 'input' | 'output'): string[] {
  const re = new RegExp(`^${prefix}_(\\d+)\\.pb$`);
  return readdirSync(dir)
    .filter((n) => re.test(n))
    .sort((a, b) => num(a) - num(b));
}

const num = (s: string) => Number(/(\d+)(?:\.pb)?$/.exec(s)?.[1] ?? NaN);


/** Why a convolution-like single-node test is not one convcheck checks, or undefined if it is. */
function skipReason(m: OnnxModel): { reason?: string; related: boolean } {
  const nodes = m.nodes;
  const ops = nodes.map((n) => n.opType);
  const related = ops.some((o) => /conv/i.test(o));
  if (nodes.length !== 1) {
    return { related, reason: `the graph has ${nodes.length} nodes (${ops.join(', ') || 'none'}); only single-node Conv/ConvTranspose graphs are checked` };
  }
  const node = nodes[0]!;
  if (!CONFORMANCE_OPS.includes(node.opType as ConformanceOp)) {
    const why = /^(ConvInteger|QLinearConv)$/.test(node.opType) ? 'an integer (quantized) convolution, not a float Conv/ConvTranspose' : 'not Conv or ConvTranspose';
    return { related, reason: `${node.opType} is ${why}` };
  }
  if (!ONNX_DOMAINS.includes(node.domain)) return { related, reason: `${node.opType} is in domain ${JSON.stringify(node.domain)}, not the ONNX default domain` };
  return { related };
}

/**
 * Turns one data set into a case. Input files map to the graph inputs that are not initializers,
 * by the tensor's name when it names one, else by position (the backend test runner's rule);
 * a node input that is an initializer is taken from the model.
 */
function dataSetCase(m: OnnxModel, test: string, testDir: string, dataSet: string): CaseJson {
  const node = m.nodes[0]!;
  const dsDir = join(testDir, dataSet);
  const initNames = new Set(m.initializers.map((t) => t.name));
  const runtimeInputs = m.inputs.filter((n) => !initNames.has(n));
  const read = (file: string): PbTensor => {
    try {
      return readTensorPb(readFileSync(join(dsDir, file)));
    } catch (e) {
      throw new PbError(`${dataSet}/${file}: ${(e as Error).message}`);
    }
  };
  const values = new Map<string, PbTensor>();
  const inFiles = pbFiles(dsDir, 'input');
  if (inFiles.length !== runtimeInputs.length) {
    throw new PbError(`${dataSet} has ${inFiles.length} input file(s), the graph has ${runtimeInputs.length} input(s) that are not initializers (${runtimeInputs.join(', ')})`);
  }
  inFiles.forEach((f, i) => {
    const t = read(f);
    values.set(runtimeInputs.includes(t.name) ? t.name : runtimeInputs[i]!, t);
  });
  const inputs: Record<string, TensorJson> = {};
  let dtype: 'float32' | 'float64' | undefined;
  if (node.input.length > INPUT_KEYS.length) throw new PbError(`${node.opType} has ${node.input.length} inputs; Conv/ConvTranspose take at most 3 (X, W, B)`);
  node.input.forEach((name, j) => {
    const key = INPUT_KEYS[j]!;
    if (name === '') {
      if (key !== 'B') throw new PbError(`${node.opType} input ${j} (${key}) is omitted, but it is required`);
      return;
    }
    let t = values.get(name);
    if (!t) {
      const init = m.initializers.find((x) => x.name === name);
      if (!init) throw new PbError(`${node.opType} input ${key} = ${JSON.stringify(name)} is neither a data set input nor an initializer`);
      t = tensorFromProto(init);
    }
    if (dtype && t.dtype !== dtype) throw new PbError(`${node.opType} input ${key} is ${t.dtype}, but X is ${dtype}`);
    dtype = t.dtype;
    inputs[key] = tensorJson(t);
  });
  for (const k of ['X', 'W'] as const) if (!inputs[k]) throw new PbError(`${node.opType} has no input ${k}`);
  const outName = node.output[0];
  const outIndex = m.outputs.indexOf(outName ?? '');
  if (outName === undefined || outIndex < 0) throw new PbError(`the node's output ${JSON.stringify(outName)} is not a graph output`);
  const outFiles = pbFiles(dsDir, 'output');
  const outFile = outFiles.find((f) => num(f) === outIndex);
  if (!outFile) throw new PbError(`${dataSet} has no output_${outIndex}.pb for ${JSON.stringify(outName)}`);
  const expected = read(outFile);
  if (expected.dtype !== dtype) throw new PbError(`${dataSet}/${outFile} is ${expected.dtype}, the inputs are ${dtype}`);
  const attrs: Record<string, AttrValue> = {};
  for (const a of node.attribute) attrs[a.name] = attributeValue(a);
  const id = `${test}/${dataSet}`;
  return {
    id,
    framework: 'onnx',
    op: node.opType,
    attrs,
    inputs,
    dtype: dtype!,
    expected: tensorJson(expected),
    note: `ONNX backend test ${basename(testDir)} (opset ${m.opset}), ${dataSet}; expected from ${outFile}`,
  };
}

/**
 * Every single-node Conv/ConvTranspose backend test under `dir` (a test directory, a directory of
 * tests such as onnx/backend/test/data/node, or the data directory above several of those), one
 * case per data set. Tests with another convolution-like op (ConvInteger, QLinearConv) or with a
 * convolution inside a larger graph are listed in `skipped` with the reason; tests with no
 * convolution at all are only counted. Throws ConformanceDirError when `dir` holds no test.
 */
export function extractConformanceCases(dir: string): ConformanceExtraction {
  const testDirs = findTestDirs(dir);
  if (testDirs.length === 0) throw new ConformanceDirError(`${dir}: no ONNX backend test here (no model.onnx in it or in its subdirectories)`);
  const cases: ConformanceCase[] = [];
  const skipped: SkippedTest[] = [];
  let unrelated = 0;
  for (const testDir of testDirs) {
    const test = relative(dir, testDir).split(sep).join('/') || basename(testDir);
    let model: OnnxModel;
    try {
      model = readModel(readFileSync(join(testDir, 'model.onnx')));
    } catch (e) {
      skipped.push({ test, dir: testDir, reason: `model.onnx: ${(e as Error).message}` });
      continue;
    }
    const { reason, related } = skipReason(model);
    if (reason !== undefined) {
      if (related) skipped.push({ test, dir: testDir, reason });
      else unrelated++;
      continue;
    }
    const op = model.nodes[0]!.opType as ConformanceOp;
    const opset = model.opset;
    const sets = dataSets(testDir);
    if (sets.length === 0) {
      cases.push({ id: `${test}/(no data set)`, test, dataSet: '(none)', dir: testDir, op, opset, error: 'no test_data_set_<n> directory' });
      continue;
    }
    for (const dataSet of sets) {
      const id = `${test}/${dataSet}`;
      try {
        cases.push({ id, test, dataSet, dir: testDir, op, opset, case: dataSetCase(model, test, testDir, dataSet) });
      } catch (e) {
        if (!(e instanceof PbError)) throw e;
        cases.push({ id, test, dataSet, dir: testDir, op, opset, error: e.message });
      }
    }
  }
  return { root: dir, tests: testDirs.length, unrelated, cases, skipped };
}
