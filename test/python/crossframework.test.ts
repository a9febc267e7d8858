/**
 * The cross-framework property (properties/crossframework.ts) on the real frameworks: torch, JAX
 * and TensorFlow (Eigen kernels, the same on every CPU) started as `convcheck run` starts them
 * (registry entries, oracle hosts, the process protocol client, bridge/convcheck_bridge.py),
 * combined into one implementation so that one convolution runs in all three.
 *
 * 1. The seed case and the calls the porting issue names, each expressed in every framework
 *    through translate, must give the reference's answer in every one of them (integer data:
 *    exact). The flipped-kernel arm is here: the seed's TF conv1d_transpose runs as JAX
 *    conv_general_dilated and JAX conv_transpose (both transpose_kernel forms) in real JAX.
 * 2. Random canonical convolutions (fixed seed): the property runs in all three frameworks.
 *    A disagreement there is reported (console.warn) as a possible runtime finding, after checking
 *    that it is not convcheck's own: the reference, run on the translated call, must still give
 *    the source's answer. The test fails on convcheck's faults and on a broken oracle, and
 *    never claims the frameworks have no bugs beyond a list.
 *
 * Needs `npm run setup` (.venv) and a build (`npx tsc -p .`): the oracle hosts run from dist/.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { combine, crossFrameworkProperty, expressions, backToSource } from '../../properties/crossframework.js';
import { runReference, type Implementation } from '../../properties/implementation.js';
import { compareTo } from '../../properties/tolerance.js';
import { parseCase, type CaseJson } from '../../src/case/case.js';
import { openImplementation, type Opened } from '../../src/runner/implementations.js';
import { PYTHON_REQUIRED } from './bridge.js';

const seedCases = readFileSync(new URL('../cases/seed.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as CaseJson);
const strip = (c: CaseJson): CaseJson => ({ id: c.id, framework: c.framework, op: c.op, attrs: c.attrs, inputs: c.inputs });
const iota = (shape: number[], from = 1) => ({ shape, data: Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => ((i + from) % 7) - 3) });

/** The calls named in the porting issue's Done-when, plus the seed. */
const NAMED: CaseJson[] = [
  strip(seedCases.find((c) => c.id === 'seed-tf-conv1d_transpose')!),
  ...[5, 6, 7, 8, 9].flatMap((L) =>
    [3, 4].map((k): CaseJson => ({ id: `tf-same-s2-k${k}-L${L}`, framework: 'tf', op: 'conv1d', attrs: { stride: 2, padding: 'SAME' }, inputs: { input: iota([1, L, 2]), filters: iota([k, 2, 3], 2) } })),
  ),
  { id: 'torch-convtranspose2d-k4-s2-p1', framework: 'torch', op: 'conv_transpose2d', attrs: { stride: 2, padding: 1 }, inputs: { input: iota([1, 2, 3, 4]), weight: iota([2, 3, 4, 4], 3) } },
  { id: 'onnx-same-lower-s2', framework: 'onnx', op: 'Conv', attrs: { auto_pad: 'SAME_LOWER', strides: [2, 2], kernel_shape: [3, 2] }, inputs: { X: iota([1, 2, 6, 5]), W: iota([3, 2, 3, 2], 4) } },
];

const MEMBERS = ['torch', 'jax', 'tf-eigen'];

describe.skipIf(!PYTHON_REQUIRED)('cross-framework on the real frameworks (torch, jax, tf-eigen)', () => {
  const opened: Opened[] = [];
  let python: Implementation;
  /** Expressions run per framework, to show each real framework took part. */
  const ran: Record<string, number> = {};

  beforeAll(async () => {
    for (const name of MEMBERS) {
      const o = await openImplementation(name, 120_000);
      opened.push(o);
      if (!o.impl) throw new Error(`${name} is UNAVAILABLE although .venv exists: ${o.unavailable}`);
    }
    const members = opened.map((o) => o.impl!).map(
      (m): Implementation => ({
        ...m,
        run: (call) => {
          ran[m.name] = (ran[m.name] ?? 0) + 1;
          return m.run(call);
        },
      }),
    );
    python = combine('torch+jax+tf-eigen', members);
  }, 300_000);
  afterAll(async () => {
    for (const o of opened) await o.close();
  }, 60_000);

  it('the seed and the named calls: every expression in every framework gives the reference answer', { timeout: 600_000 }, async () => {
    for (const c of NAMED) {
      const labels = expressions(python, c).map((e) => e.label);
      // Each is expressed in all three frameworks (the source too, when it is one of theirs).
      for (const fw of ['torch', 'jax', 'tf']) expect(labels.some((l) => l.startsWith(`${fw}.`)), `${c.id}: ${labels.join(', ')}`).toBe(true);
      if (c.id === 'seed-tf-conv1d_transpose') {
        expect(labels).toEqual(expect.arrayContaining(['jax.conv_general_dilated', 'jax.conv_transpose, transpose_kernel', 'jax.conv_transpose']));
      }
      const v = await crossFrameworkProperty.check(python, c);
      expect(v, `${c.id}: ${v.status === 'fail' ? v.message : ''}`).toEqual({ status: 'pass' });
    }
    for (const name of MEMBERS) expect(ran[name], name).toBeGreaterThan(0);
  });

  it('random canonical convolutions run in all three; a disagreement is the framework\'s, never a translation\'s', { timeout: 600_000 }, async () => {
    const before = { ...ran };
    const arb = crossFrameworkProperty.arbitrary(python, { float64: true })!;
    const inputs = fc.sample(arb, { numRuns: Number(process.env['CONVCHECK_CROSS_RUNS'] ?? 12), seed: 20261129 });
    for (const c of inputs) {
      const v = await crossFrameworkProperty.check(python, c);
      if (v.status !== 'fail') continue;
      expect(v.message, 'an oracle broke (crash, timeout or protocol)').not.toMatch(/failed on/);
      // The reference, run on what the framework ran and mapped back, must give the source's answer.
      const failing = v.cases[0]!;
      const e = expressions(python, c).find((x) => x.case === failing || JSON.stringify(x.case) === JSON.stringify(failing));
      const ref = runReference(parseCase(c, 'source'));
      const again = runReference(parseCase(failing, 'ran'));
      if (ref.kind !== 'value' || again.kind !== 'value') throw new Error(`the reference rejects a case the property ran: ${JSON.stringify(failing)}`);
      const back = e?.translation ? backToSource(e.translation, { shape: again.shape, data: again.data }) : { shape: again.shape, data: again.data };
      const same = compareTo({ shape: ref.shape, data: ref.data }, back, new Float64Array(ref.data.length));
      expect(same.ok, `translate is wrong for ${JSON.stringify(failing)}: ${same.message ?? ''}`).toBe(true);
      console.warn(`cross-framework: a real framework disagrees (a runtime finding to check by hand): ${v.message}\n${v.cases.map((x) => JSON.stringify(x)).join('\n')}`);
    }
    for (const name of MEMBERS) expect((ran[name] ?? 0) - (before[name] ?? 0), `${name} ran expressions of the random cases`).toBeGreaterThan(0);
  });
});
