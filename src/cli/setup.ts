/**
 * `convcheck setup [NAME]`: runs a set-up script shipped in the package's tools/ directory
 * (tools/setup-NAME.sh) for the project convcheck is installed in. The scripts are bash, need
 * no network beyond what each says, and are idempotent; the project directory reaches them as
 * $CONVCHECK_PROJECT_DIR, so `npx convcheck setup tfjs-node` builds the tfjs-node in the
 * consumer's node_modules rather than in convcheck's own directory.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot, projectRoot } from './package.js';
import { UsageError } from './run.js';

/** The shipped scripts by name: tools/setup-NAME.sh is NAME. */
export function setupScripts(root = packageRoot()): Map<string, string> {
  const dir = join(root, 'tools');
  const names = existsSync(dir) ? readdirSync(dir).filter((f) => /^setup-[a-z0-9-]+\.sh$/.test(f)).sort() : [];
  return new Map(names.map((f) => [f.slice('setup-'.length, -'.sh'.length), join(dir, f)]));
}

/** The script's first comment line (after the #! line): what it does, for the listing. */
function firstLine(path: string): string {
  const line = readFileSync(path, 'utf8').split('\n')[1] ?? '';
  return line.startsWith('#') ? line.replace(/^#\s*/, '') : '';
}

export function setupCommand(name: string | undefined, args: readonly string[], out: (s: string) => void): number {
  const scripts = setupScripts();
  if (name === undefined) {
    out(`convcheck setup NAME runs tools/setup-NAME.sh for the project in ${projectRoot()}. Available:`);
    for (const [n, p] of scripts) out(`  ${n.padEnd(12)} ${firstLine(p)}`);
    return 0;
  }
  const script = scripts.get(name);
  if (!script) throw new UsageError(`no set-up script ${JSON.stringify(name)} (available: ${[...scripts.keys()].join(', ') || 'none'})`);
  const r = spawnSync('bash', [script, ...args], {
    stdio: 'inherit',
    cwd: projectRoot(),
    env: { ...process.env, CONVCHECK_PROJECT_DIR: projectRoot() },
  });
  if (r.error) throw new UsageError(`cannot run bash ${script}: ${r.error.message}`);
  return r.status ?? 1;
}
