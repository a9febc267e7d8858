/**
 * The Python bridge (bridge/convcheck_bridge.py) driven directly over its protocol: the hello,
 * batching, every answer kind, the attribute tables against src/conventions, and each framework's
 * answers on hand-built cases (test/python/cases.ts) against the float64 reference within the
 * tolerance model, in every dtype the framework computes. This is the check that the bridge maps
 * each attribute of the case format to the framework's own argument.
 *
 * The frameworks come from `.venv/` (npm run setup). Where it exists (CI, and any machine that ran
 * the set-up) every framework must be live; without it the framework tests are skipped and say so.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCase, type CaseJson } from '../../src/case/case.js';
import { lower, reference, SIGNATURES } from '../../src/conventions/index.js';
import { execute } from '../../src/conventions/lowering.js';
import { ConvError } from '../../src/core/errors.js';
import { compareTo } from '../../properties/tolerance.js';
import { Bridge, BRIDGE, PYTHON_REQUIRED, pythonPath, type Answer } from './bridge.js';
import { JAX_CASES, TF_CASES, TORCH_CASES } from './cases.js';


type DType = 'float16' | 'bfloat16' | 'float32' | 'float64';
/** Unit roundoff and smallest normal of each dtype (properties/tolerance.ts's model, for every dtype). */
const U: Record<DType, number> = { float16: 2 ** -11, bfloat16: 2 ** -8, float32: 2 ** -24, float64: 2 ** -53 };
const TINY: Record<DType, number> = { float16: 2 ** -14, bfloat16: 2 ** -126, float32: 2 ** -126, float64: 2 ** -1022 };

/** The tolerance model's bound, for any dtype: (K+2)·u·m/(1−K·u) + (2K+2)·η₀, m = reference on |x|, |w|, |b|. */
function bound(c: CaseJson, dtype: DType): Float64Array {
  const abs = { ...c, inputs: Object.fromEntries(Object.entries(c.inputs).map(([k, t]) => [k, { shape: t.shape, data: t.data.map((v) => Math.abs(Number(v))) }])) };
  const l = lower(parseCase(abs, 'abs'));
  const K = l.rhs.data.length / Math.max(1, l.rhs.shape[l.layout.rhs[l.layout.rhs.length - 1]!]!);
  const u = U[dtype];
  return execute(l).data.map((m) => (m * (K + 2) * u) / (1 - K * u) + (2 * K + 2) * TINY[dtype]);
}

/** The bridge's answer must be the reference's: the same value within the bound, or a rejection when the reference rejects. */
function expectLikeReference(c: CaseJson, dtype: DType, a: Answer): void {
  let want;
  try {
    want = reference(parseCase(c, c.id!));
  } catch (e) {
    if (!(e instanceof ConvError)) throw e;
    expect(a, `${c.id}: the reference rejects it (${e.message}), so must the framework`).toHaveProperty('error');
    expect((a as { error: string }).error).not.toMatch(/^bridge:/);
    return;
  }
  if (!('shape' in a)) throw new Error(`${c.id} (${dtype}): expected a value, got ${JSON.stringify(a)}`);
  const cmp = compareTo(want, { shape: a.shape, data: Float64Array.from(a.data, Number) }, bound(c, dtype));
  expect(cmp.ok, `${c.id} (${dtype}): ${cmp.message ?? `element ${cmp.worstIndex} is ${cmp.actual}, reference ${cmp.expected}`}`).toBe(true);
}

describe('bridge --signatures', () => {
  it('accepts exactly the ops, inputs and attributes of the case format (src/conventions)', () => {
    const out = JSON.parse(execFileSync(pythonPath(), [BRIDGE, '--signatures'], { encoding: 'utf8' })) as Record<string, Record<string, { inputs: string[]; optional: string[]; attrs: string[] }>>;
    for (const fw of ['tf', 'jax', 'torch'] as const) {
      const want = Object.fromEntries(Object.entries(SIGNATURES[fw]).map(([op, s]) => [op, { inputs: [...s.inputs], optional: [...s.optionalInputs], attrs: [...s.attrs].sort() }]));
      const got = Object.fromEntries(Object.entries(out[fw]!).map(([op, s]) => [op, { ...s, attrs: [...s.attrs].sort() }]));
      expect(got, fw).toEqual(want);
    }
  });

  it('refuses bad command lines with a usage error, not a stack trace', () => {
    for (const args of [[], ['--framework', 'mxnet'], ['--framework', 'torch', '--onednn', 'off'], ['--framework', 'tf-eigen', '--onednn', 'on']]) {
      let err = '';
      try {
        execFileSync(pythonPath(), [BRIDGE, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (e) {
        err = String((e as { stderr: string }).stderr);
        expect((e as { status: number }).status, args.join(' ')).toBe(2);
      }
      expect(err, args.join(' ')).toMatch(/usage: .*error:/s);
      expect(err).not.toMatch(/Traceback/);
    }
  });
});

describe('bridge when the framework cannot be imported', () => {
  it('prints the unavailable hello and exits 0', async () => {
    // A module named torch that fails to import, ahead of any real one on the path.
    const dir = mkdtempSync(path.join(tmpdir(), 'convcheck-notorch-'));
    writeFileSync(path.join(dir, 'torch.py'), 'raise ImportError("no torch on this machine")\n');
    const out = execFileSync(pythonPath(), [BRIDGE, '--framework', 'torch'], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: dir }, input: '' });
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(1);
    const hello = JSON.parse(lines[0]!) as { convcheck: number; unavailable: string };
    expect(hello.convcheck).toBe(1);
    expect(hello.unavailable).toMatch(/torch: cannot import .*ImportError: no torch on this machine.*npm run setup/);
  });
});

const FRAMEWORKS: Array<{ name: string; framework: string; cases: CaseJson[]; dtypes: DType[] }> = [
  { name: 'torch', framework: 'torch', cases: TORCH_CASES, dtypes: ['float32', 'float64', 'float16', 'bfloat16'] },
  { name: 'jax', framework: 'jax', cases: JAX_CASES, dtypes: ['float32', 'float64', 'float16', 'bfloat16'] },
  // Eigen kernels: the same on every CPU. (tf with oneDNN is checked below on one plain case only:
  // its kernels depend on the CPU's instruction set, and some of them are wrong; docs/findings-python.md.)
  { name: 'tf-eigen', framework: 'tf', cases: TF_CASES, dtypes: ['float32', 'float64'] },
];

for (const f of FRAMEWORKS) {
  describe.skipIf(!PYTHON_REQUIRED)(`bridge --framework ${f.name}`, () => {
    let b: Bridge;
    beforeAll(async () => {
      b = await Bridge.start(f.name);
    }, 60_000);
    afterAll(async () => {
      if (b) expect(await b.close()).toBe(0);
    }, 60_000);

    it('says hello: live, its framework, ops, dtypes and a window > 1', () => {
      expect(b.hello.unavailable, b.stderr).toBeUndefined();
      expect(b.hello).toMatchObject({ convcheck: 1, name: f.name, framework: f.framework, options: { threads: '1' } });
      expect(b.hello.ops).toEqual(Object.keys(SIGNATURES[f.framework as 'tf']));
      expect(b.hello.capabilities?.dtypes).toEqual(expect.arrayContaining(f.dtypes));
      expect(b.hello.window).toBeGreaterThan(1);
    });

    for (const dtype of f.dtypes) {
      it(`answers every hand-built ${dtype} case as the reference does`, async () => {
        const answers = await Promise.all(f.cases.map((c) => b.send({ ...c, dtype })));
        f.cases.forEach((c, i) => expectLikeReference(c, dtype, answers[i]!));
      });
    }

    it('answers many cases in flight, each to its own id', async () => {
      const many = Array.from({ length: 300 }, (_, i) => f.cases[i % 3]!);
      const answers = await Promise.all(many.map((c) => b.send(c)));
      many.forEach((c, i) => expectLikeReference(c, 'float32', answers[i]!));
    });

    it('carries NaN and infinities both ways', async () => {
      const c = f.cases[0]!;
      const [xName, wName] = Object.keys(c.inputs) as [string, string];
      const x = c.inputs[xName]!;
      const w = c.inputs[wName]!;
      // NaN everywhere in x; then x = +Infinity with |w|: each output is +Infinity, or NaN where a zero tap meets it.
      const variants: CaseJson[] = [
        { ...c, inputs: { ...c.inputs, [xName]: { shape: x.shape, data: x.data.map(() => 'NaN') } } },
        { ...c, inputs: { ...c.inputs, [xName]: { shape: x.shape, data: x.data.map(() => 'Infinity') }, [wName]: { shape: w.shape, data: w.data.map((v) => Math.abs(Number(v))) } } },
      ];
      for (const v of variants) {
        const want = reference(parseCase(v, 'non-finite'));
        expect(Array.from(want.data).some((y) => !Number.isFinite(y)), 'the case reaches a non-finite output').toBe(true);
        expectLikeReference(v, 'float32', await b.send(v));
      }
    });

    it('answers unsupported for other frameworks, ops and dtypes, and a bridge error for malformed cases', async () => {
      const c = f.cases[0]!;
      expect(await b.send({ ...c, framework: 'onnx' })).toHaveProperty('unsupported');
      expect(await b.send({ ...c, op: 'conv4d' })).toHaveProperty('unsupported');
      if (!f.dtypes.includes('float16')) expect(await b.send({ ...c, dtype: 'float16' })).toHaveProperty('unsupported');
      expect(await b.send({ ...c, attrs: { ...c.attrs, bogus: 1 } })).toMatchObject({ error: expect.stringMatching(/^bridge: bad case: .*no attribute 'bogus'/) });
      expect(await b.send({ ...c, dtype: 'int8' })).toMatchObject({ error: expect.stringMatching(/^bridge: bad case: dtype/) });
      expect(await b.send({ ...c, inputs: {} })).toMatchObject({ error: expect.stringMatching(/^bridge: bad case: .*takes inputs/) });
      const key = Object.keys(c.inputs)[0]!;
      expect(await b.send({ ...c, inputs: { ...c.inputs, [key]: { shape: [2], data: [1] } } })).toMatchObject({ error: expect.stringMatching(/needs 2 numbers, data has 1/) });
    });
  });
}

describe.skipIf(!PYTHON_REQUIRED)('bridge --framework tf (oneDNN) and tf-eigen', () => {
  const plain = TF_CASES.find((c) => c.id === 'conv2d-valid-dilated')!;
  // The same call in NCHW: the convention accepts it (the reference computes it), TF's CPU kernels do not have it.
  const x = plain.inputs['input']!;
  const nchw: CaseJson = { ...plain, attrs: { ...plain.attrs, data_format: 'NCHW' }, inputs: { ...plain.inputs, input: { shape: [x.shape[0]!, x.shape[3]!, x.shape[1]!, x.shape[2]!], data: x.data } } };

  for (const [name, onednn] of [['tf', 'on'], ['tf-eigen', 'off']] as const) {
    it(`${name}: oneDNN ${onednn} as TensorFlow itself reports it (versions.onednn); a plain conv2d; NCHW computed right or unsupported`, async () => {
      const b = await Bridge.start(name);
      try {
        expect(b.hello.unavailable, b.stderr).toBeUndefined();
        expect(b.hello).toMatchObject({ name, framework: 'tf', options: { onednn }, versions: { onednn } });
        expectLikeReference(plain, 'float32', await b.send(plain));
        // Which NCHW calls have a CPU kernel depends on the build (oneDNN has float32 NCHW Conv2D,
        // Eigen has none): either way the answer is the reference's or an `unsupported` naming
        // what TF said, never an error counted against the framework.
        expect(reference(parseCase(nchw, 'nchw')).shape).toHaveLength(4);
        for (const dtype of ['float32', 'float64'] as const) {
          const a = await b.send({ ...nchw, dtype });
          if ('unsupported' in a) expect(a.unsupported).toMatch(/CPU kernels lack this call: .*NHWC/);
          else expectLikeReference(nchw, dtype, a);
        }
      } finally {
        await b.close();
      }
    }, 60_000);
  }
});
