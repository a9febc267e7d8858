/**
 * `convcheck validate --precision` from the command line: the `precision: meets P` line, the exit
 * status, and the precision record in the JSON and JUnit reports. The float32 example adapter
 * meets fp32; the same loop with bfloat16 inputs and output meets bf16; under `--precision fp32`
 * the bf16 one fails.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const main = join(root, 'dist/src/cli/main.js');
const bf16 = join(root, 'test/precision/fixtures/bf16-adapter.mjs');
const example = join(root, 'examples/onnx-conv-adapter.mjs');

async function validate(args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const r = await run('node', [main, 'validate', '--seed', '7', '--runs', '60', '--time-budget', '600s', ...args], { cwd: root });
    return { code: 0, stdout: r.stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string };
    return { code: err.code, stdout: err.stdout };
  }
}

describe('validate --precision', () => {
  it('the float32 example meets fp32 (exit 0)', async () => {
    const r = await validate(['--impl', example, '--precision', 'auto', '--properties', 'differential,impulse']);
    expect(r.stdout).toMatch(/^precision: meets fp32$/m);
    expect(r.code).toBe(0);
  }, 300_000);

  it('a bf16 loop meets bf16, recorded in the JSON and JUnit reports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convcheck-precision-'));
    const out = join(dir, 'r.json');
    const r = await validate(['--impl', bf16, '--precision', 'auto', '--properties', 'differential', '--report', 'json', '--out', out]);
    expect(r.stdout).toMatch(/^precision: meets bf16$/m);
    expect(r.code).toBe(0);
    const rep = JSON.parse(readFileSync(out, 'utf8'));
    expect(rep.precision).toEqual({ mode: 'auto', meets: 'bf16' });
    const cell = rep.cells[0].precision;
    expect(cell.meets).toBe('bf16');
    expect(cell.profiles.map((p: { profile: string }) => p.profile)).toEqual(['fp32', 'tf32', 'fp16', 'bf16', 'fp16-acc16']);
    const bf = cell.profiles.find((p: { profile: string }) => p.profile === 'bf16');
    expect(bf.failed).toBe(0);
    expect(bf.max).toBeLessThanOrEqual(1);
    expect(bf.median).toBeLessThanOrEqual(bf.max);
    expect(cell.profiles.find((p: { profile: string }) => p.profile === 'fp32').failed).toBeGreaterThan(0);
    const xml = join(dir, 'r.xml');
    await validate(['--impl', bf16, '--precision', 'auto', '--properties', 'differential', '--report', 'junit', '--out', xml]);
    expect(readFileSync(xml, 'utf8')).toContain('<property name="precision.meets" value="bf16"/>');
  }, 300_000);

  it('under --precision fp32 the bf16 loop fails (exit 1); a bad profile is a usage error', async () => {
    const r = await validate(['--impl', bf16, '--precision', 'fp32', '--properties', 'differential']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL differential');
    const bad = await validate(['--impl', bf16, '--precision', 'fp8']);
    expect(bad.code).toBe(2);
  }, 300_000);
});
