/**
 * `convcheck translate` and `convcheck diagnose` as a user runs them: the built CLI
 * (dist/src/cli/main.js) spawned with node. The build is redone first only when dist is older
 * than the sources these commands use (`npm test` builds anyway).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate, parseCase, type CaseJson } from '../src/case/case.js';
import { swapAxes } from '../src/core/tensor.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = `${ROOT}dist/src/cli/main.js`;
const SEED_FILE = `${ROOT}test/cases/seed.jsonl`;
const TF = `${SEED_FILE}#seed-tf-conv1d_transpose`;
const TF_OUT = [5, -5, 8, -8, 11, -11, 4, -4, 5, -5];

function newestSource(): number {
  const dirs = ['src/cli', 'src/diagnose', 'src/translate', 'src/case', 'src/conventions', 'src/core'];
  return Math.max(...dirs.flatMap((d) => readdirSync(`${ROOT}${d}`).filter((f) => f.endsWith('.ts')).map((f) => statSync(`${ROOT}${d}/${f}`).mtimeMs)));
}

beforeAll(() => {
  const built = ['cli/main.js', 'cli/translate.js', 'cli/diagnose.js', 'diagnose/index.js'].map((f) => `${ROOT}dist/src/${f}`);
  if (built.every(existsSync) && Math.min(...built.map((f) => statSync(f).mtimeMs)) >= newestSource()) return;
  const r = spawnSync('npm', ['run', 'build', '--silent'], { encoding: 'utf8', cwd: ROOT });
  expect(r.status, `npm run build failed:\n${r.stdout}${r.stderr}`).toBe(0);
}, 120_000);

function cli(args: string[], input?: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', cwd: ROOT, ...(input !== undefined ? { input } : {}) });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const evalLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { id: string; shape: number[]; data: number[] });

describe('convcheck translate', () => {
  it('the seed TF call to JAX: Python with the width flip and the in/out exchange (WIO with a transposed kernel, or WOI without)', () => {
    const r = cli(['translate', TF, '--to', 'jax']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('tf.nn.conv1d_transpose (seed-tf-conv1d_transpose) -> jax.lax.conv_general_dilated');
    expect(r.stdout).toContain('flip axis 0 (W)');
    expect(r.stdout).toContain('transpose (W, O, I) -> (W, I, O): axes (0, 2, 1)');
    expect(r.stdout).toContain('declare the kernel "WOI"');
    expect(r.stdout).toContain('recipe: none');
    const python = r.stdout.slice(r.stdout.indexOf('As Python:'));
    expect(python).toContain('from jax import lax');
    expect(python).toContain('# flip axis 0 (W)');
    expect(python).toContain("dimension_numbers=('NWC', 'WIO', 'NWC')");
    expect(python).toMatch(/y = np\.asarray\(lax\.conv_general_dilated\(lhs=x, rhs=w, /);
  });

  it('--json is a case: piped through `convcheck eval` it gives TF\'s numbers; declaring WOI instead of transposing gives them too', () => {
    const r = cli(['translate', TF, '--to', 'jax', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const c = JSON.parse(r.stdout) as CaseJson;
    expect(c.framework).toBe('jax');
    const e = cli(['eval', '-'], r.stdout);
    expect(e.status, e.stderr).toBe(0);
    expect(evalLines(e.stdout)).toEqual([{ id: 'seed-tf-conv1d_transpose -> jax', shape: [1, 5, 2], data: TF_OUT }]);
    // The "equivalently" line: undo the I/O transpose of rhs and declare WOI.
    const rhs = c.inputs['rhs']!;
    const back = swapAxes({ shape: rhs.shape, data: Float64Array.from(rhs.data, Number) }, 1, 2);
    const woi: CaseJson = { ...c, attrs: { ...c.attrs, dimension_numbers: ['NWC', 'WOI', 'NWC'] }, inputs: { ...c.inputs, rhs: { shape: [...back.shape], data: Array.from(back.data) } } };
    const o = evaluate(parseCase(woi, 'woi'));
    expect('data' in o && Array.from(o.data)).toEqual(TF_OUT);
    // ... and that kernel is the user's filters[::-1] (seed-jax-flip-woi).
    const flipWoi = readFileSync(SEED_FILE, 'utf8').split('\n').find((l) => l.includes('seed-jax-flip-woi'))!;
    expect(woi.inputs['rhs']!.data).toEqual((JSON.parse(flipWoi) as CaseJson).inputs['rhs']!.data);
  });

  it('to onnx and torch: channels-first cases whose eval output is TF\'s numbers transposed; onnx prints the node', () => {
    for (const to of ['onnx', 'torch']) {
      const r = cli(['translate', TF, '--to', to, '--json']);
      expect(r.status, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as CaseJson).note).toContain('"transposeOutput":[0,2,1]');
      const [line] = evalLines(cli(['eval', '-'], r.stdout).stdout);
      expect(line!.shape).toEqual([1, 2, 5]);
      expect(line!.data).toEqual([5, 8, 11, 4, 5, -5, -8, -11, -4, -5]);
    }
    const text = cli(['translate', TF, '--to', 'onnx']).stdout;
    expect(text).toContain("helper.make_node('ConvTranspose', inputs=['X', 'W'], outputs=['Y'], kernel_shape=[3], strides=[1], dilations=[1], pads=[1, 1])");
  });

  it('a call the target cannot express: exit 1, naming the feature', () => {
    const c = {
      framework: 'jax',
      op: 'conv_general_dilated',
      attrs: { window_strides: [1], padding: 'VALID', batch_group_count: 2, dimension_numbers: ['NWC', 'WIO', 'NWC'] },
      inputs: { lhs: { shape: [2, 3, 1], data: [1, 2, 3, 4, 5, 6] }, rhs: { shape: [2, 1, 2], data: [1, 2, 3, 4] } },
    };
    const r = cli(['translate', '-', '--to', 'torch'], JSON.stringify(c));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('not expressible in torch (feature: batch_group_count)');
    expect(r.stdout).toBe('');
  });

  it('malformed input, an unknown target or several cases: exit 2', () => {
    expect(cli(['translate', '-', '--to', 'jax'], '{"framework": "tf"').status).toBe(2);
    const unknownAttr = cli(['translate', '-', '--to', 'jax'], JSON.stringify({ framework: 'tf', op: 'conv1d', attrs: { strides: 1 }, inputs: {} }));
    expect(unknownAttr.status).toBe(2);
    expect(unknownAttr.stderr).toContain('attrs.strides');
    expect(cli(['translate', TF, '--to', 'mxnet']).status).toBe(2);
    const several = cli(['translate', SEED_FILE, '--to', 'jax']);
    expect(several.status).toBe(2);
    expect(several.stderr).toContain('expected one case, found 5');
  });
});

describe('convcheck diagnose', () => {
  it('the seed: both mistakes, the corrected call (which `convcheck eval` computes to TF\'s numbers), the proof with its seed', () => {
    const r = cli(['diagnose', TF, `${SEED_FILE}#seed-jax-as-asked`, '--seed', '5']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('2 convention mistakes in B explain the difference: reverse-kernel-1, swap-io');
    expect(r.stdout).toContain('np.rot90 applied twice');
    expect(r.stdout).toContain('dimension_numbers=("NWC", "WOI", "NWC")');
    expect(r.stdout).toContain('on 20 random inputs (fast-check fc.sample, seed 5; integers in [-4, 4]): 20 of 20 agree exactly');
    const lines = r.stdout.split('\n');
    const corrected = lines[lines.findIndex((l) => l.startsWith('Corrected B')) + 1]!;
    const e = cli(['eval', '-'], corrected);
    expect(evalLines(e.stdout)[0]!.data).toEqual(TF_OUT);
  });

  it('--observed, --json, and the exit codes', () => {
    const obs = JSON.stringify({ id: 'jax', shape: [1, 5, 2], data: [0, 0, 0, 0, 0, 0, 10, 10, 0, 10] });
    const r = cli(['diagnose', TF, '--observed', '-', '--json', '--seed', '3'], obs);
    expect(r.status, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as { verdict: string; explanation: { mistakes: Array<{ kind: string }> } };
    expect(d.verdict).toBe('explained');
    expect(d.explanation.mistakes.map((m) => m.kind).sort()).toEqual(['channel-reversal', 'in-out-swap']);
    expect(cli(['diagnose', TF, `${SEED_FILE}#seed-jax-flip-woi`]).status).toBe(0);
    expect(cli(['diagnose', TF]).status).toBe(2);
    expect(cli(['diagnose', TF, `${SEED_FILE}#no-such-id`]).status).toBe(2);
  });
});

describe('convcheck translate: input sizes, shape-only cases, --emit', () => {
  const tfSame = JSON.stringify({ id: 'tf-same', framework: 'tf', op: 'conv2d', attrs: { strides: 2, padding: 'SAME' }, inputs: { filters: { shape: [3, 3, 3, 8] } } });
  const onnxLower = JSON.stringify({ framework: 'onnx', op: 'Conv', attrs: { auto_pad: 'SAME_LOWER', strides: [2, 2] }, inputs: { W: { shape: [4, 2, 4, 3] } } });

  it('a shape-only case (the kernel shape, no input): translated at a chosen size, and said to hold for that size only', () => {
    const r = cli(['translate', '-', '--to', 'torch'], tfSame);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('THIS INPUT SIZE ONLY: this translation holds for input size [8,8] only');
    expect(r.stdout).toContain('convcheck translate - --to torch --emit function');
    expect(r.stdout).toContain('A shape-only case: filters, input had no data');
    // No inline arrays: the module converts the weights in code.
    expect(r.stdout).toContain('def convert_weights(w):');
    expect(r.stdout).not.toContain('np.array([');
  });

  it("fixed padding in a form chosen for this size (torch padding=1, stride 2 on 7x7 is TF 'SAME' there): this size only", () => {
    const c = { framework: 'torch', op: 'conv2d', attrs: { stride: 2, padding: 1 }, inputs: { input: { shape: [1, 3, 7, 7] }, weight: { shape: [4, 3, 3, 3] } } };
    const tf = cli(['translate', '-', '--to', 'tf'], JSON.stringify(c));
    expect(tf.status, tf.stderr).toBe(0);
    expect(tf.stdout).toContain('padding = "SAME"');
    expect(tf.stdout).toContain('THIS INPUT SIZE ONLY: the attributes above are right for input size [7,7]; at [8,8]');
    const onnx = cli(['translate', '-', '--to', 'onnx'], JSON.stringify(c));
    expect(onnx.stdout).toContain('input size: every input size: the same attributes hold at every input size');
  });

  it('--emit function: a module with convert_weights, source_pads from x.shape and forward; the target\'s own SAME_LOWER where exact', () => {
    const torch = cli(['translate', '-', '--to', 'torch', '--emit', 'function'], onnxLower);
    expect(torch.status, torch.stderr).toBe(0);
    expect(torch.stdout).toContain('def convert_weights(w):');
    expect(torch.stdout).toContain('def source_pads(n):');
    expect(torch.stdout).toContain('_same_pads(n[0], 4, 2, lower=True), _same_pads(n[1], 3, 2, lower=True)');
    expect(torch.stdout).toContain('def forward(x, w, b=None):');
    const jax = cli(['translate', '-', '--to', 'jax', '--emit', 'function'], onnxLower);
    expect(jax.stdout).toContain("padding='SAME_LOWER'");
    expect(jax.stdout).not.toContain('source_pads');
  });

  it('--emit layer: the torch module; no Keras layer when the padding depends on the input size (exit 1, pointing to --emit function)', () => {
    const convT = JSON.stringify({ framework: 'torch', op: 'conv_transpose2d', attrs: { stride: 2, padding: 1 }, inputs: { weight: { shape: [3, 2, 4, 4] } } });
    const torch = cli(['translate', '-', '--to', 'torch', '--emit', 'layer'], convT);
    expect(torch.status, torch.stderr).toBe(0);
    expect(torch.stdout).toContain('nn.ConvTranspose2d(wt.shape[0], wt.shape[1] * 1, tuple(wt.shape[2:]), stride=(2, 2), padding=(1, 1), output_padding=(0, 0)');
    const keras = cli(['translate', '-', '--to', 'tf', '--emit', 'layer'], onnxLower);
    expect(keras.status).toBe(1);
    expect(keras.stderr).toContain('not expressible in tf (feature: padding)');
    expect(keras.stderr).toContain('Use --emit function');
  });

  it('bad --emit, --emit with --json, and a shape-only input of the wrong rank: exit 2', () => {
    expect(cli(['translate', '-', '--to', 'torch', '--emit', 'graph'], tfSame).stderr).toContain('--emit must be function or layer');
    expect(cli(['translate', '-', '--to', 'torch', '--emit', 'function', '--json'], tfSame).status).toBe(2);
    const bad = JSON.stringify({ framework: 'tf', op: 'conv2d', inputs: { filters: { shape: [3, 3, 3, 8] }, input: { rank: 5 } } });
    const r = cli(['translate', '-', '--to', 'torch'], bad);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('inputs.input.rank: must be 4 for a kernel of rank 4, got 5');
  });
});
