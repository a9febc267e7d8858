/**
 * The built CLI (dist/src/cli/main.js) as a user runs it, for tests that spawn it. `ensureBuilt`
 * rebuilds only when dist is older than the sources (`npm test` builds first anyway).
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const MAIN = `${ROOT}dist/src/cli/main.js`;

function newest(dir: string): number {
  return Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? statSync(`${dir}/${e.name}`).mtimeMs : 0)));
}

export function ensureBuilt(): void {
  if (existsSync(MAIN) && statSync(MAIN).mtimeMs >= Math.max(newest(`${ROOT}src`), newest(`${ROOT}properties`))) return;
  // npm's build, not bare tsc: it also marks the bin executable (see test/package.test.ts).
  const r = spawnSync('npm', ['run', 'build', '--silent'], { encoding: 'utf8', cwd: ROOT });
  if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}${r.stderr}`);
}

export interface CliResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function cli(args: readonly string[], input?: string, opts: SpawnSyncOptions = {}): CliResult {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', cwd: ROOT, maxBuffer: 1 << 30, ...(input !== undefined ? { input } : {}), ...opts });
  return { status: r.status, signal: r.signal, stdout: String(r.stdout), stderr: String(r.stderr) };
}
