/**
 * Generators draw only inside what an implementation declares (issue 9, item 4), and
 * `outsideCapabilities` says why a call is outside it (issue 9: counted as unsupported, never as
 * wrong). Sizes: `--sizes large` reaches spatial extents ≥ 33 and ≥ 17 channels (issue 9, item 5).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outsideCapabilities, type Capabilities, type Feature } from '../properties/capabilities.js';
import { casesFor } from '../properties/generate.js';
import type { Implementation, OpRef } from '../properties/implementation.js';
import { evaluate, parseCase, type CaseJson } from '../src/case/case.js';
import { lower } from '../src/conventions/index.js';
import { GENERATORS } from '../src/generators/cases.js';
import { resolveLimits } from '../src/generators/sizes.js';

const seed = Number(process.env['CONVCHECK_SEED'] ?? 20261129);
const ALL_OPS: OpRef[] = (Object.entries(GENERATORS) as Array<[OpRef[0], object]>).flatMap(([fw, ops]) => Object.keys(ops).map((op) => [fw, op] as const));

function impl(capabilities: Capabilities, ops: readonly OpRef[] = ALL_OPS, float64 = true): Implementation {
  return { name: 'declared', ops, float64, capabilities, run: () => Promise.reject(new Error('not run')) };
}

function sample(i: Implementation, n = 400, gen = {}): CaseJson[] {
  return fc.sample(casesFor(i, { float64: i.float64, ...gen })!, { numRuns: n, seed });
}

/** Spatial extents of a case's input and kernel, in canonical order. */
function extents(c: CaseJson): { input: number[]; kernel: number[]; channels: number[]; elements: number } {
  const l = lower(parseCase(c, 'gen'));
  const r = l.spec.windowStrides.length;
  const lhs = l.layout.lhs.map((ax) => l.lhs.shape[ax]!);
  const rhs = l.layout.rhs.map((ax) => l.rhs.shape[ax]!);
  return { input: lhs.slice(1, r + 1), kernel: rhs.slice(0, r), channels: [lhs[r + 1]!, rhs[r + 1]!], elements: Math.max(l.lhs.data.length, l.rhs.data.length) };
}

const FEATURES: Feature[] = ['groups', 'dilation', 'dilatedTranspose', 'strideWithDilation', 'batchGroups', 'lhsDilation', 'outputPadding', 'explicitPadding', 'samePadding', 'bias', 'negativePadding'];

describe('generators draw inside the declared capabilities', () => {
  it('with nothing declared, the generated cases use every feature (so each test below means something)', () => {
    const used = new Set<string>();
    for (const c of sample(impl({}), 600)) {
      for (const f of FEATURES) if (outsideCapabilities({ lacks: [f] }, parseCase(c, 'gen'))) used.add(f);
    }
    expect([...used].sort()).toEqual([...FEATURES].sort());
  });

  it.each(FEATURES)('lacks %s: no generated case uses it, every case stays valid', (f) => {
    const caps: Capabilities = { lacks: [f] };
    for (const c of sample(impl(caps))) {
      const call = parseCase(c, 'gen');
      expect(outsideCapabilities(caps, call), JSON.stringify(c)).toBeUndefined();
      expect(evaluate(call)).not.toHaveProperty('error');
    }
  });

  it.each<[string, Capabilities, OpRef[]?]>([
    ['ranks [2]', { ranks: [2] }],
    ['batched only', { batchedOnly: true }],
    ['channels-last layouts (tf, jax)', { layouts: ['NWC', 'NHWC', 'NDHWC'] }, ALL_OPS.filter(([fw]) => fw === 'tf' || fw === 'jax')],
    ['channels-first layouts (tf, jax)', { layouts: ['NCW', 'NCHW', 'NCDHW'] }, ALL_OPS.filter(([fw]) => fw === 'tf' || fw === 'jax')],
    ['float64 only', { dtypes: ['float64'] }],
    ['float32 only', { dtypes: ['float32'] }],
    ['at most 4 channels', { maxChannels: 4 }],
    ['kernels up to 2', { maxKernel: 2 }],
    ['all of it at once', { ranks: [1, 2], batchedOnly: true, dtypes: ['float32'], lacks: ['groups', 'dilation', 'bias', 'negativePadding'], maxChannels: 3, maxKernel: 2 }],
  ])('%s', (_, caps, ops) => {
    const cases = sample(impl(caps, ops ?? ALL_OPS));
    for (const c of cases) expect(outsideCapabilities(caps, parseCase(c, 'gen')), JSON.stringify(c)).toBeUndefined();
  });

  it('ranks [3] leaves out the 1-D and 2-D-only ops (a static choice, not a filter)', () => {
    const ops = new Set(sample(impl({ ranks: [3] }), 200).map((c) => `${c.framework} ${c.op}`));
    expect(ops.has('tf conv1d') || ops.has('torch conv2d') || ops.has('tf depthwise_conv2d')).toBe(false);
    expect(ops.has('tf conv3d') && ops.has('onnx Conv')).toBe(true);
  });

  it('maxSpatial bounds every input and kernel extent; outputs beyond it (transposed convs) are counted by outsideCapabilities', () => {
    const caps: Capabilities = { maxSpatial: 4 };
    let outside = 0;
    const cases = sample(impl(caps));
    for (const c of cases) {
      const e = extents(c);
      expect(Math.max(...e.input, ...e.kernel), JSON.stringify(c)).toBeLessThanOrEqual(4);
      if (outsideCapabilities(caps, parseCase(c, 'gen'))) outside++;
    }
    console.log(`maxSpatial 4: ${outside} of ${cases.length} generated cases have an output extent over 4`);
    expect(outside).toBeLessThan(cases.length / 2);
  });

  it('avoid (the registry form) is the same as lacking those features', () => {
    const withAvoid: Implementation = { ...impl({}), avoid: { groups: true, dilatedTranspose: true, strideWithDilation: true } };
    const a = fc.sample(casesFor(withAvoid, {})!, { numRuns: 100, seed });
    const b = fc.sample(casesFor(impl({ lacks: ['groups', 'dilatedTranspose', 'strideWithDilation'] }, ALL_OPS, false), {})!, { numRuns: 100, seed });
    expect(a).toEqual(b);
  });
});

describe('outsideCapabilities', () => {
  const torch = (attrs: object, extra: object = {}, input = [1, 4, 5]): ReturnType<typeof parseCase> =>
    parseCase({ framework: 'torch', op: 'conv1d', attrs, inputs: { input: { shape: input, data: new Array(input.reduce((a, b) => a * b)).fill(1) }, weight: { shape: [4, 2, 3], data: new Array(24).fill(1) }, ...extra } }, 't');

  it('names the rank, batching, layout, dtype, feature or size that is outside', () => {
    const call = torch({ groups: 2, padding: 1 });
    expect(outsideCapabilities({}, call)).toBeUndefined();
    expect(outsideCapabilities({ ranks: [2, 3] }, call)).toBe('spatial rank 1 is not among the declared ranks [2, 3]');
    expect(outsideCapabilities({ layouts: ['NWC'] }, call)).toBe('layout NCW is not among the declared layouts [NWC]');
    expect(outsideCapabilities({ dtypes: ['float64'] }, call)).toBe('dtype float32 is not among the declared dtypes [float64]');
    expect(outsideCapabilities({ lacks: ['groups'] }, call)).toBe('uses groups (2 groups), which it declares it lacks');
    expect(outsideCapabilities({ lacks: ['explicitPadding'] }, call)).toBe('uses explicitPadding (padding 1), which it declares it lacks');
    expect(outsideCapabilities({ maxChannels: 3 }, call)).toBe('4 channels is over the declared maxChannels 3');
    expect(outsideCapabilities({ maxKernel: 2 }, call)).toBe('kernel extent 3 is over the declared maxKernel 2');
    expect(outsideCapabilities({ maxSpatial: 4 }, call)).toBe('spatial extent 5 is over the declared maxSpatial 4');
    expect(outsideCapabilities({ batchedOnly: true }, torch({ groups: 2 }, {}, [4, 5]))).toBe('unbatched input (declared batchedOnly)');
    expect(outsideCapabilities({ lacks: ['bias'] }, torch({ groups: 2 }, { bias: { shape: [4], data: [1, 2, 3, 4] } }))).toBe('uses bias (a bias input), which it declares it lacks');
  });

  it('a call the convention rejects is not a capability question', () => {
    expect(outsideCapabilities({ ranks: [2] }, torch({ groups: 3 }))).toBeUndefined();
  });
});

describe('--sizes', () => {
  const everything = impl({});

  it('small is the default: inputs up to 7 (1-D), 5 (2-D), 3 (3-D), at most 9 channels', () => {
    expect(fc.sample(casesFor(everything, {})!, { numRuns: 50, seed })).toEqual(fc.sample(casesFor(everything, { sizes: 'small' })!, { numRuns: 50, seed }));
    for (const c of sample(everything, 400)) {
      const e = extents(c);
      const caps = [7, 5, 3][e.input.length - 1]!;
      // Forward inputs are at least the padded kernel's extent, so they may pass the cap by the kernel.
      expect(Math.max(...e.input)).toBeLessThanOrEqual(caps + 8);
      expect(Math.max(...e.channels)).toBeLessThanOrEqual(9);
    }
  });

  it('large reaches spatial extents ≥ 33 and ≥ 17 channels, with tensors still of sane size', () => {
    const cases = sample(everything, 600, { sizes: 'large' });
    const stats = cases.map(extents);
    const spatial = Math.max(...stats.flatMap((e) => e.input));
    const channels = Math.max(...stats.flatMap((e) => e.channels));
    const elements = Math.max(...stats.map((e) => e.elements));
    console.log(`--sizes large, ${cases.length} cases: largest spatial extent ${spatial}, channels ${channels}, elements per tensor ${elements}`);
    expect(stats.filter((e) => Math.max(...e.input) >= 33).length).toBeGreaterThan(0);
    expect(stats.filter((e) => Math.max(...e.channels) >= 17).length).toBeGreaterThan(0);
    expect(elements).toBeLessThanOrEqual(300_000);
  });

  it('explicit limits replace the preset (with at most 65,536 positions per tensor at rank 2 and 3)', () => {
    expect(resolveLimits('small', { spatial: 100, channels: 20, kernel: 7 })).toEqual({ spatial: [100, 100, 40], kernel: [7, 7, 7], channels: 20 });
    expect(resolveLimits('large', {}, { spatial: 16, channels: 8 })).toEqual({ spatial: [16, 16, 12], kernel: [9, 5, 3], channels: 8 });
    const cases = sample(everything, 300, { limits: { spatial: 40, channels: 20 } });
    expect(Math.max(...cases.map(extents).flatMap((e) => e.input))).toBeGreaterThanOrEqual(33);
  });
});
