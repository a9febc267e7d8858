/**
 * The onnxruntime-node oracle against convcheck's reference. Cases run through IsolatedOracle,
 * which forks dist/oracles/host.js: build first (`npx tsc -p .`). Data are small integers, so
 * float32 results are exact and compared exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, parseCase, type CaseJson, type Outcome } from '../../src/case/case.js';
import { IsolatedOracle } from '../../oracles/isolated.js';
import type { OracleResult } from '../../oracles/types.js';
import create, { buildModel, decodeModel, modelKey, type OrtBackend } from '../../oracles/ort/backend.js';

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
/** Deterministic, non-uniform small integers in [-3, 3]. */
function ints(n: number, seed: number): number[] {
  return Array.from({ length: n }, (_, i) => ((i * 5 + seed * 3 + ((i * i) % 3)) % 7) - 3);
}
function t(shape: number[], seed: number) {
  return { shape, data: ints(size(shape), seed) };
}
function impulse(shape: number[]) {
  const data = new Array<number>(size(shape)).fill(0);
  data[Math.floor(data.length / 2)] = 1;
  return { shape, data };
}
/** Plain numbers with -0 folded into 0 (toEqual tells them apart; the comparison should not). */
const vals = (d: ArrayLike<number>) => Array.from(d, (v) => v + 0);
const iota = (shape: number[]) => ({ shape, data: Array.from({ length: size(shape) }, (_, i) => i + 1) });

type Json = Omit<CaseJson, 'framework'> & { framework?: CaseJson['framework'] };
function caseOf(j: Json) {
  return parseCase({ framework: 'onnx', ...j }, j.id ?? 'case');
}

let oracle: IsolatedOracle;
beforeAll(async () => {
  oracle = new IsolatedOracle('ort');
  expect(await oracle.start()).toBeUndefined();
});
afterAll(async () => {
  await oracle.close();
});

/** Runs the case on ORT and on the reference; asserts both give the same values, exactly. */
async function agree(j: Json): Promise<{ got: OracleResult; ref: Outcome }> {
  const c = caseOf(j);
  const ref = evaluate(c);
  const got = await oracle.run(c);
  if ('error' in ref) throw new Error(`reference rejects ${c.id}: ${ref.error}`);
  expect(got.kind, JSON.stringify(got)).toBe('value');
  if (got.kind !== 'value') return { got, ref };
  expect(got.shape).toEqual(ref.shape);
  expect(vals(got.data)).toEqual(vals(ref.data));
  return { got, ref };
}

describe('ort oracle agrees with the reference', () => {
  it('Conv impulse: the output is the kernel, rotated 180°', async () => {
    const W = iota([1, 1, 3, 3]);
    const { got } = await agree({ op: 'Conv', attrs: { pads: [1, 1, 1, 1] }, inputs: { X: impulse([1, 1, 5, 5]), W } });
    if (got.kind !== 'value') return;
    const centre = [1, 2, 3].flatMap((r) => [1, 2, 3].map((c) => got.data[r * 5 + c]));
    expect(centre).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('ConvTranspose impulse: the output is the kernel, placed at stride × position', async () => {
    const W = iota([1, 1, 3, 3]);
    const { got } = await agree({ op: 'ConvTranspose', attrs: { strides: [2, 2] }, inputs: { X: impulse([1, 1, 3, 3]), W } });
    if (got.kind !== 'value') return;
    expect(got.shape).toEqual([1, 1, 7, 7]);
    const block = [2, 3, 4].flatMap((r) => [2, 3, 4].map((c) => got.data[r * 7 + c]));
    expect(block).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('asymmetric pads', async () => {
    await agree({ op: 'Conv', attrs: { pads: [0, 2, 1, 0] }, inputs: { X: t([1, 2, 4, 5], 1), W: t([3, 2, 2, 3], 2) } });
    await agree({ op: 'ConvTranspose', attrs: { pads: [1, 0, 0, 2], strides: [2, 1] }, inputs: { X: t([1, 2, 3, 4], 3), W: t([2, 2, 3, 3], 4) } });
  });

  it('group > 1 with several output channels per group', async () => {
    await agree({ op: 'Conv', attrs: { group: 2 }, inputs: { X: t([1, 4, 5, 4], 5), W: t([6, 2, 3, 2], 6) } });
    await agree({ op: 'Conv', attrs: { group: 3, strides: [2, 1] }, inputs: { X: t([2, 3, 5, 5], 7), W: t([6, 1, 2, 2], 8) } });
    // ConvTranspose weight [C, M/group, K...]: C = 4 in 2 groups, 3 outputs per group, M = 6
    await agree({ op: 'ConvTranspose', attrs: { group: 2, strides: [2, 2] }, inputs: { X: t([1, 4, 3, 2], 9), W: t([4, 3, 2, 3], 10) } });
    await agree({ op: 'ConvTranspose', attrs: { group: 3, pads: [1, 0, 0, 1] }, inputs: { X: t([2, 6, 3, 3], 11), W: t([6, 2, 3, 2], 12) } });
  });

  it('dilations', async () => {
    await agree({ op: 'Conv', attrs: { dilations: [2, 1], pads: [1, 1, 2, 0] }, inputs: { X: t([1, 2, 6, 5], 13), W: t([2, 2, 3, 2], 14) } });
    await agree({ op: 'ConvTranspose', attrs: { dilations: [2, 3], strides: [2, 1] }, inputs: { X: t([1, 1, 3, 3], 15), W: t([1, 2, 2, 2], 16) } });
  });

  it('output_padding', async () => {
    await agree({ op: 'ConvTranspose', attrs: { strides: [3, 2], output_padding: [2, 1] }, inputs: { X: t([1, 2, 2, 3], 17), W: t([2, 1, 2, 3], 18) } });
    await agree({ op: 'ConvTranspose', attrs: { strides: [2, 2], output_padding: [1, 0], pads: [1, 0, 0, 1], dilations: [2, 1] }, inputs: { X: t([1, 1, 3, 3], 19), W: t([1, 2, 3, 2], 20) } });
  });

  it('output_shape, with even and odd total padding, NOTSET and SAME_*', async () => {
    // natural size 2·(3-1)+3 = 7 per axis
    for (const auto_pad of [undefined, 'NOTSET', 'SAME_UPPER', 'SAME_LOWER']) {
      await agree({
        op: 'ConvTranspose',
        attrs: { strides: [2, 2], output_shape: [6, 4], ...(auto_pad ? { auto_pad } : {}) }, // total padding 1 and 3
        inputs: { X: t([1, 1, 3, 3], 21), W: t([1, 2, 3, 3], 22) },
      });
      await agree({
        op: 'ConvTranspose',
        attrs: { strides: [2], output_shape: [5], output_padding: [1], ...(auto_pad ? { auto_pad } : {}) }, // total 3
        inputs: { X: t([1, 2, 3], 23), W: t([2, 1, 3], 24) },
      });
    }
  });

  it('auto_pad on Conv (no dilation) and on ConvTranspose where in·stride <= the natural size', async () => {
    for (const auto_pad of ['SAME_UPPER', 'SAME_LOWER', 'VALID', 'NOTSET']) {
      await agree({ op: 'Conv', attrs: { auto_pad, strides: [2, 3] }, inputs: { X: t([1, 2, 5, 7], 25), W: t([2, 2, 2, 3], 26) } });
      await agree({ op: 'ConvTranspose', attrs: { auto_pad, strides: [2, 2] }, inputs: { X: t([1, 1, 3, 2], 27), W: t([1, 2, 3, 4], 28) } });
    }
  });

  it('bias', async () => {
    await agree({ op: 'Conv', attrs: { pads: [1, 0, 0, 1] }, inputs: { X: t([1, 2, 4, 4], 29), W: t([3, 2, 2, 2], 30), B: { shape: [3], data: [5, -7, 2] } } });
    await agree({ op: 'ConvTranspose', attrs: { group: 2, strides: [2, 1] }, inputs: { X: t([1, 2, 3, 3], 31), W: t([2, 2, 2, 2], 32), B: { shape: [4], data: [1, -2, 3, -4] } } });
  });

  it('1-D and 3-D', async () => {
    await agree({ op: 'Conv', attrs: { strides: [2], pads: [2, 1] }, inputs: { X: t([1, 3, 9], 33), W: t([2, 3, 4], 34) } });
    await agree({ op: 'ConvTranspose', attrs: { strides: [3], output_padding: [1] }, inputs: { X: t([1, 2, 4], 35), W: t([2, 3, 2], 36) } });
    await agree({ op: 'Conv', attrs: { strides: [1, 2, 1], pads: [0, 1, 1, 1, 0, 0], group: 2 }, inputs: { X: t([1, 4, 3, 4, 3], 37), W: t([4, 2, 2, 2, 2], 38) } });
    await agree({ op: 'ConvTranspose', attrs: { strides: [2, 1, 2], dilations: [1, 2, 1] }, inputs: { X: t([1, 2, 2, 3, 2], 39), W: t([2, 2, 2, 2, 3], 40) } });
  });

  it('batch 2', async () => {
    await agree({ op: 'Conv', attrs: { strides: [2, 2], pads: [1, 1, 1, 1] }, inputs: { X: t([2, 2, 5, 5], 41), W: t([3, 2, 3, 3], 42), B: { shape: [3], data: [1, 2, 3] } } });
    await agree({ op: 'ConvTranspose', attrs: { strides: [2, 3] }, inputs: { X: t([2, 3, 2, 2], 43), W: t([3, 2, 2, 3], 44) } });
  });

  it('a case ORT rejects at run time is "rejected", with ORT\'s message (the reference rejects it too)', async () => {
    const c = caseOf({ op: 'Conv', inputs: { X: t([1, 3, 4, 4], 45), W: t([2, 2, 3, 3], 46) } });
    expect('error' in evaluate(c)).toBe(true);
    const got = await oracle.run(c);
    expect(got.kind).toBe('rejected');
    if (got.kind === 'rejected') expect(got.error).toMatch(/refused the run.*Input channels C is not equal to kernel channels \* group/);
  });

  it('a model ORT refuses to load is "rejected", with ORT\'s message', async () => {
    const c = caseOf({ op: 'Conv', attrs: { auto_pad: 'SAME' }, inputs: { X: t([1, 1, 4, 4], 47), W: t([1, 1, 3, 3], 48) } });
    expect('error' in evaluate(c)).toBe(true);
    const got = await oracle.run(c);
    expect(got.kind).toBe('rejected');
    if (got.kind === 'rejected') expect(got.error).toMatch(/refused the model.*AutoPadType/);
  });

  it('float64 and other frameworks are unsupported, not failures', async () => {
    const f64 = await oracle.run(caseOf({ op: 'Conv', dtype: 'float64', inputs: { X: t([1, 1, 3, 3], 1), W: t([1, 1, 2, 2], 2) } }));
    expect(f64).toMatchObject({ kind: 'unsupported', reason: expect.stringMatching(/no float64 kernel for Conv/) });
    const tf = await oracle.run(
      parseCase({ framework: 'tf', op: 'conv1d', attrs: { stride: 1, padding: 'VALID' }, inputs: { input: t([1, 4, 1], 1), filters: t([2, 1, 1], 2) } }, 'tf'),
    );
    expect(tf.kind).toBe('unsupported');
  });
});

/**
 * Where ORT 1.30 and the reference differ (see the report in oracles/ort/NOTES.md). These pin
 * ORT's current behaviour: if one starts failing, ORT changed and the note needs revisiting.
 */
describe('known disagreements between ORT 1.30 and the reference', () => {
  it('Conv with auto_pad SAME_* and dilations > 1: ORT refuses; the spec and the reference compute it', async () => {
    const c = caseOf({ op: 'Conv', attrs: { auto_pad: 'SAME_UPPER', dilations: [2] }, inputs: { X: iota([1, 1, 5]), W: iota([1, 1, 2]) } });
    expect(evaluate(c)).toEqual({ shape: [1, 1, 5], data: Float64Array.from([4, 7, 10, 13, 4]) });
    const got = await oracle.run(c);
    expect(got).toMatchObject({ kind: 'rejected', error: expect.stringMatching(/Dilation not supported for AutoPadType::SAME_UPPER/) });
  });

  it('ConvTranspose SAME_* with in·stride > natural size: ORT clamps the (negative) padding to 0', async () => {
    // natural size (2-1)·3 + 1 = 4; the spec asks for in·stride = 6, i.e. total padding -2
    const c = caseOf({ op: 'ConvTranspose', attrs: { auto_pad: 'SAME_UPPER', strides: [3] }, inputs: { X: iota([1, 1, 2]), W: { shape: [1, 1, 1], data: [1] } } });
    expect(evaluate(c)).toEqual({ shape: [1, 1, 6], data: Float64Array.from([0, 1, 0, 0, 2, 0]) });
    const got = await oracle.run(c);
    expect(got).toMatchObject({ kind: 'value', shape: [1, 1, 4] });
    if (got.kind === 'value') expect(Array.from(got.data)).toEqual([1, 0, 0, 2]);
  });

  it('ConvTranspose output_shape above the natural size: ORT extends at the end only, or refuses', async () => {
    // natural size (2-1)·3 + 2 = 5; output_shape 7 gives total padding -2, split [-1, -1] by the spec's formula
    const inputs = { X: iota([1, 1, 2]), W: iota([1, 1, 2]) };
    const c7 = caseOf({ op: 'ConvTranspose', attrs: { strides: [3], output_shape: [7] }, inputs });
    expect(evaluate(c7)).toEqual({ shape: [1, 1, 7], data: Float64Array.from([0, 1, 2, 0, 2, 4, 0]) });
    const got7 = await oracle.run(c7);
    expect(got7).toMatchObject({ kind: 'value', shape: [1, 1, 7] });
    if (got7.kind === 'value') expect(Array.from(got7.data)).toEqual([1, 2, 0, 2, 4, 0, 0]);
    // with SAME_UPPER and output_shape 6 (total -1) the reference agrees with onnx's ReferenceEvaluator: pads [-1, 0]
    const cu = caseOf({ op: 'ConvTranspose', attrs: { strides: [3], output_shape: [6], auto_pad: 'SAME_UPPER' }, inputs });
    expect(evaluate(cu)).toEqual({ shape: [1, 1, 6], data: Float64Array.from([0, 1, 2, 0, 2, 4]) });
    const gotU = await oracle.run(cu);
    expect(gotU).toMatchObject({ kind: 'value', shape: [1, 1, 6] });
    if (gotU.kind === 'value') expect(Array.from(gotU.data)).toEqual([1, 2, 0, 2, 4, 0]);
    // output_shape 8 > natural + stride - 1: ORT refuses
    const c8 = caseOf({ op: 'ConvTranspose', attrs: { strides: [3], output_shape: [8] }, inputs });
    expect('error' in evaluate(c8)).toBe(false);
    expect(await oracle.run(c8)).toMatchObject({ kind: 'rejected', error: expect.stringMatching(/Explicit output_shape is inconsistent/) });
  });

  it('ConvTranspose output_padding >= stride but < dilation: ORT refuses at run time', async () => {
    const c = caseOf({ op: 'ConvTranspose', attrs: { dilations: [2], output_padding: [1] }, inputs: { X: iota([1, 1, 3]), W: iota([1, 1, 3]) } });
    const ref = evaluate(c);
    expect('shape' in ref && ref.shape).toEqual([1, 1, 8]);
    expect(await oracle.run(c)).toMatchObject({ kind: 'rejected', error: expect.stringMatching(/output_padding \(1\) may be too large for stride \(1\)/) });
  });
});

describe('ort model and session cache (in process)', () => {
  let backend: OrtBackend;
  beforeAll(async () => {
    backend = await create({ maxSessions: 3 });
  });
  afterAll(async () => {
    await backend.dispose();
  });

  it('builds an opset-22 model with symbolic dims and only the attributes given', () => {
    const m = decodeModel(buildModel({ op: 'ConvTranspose', dtype: 'float32', rankX: 4, rankW: 4, rankB: 1, attrs: { strides: [2, 1], auto_pad: 'SAME_LOWER', group: 1, pads: null } }));
    expect(m['opsetImport']).toEqual([{ domain: '', version: 22 }]);
    expect(m['irVersion']).toBe(10);
    const g = m['graph'] as { node: Array<{ opType: string; input: string[]; attribute: Array<Record<string, unknown>> }>; input: Array<{ name: string; type: { tensorType: { elemType: number; shape: { dim: Array<Record<string, unknown>> } } } }> };
    expect(g.node).toHaveLength(1);
    expect(g.node[0]!.opType).toBe('ConvTranspose');
    expect(g.node[0]!.input).toEqual(['X', 'W', 'B']);
    expect(g.node[0]!.attribute.map((a) => [a['name'], a['type']])).toEqual([
      ['auto_pad', 3], // STRING
      ['group', 2], // INT
      ['strides', 7], // INTS
    ]);
    expect(g.input.map((i) => i.type.tensorType.shape.dim.map((d) => d['dimParam']))).toEqual([['x0', 'x1', 'x2', 'x3'], ['w0', 'w1', 'w2', 'w3'], ['b0']]);
    expect(g.input.every((i) => i.type.tensorType.elemType === 1)).toBe(true);
    expect(g.input.flatMap((i) => i.type.tensorType.shape.dim).some((d) => 'dimValue' in d)).toBe(false);
  });

  it('keys sessions by op, dtype, ranks, bias and attributes, not by attribute order', () => {
    const base = { op: 'Conv', dtype: 'float32', rankX: 4, rankW: 4 } as const;
    expect(modelKey({ ...base, attrs: { strides: [1, 2], group: 1 } })).toBe(modelKey({ ...base, attrs: { group: 1, strides: [1, 2] } }));
    expect(modelKey({ ...base, attrs: { pads: null } })).toBe(modelKey({ ...base, attrs: {} }));
    expect(modelKey({ ...base, attrs: {} })).not.toBe(modelKey({ ...base, rankB: 1, attrs: {} }));
    expect(modelKey({ ...base, attrs: {} })).not.toBe(modelKey({ ...base, attrs: { group: 1 } }));
  });

  it('50 cases of varying shapes with the same attributes share one session', async () => {
    const before = backend.stats().sessionsCreated;
    for (let i = 0; i < 50; i++) {
      const op = 'ConvTranspose';
      const C = 2 + (i % 3) * 2;
      const X = [1 + (i % 2), C, 2 + (i % 4), 3 + (i % 5)];
      const W = [C, 1 + (i % 3), 1 + (i % 3), 2 + (i % 2)];
      const c = caseOf({ op, attrs: { strides: [2, 1], group: 2 }, inputs: { X: t(X, i), W: t(W, i + 7) } });
      const got = await backend.run(c);
      const ref = evaluate(c) as { shape: number[]; data: Float64Array };
      expect(got.shape).toEqual(ref.shape);
      expect(vals(got.data)).toEqual(vals(ref.data));
    }
    expect(backend.stats().sessionsCreated - before).toBe(1);
  });

  it('concurrent calls on a new key create one session', async () => {
    const before = backend.stats().sessionsCreated;
    const calls = Array.from({ length: 10 }, (_, i) => caseOf({ op: 'Conv', attrs: { dilations: [2] }, inputs: { X: t([1, 1, 6 + i], i), W: t([2, 1, 2], i) } }));
    const outs = await Promise.all(calls.map((c) => backend.run(c)));
    outs.forEach((o, i) => {
      const ref = evaluate(calls[i]!) as { shape: number[]; data: Float64Array };
      expect([o.shape, vals(o.data)]).toEqual([ref.shape, vals(ref.data)]);
    });
    expect(backend.stats().sessionsCreated - before).toBe(1);
  });

  it('the cache is bounded (LRU) and evicted sessions are recreated on demand', async () => {
    const run = (s: number) => backend.run(caseOf({ op: 'Conv', attrs: { strides: [s] }, inputs: { X: t([1, 1, 9], s), W: t([1, 1, 2], s) } }));
    for (const s of [1, 2, 3, 4, 5]) await run(s);
    const st = backend.stats();
    expect(st.cached).toBe(3);
    expect(st.evictions).toBeGreaterThanOrEqual(2);
    const created = st.sessionsCreated;
    await run(5); // most recent: a hit
    expect(backend.stats().sessionsCreated).toBe(created);
    await run(1); // evicted: recreated
    expect(backend.stats().sessionsCreated).toBe(created + 1);
  });
});
