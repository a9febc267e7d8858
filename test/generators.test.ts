/**
 * Generators build valid cases by construction, and reach the corners the brief asks for.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, parseCase } from '../src/case/case.js';
import { lower, type Framework } from '../src/conventions/index.js';
import { caseArb, GENERATORS } from '../src/generators/cases.js';

const seed = Number(process.env['CONVCHECK_SEED'] ?? 20261127);
const ops = (Object.entries(GENERATORS) as Array<[Framework, object]>).flatMap(([fw, o]) => Object.keys(o).map((op) => [fw, op] as const));

describe.each(ops)('generator %s %s', (fw, op) => {
  const samples = fc.sample(caseArb(fw, op, { float64: true }), { numRuns: 150, seed });

  it('every case is accepted by the convention (valid by construction)', () => {
    for (const json of samples) {
      const out = evaluate(parseCase(json, 'gen'));
      if ('error' in out) throw new Error(`${out.error}\n${JSON.stringify(json)}`);
      expect(out.data.length).toBeGreaterThan(0);
    }
  });

  it('reaches kernel < stride, odd total padding, batch > 1 and non-uniform kernels', () => {
    let kernelBelowStride = 0;
    let oddPad = 0;
    let batch = 0;
    let nonUniform = 0;
    for (const json of samples) {
      const l = lower(parseCase(json, 'gen'));
      const r = l.spec.padding.length;
      const kSp = l.layout.rhs.slice(0, r).map((ax) => l.rhs.shape[ax]!);
      // For transposes the stride is the lhs dilation of the lowering.
      const strides = l.spec.windowStrides.map((s, i) => s * l.spec.lhsDilation[i]!);
      if (kSp.some((k, i) => k < strides[i]!)) kernelBelowStride++;
      if (l.spec.padding.some(([lo, hi]) => (lo + hi) % 2 !== 0)) oddPad++;
      if (l.lhs.shape[l.layout.lhs[0]!]! > 1) batch++;
      if (new Set(l.rhs.data).size > 1) nonUniform++;
    }
    expect(kernelBelowStride).toBeGreaterThan(0);
    expect(oddPad).toBeGreaterThan(0);
    expect(batch).toBeGreaterThan(0);
    expect(nonUniform).toBeGreaterThan(samples.length / 2);
  });
});

describe('grouped generators', () => {
  it.each([
    ['onnx', 'Conv'],
    ['onnx', 'ConvTranspose'],
    ['torch', 'conv2d'],
    ['torch', 'conv_transpose1d'],
    ['jax', 'conv_general_dilated'],
  ] as const)('%s %s reaches groups with several output channels per group', (fw, op) => {
    const hits = fc.sample(caseArb(fw, op), { numRuns: 150, seed }).filter((json) => {
      const l = lower(parseCase(json, 'gen'));
      const g = l.spec.featureGroupCount;
      const O = l.rhs.shape[l.layout.rhs[l.layout.rhs.length - 1]!]!;
      return g > 1 && O / g > 1;
    });
    expect(hits.length).toBeGreaterThan(0);
  });
});
