/**
 * The package root (where package.json is), for data files shipped beside the code: compiled
 * modules run from dist/, tests from the sources, and both find the same files.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('convcheck: cannot find the package root');
    dir = up;
  }
  return (root = dir);
}
