/**
 * What a user sees when convcheck fails inside their own vitest run: vitest runs
 * test/testing/failing.fixture.ts (a broken adapter under expectValid and under the
 * toSatisfyConvcheck matcher) in a child process, and its output must carry the shrunk
 * counterexample, expected against actual, and the replay command; the printed case must really
 * separate the broken adapter from the reference.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate, parseCase, type CaseJson } from '../src/case/case.js';
import myConv from '../examples/onnx-conv-adapter.mjs';
import { flipKernel } from './testing/flip.js';

const ROOT = join(import.meta.dirname, '..');
let out = '';
let status: number | null = null;

beforeAll(() => {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'test/testing/vitest.fixture.config.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: '1' },
  });
  out = `${r.stdout}${r.stderr}`;
  status = r.status;
}, 180_000);

/** The failure block vitest printed for one test. */
function block(title: string): string {
  const start = out.indexOf(`> ${title}\n`);
  expect(start, `no failure printed for "${title}":\n${out}`).toBeGreaterThan(-1);
  const end = out.indexOf('⎯⎯⎯', start);
  return out.slice(start, end < 0 ? undefined : end);
}

describe('a failing convcheck check in a vitest run', () => {
  it('fails the two positive checks and passes the negated matcher', () => {
    expect(status).toBe(1);
    expect(out).toMatch(/Tests\s+2 failed \| 1 passed \(3\)/);
  });

  for (const title of ['expectValid shows the counterexample', 'toSatisfyConvcheck shows the counterexample']) {
    it(`${title}: the case, expected vs actual, the replay command`, () => {
      const b = block(title);
      expect(b).toContain('convcheck: flipped-conv fails 1 of 1 properties (seed 7)');
      expect(b).toMatch(/FAIL differential: output\[\d+\] = \S+, reference \S+: error .* × its bound/);
      expect(b).toMatch(/\n\s*expected \[[\d,]+\] …\[\d+\.\.\]: /);
      expect(b).toMatch(/\n\s*actual {3}\[[\d,]+\] …\[\d+\.\.\]: /);
      expect(b).toMatch(/\n\s*replay: npx convcheck validate --impl src\/flipped-conv\.mjs --properties differential --seed 7/);

      // The printed case is a real counterexample: the reference and the broken adapter differ on it.
      const line = /\n\s*case: (\{.*\})\n/.exec(b)?.[1];
      expect(line).toBeDefined();
      const c = JSON.parse(line!) as CaseJson;
      const ref = evaluate(parseCase(c, 'printed'));
      if ('error' in ref) throw new Error(ref.error);
      const got = (myConv as { run(c: CaseJson): { data: ArrayLike<number> } }).run(flipKernel(c));
      expect(Array.from(got.data)).not.toEqual(Array.from(ref.data));
    });
  }
});
