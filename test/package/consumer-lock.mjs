/**
 * A package-lock.json for a consumer project that depends on a packed convcheck tarball, cut
 * from this repository's own lock: the consumer gets exactly the versions (and integrity hashes)
 * `npm ci` installed here, so `npm ci --offline` in the consumer needs only npm's local cache,
 * which keeps tarballs by integrity but no registry metadata. Usage:
 *
 *   node test/package/consumer-lock.mjs REPO_DIR TARBALL CONSUMER_DIR
 *
 * writes CONSUMER_DIR/package.json (convcheck, fast-check; vitest as a devDependency) and
 * CONSUMER_DIR/package-lock.json with the dependency closure: dependencies, optional
 * dependencies and required peers, resolved from each package's place as node does.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const [repo, tarball, consumer] = process.argv.slice(2);
if (!repo || !tarball || !consumer) {
  console.error('usage: consumer-lock.mjs REPO_DIR TARBALL CONSUMER_DIR');
  process.exit(2);
}
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8'));
const repoPackages = lock.packages;

const REGISTRY = 'https://registry.npmjs.org/';
const spec = `file:${basename(tarball)}`;
const root = {
  name: 'convcheck-consumer',
  version: '1.0.0',
  private: true,
  type: 'module',
  dependencies: { convcheck: spec, 'fast-check': pkg.peerDependencies['fast-check'] },
  devDependencies: { vitest: pkg.devDependencies.vitest },
};

const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
const own = repoPackages[''];
const packages = {
  '': { name: root.name, version: root.version, dependencies: root.dependencies, devDependencies: root.devDependencies },
  'node_modules/convcheck': {
    version: pkg.version,
    resolved: spec,
    integrity,
    license: pkg.license,
    dependencies: own.dependencies,
    optionalDependencies: own.optionalDependencies,
    peerDependencies: own.peerDependencies,
    peerDependenciesMeta: own.peerDependenciesMeta,
    bin: own.bin,
    engines: own.engines,
  },
};

/** Where node would find NAME when required from the package at LOC. */
function resolve(loc, name) {
  for (let at = loc; ; ) {
    const candidate = `${at ? `${at}/` : ''}node_modules/${name}`;
    if (repoPackages[candidate]) return candidate;
    if (!at) return undefined;
    const cut = at.lastIndexOf('/node_modules/');
    at = cut < 0 ? '' : at.slice(0, cut);
  }
}

/**
 * The entry as a consumer's: no dev flags, and a registry URL, since this repository's lock omits
 * them (omit-lockfile-registry-resolved) and without one npm would want the registry's metadata,
 * which its cache does not keep, before it looked for the tarball by integrity.
 */
function consumerEntry(at, entry) {
  const { dev, devOptional, peer, ...rest } = entry;
  if (rest.resolved || rest.link || !rest.integrity) return rest;
  const name = at.slice(at.lastIndexOf('node_modules/') + 'node_modules/'.length);
  const bare = name.startsWith('@') ? name.split('/')[1] : name;
  return { ...rest, resolved: `${REGISTRY}${name}/-/${bare}-${rest.version}.tgz` };
}

const todo = [
  ['', 'convcheck', false],
  ['', 'fast-check', false],
  ['', 'vitest', false],
];
const seen = new Set(['node_modules/convcheck']);
for (const name of Object.keys(own.dependencies ?? {})) todo.push(['node_modules/convcheck', name, false]);
for (const name of Object.keys(own.optionalDependencies ?? {})) todo.push(['node_modules/convcheck', name, true]);
while (todo.length) {
  const [from, name, optional] = todo.pop();
  if (name === 'convcheck') continue;
  const at = resolve(from, name);
  if (!at) {
    if (optional) continue;
    throw new Error(`${name} (needed by ${from || 'the consumer'}) is not in ${repo}/package-lock.json`);
  }
  if (seen.has(at)) continue;
  seen.add(at);
  const entry = repoPackages[at];
  packages[at] = consumerEntry(at, entry);
  for (const d of Object.keys(entry.dependencies ?? {})) todo.push([at, d, false]);
  for (const d of Object.keys(entry.optionalDependencies ?? {})) todo.push([at, d, true]);
  for (const d of Object.keys(entry.peerDependencies ?? {})) todo.push([at, d, true]);
}

const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
writeFileSync(join(consumer, 'package.json'), JSON.stringify(root, null, 2) + '\n');
writeFileSync(join(consumer, 'package-lock.json'), JSON.stringify({ name: root.name, version: root.version, lockfileVersion: 3, requires: true, packages: sorted }, null, 2) + '\n');
console.log(`${Object.keys(sorted).length - 1} packages locked`);
