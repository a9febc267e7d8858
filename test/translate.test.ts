/**
 * Translation between conventions, checked on the reference: for random cases of every op and
 * every target framework, translate() either says NotExpressible (naming the feature) or gives a
 * call that — input padded, output cropped as its recipe says, bias added — computes exactly the
 * source's output (integer data: every sum is exact). Outputs are compared in canonical
 * [N, S..., C] order through each side's own lowering. The structured plan (kernel ops, input and
 * output permutations) is replayed on the data too, so the printed steps are what was done.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCase, type CaseJson } from '../src/case/case.js';
import { FRAMEWORKS, lower, type Framework } from '../src/conventions/index.js';
import { execute, type Lowering } from '../src/conventions/lowering.js';
import { reshape, transpose, type Tensor } from '../src/core/tensor.js';
import { caseArb, GENERATORS } from '../src/generators/cases.js';
import { applyKernelOps, applyRecipe, cropOutput, NotExpressible, toPython, translate, type Translation } from '../src/translate/index.js';

const SEED = Number(process.env['CONVCHECK_SEED'] ?? 20261127);
const RUNS = Number(process.env['CONVCHECK_RUNS'] ?? 100);

const KERNEL: Record<Framework, string> = { tf: 'filters', jax: 'rhs', onnx: 'W', torch: 'weight' };
const INPUT: Record<Framework, string> = { tf: 'input', jax: 'lhs', onnx: 'X', torch: 'input' };

const decode = (t: { shape: number[]; data: Array<number | string> }): Tensor => ({ shape: t.shape, data: Float64Array.from(t.data, Number) });

/** Output of a lowered call in canonical [N, S..., C] order (batch restored for unbatched torch). */
function canonical(l: Lowering, out: Tensor): Tensor {
  return transpose(l.unbatched ? reshape(out, [1, ...out.shape]) : out, l.layout.out);
}

function addBias(y: Tensor, b: Tensor, axis: number): Tensor {
  const inner = y.shape.slice(axis + 1).reduce((a, x) => a * x, 1);
  const n = y.shape[axis]!;
  return { shape: y.shape, data: Float64Array.from(y.data, (v, i) => v + b.data[Math.floor(i / inner) % n]!) };
}

/** The translated call, run as the translation says: pad, call, crop, bias. Native layout of the target. */
function runTranslation(t: Translation): { low: Lowering; out: Tensor } {
  const low = lower(parseCase(applyRecipe(t), 'translated'));
  let out = cropOutput(execute(low), t.recipe);
  if (t.bias) out = addBias(out, decode(t.bias), t.plan.biasAxis!);
  return { low, out };
}

function expectSame(got: Tensor, want: Tensor, what: string): void {
  expect(got.shape, what).toEqual(want.shape);
  const bad = Array.from(want.data).findIndex((v, i) => v !== got.data[i]);
  expect(bad, `${what}: first difference at flat index ${bad}`).toBe(-1);
}

/** Everything a translation claims, checked against the source. */
function verify(c: CaseJson, t: Translation): void {
  const src = lower(parseCase(c, 'source'));
  const want = execute(src);
  const { low, out } = runTranslation(t);
  expectSame(canonical(low, out), canonical(src, want), `${t.source.framework}.${t.source.op} -> ${t.case.framework}.${t.case.op} (canonical)`);
  // The plan, replayed: input permutation, kernel ops, output permutation.
  const x = transpose(src.lhs, t.plan.inputPerm);
  const xT = decode(t.case.inputs[INPUT[t.case.framework]]!);
  expectSame(xT.shape.length === x.shape.length ? xT : reshape(xT, x.shape), x, 'input plan');
  const kernel = decode(c.inputs[c.framework === 'tf' && c.op === 'depthwise_conv2d' ? 'filter' : KERNEL[c.framework]]!);
  expectSame(applyKernelOps(kernel, t.plan.kernel), decode(t.case.inputs[KERNEL[t.case.framework]]!), 'kernel plan');
  expect(t.kernelSteps.length).toBe(t.plan.kernel.length);
  expect(out.shape.length === t.plan.outputShape.length || t.plan.outputShape.length > 0).toBe(true);
  const batched = out.shape.length === src.layout.out.length ? out : reshape(out, [1, ...out.shape]);
  expect(t.plan.dropBatch).toBe(src.unbatched === true && !low.unbatched);
  expectSame(transpose(batched, t.plan.outputPerm), src.unbatched ? reshape(want, [1, ...want.shape]) : want, 'output plan');
}

/** Features a NotExpressible may name; anything else is a surprise worth a look. */
const FEATURES = /batch_group_count|groups|feature_group_count|lhs_dilation|window_strides|spatial rank|padding|output size/;

type Tally = { ok: number; recipe: number; not: number; why: Record<string, number> };
const tally = new Map<string, Tally>();
const key = (fw: Framework, op: string, to: Framework) => `${fw}.${op} -> ${to}`;
function count(k: string, f: (t: Tally) => void): void {
  if (!tally.has(k)) tally.set(k, { ok: 0, recipe: 0, not: 0, why: {} });
  f(tally.get(k)!);
}

const SOURCES = (Object.entries(GENERATORS) as Array<[Framework, Record<string, unknown>]>).flatMap(([fw, ops]) => Object.keys(ops).map((op) => [fw, op] as const));

describe(`translate: random cases of every op into every framework (seed ${SEED}, ${RUNS} runs)`, () => {
  for (const [fw, op] of SOURCES) {
    it(`${fw}.${op} -> ${FRAMEWORKS.join(', ')}`, () => {
      fc.assert(
        fc.property(caseArb(fw, op, { intShare: 1 }), (c) => {
          for (const to of FRAMEWORKS) {
            let t: Translation;
            try {
              t = translate(c, to);
            } catch (e) {
              if (!(e instanceof NotExpressible)) throw e;
              expect(e.message).toContain(e.feature);
              expect(e.message, e.message).toMatch(FEATURES);
              count(key(fw, op, to), (x) => {
                x.not++;
                x.why[e.feature] = (x.why[e.feature] ?? 0) + 1;
              });
              continue;
            }
            verify(c, t);
            count(key(fw, op, to), (x) => (t.recipe ? x.recipe++ : x.ok++));
          }
        }),
        { seed: SEED, numRuns: RUNS },
      );
    });
  }

  it('expresses what each target can express', () => {
    const share = (fw: Framework, op: string, to: Framework) => {
      const t = tally.get(key(fw, op, to))!;
      return (t.ok + t.recipe) / (t.ok + t.recipe + t.not);
    };
    for (const [fw, op] of SOURCES) {
      // JAX's conv_general_dilated is the canonical op: everything translates.
      expect(share(fw, op, 'jax'), `${fw}.${op} -> jax`).toBe(1);
      // Without batch groups and strided lhs dilation (JAX only) ONNX and torch express
      // everything the generators make (with recipes); TF lacks only grouped transposes and Conv3D groups.
      if (fw !== 'jax') {
        expect(share(fw, op, 'onnx'), `${fw}.${op} -> onnx`).toBe(1);
        expect(share(fw, op, 'torch'), `${fw}.${op} -> torch`).toBe(1);
        const groupedSource = (fw === 'onnx' || fw === 'torch') && (/transpose/i.test(op) || op === 'conv3d' || op === 'Conv');
        if (!groupedSource) expect(share(fw, op, 'tf'), `${fw}.${op} -> tf`).toBe(1);
        else expect(share(fw, op, 'tf'), `${fw}.${op} -> tf`).toBeGreaterThan(0.2);
      } else {
        for (const to of ['tf', 'onnx', 'torch'] as const) expect(share(fw, op, to), `${fw}.${op} -> ${to}`).toBeGreaterThan(0.4);
      }
      // Every source translates to itself without a recipe, except ONNX ConvTranspose forms that
      // onnxruntime computes differently from the spec (negative total padding, output_padding >= stride).
      const self = tally.get(key(fw, op, fw))!;
      expect(self.not, `${fw}.${op} -> ${fw}`).toBe(0);
      if (op !== 'ConvTranspose') expect(self.recipe, `${fw}.${op} -> ${fw}`).toBe(0);
    }
  });

  afterAll(() => {
    if (!process.env['CONVCHECK_TRANSLATE_REPORT']) return;
    const rows = [...tally.entries()].map(([k, t]) => `${k.padEnd(36)} direct ${String(t.ok).padStart(3)}  recipe ${String(t.recipe).padStart(3)}  not ${String(t.not).padStart(3)}  ${JSON.stringify(t.why)}`);
    console.log(rows.join('\n'));
  });
});

describe('the seed case (shared/docs/seed-case.md)', () => {
  const seed = JSON.parse(readFileSync(new URL('./cases/seed.jsonl', import.meta.url), 'utf8').split('\n')[0]!) as CaseJson;

  it('TF conv1d_transpose -> JAX: flip the width axis only, swap in/out; equals TF', () => {
    const t = translate(seed, 'jax');
    expect(t.case.op).toBe('conv_general_dilated');
    const flips = t.kernelSteps.filter((s) => s.startsWith('flip'));
    expect(flips).toEqual(['flip axis 0 (W)']);
    expect(t.kernelSteps).toContain('transpose (W, O, I) -> (W, I, O): axes (0, 2, 1)');
    expect(t.plan.kernel).toEqual([
      { kind: 'flip', axes: [0] },
      { kind: 'transpose', perm: [0, 2, 1] },
    ]);
    expect(t.case.attrs).toMatchObject({ padding: 'SAME', dimension_numbers: ['NWC', 'WIO', 'NWC'] });
    const { out } = runTranslation(t);
    expect(Array.from(out.data)).toEqual([5, -5, 8, -8, 11, -11, 4, -4, 5, -5]);
    // The mistake in the question: rot90 twice also reverses a channel axis.
    expect(t.kernelSteps.join(' ')).not.toMatch(/flip axes/);
  });

  it('TF conv1d_transpose -> JAX conv_transpose(transpose_kernel=True): the kernel as it is', () => {
    const t = translate(seed, 'jax', { op: 'conv_transpose' });
    expect(t.kernelSteps).toEqual([]);
    expect(t.case.attrs).toMatchObject({ padding: 'SAME', transpose_kernel: true, dimension_numbers: ['NWC', 'WIO', 'NWC'] });
    expect(Array.from(runTranslation(t).out.data)).toEqual([5, -5, 8, -8, 11, -11, 4, -4, 5, -5]);
  });

  it('python for every target names the call and its keyword arguments', () => {
    expect(toPython(translate(seed, 'jax'))).toContain("lax.conv_general_dilated(lhs=x, rhs=w, window_strides=(1,), padding='SAME'");
    expect(toPython(translate(seed, 'tf'))).toContain("tf.nn.conv1d_transpose(input=x, filters=w, output_shape=[1, 5, 2], strides=1, padding='SAME'");
    expect(toPython(translate(seed, 'torch'))).toContain('F.conv_transpose1d(input=torch.from_numpy(x), weight=torch.from_numpy(w), stride=(1,), padding=(1,)');
    expect(toPython(translate(seed, 'onnx'))).toContain("helper.make_node('ConvTranspose', inputs=['X', 'W'], outputs=['Y'], kernel_shape=[3], strides=[1], dilations=[1], pads=[1, 1])");
  });
});

describe('recipes and parameter rules, by hand', () => {
  const t1 = (shape: number[], data: number[]) => ({ shape, data });
  const ramp = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

  it('TF SAME with an odd total pad in torch: pad the input by (0, 1), then padding=1', () => {
    // k = 4, s = 2, in = 5: out 3, SAME pads total (3-1)·2 + 4 - 5 = 3: (1, 2). torch pads
    // symmetrically, and refuses padding='same' for a strided conv.
    const c: CaseJson = { framework: 'tf', op: 'conv1d', attrs: { stride: 2, padding: 'SAME' }, inputs: { input: t1([1, 5, 1], ramp(5)), filters: t1([4, 1, 1], [1, -2, 3, 5]) } };
    const t = translate(c, 'torch');
    expect(t.case.attrs).toMatchObject({ stride: [2], padding: [1] });
    expect(t.recipe).toEqual({ pad: [{ axis: 2, lo: 0, hi: 1 }] });
    expect(t.notes.join(' ')).toMatch(/pad the input by \[0, 1\]/);
    verify(c, t);
    expect(t.inputSteps).toEqual(['transpose input NWC -> NCW: axes (0, 2, 1)', 'pad input axis 2 (W): nothing at the start, add 1 zero at the end']);
    // At stride 1 torch's own 'same' splits k_eff - 1 = 3 the same way: the reverse direction is direct.
    const back = translate({ framework: 'torch', op: 'conv1d', attrs: { padding: 'same' }, inputs: { input: t1([1, 1, 5], ramp(5)), weight: t1([1, 1, 4], [1, 2, 3, 4]) } }, 'tf');
    expect(back.case.attrs).toMatchObject({ padding: 'SAME' });
    expect(back.recipe).toBeUndefined();
  });

  it('negative pads in ONNX Conv: crop the input first, and say where', () => {
    const c: CaseJson = {
      framework: 'jax',
      op: 'conv_general_dilated',
      attrs: { window_strides: [1], padding: [[-2, 1]], dimension_numbers: ['NWC', 'WIO', 'NWC'] },
      inputs: { lhs: t1([1, 6, 1], ramp(6)), rhs: t1([2, 1, 1], [1, 10]) },
    };
    const t = translate(c, 'onnx');
    expect(t.notes.join(' ')).toContain('ONNX Conv pads must be >= 0; this call crops by 2 at the start of axis 0 (W)');
    expect(t.recipe).toEqual({ pad: [{ axis: 2, lo: -2, hi: 0 }] });
    expect(t.case.attrs).toMatchObject({ pads: [0, 1] });
    expect(t.inputSteps).toContain('transpose input NWC -> NCW: axes (0, 2, 1)');
    verify(c, t);
  });

  it('torch output_padding in ONNX: an end pad where one is left to drop, else output_padding (< stride)', () => {
    // k = 3, s = 2: torch (p, a) has canonical pads (2 - p, 2 - p + a); ONNX (b, e, a) has (2 - b, 2 - e + a).
    const c = (padding: number, outputPadding: number): CaseJson => ({
      framework: 'torch',
      op: 'conv_transpose1d',
      attrs: { stride: 2, padding, output_padding: outputPadding },
      inputs: { input: t1([1, 1, 3], [1, -1, 2]), weight: t1([1, 1, 3], [1, 2, 3]), bias: t1([1], [7]) },
    });
    const t = translate(c(1, 1), 'onnx'); // (1, 2): b = 1, e = 0
    expect(t.case.attrs).toMatchObject({ strides: [2], pads: [1, 0] });
    expect(t.case.attrs).not.toHaveProperty('output_padding');
    expect(t.case.inputs['B']).toEqual(t1([1], [7]));
    expect(t.recipe).toBeUndefined();
    verify(c(1, 1), t);
    const u = translate(c(0, 1), 'onnx'); // (2, 3): e would be -1, so output_padding 1
    expect(u.case.attrs).toMatchObject({ strides: [2], output_padding: [1] });
    expect(u.case.attrs).not.toHaveProperty('pads');
    verify(c(0, 1), u);
  });

  it('TF conv1d_transpose SAME, s=2, k=3, output 4 in torch: no (padding, output_padding) fits; crop one', () => {
    // TF: forward SAME from 4 pads (0, 1), so the canonical pads are (2, 1) and the size is 4.
    // torch gives (2 - p, 2 - p + a) with a < 2: (2, 1) needs a = -1. Take p = 0, a = 0 (size 5), crop the end.
    const c: CaseJson = {
      framework: 'tf',
      op: 'conv1d_transpose',
      attrs: { output_shape: [1, 4, 1], strides: 2, padding: 'SAME' },
      inputs: { input: t1([1, 2, 1], [1, 5]), filters: t1([3, 1, 1], [1, 2, 3]) },
    };
    const t = translate(c, 'torch');
    expect(t.case.attrs).toMatchObject({ stride: [2], padding: [0], output_padding: [0] });
    expect(t.recipe).toEqual({ crop: [{ axis: 2, lo: 0, hi: 1 }] });
    expect(t.plan.outputShape).toEqual([1, 1, 5]);
    expect(t.outputSteps[0]).toBe('crop output axis 2 (W): nothing at the start, remove 1 at the end');
    verify(c, t);
    expect(Array.from(runTranslation(t).out.data)).toEqual([1, 2, 8, 10]);
  });

  it('TF output_shape: torch padding=1, output_padding=1 (k=4) is TF SAME with output_shape 2·in', () => {
    // torch: size (3-1)·2 - 2 + 4 + 1 = 7?  No: output_padding must be < stride, size = 4 + 2 - 2 + 1 = ... see below.
    // in = 3, s = 2, k = 4, p = 1, a = 0: size (3-1)·2 - 2 + 4 = 6 = in·s; canonical pads (2, 2).
    // TF SAME from 6: total (3-1)·2 + 4 - 6 = 2 -> forward (1, 1) -> canonical (2, 6 + 3 - 2 - 5 = 2). Same.
    const c: CaseJson = {
      framework: 'torch',
      op: 'conv_transpose1d',
      attrs: { stride: 2, padding: 1 },
      inputs: { input: t1([1, 1, 3], [1, -1, 2]), weight: t1([1, 1, 4], [1, 2, 3, 4]) },
    };
    const t = translate(c, 'tf');
    expect(t.case.attrs).toMatchObject({ output_shape: [1, 6, 1], strides: 2, padding: 'SAME' });
    expect(t.recipe).toBeUndefined();
    verify(c, t);
  });

  it('grouped ONNX ConvTranspose -> torch keeps W [C, M/g, K] as it is; -> tf is not expressible', () => {
    const c: CaseJson = {
      framework: 'onnx',
      op: 'ConvTranspose',
      attrs: { strides: [2], group: 2 },
      inputs: { X: t1([1, 4, 2], ramp(8)), W: t1([4, 3, 2], ramp(24)) },
    };
    const t = translate(c, 'torch');
    expect(t.kernelSteps).toEqual([]);
    expect(t.case.attrs).toMatchObject({ groups: 2, stride: [2], padding: [0], output_padding: [0] });
    verify(c, t);
    expect(() => translate(c, 'tf')).toThrow(/groups \(2\) have no tf.nn.conv1d_transpose equivalent/);
    // To JAX the groups become feature_group_count of the regrouped, mirrored kernel.
    const j = translate(c, 'jax');
    expect(j.case.attrs).toMatchObject({ feature_group_count: 2, lhs_dilation: [2] });
    expect(j.kernelSteps[0]).toMatch(/^reshape \(C, M, W\) \[4, 3, 2\] -> \(G, I, M, W\) \[2, 2, 3, 2\]/);
    verify(c, j);
  });

  it('batch_group_count has no torch equivalent', () => {
    const c: CaseJson = {
      framework: 'jax',
      op: 'conv_general_dilated',
      attrs: { window_strides: [1], padding: 'VALID', batch_group_count: 2 },
      inputs: { lhs: t1([2, 1, 1], [0, 1]), rhs: t1([2, 1, 1], [7, 9]) },
    };
    expect(() => translate(c, 'torch')).toThrow(NotExpressible);
    expect(() => translate(c, 'torch')).toThrow('batch_group_count (2) has no torch equivalent');
  });

  it('tf depthwise_conv2d -> torch: groups = C, weight [C·M, 1, H, W]', () => {
    const c: CaseJson = {
      framework: 'tf',
      op: 'depthwise_conv2d',
      attrs: { strides: [1, 1, 1, 1], padding: 'VALID' },
      inputs: { input: t1([1, 2, 2, 3], ramp(12)), filter: t1([2, 1, 3, 2], ramp(12)) },
    };
    const t = translate(c, 'torch');
    expect(t.case.attrs).toMatchObject({ groups: 3 });
    expect(t.case.inputs['weight']!.shape).toEqual([6, 1, 2, 1]);
    verify(c, t);
  });
});
