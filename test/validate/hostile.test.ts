/**
 * `convcheck validate` against hostile user code, as a user runs it (the built CLI): every way an
 * adapter can misbehave ends in exit 1 and a verdict that names what happened, never a hang, a
 * silent exit 0 or a lost report. The adapter is test/validate/hostile-adapter.mjs, its
 * misbehaviour chosen with --impl-option mode=...; it runs out of process with a 1 s timeout.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validate } from '../../src/validate/validate.js';
import { adapterImplementation } from '../../src/validate/adapter.js';
import type { Implementation } from '../../properties/implementation.js';
import example from '../../examples/onnx-conv-adapter.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = `${ROOT}dist/src/cli/main.js`;
const ADAPTER = 'test/validate/hostile-adapter.mjs';

function validateCli(mode: string, extra: string[] = []): { status: number; out: string } {
  const args = ['validate', '--impl', ADAPTER, '--impl-option', `mode=${mode}`, '--timeout', '1s', '--seed', '7', '--time-budget', '4s', '--properties', 'differential', ...extra];
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', cwd: ROOT, timeout: 120_000 });
  return { status: r.status ?? -1, out: `${r.stdout}\n${r.stderr}` };
}

describe('validate isolates hostile adapters', () => {
  it.each([
    ['unprintable', /rejected a call the convention accepts: an unprintable object \(converting it to a string throws\)/],
    ['exit0', /adapter: host exited \(code 0\)/],
    ['loop', /adapter: no answer within 1000 ms \(host killed\)/],
    ['never', /adapter: no answer within 1000 ms \(host killed\)/],
    ['stray', /adapter: unhandled promise rejection: stray rejection from the adapter/],
    ['segv', /adapter: host exited \(SIGSEGV\)/],
    ['fpe', /adapter: host exited \(SIGFPE\)/],
  ])('mode %s: exit 1, the failure names what happened', (mode, why) => {
    const r = validateCli(mode);
    expect(r.status, r.out).toBe(1);
    expect(r.out).toMatch(/FAIL differential: /);
    expect(r.out).toMatch(why);
    expect(r.out).toMatch(new RegExp(`FAILED for hostile-${mode}`));
    expect(r.out).toMatch(/replay: convcheck validate --impl test\/validate\/hostile-adapter.mjs --impl-option mode=\w+/);
  }, 120_000);

  it('a hang on one specific call (stride 0) is a validity failure that names the timeout', () => {
    const r = validateCli('hang-stride0', ['--properties', 'validity']);
    expect(r.status, r.out).toBe(1);
    expect(r.out).toMatch(/FAIL validity: hostile-hang-stride0 failed instead of rejecting: adapter: no answer within 1000 ms/);
    expect(r.out).toMatch(/"strides":\[0/);
  }, 120_000);

  it('the same adapter, well behaved, passes', () => {
    const r = validateCli('correct');
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/all properties hold for hostile-correct/);
  }, 120_000);

  it('an unsupported answer is counted apart, never wrong', () => {
    const r = validateCli('unsupported', ['--properties', 'differential']);
    expect(r.status, r.out).toBe(0);
    const row = r.out.split('\n').find((l) => l.startsWith('hostile-unsupported  differential'))!;
    const [cases, passed, failed, , unsupported] = row.trim().split(/\s+/).slice(2).map(Number);
    expect(failed).toBe(0);
    expect(unsupported).toBeGreaterThan(0);
    expect(passed! + unsupported!).toBe(cases);
  }, 120_000);

  it('a lenient but correct implementation exits 0 by default and 1 with --strict', () => {
    const lenient = validateCli('lenient', ['--properties', 'validity', '--time-budget', '10s']);
    expect(lenient.status, lenient.out).toBe(0);
    expect(lenient.out).toMatch(/lenient hostile-lenient · validity \(\d+×, a failure with --strict\): hostile-lenient accepted a call the convention rejects \(negative-pads/);
    const strict = validateCli('lenient', ['--properties', 'validity', '--time-budget', '10s', '--strict']);
    expect(strict.status, strict.out).toBe(1);
    expect(strict.out).toMatch(/FAIL validity: lenient \(a failure with --strict\)/);
    expect(strict.out).toMatch(/replay: .* --strict/);
  }, 120_000);

  it('an adapter that cannot load is a usage error naming the module', () => {
    const r = validateCli('no-such-mode');
    expect(r.status).toBe(2);
    expect(r.out).toMatch(/cannot start test\/validate\/hostile-adapter.mjs: adapter: .*unknown mode no-such-mode/);
  }, 60_000);
});

describe('validate() in process counts exceptions as failures', () => {
  it('an adapter object that throws an unprintable object fails, with the reason', async () => {
    const hostile = { ...example, name: 'unprintable', run: () => { throw { toString: () => { throw new Error('no'); } }; } };
    const v = await validate(hostile, { seed: 3, runs: 20, timeBudgetMs: 5000, properties: ['differential'] });
    expect(v.ok).toBe(false);
    expect(v.cells[0]!.failed).toBe(1);
    expect(v.cells[0]!.failure!.message).toMatch(/an unprintable object/);
  });

  it('an implementation whose run throws out of the property is a failure, not a pass', async () => {
    const base = adapterImplementation(example);
    const impl: Implementation = { ...base, name: 'thrower', run: () => Promise.reject({ toString: () => { throw new Error('no'); } }) };
    const v = await validate(impl, { seed: 3, runs: 20, timeBudgetMs: 5000, properties: ['differential'] });
    expect(v.ok).toBe(false);
    expect(v.cells[0]!.failed).toBeGreaterThan(0);
    expect(v.cells[0]!.failure!.message).toMatch(/differential crashed: an unprintable object/);
  });

  it('a host that dies after answering fails the next call, or the validation after the last one', async () => {
    const v = await validate({ module: ADAPTER, options: { mode: 'late-exit' } }, { seed: 3, runs: 1, timeBudgetMs: 3000, timeoutMs: 2000, properties: ['differential'] });
    expect(v.ok).toBe(false);
    expect(v.cells[0]!.failed).toBe(0); // its one call was answered...
    expect(v.problems).toEqual([expect.stringMatching(/^adapter: host exited \(code 3\) \(after its last answer\)$/)]); // ...then the host died
    // A few in flight, so that calls are still to be sent when the host dies (a window holding
    // all 20 has them answered first: the host exits after the answers it had queued).
    const more = await validate({ module: ADAPTER, options: { mode: 'late-exit' } }, { seed: 3, runs: 20, timeBudgetMs: 5000, timeoutMs: 2000, properties: ['differential'], inFlight: 4 });
    expect(more.ok).toBe(false);
    expect(more.cells[0]!.failure!.message).toMatch(/hostile-late-exit failed: adapter: host exited \(code 3\)/);
  });

  it('a module path runs out of process, with its options', async () => {
    const v = await validate({ module: ADAPTER, options: { mode: 'exit0' } }, { seed: 3, runs: 20, timeBudgetMs: 3000, timeoutMs: 1000, properties: ['differential'] });
    expect(v.ok).toBe(false);
    expect(v.name).toBe('hostile-exit0');
    expect(v.cells[0]!.failure!.message).toMatch(/host exited \(code 0\)/);
  });
});
