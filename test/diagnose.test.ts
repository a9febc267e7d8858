/**
 * diagnose(): the seed case and the classic convention mix-ups, each found as the smallest set of
 * mistakes, corrected, and proved on random inputs; and a gap nothing explains.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate, parseCase, type CaseJson, type TensorJson } from '../src/case/case.js';
import { CaseError } from '../src/core/errors.js';
import { transpose } from '../src/core/tensor.js';
import { diagnose, formatDiagnosis, type Diagnosis } from '../src/diagnose/index.js';

const SEED = 20260101;
const seed: CaseJson[] = readFileSync(new URL('./cases/seed.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as CaseJson);
const byId = (id: string) => seed.find((c) => c.id === id)!;
const TF = byId('seed-tf-conv1d_transpose');
const TF_OUT = [5, -5, 8, -8, 11, -11, 4, -4, 5, -5];

/** Small deterministic integers in [-4, 4]. */
const ints = (n: number, s: number) => Array.from({ length: n }, (_, i) => ((i * 7 + s * 13) % 9) - 4);
const t = (shape: number[], data: number[]): TensorJson => ({ shape, data });
const moved = (x: TensorJson, perm: number[]): TensorJson => {
  const r = transpose({ shape: x.shape, data: Float64Array.from(x.data, Number) }, perm);
  return { shape: [...r.shape], data: Array.from(r.data) };
};
const out = (c: CaseJson) => {
  const o = evaluate(parseCase(c, 'test'));
  if ('error' in o) throw new Error(o.error);
  return { shape: o.shape, data: Array.from(o.data) };
};

/** What every explained diagnosis must satisfy: the corrected call was proved on random inputs. */
function explained(d: Diagnosis, ids: string[]): void {
  expect(d.verdict, d.summary).toBe('explained');
  expect(d.explanation!.mistakes.map((m) => m.id)).toEqual(ids);
  const p = d.explanation!.proof;
  expect(p.givenInputs).toBe(true);
  expect(p.trials).toBe(20);
  expect(p.passed).toBe(20);
  expect(p.seed).toBe(SEED);
  expect(d.explanation!.python ?? d.explanation!.pythonNote).toBeTruthy();
  expect(formatDiagnosis(d)).toContain(`seed ${SEED}`);
}

describe('diagnose: the seed case', () => {
  it('TF conv1d_transpose vs the JAX call as asked: a channel axis reversed by rot90 twice, and WIO instead of WOI', () => {
    const d = diagnose(TF, byId('seed-jax-as-asked'), { seed: SEED });
    expect(d.difference!.differing).toBe(10);
    explained(d, ['reverse-kernel-1', 'swap-io']);
    const [rev, io] = d.explanation!.mistakes;
    expect(rev!.kind).toBe('channel-reversal');
    expect(rev!.why).toContain('np.rot90 applied twice');
    expect(rev!.why).toMatch(/Axis 1 holds output channels/);
    expect(io!.kind).toBe('in-out-swap');
    expect(io!.fix).toContain('"WOI"');
    // The corrected JAX call: width flipped only, declared WOI — the user's seed-jax-flip-woi — and it equals TF.
    const fixed = d.explanation!.corrected;
    expect(fixed.attrs!['dimension_numbers']).toEqual(['NWC', 'WOI', 'NWC']);
    expect(fixed.inputs['rhs']).toEqual(byId('seed-jax-flip-woi').inputs['rhs']);
    expect(out(fixed)).toEqual({ shape: [1, 5, 2], data: TF_OUT });
    expect(d.explanation!.python).toContain("dimension_numbers=('NWC', 'WOI', 'NWC')");
    expect(d.explanation!.proof.randomized).toEqual(['input: B.lhs = A.input (the same array)', 'kernel: B.rhs = np.flip(A.filters, (0, 1)), as in the given call']);
    expect(d.alternatives).toEqual([]);
  });

  it('rot90 twice with WOI (the user\'s second try): one mistake left, the reversed channel axis', () => {
    const d = diagnose(TF, byId('seed-jax-rot90-woi'), { seed: SEED });
    explained(d, ['reverse-kernel-1']);
    expect(out(d.explanation!.corrected).data).toEqual(TF_OUT);
  });

  it('the width flip with WOI, and lax.conv_transpose(transpose_kernel=True), agree with TF', () => {
    for (const id of ['seed-jax-flip-woi', 'seed-jax-conv_transpose']) {
      const d = diagnose(TF, byId(id), { seed: SEED });
      expect(d.verdict, id).toBe('agree');
      expect(d.summary).toContain('agree exactly');
    }
  });

  it('--observed: the JAX output as printed is TF with the same two mistakes', () => {
    const d = diagnose(TF, { observed: { shape: [1, 5, 2], data: [0, 0, 0, 0, 0, 0, 10, 10, 0, 10] } }, { seed: SEED });
    expect(d.verdict).toBe('explained');
    expect(d.explanation!.mistakes.map((m) => m.kind).sort()).toEqual(['channel-reversal', 'in-out-swap']);
    expect(out(d.explanation!.corrected).data).toEqual([0, 0, 0, 0, 0, 0, 10, 10, 0, 10]);
    expect(d.explanation!.proof.trials).toBe(0);
  });
});

describe('diagnose: classic mix-ups', () => {
  it('NCHW data read as NHWC (TF data_format left at its default)', () => {
    const X = t([1, 3, 3, 3], ints(27, 1));
    const W = t([2, 3, 2, 2], ints(24, 2));
    const a: CaseJson = { id: 'onnx-nchw', framework: 'onnx', op: 'Conv', inputs: { X, W } };
    const b: CaseJson = { id: 'tf-reads-nhwc', framework: 'tf', op: 'conv2d', attrs: { strides: 1, padding: 'VALID' }, inputs: { input: X, filters: moved(W, [2, 3, 1, 0]) } };
    const d = diagnose(a, b, { seed: SEED });
    explained(d, ['layout-data_format']);
    expect(d.explanation!.corrected.attrs!['data_format']).toBe('NCHW');
    expect(d.layoutNote).toContain('NHWC');
  });

  it('NHWC data given to ONNX Conv: B is rejected, and transposing its input is the fix', () => {
    const x = t([1, 4, 4, 3], ints(48, 3));
    const w = t([2, 2, 3, 2], ints(24, 5));
    const a: CaseJson = { framework: 'tf', op: 'conv2d', attrs: { strides: 1, padding: 'VALID' }, inputs: { input: x, filters: w } };
    const b: CaseJson = { framework: 'onnx', op: 'Conv', inputs: { X: x, W: moved(w, [3, 2, 0, 1]) } };
    const d = diagnose(a, b, { seed: SEED });
    expect(d.b.output).toHaveProperty('error');
    explained(d, ['layout-input-channels-last']);
    expect(d.explanation!.mistakes[0]!.fix).toBe('X = X.transpose(0, 3, 1, 2)');
  });

  it('SAME_UPPER vs SAME_LOWER (an even kernel: the odd padding element on the other side)', () => {
    const x = t([1, 1, 5], [1, -2, 3, 0, 2]);
    const w = t([1, 1, 4], [1, 2, -1, 3]);
    const a: CaseJson = { framework: 'onnx', op: 'Conv', attrs: { auto_pad: 'SAME_LOWER' }, inputs: { X: x, W: w } };
    const b: CaseJson = { framework: 'jax', op: 'conv_general_dilated', attrs: { window_strides: [1], padding: 'SAME' }, inputs: { lhs: x, rhs: w } };
    const d = diagnose(a, b, { seed: SEED });
    explained(d, ['pad-same-lower']);
    expect(d.explanation!.corrected.attrs!['padding']).toBe('SAME_LOWER');
    expect(d.explanation!.mistakes[0]!.why).toContain('A pads the input by [[2, 1]], B by [[1, 2]]');
  });

  it('PyTorch padding=1 vs TF SAME at stride 2 (odd total: TF pads [0, 1], PyTorch [1, 1])', () => {
    const x = t([1, 1, 4, 4], ints(16, 3));
    const w = t([1, 1, 3, 3], ints(9, 4));
    const a: CaseJson = { framework: 'torch', op: 'conv2d', attrs: { stride: 2, padding: 1 }, inputs: { input: x, weight: w } };
    const b: CaseJson = { framework: 'tf', op: 'conv2d', attrs: { strides: 2, padding: 'SAME' }, inputs: { input: moved(x, [0, 2, 3, 1]), filters: moved(w, [2, 3, 1, 0]) } };
    const d = diagnose(a, b, { seed: SEED });
    explained(d, ['pad-same-lower']);
    expect(d.explanation!.corrected.attrs!['padding']).toEqual([[0, 0], [1, 0], [1, 0], [0, 0]]);
  });

  it("TF SAME with an even kernel ported to PyTorch as padding=1 (TF pads [1, 2]): padding='same'", () => {
    const x = t([1, 5, 5, 1], ints(25, 5));
    const w = t([4, 4, 1, 1], ints(16, 6));
    const a: CaseJson = { framework: 'tf', op: 'conv2d', attrs: { strides: 1, padding: 'SAME' }, inputs: { input: x, filters: w } };
    const b: CaseJson = { framework: 'torch', op: 'conv2d', attrs: { padding: 1 }, inputs: { input: moved(x, [0, 3, 1, 2]), weight: moved(w, [3, 2, 0, 1]) } };
    const d = diagnose(a, b, { seed: SEED });
    expect(d.difference!.sameShape).toBe(false);
    explained(d, ['pad-same']);
  });

  it('a kernel stored for the other convention: ConvTranspose written as Conv without mirroring the kernel', () => {
    const X = t([1, 2, 3, 3], ints(18, 7));
    const W = t([2, 3, 2, 2], ints(24, 8));
    const a: CaseJson = { framework: 'onnx', op: 'ConvTranspose', inputs: { X, W } };
    const b: CaseJson = { framework: 'onnx', op: 'Conv', attrs: { pads: [1, 1, 1, 1] }, inputs: { X, W: moved(W, [1, 0, 2, 3]) } };
    const d = diagnose(a, b, { seed: SEED });
    explained(d, ['flip-kernel-all']);
    expect(d.explanation!.mistakes[0]!.why).toContain('A mirrors its kernel and B does not');
  });

  it('output_shape parity: TF conv1d_transpose with output_shape one short of the PyTorch output', () => {
    const x = t([1, 1, 3], [1, -2, 3]);
    const w = t([1, 1, 4], [1, 2, -1, 3]);
    const a: CaseJson = { framework: 'torch', op: 'conv_transpose1d', attrs: { stride: 2, padding: 1 }, inputs: { input: x, weight: w } };
    const b: CaseJson = {
      framework: 'tf',
      op: 'conv1d_transpose',
      attrs: { output_shape: [1, 5, 1], strides: 2, padding: 'SAME' },
      inputs: { input: t([1, 3, 1], x.data as number[]), filters: t([4, 1, 1], w.data as number[]) },
    };
    const d = diagnose(a, b, { seed: SEED });
    expect(d.difference!.sameShape).toBe(false);
    explained(d, ['output_shape[1]+1']);
    expect(d.explanation!.corrected.attrs!['output_shape']).toEqual([1, 6, 1]);
  });

  it('output_padding parity: ONNX ConvTranspose without the output_padding PyTorch used', () => {
    const x = t([1, 1, 3], [2, -1, 3]);
    const w = t([1, 1, 3], [1, -2, 4]);
    const a: CaseJson = { framework: 'torch', op: 'conv_transpose1d', attrs: { stride: 2, padding: 1, output_padding: 1 }, inputs: { input: x, weight: w } };
    const b: CaseJson = { framework: 'onnx', op: 'ConvTranspose', attrs: { strides: [2], pads: [1, 1] }, inputs: { X: x, W: w } };
    const d = diagnose(a, b, { seed: SEED });
    explained(d, ['output_padding[0]+1']);
  });

  it('transpose_kernel forgotten in lax.conv_transpose', () => {
    const b: CaseJson = { ...byId('seed-jax-conv_transpose'), id: 'jax-no-transpose_kernel', attrs: { ...byId('seed-jax-conv_transpose').attrs, transpose_kernel: false } };
    const d = diagnose(TF, b, { seed: SEED });
    explained(d, ['transpose-kernel']);
    expect(out(d.explanation!.corrected).data).toEqual(TF_OUT);
  });

  it('nothing explains it: a wrong weight is not a convention mistake', () => {
    const good = byId('seed-jax-flip-woi');
    const rhs = { ...good.inputs['rhs']!, data: [...good.inputs['rhs']!.data.slice(0, 11), 2] };
    const d = diagnose(TF, { ...good, id: 'jax-wrong-weight', inputs: { ...good.inputs, rhs } }, { seed: SEED });
    expect(d.verdict).toBe('unexplained');
    expect(d.explanation).toBeUndefined();
    expect(d.difference!.differing).toBe(4);
    expect(d.difference!.maxAbsDiff).toBe(15);
    expect(d.difference!.first[0]).toEqual({ index: [0, 0, 1], a: -5, b: 1 });
    const text = formatDiagnosis(d);
    expect(text).toContain('No set of up to 3 convention mistakes explains the difference');
    expect(text).toContain('First differences: [0, 0, 1] A -5, B 1');
    expect(text).toContain('max |A - B| = 15 at [0, 3, 1]');
    // Searched both ways, then pointed to translate.
    expect(d.reverseSearch!.setsTried).toBeGreaterThan(0);
    expect(text).toMatch(/The other way round, \d+ sets of mistakes in A tried: /);
    expect(text).toContain("For the right call: the right jax call is `convcheck translate A.json --to jax`.");
  });

  it('a malformed case is an error naming the field, not a diagnosis', () => {
    const bad = { ...TF, inputs: { ...TF.inputs, filters: { shape: [3, 2, 2], data: [1, 2] } } };
    expect(() => diagnose(TF, bad, { seed: SEED })).toThrow(CaseError);
    expect(() => diagnose(TF, bad, { seed: SEED })).toThrow(/inputs\.filters\.data/);
  });
});

/**
 * Issue 11: the same mistake is found whichever call is A. Where B's framework has no single
 * call that undoes the mistake (torch cannot crop a transposed conv's output unevenly), it is
 * found the other way round: A with the mistake computes B's output.
 */
describe('diagnose: both orders', () => {
  const nchwToNhwc = [0, 2, 3, 1];
  const oihwToHwio = [2, 3, 1, 0];
  /** A pair, in both orders: the explanation found, proved on 20 random inputs, and its corrected call checked. */
  function bothOrders(a: CaseJson, b: CaseJson, forward: string[], backward: string[]): Diagnosis[] {
    return [
      [a, b, forward],
      [b, a, backward],
    ].map(([x, y, ids]) => {
      const d = diagnose(x as CaseJson, y as CaseJson, { seed: SEED, aSpec: 'a.json' });
      explained(d, ids as string[]);
      const ex = d.explanation!;
      // Inverse: A with the mistakes computes B's output; else corrected B computes A's (in its own layout).
      const got = out(ex.corrected);
      const want = out((ex.inverse ? y : x) as CaseJson);
      expect(got.data.length).toBe(want.data.length);
      return d;
    });
  }

  const x8 = t([1, 1, 8, 8], ints(64, 3));
  const w3 = t([2, 1, 3, 3], ints(18, 4));
  const torchS2 = { id: 'torch-p1-s2', framework: 'torch', op: 'conv2d', attrs: { stride: 2, padding: 1 }, inputs: { input: x8, weight: w3 } } as CaseJson;
  const tfSame = { id: 'tf-same-s2', framework: 'tf', op: 'conv2d', attrs: { strides: 2, padding: 'SAME' }, inputs: { input: moved(x8, nchwToNhwc), filters: moved(w3, oihwToHwio) } } as CaseJson;

  it('TF conv2d SAME stride 2 vs torch padding=1 stride 2 on an even input (TF pads [0, 1], torch [1, 1])', () => {
    const [ab, ba] = bothOrders(tfSame, torchS2, ['pad-one-side-end'], ['pad-same-lower']);
    // The torch fix is the explicit one-sided pad a torch user must write.
    expect(ab!.explanation!.mistakes[0]!.fix).toBe('input = F.pad(input, [0, 2, 0, 2]) (last axis first), then padding=0');
    expect(ab!.alternatives.map((s) => s.map((m) => m.id))).toContainEqual(['same-for-this-size']);
    expect(ba!.explanation!.inverse).toBeUndefined();
  });

  it('TF conv2d_transpose SAME vs torch conv_transpose2d padding=1, output_padding=1 (k3 s2): found the other way round with torch as B', () => {
    const x = t([1, 2, 4, 4], ints(32, 5));
    const w = t([2, 1, 3, 3], ints(18, 6));
    const torchT = { id: 'torch-t', framework: 'torch', op: 'conv_transpose2d', attrs: { stride: 2, padding: 1, output_padding: 1 }, inputs: { input: x, weight: w } } as CaseJson;
    const tfT = {
      id: 'tf-t',
      framework: 'tf',
      op: 'conv2d_transpose',
      attrs: { output_shape: [1, 8, 8, 1], strides: 2, padding: 'SAME' },
      inputs: { input: moved(x, nchwToNhwc), filters: moved(w, oihwToHwio) },
    } as CaseJson;
    const [ab, ba] = bothOrders(tfT, torchT, ['pad-same-lower'], ['pad-same-lower']);
    expect(ab!.explanation!.inverse).toBe(true);
    expect(ab!.summary).toContain('the other way round');
    expect(ab!.summary).toContain('`convcheck translate a.json --to torch`');
    expect(ab!.alternatives.map((s) => s.map((m) => m.id))).toContainEqual(['output-padding-for-same']);
    // A changed so computes exactly B's output, in A's layout.
    const fromA = out(ab!.explanation!.corrected);
    expect(moved({ shape: fromA.shape, data: fromA.data }, [0, 3, 1, 2]).data).toEqual(out(torchT).data);
    expect(ab!.explanation!.proof.randomized[0]).toBe("input: A.input = B.input.transpose(0, 2, 3, 1), as in the given call");
    expect(formatDiagnosis(ab!)).toContain("A changed so, which computes B's output");
    expect(ba!.explanation!.inverse).toBeUndefined();
  });

  it('a dilation ignored: torch dilation=2 vs ONNX Conv without dilations', () => {
    const x = t([1, 1, 9, 9], ints(81, 2));
    const torchD = { id: 'torch-d2', framework: 'torch', op: 'conv2d', attrs: { dilation: 2, padding: 2 }, inputs: { input: x, weight: w3 } } as CaseJson;
    const onnxNoD = { id: 'onnx-no-d', framework: 'onnx', op: 'Conv', attrs: { pads: [2, 2, 2, 2] }, inputs: { X: x, W: w3 } } as CaseJson;
    const [ab, ba] = bothOrders(torchD, onnxNoD, ['dilation-as-A'], ['dilation-ignored']);
    expect(ab!.explanation!.corrected.attrs!['dilations']).toEqual([2, 2]);
    expect(out(ab!.explanation!.corrected)).toEqual(out(torchD));
    expect(ba!.explanation!.corrected.attrs!['dilation']).toBeUndefined();
  });

  it('padding on one side only: ONNX pads [2, 0] vs torch padding=1 (k3, stride 1)', () => {
    const x = t([1, 1, 7], [1, -2, 3, 0, 2, -1, 4]);
    const w = t([1, 1, 3], [1, 2, -3]);
    const onnx = { id: 'onnx-start', framework: 'onnx', op: 'Conv', attrs: { pads: [2, 0] }, inputs: { X: x, W: w } } as CaseJson;
    const torch = { id: 'torch-p1', framework: 'torch', op: 'conv1d', attrs: { padding: 1 }, inputs: { input: x, weight: w } } as CaseJson;
    const [ab, ba] = bothOrders(onnx, torch, ['pad-one-side-start'], ['pad-one-side-start']);
    expect(out(ab!.explanation!.corrected).data).toEqual(out(onnx).data);
    expect(ba!.explanation!.inverse).toBe(true);
    expect(out(ba!.explanation!.corrected).data).toEqual(out(onnx).data);
  });

  it("'SAME' computed for another input size: ONNX pads [1, 1] (SAME for 7) vs TF SAME on 8 at stride 2", () => {
    const onnx = { id: 'onnx-same7', framework: 'onnx', op: 'Conv', attrs: { strides: [2, 2], pads: [1, 1, 1, 1] }, inputs: { X: x8, W: w3 } } as CaseJson;
    const [ab, ba] = bothOrders(tfSame, onnx, ['pad-one-side-end'], ['pad-same-lower']);
    expect(ab!.alternatives.map((s) => s.map((m) => m.id))).toContainEqual(['same-for-this-size']);
    expect(ab!.alternatives.flat().find((m) => m.id === 'same-for-this-size')!.fix).toBe('pads=[0, 0, 1, 1]');
    expect(ba!.alternatives.map((s) => s.map((m) => m.id))).toContainEqual(['same-for-size-n-1']);
  });
});

describe('diagnose --observed: implementations that ignored dilation or padded one side only', () => {
  const x = t([1, 9, 9, 1], ints(81, 3));
  const w = t([3, 3, 1, 2], ints(18, 4));
  const jaxNhwc = (attrs: Record<string, unknown>, rhs: TensorJson): CaseJson => ({
    framework: 'jax',
    op: 'conv_general_dilated',
    attrs: { dimension_numbers: ['NHWC', 'HWIO', 'NHWC'], ...attrs },
    inputs: { lhs: x, rhs },
  });

  it('TF conv2d SAME dilations=2, observed from an implementation that ignored the dilation', () => {
    const a: CaseJson = { id: 'tf-dil', framework: 'tf', op: 'conv2d', attrs: { strides: 1, padding: 'SAME', dilations: 2 }, inputs: { input: x, filters: w } };
    // The observed output: the same call with the dilation left out, written independently in JAX.
    const observed = out(jaxNhwc({ window_strides: [1, 1], padding: 'SAME' }, w));
    const d = diagnose(a, { observed }, { seed: SEED });
    expect(d.verdict, d.summary).toBe('explained');
    expect(d.explanation!.mistakes.map((m) => m.id)).toEqual(['dilation-ignored']);
    expect(out(d.explanation!.corrected)).toEqual(observed);
  });

  for (const [side, pads] of [
    ['start', [3, 0]],
    ['end', [0, 3]],
  ] as const) {
    it(`TF conv2d SAME stride 2, k4 on 9x9 (pads [1, 2]), observed with all 3 padding elements at the ${side}`, () => {
      const k4 = t([4, 4, 1, 2], ints(32, 5));
      const a: CaseJson = { id: 'tf-s2', framework: 'tf', op: 'conv2d', attrs: { strides: 2, padding: 'SAME' }, inputs: { input: x, filters: k4 } };
      const observed = out(jaxNhwc({ window_strides: [2, 2], padding: [pads, pads] }, k4));
      const d = diagnose(a, { observed }, { seed: SEED });
      expect(d.verdict, d.summary).toBe('explained');
      expect(d.explanation!.mistakes.map((m) => m.id)).toEqual([`pad-one-side-${side}`]);
      expect(out(d.explanation!.corrected)).toEqual(observed);
    });
  }

  it('nothing explains it: the search is listed and translate is pointed to', () => {
    const a: CaseJson = { framework: 'onnx', op: 'Conv', attrs: { auto_pad: 'SAME_UPPER', strides: [2] }, inputs: { X: t([1, 1, 9], [1, 2, 3, -1, 0, 2, 1, -2, 3]), W: t([1, 1, 4], [1, -2, 3, 1]) } };
    const d = diagnose(a, { observed: { shape: [1, 1, 5], data: [1, 2, 3, 4, 5] } }, { seed: SEED, aSpec: 'a.json' });
    expect(d.verdict).toBe('unexplained');
    const text = formatDiagnosis(d);
    expect(text).toContain('A: pad-one-side-start');
    expect(text).toContain('`convcheck translate a.json --to FW`');
  });
});
