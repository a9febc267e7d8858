/**
 * Where convcheck itself is installed: its package root (for --version and the shipped set-up
 * scripts) and the project it is installed into (where `convcheck setup` installs things).
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export { packageRoot } from '../root.js';
import { packageRoot } from '../root.js';

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

/**
 * The project convcheck serves: the directory whose node_modules holds it (a consumer project),
 * or convcheck's own root when it runs from its repository.
 */
export function projectRoot(): string {
  const root = packageRoot();
  const parent = dirname(root);
  return basename(parent) === 'node_modules' ? dirname(parent) : root;
}

/** An argument as a POSIX shell would need it: bare when safe, else in single quotes. */
export function shellQuote(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

/** This process's command line, as `convcheck ARGS...`, for reports. */
export function invocation(argv: readonly string[] = process.argv.slice(2)): string {
  return ['convcheck', ...argv.map(shellQuote)].join(' ');
}
