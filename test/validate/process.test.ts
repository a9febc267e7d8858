/**
 * `convcheck validate --cmd` on the example programs (docs/protocol.md): the Python and the C
 * ONNX Conv pass; the Python one with SAME_UPPER and SAME_LOWER swapped fails with a small shrunk
 * case that really shows the swap. The C program is compiled here, into a temporary directory.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluate, parseCase, type CaseJson } from '../../src/case/case.js';
import { openIsolated } from '../../src/validate/isolated.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = `${ROOT}dist/src/cli/main.js`;
const PY = 'python3 examples/onnx_conv.py';

function validateCmd(cmd: string, extra: string[]): { status: number; out: string } {
  const r = spawnSync(process.execPath, [MAIN, 'validate', '--cmd', cmd, '--seed', '5', ...extra], { encoding: 'utf8', cwd: ROOT, timeout: 240_000 });
  return { status: r.status ?? -1, out: `${r.stdout}\n${r.stderr}` };
}

describe('validate --cmd', () => {
  it('the Python example passes every property', () => {
    const r = validateCmd(PY, ['--runs', '40', '--time-budget', '30s']);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/all properties hold for example-python-onnx-conv/);
    expect(r.out).toMatch(/example-python-onnx-conv\s+differential\s+40\s+40\s+0/);
  }, 240_000);

  it('the Python example with SAME_UPPER and SAME_LOWER swapped fails with a small shrunk case that shows the swap (two programs at once)', () => {
    const r = validateCmd(PY, ['--impl-option', 'bug=swap-same', '--properties', 'differential', '--time-budget', '30s', '--hosts', '2']);
    expect(r.status, r.out).toBe(1);
    expect(r.out).toMatch(/FAIL differential: output\[\d+\] = /);
    expect(r.out).toMatch(/replay: convcheck validate --cmd 'python3 examples\/onnx_conv.py' --impl-option bug=swap-same /);
    const line = r.out.split('\n').find((l) => l.startsWith('  case: '))!;
    const c = JSON.parse(line.slice('  case: '.length)) as CaseJson;
    expect(c.attrs?.['auto_pad']).toMatch(/^SAME_(UPPER|LOWER)$/);
    expect(c.inputs['X']!.data.length).toBeLessThanOrEqual(8); // shrunk
    // The case really separates the swapped program from the reference, and the swap is all it takes.
    const program = (bug: boolean) => {
      const out = execFileSync('python3', ['examples/onnx_conv.py'], { cwd: ROOT, input: JSON.stringify({ id: 'x', ...c }) + '\n', encoding: 'utf8', env: { ...process.env, CONVCHECK_OPTIONS: JSON.stringify(bug ? { bug: 'swap-same' } : {}) } });
      return (JSON.parse(out.trim().split('\n')[1]!) as { data: number[] }).data;
    };
    const ref = evaluate(parseCase(c, 'shrunk'));
    expect('data' in ref).toBe(true);
    const expected = Array.from((ref as { data: Float64Array }).data);
    expect(program(false)).toEqual(expected);
    expect(program(true)).not.toEqual(expected);
    const swapped = { ...c, attrs: { ...c.attrs, auto_pad: c.attrs!['auto_pad'] === 'SAME_UPPER' ? 'SAME_LOWER' : 'SAME_UPPER' } };
    expect(program(true)).toEqual(Array.from((evaluate(parseCase(swapped, 'swapped')) as { data: Float64Array }).data));
  }, 240_000);

  it('the C example, compiled with gcc, passes every property', () => {
    const bin = join(mkdtempSync(join(tmpdir(), 'convcheck-c-')), 'conv');
    execFileSync('gcc', ['-O2', '-Wall', '-Werror', '-o', bin, 'examples/conv.c', '-lm'], { cwd: ROOT });
    const r = validateCmd(bin, ['--time-budget', '20s']);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/all properties hold for example-c-onnx-conv/);
    expect(r.out).toMatch(/example-c-onnx-conv\s+differential\s+200\s+200\s+0/);
  }, 240_000);

  it('a program that reports itself unavailable is a usage error with its reason', () => {
    const un = spawnSync(process.execPath, [MAIN, 'validate', '--cmd', 'python3 oracles/testing/fake_program.py', '--impl-option', 'hello=unavailable'], { encoding: 'utf8', cwd: ROOT });
    expect(un.status).toBe(2);
    expect(un.stderr).toMatch(/cannot start python3 oracles\/testing\/fake_program.py: program: unavailable: fake: no framework here/);
  }, 240_000);

  it('what a program or a module declares (ops, capabilities, float64) reaches the implementation', async () => {
    const program = await openIsolated({ command: PY });
    const module = await openIsolated({ module: 'test/validate/hostile-adapter.mjs', options: { mode: 'correct' } });
    try {
      expect(program.impl).toMatchObject({ name: 'example-python-onnx-conv', ops: [['onnx', 'Conv']], float64: true, capabilities: { dtypes: ['float32', 'float64'] } });
      expect(module.impl).toMatchObject({ name: 'hostile-correct', ops: [['onnx', 'Conv']], float64: false, capabilities: { lacks: ['groups'] } });
    } finally {
      await program.close();
      await module.close();
    }
  });

  it('--impl and --cmd together, or neither, is a usage error', () => {
    const both = spawnSync(process.execPath, [MAIN, 'validate', '--cmd', PY, '--impl', 'examples/onnx-conv-adapter.mjs'], { encoding: 'utf8', cwd: ROOT });
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/give exactly one of --impl PATH .* or --cmd/);
    const bad = spawnSync(process.execPath, [MAIN, 'validate', '--cmd', PY, '--impl-option', 'novalue'], { encoding: 'utf8', cwd: ROOT });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--impl-option must look like key=value, got "novalue"/);
  });
});
