/**
 * The README's library snippet (test/api.test.ts) type-checks with tsc under `strict`, both
 * with and without allowJs, against the built declarations (dist/), the way a consumer's
 * TypeScript sees the package; and a mistyped adapter is refused, so the check is real.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
// tsconfig files live inside the repository (under dist/, which git ignores) so that 'convcheck' resolves to this package itself
// (its own name and exports), and 'vitest' and 'fast-check' to its node_modules.
const dir = mkdtempSync(join(ROOT, 'dist', 'typecheck-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tsc(files: string[], extra: Record<string, unknown>): { status: number | null; out: string } {
  const config = join(dir, `tsconfig-${Object.keys(extra).join('-') || 'plain'}-${files.length}.json`);
  const compilerOptions = { strict: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', skipLibCheck: true, types: ['node'], ...extra };
  writeFileSync(config, JSON.stringify({ compilerOptions, files }, null, 2));
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('the README snippet under tsc --strict', () => {
  it('compiles without allowJs (the example adapter has its .d.mts)', () => {
    const r = tsc([join(ROOT, 'test', 'api.test.ts')], {});
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
  });

  it('compiles with allowJs', () => {
    const r = tsc([join(ROOT, 'test', 'api.test.ts')], { allowJs: true });
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
  });

  it('refuses an adapter whose framework is a string', () => {
    const r = tsc([join(ROOT, 'test', 'typecheck', 'bad-adapter.ts')], {});
    expect(r.status).toBe(2);
    expect(r.out).toMatch(/bad-adapter\.ts\(8,\d+\): error TS2345: [^\n]*framework/);
  });
});
