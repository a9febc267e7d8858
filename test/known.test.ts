/**
 * Known findings as data (oracles/known/*.json, schema/known.schema.json): the expression
 * language, the derived quantities, each built-in finding on its minimal case from
 * docs/findings.md (and a near case outside it), machine conditions, bad files, and `--known` for
 * a user's own adapter.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KNOWN, KnownFileError, knownFinding, knownRegistry, parseKnown } from '../oracles/known.js';
import { compile } from '../oracles/known/expr.js';
import { quantities } from '../oracles/known/quantities.js';
import type { CaseJson } from '../src/case/case.js';
import { machine, machineLine, onednnEnabled, type Machine } from '../src/machine.js';
import { buildReport } from '../src/runner/report.js';
import { escapeXmlAttr, renderJunit } from '../src/report/junit.js';
import { validate } from '../src/validate/validate.js';
import example from '../examples/onnx-conv-adapter.mjs';

const root = new URL('..', import.meta.url).pathname;
const t = (shape: number[], data?: number[]) => ({ shape, data: data ?? new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(1) });
const tf = (op: string, attrs: Record<string, unknown>, input: number[], filters: number[], name = 'filters'): CaseJson => ({ framework: 'tf', op, attrs, inputs: { input: t(input), [name]: t(filters) } });
const onnx = (op: string, attrs: Record<string, unknown>, x: number[], w: number[]): CaseJson => ({ framework: 'onnx', op, attrs, inputs: { X: t(x), W: t(w) } });
const onednnOn: Machine = { ...machine(), onednn: true };
const ids = (oracle: string, c: CaseJson, m: Machine = onednnOn) => KNOWN.filter((k) => k.oracles.includes(oracle) && k.appliesOn(m) && k.matches(c)).map((k) => k.id);

describe('region expressions', () => {
  const names = new Set(['a', 'b', 's']);
  it('arithmetic, precedence, functions, logic and strings', () => {
    expect(compile('(a - 1) * s + b - 4 < 0', names)({ a: 1, b: 2, s: 3 })).toBe(true);
    expect(compile('ceil(a / s) == 1 && !(b > 2) || a == 9', names)({ a: 2, b: 2, s: 3 })).toBe(true);
    expect(compile('-a + max(b, 3) * 2 >= 5', names)({ a: 1, b: 0, s: 0 })).toBe(true);
    expect(compile('a == "SAME"', names)({ a: 'SAME' })).toBe(true);
  });
  it('an undefined quantity (NaN) fails every comparison but !=', () => {
    expect(compile('a < 1 || a >= 1 || a == a', names)({ a: NaN })).toBe(false);
    expect(compile('a != 1', names)({ a: NaN })).toBe(true);
  });
  it('unknown names, functions and bad syntax are errors', () => {
    expect(() => compile('x > 1', names)).toThrow(/unknown quantity x/);
    expect(() => compile('sqrt(a) > 1', names)).toThrow(/unknown function sqrt/);
    expect(() => compile('a > ', names)).toThrow(/expected more/);
    expect(() => compile('a > 1 )', names)).toThrow(/after a complete expression/);
    expect(() => compile('a # 1', names)).toThrow(/unexpected/);
  });
});

describe('derived quantities', () => {
  it('a TF SAME conv3d: sizes by hand from the convention', () => {
    // W axis: in 2, kernel 3, stride 2 -> out ceil(2/2) = 1, SAME total padding (1-1)*2 + 3 - 2 = 1
    const q = quantities(tf('conv3d', { strides: [1, 1, 1, 2, 1], padding: 'SAME' }, [1, 1, 1, 2, 1], [1, 1, 3, 1, 1]))!;
    expect(q.scalars).toMatchObject({ op: 'conv3d', rank: 3, batch: 1, inChannels: 1, outChannels: 1, padMode: 'SAME', transposed: false });
    expect(q.axes[2]).toMatchObject({ in: 2, out: 1, forwardOut: 1, k: 3, effK: 3, s: 2 });
  });
  it('an ONNX ConvTranspose: full size and requested size', () => {
    // in 2, stride 3, kernel 1: full (2-1)*3 + 1 = 4; SAME_UPPER asks for 2*3 = 6
    const q = quantities(onnx('ConvTranspose', { auto_pad: 'SAME_UPPER', strides: [3] }, [1, 1, 2], [1, 1, 1]))!;
    expect(q.axes[0]).toMatchObject({ out: 2, full: 4, target: 6, in: 6 });
  });
  it('nothing for frameworks without derived quantities', () => {
    expect(quantities({ framework: 'torch', op: 'conv1d', inputs: { input: t([1, 1, 3]), weight: t([1, 1, 1]) } })).toBeUndefined();
  });
});

describe('built-in findings on their minimal cases (docs/findings.md)', () => {
  const eigen: Machine = { ...onednnOn, onednn: false };
  const cases: Array<[string, string, CaseJson, CaseJson, Machine?]> = [
    ['ort', 'ort-conv-same-dilation', onnx('Conv', { auto_pad: 'SAME_UPPER', dilations: [2] }, [1, 1, 5], [1, 1, 2]), onnx('Conv', { auto_pad: 'SAME_UPPER' }, [1, 1, 5], [1, 1, 2])],
    ['ort', 'ort-convtranspose-negative-total-padding', onnx('ConvTranspose', { auto_pad: 'SAME_UPPER', strides: [3] }, [1, 1, 2], [1, 1, 1]), onnx('ConvTranspose', { auto_pad: 'SAME_UPPER', strides: [1] }, [1, 1, 2], [1, 1, 1])],
    ['ort', 'ort-convtranspose-output-padding-dilation', onnx('ConvTranspose', { dilations: [2], output_padding: [1] }, [1, 1, 3], [1, 1, 3]), onnx('ConvTranspose', { dilations: [2], strides: [2], output_padding: [1] }, [1, 1, 3], [1, 1, 3])],
    ['ort', 'ort-negative-pads-accepted', onnx('Conv', { pads: [-1, 0] }, [1, 1, 3], [1, 1, 1]), onnx('Conv', { pads: [1, 0] }, [1, 1, 3], [1, 1, 1])],
    ['tfjs-cpu', 'tfjs-depthwise-nchw', tf('depthwise_conv2d', { strides: [1, 1, 1, 1], padding: 'VALID', data_format: 'NCHW' }, [1, 2, 1, 1], [1, 1, 2, 1], 'filter'), tf('depthwise_conv2d', { strides: [1, 1, 1, 1], padding: 'VALID' }, [1, 1, 1, 2], [1, 1, 2, 1], 'filter')],
    ['tfjs-cpu', 'tfjs-conv3d-same-negative-pad', tf('conv3d', { strides: [1, 1, 1, 2, 1], padding: 'SAME' }, [1, 1, 1, 2, 1], [1, 1, 1, 1, 1]), tf('conv3d', { strides: [1, 1, 1, 2, 1], padding: 'SAME' }, [1, 1, 1, 2, 1], [1, 1, 3, 1, 1])],
    ['tfjs-wasm', 'tfjs-wasm-same-negative-slack', tf('conv2d', { strides: [1, 1, 3, 1], padding: 'SAME' }, [1, 1, 6, 1], [1, 2, 1, 1]), tf('conv2d', { strides: [1, 1, 2, 1], padding: 'SAME' }, [1, 1, 6, 1], [1, 2, 1, 1])],
    ['tfjs-wasm', 'tfjs-wasm-empty-output', tf('conv2d', { strides: [1, 1, 1, 1], padding: 'VALID' }, [1, 1, 4, 1], [2, 1, 1, 1]), tf('conv2d', { strides: [1, 1, 1, 1], padding: 'SAME' }, [1, 1, 4, 1], [2, 1, 1, 1])],
    ['tfjs-cpu', 'tfjs-valid-negative-size', tf('conv2d', { strides: [1, 2, 2, 1], padding: 'VALID' }, [1, 1, 1, 1], [4, 1, 1, 1]), tf('conv2d', { strides: [1, 1, 1, 1], padding: 'VALID' }, [1, 4, 1, 1], [4, 1, 1, 1])],
    ['tfjs-cpu', 'tfjs-conv3d-valid-kernel-larger', tf('conv3d', { strides: [1, 1, 1, 1, 1], padding: 'VALID' }, [1, 1, 1, 1, 1], [3, 1, 1, 1, 1]), tf('conv3d', { strides: [1, 1, 1, 1, 1], padding: 'VALID' }, [1, 3, 1, 1, 1], [3, 1, 1, 1, 1])],
    ['tfjs-cpu', 'tfjs-transpose-output-shape-unchecked', tf('conv2d_transpose', { output_shape: [1, 2, 1, 1], strides: [1, 1], padding: 'SAME' }, [1, 1, 1, 1], [1, 1, 1, 1]), tf('conv2d_transpose', { output_shape: [1, 1, 1, 1], strides: [1, 1], padding: 'SAME' }, [1, 1, 1, 1], [1, 1, 1, 1])],
    ['tfjs-cpu', 'tfjs-transpose-nonpositive-stride', tf('conv2d_transpose', { output_shape: [1, 1, 1, 1], strides: [0, 1], padding: 'SAME' }, [1, 1, 1, 1], [1, 1, 1, 1]), tf('conv2d_transpose', { output_shape: [1, 1, 1, 1], strides: [1, 1], padding: 'SAME' }, [1, 1, 1, 1], [1, 1, 1, 1])],
    ['tfjs-wasm', 'tfjs-wasm-conv3d-transpose', tf('conv3d_transpose', { output_shape: [1, 2, 1, 1, 1], strides: [1, 1, 1, 1, 1], padding: 'VALID' }, [1, 2, 1, 1, 1], [1, 1, 1, 1, 1]), tf('conv2d_transpose', { output_shape: [1, 2, 1, 1], strides: [1, 1], padding: 'VALID' }, [1, 2, 1, 1], [1, 1, 1, 1])],
    ['tfjs-node', 'tf-onednn-single-channel-backprop-input', tf('conv1d_transpose', { output_shape: [1, 4, 1], strides: 1, padding: 'VALID' }, [1, 3, 1], [2, 1, 1]), tf('conv1d_transpose', { output_shape: [1, 3, 1], strides: 1, padding: 'VALID' }, [1, 3, 1], [1, 1, 1])],
    ['tfjs-node', 'tf-onednn-empty-output', tf('conv2d', { strides: [1, 1, 1, 1], padding: 'VALID' }, [1, 1, 4, 1], [2, 1, 1, 1]), tf('conv2d', { strides: [1, 1, 1, 1], padding: 'VALID' }, [1, 2, 4, 1], [2, 1, 1, 1])],
    ['tfjs-node', 'tf-eigen-conv3d-same-negative-pad', tf('conv3d', { strides: [1, 3, 1, 1, 1], padding: 'SAME' }, [1, 3, 1, 1, 1], [1, 1, 1, 1, 1]), tf('conv3d', { strides: [1, 3, 1, 1, 1], padding: 'SAME' }, [1, 3, 1, 1, 1], [3, 1, 1, 1, 1]), eigen],
    // docs/repros/tf_onednn_strided_one_window.py, case 1, and its two controls (batch 1; two input channels)
    ['tfjs-node', 'tf-onednn-strided-one-window', tf('conv2d', { strides: [1, 1, 2, 1], padding: 'SAME' }, [2, 2, 1, 1], [1, 2, 1, 1]), tf('conv2d', { strides: [1, 1, 2, 1], padding: 'SAME' }, [1, 2, 1, 1], [1, 2, 1, 1])],
    ['tfjs-node', 'tf-onednn-strided-one-window', tf('conv3d', { strides: [1, 1, 1, 2, 1], padding: 'SAME' }, [1, 1, 3, 1, 1], [1, 1, 2, 1, 2]), tf('conv2d', { strides: [1, 1, 2, 1], padding: 'SAME' }, [2, 2, 1, 2], [1, 2, 2, 1])],
    // docs/findings.md (browser oracles): a grouped 3-D Conv; the 2-D one runs
    ['ort-webgpu', 'ort-webgpu-conv3d-groups', onnx('Conv', { group: 2 }, [1, 2, 1, 1, 1], [2, 1, 1, 1, 1]), onnx('Conv', { group: 2 }, [1, 2, 1, 1], [2, 1, 1, 1])],
    // docs/findings-python.md: W axis in 3, kernel 1, stride 3: SAME total (1-1)·3 + 1 - 3 = -2; stride 2 gives 0
    ['tf-eigen', 'tf-eigen-conv3d-same-shift', tf('conv3d', { strides: [1, 1, 1, 3, 1], padding: 'SAME' }, [1, 2, 1, 3, 1], [2, 1, 1, 1, 1]), tf('conv3d', { strides: [1, 1, 1, 2, 1], padding: 'SAME' }, [1, 2, 1, 3, 1], [2, 1, 1, 1, 1])],
    ['tf', 'tf-conv3d-float64-same-negative-pad', { ...tf('conv3d', { strides: [1, 1, 1, 3, 1], padding: 'SAME' }, [1, 2, 1, 3, 1], [2, 1, 1, 1, 1]), dtype: 'float64' }, tf('conv3d', { strides: [1, 1, 1, 3, 1], padding: 'SAME' }, [1, 2, 1, 3, 1], [2, 1, 1, 1, 1])],
    ['tf', 'tf-onednn-conv3d-strided-stale', tf('conv3d', { strides: [1, 1, 1, 2, 1], padding: 'VALID' }, [1, 1, 1, 4, 1], [1, 1, 1, 1, 1]), tf('conv3d', { strides: [1, 1, 1, 1, 1], padding: 'VALID' }, [1, 1, 1, 4, 1], [1, 1, 1, 1, 1])],
  ];
  for (const [oracle, id, inside, outside, m] of cases) {
    it(`${id}: the minimal case is in, a near case is out`, () => {
      expect(ids(oracle, inside, m)).toContain(id);
      expect(ids(oracle, outside, m)).not.toContain(id);
    });
  }
  it('every built-in finding is exercised above', () => {
    expect(new Set(cases.map((c) => c[1]))).toEqual(new Set(KNOWN.map((k) => k.id)));
  });
});

describe('machine conditions', () => {
  it('a oneDNN finding does not apply with TF_ENABLE_ONEDNN_OPTS=0', () => {
    const c = tf('conv2d', { strides: [1, 1, 2, 1], padding: 'SAME' }, [2, 2, 1, 1], [1, 2, 1, 1]);
    expect(knownFinding('tfjs-node', [c], KNOWN, onednnOn)?.id).toBe('tf-onednn-strided-one-window');
    expect(knownFinding('tfjs-node', [c], KNOWN, { ...onednnOn, onednn: false })).toBeUndefined();
    expect(onednnEnabled({ TF_ENABLE_ONEDNN_OPTS: '0' })).toBe(false);
    expect(onednnEnabled({ TF_ENABLE_ONEDNN_OPTS: 'false' })).toBe(false);
    expect(onednnEnabled({})).toBe(true);
  });
  it('ISA flags, CPU, OS and library versions', () => {
    const [k] = parseKnown(
      JSON.stringify({ findings: [{ id: 'x', oracles: ['o'], summary: 's', machine: { isaHas: ['avx512f'], isaLacks: ['amx_tile'], cpu: 'EPYC', libraries: { 'tensorflow-c': '2.21.' } }, region: {} }] }),
      'inline',
    );
    const m: Machine = { cpu: 'AMD EPYC 9B14', isa: ['avx2', 'avx512f'], os: 'linux 6', arch: 'x64', node: 'v20', libraries: { 'tensorflow-c': '2.21.0' }, onednn: true };
    expect(k!.appliesOn(m)).toBe(true);
    expect(k!.appliesOn({ ...m, isa: ['avx2'] })).toBe(false);
    expect(k!.appliesOn({ ...m, isa: ['avx2', 'avx512f', 'amx_tile'] })).toBe(false);
    expect(k!.appliesOn({ ...m, cpu: 'Intel Xeon' })).toBe(false);
    expect(k!.appliesOn({ ...m, libraries: { 'tensorflow-c': '2.20.0' } })).toBe(false);
  });
  it('this machine is fingerprinted', () => {
    const m = machine();
    expect(m.node).toBe(process.version);
    expect(m.cpu.length).toBeGreaterThan(0);
    expect(Array.isArray(m.isa)).toBe(true);
    // every report records it
    const cell = { oracle: 'reference', property: 'differential', status: 'ran' as const, cases: 1, passed: 1, failed: 0, known: 0, unsupported: 0, knownIds: new Set<string>(), failures: [], nondeterministic: 0, ms: 1 };
    const r = buildReport('run', [cell], { seed: 1, shard: '1/1', startedAt: new Date() });
    expect(r.machine).toEqual(m);
    expect(renderJunit(r)).toContain(`<property name="machine" value="${escapeXmlAttr(machineLine(m))}"/>`);
  });
});

describe('bad known-findings files', () => {
  const bad = (text: string) => () => parseKnown(text, 'mine.json');
  it('name the file and what is wrong', () => {
    expect(bad('{')).toThrow(/mine\.json: not JSON/);
    expect(bad('{"findings": [{"id": "x"}]}')).toThrow(/mine\.json: not a known-findings file .*must have required property/);
    expect(bad('{"findings": [{"id": "x", "oracles": ["o"], "summary": "s", "region": {"where": [{"anyAxis": "stride > 1"}]}}]}')).toThrow(/mine\.json: x: "stride > 1": unknown quantity stride/);
    expect(bad('{"findings": [{"id": "x", "oracles": ["o"], "summary": "s", "region": {"where": [{"test": "in > 1"}]}}]}')).toThrow(/unknown quantity in/);
    expect(bad('{"findings": [{"id": "x", "oracles": ["o"], "summary": "s", "region": {"where": [{"attr": "a", "matches": "("}]}}]}')).toThrow(/bad regular expression/);
    expect(() => knownRegistry([join(root, 'nope.json')])).toThrow(KnownFileError);
    const dir = mkdtempSync(join(tmpdir(), 'convcheck-known-'));
    const dup = join(dir, 'dup.json');
    writeFileSync(dup, JSON.stringify({ findings: [{ id: 'ort-conv-same-dilation', oracles: ['ort'], summary: 's', region: {} }] }));
    expect(() => knownRegistry([dup])).toThrow(/already defined in .*ort\.json/);
  });
});

describe('--known for a user adapter', () => {
  // The example adapter with a planted bug of the user's own: grouped convs are off by one.
  const buggy = {
    ...example,
    name: 'my-conv',
    run: async (c: CaseJson) => {
      const out = (await example.run(c)) as { shape: number[]; data: number[] };
      return Number(c.attrs?.['group'] ?? 1) > 1 ? { shape: out.shape, data: Array.from(out.data, (v) => v + 1) } : out;
    },
  };
  const file = join(mkdtempSync(join(tmpdir(), 'convcheck-known-')), 'my-known.json');
  writeFileSync(
    file,
    JSON.stringify({ findings: [{ id: 'my-conv-groups', oracles: ['my-conv'], summary: 'grouped convs are off by one (tracked in our issue 12)', region: { framework: 'onnx', ops: ['Conv'], where: [{ test: 'groups > 1' }] } }] }),
  );
  const opts = { runs: 60, seed: 3, timeBudgetMs: 30_000, properties: ['differential'] };
  it('without it the bug fails validation; with it the bug is known and validation holds', async () => {
    const without = await validate(buggy, opts);
    expect(without.ok).toBe(false);
    const withKnown = await validate(buggy, { ...opts, known: knownRegistry([file]) });
    expect(withKnown.ok).toBe(true);
    expect([...withKnown.cells[0]!.knownIds]).toEqual(['my-conv-groups']);
  }, 60_000);
  it('on the command line, for run, validate and replay', () => {
    const cli = (...args: string[]) => spawnSync(process.execPath, [join(root, 'dist/src/cli/main.js'), ...args], { encoding: 'utf8' });
    const v = cli('validate', '--impl', join(root, 'examples/onnx-conv-adapter.mjs'), '--known', file, '--runs', '5', '--seed', '1', '--properties', 'differential');
    expect(v.status).toBe(0);
    const bad = join(tmpdir(), 'convcheck-no-such-known.json');
    for (const cmd of [['run', '--oracles', 'reference', '--runs', '1', '--no-regressions'], ['replay', join(root, 'regressions/ort')], ['validate', '--impl', join(root, 'examples/onnx-conv-adapter.mjs')]]) {
      const r = cli(...cmd, '--known', bad);
      expect(r.status, cmd[0]).toBe(2);
      expect(r.stderr, cmd[0]).toContain(`convcheck: cannot read known-findings file ${bad}: ENOENT`);
    }
  }, 60_000);
});
