/**
 * convcheck as a consumer gets it: `npm pack`, then a fresh project installs the tarball with
 * `npm ci --offline` (its lock cut from this repository's, so npm's local cache is enough: see
 * test/package/consumer-lock.mjs) and uses it: `npx convcheck --version` with no npm warning,
 * an eval, the set-up scripts, an onnxruntime-less run that says how to add it, and a vitest
 * file using the library API and the matcher (test/package/consumer.fixture.ts).
 * Needs dist/ built (npm test builds it first).
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const work = mkdtempSync(join(tmpdir(), 'convcheck-package-'));
const project = join(work, 'consumer');
// The consumer's node_modules is large: removing it takes a while on a loaded machine.
afterAll(() => rm(work, { recursive: true, force: true }), 120_000);

/** The environment without what an enclosing `npm test` exports (npm_config_*, npm_package_*). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0', NO_UPDATE_NOTIFIER: '1' };
}

function sh(cmd: string, args: string[], o: SpawnSyncOptions & { input?: string } = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: cleanEnv(), cwd: project, ...o });
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

let tarball = '';
let packed: string[] = [];
let installed = { status: null as number | null, stdout: '', stderr: '' };

beforeAll(() => {
  const p = sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT });
  expect(p.status, p.stderr).toBe(0);
  const info = JSON.parse(p.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(work, info[0]!.filename);
  packed = info[0]!.files.map((f) => f.path);
  mkdirSync(project);
  copyFileSync(tarball, join(project, info[0]!.filename));
  const lock = sh(process.execPath, [join(ROOT, 'test', 'package', 'consumer-lock.mjs'), ROOT, join(project, info[0]!.filename), project]);
  expect(lock.status, lock.stderr).toBe(0);
  // --offline: npm may use only its cache; nothing reaches the registry.
  installed = sh('npm', ['ci', '--offline', '--no-audit', '--no-fund']);
}, 300_000);

describe('the packed package', () => {
  it('ships the build, the set-up scripts and the docs, not the tests or source maps', () => {
    expect(packed).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli/main.js', 'dist/src/testing/vitest.js', 'dist/src/testing/vitest.d.ts', 'dist/oracles/host.js', 'tools/setup-tfjs-node.sh', 'schema/case.schema.json']));
    expect(packed.filter((f) => /^test\/|^src\/|\.map$|^dist\/test\/|^dist\/bench\/|^\.npmrc$/.test(f))).toEqual([]);
  });

  it('installs offline into a fresh project, without npm warning about project config', () => {
    expect(installed.status, installed.stderr).toBe(0);
    expect(installed.stderr).not.toMatch(/Unknown (project|user|env) config/);
  });
});

describe('in the consumer project', () => {
  it('npx convcheck --version prints the version and nothing else', () => {
    const r = sh('npx', ['convcheck', '--version']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
    expect(r.stderr).toBe('');
  });

  it('npx convcheck eval computes a case from stdin', () => {
    const c = '{"framework":"torch","op":"conv_transpose1d","attrs":{"stride":2,"padding":1,"output_padding":1},"inputs":{"input":{"shape":[1,1,2],"data":[1,0]},"weight":{"shape":[1,1,3],"data":[1,2,3]}}}';
    // By hand: y = x0 · w at offsets 0..2 = [1, 2, 3, 0, 0], padding 1 crops the first element
    // and output_padding 1 keeps one more at the end: [2, 3, 0, 0].
    const r = sh('npx', ['convcheck', 'eval', '-'], { input: c });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('{"id":"stdin","shape":[1,1,4],"data":[2,3,0,0]}\n');
  });

  it('convcheck setup lists the shipped scripts for this project', () => {
    const r = sh('npx', ['convcheck', 'setup']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`for the project in ${project}`);
    expect(r.stdout).toMatch(/\n {2}tfjs-node +Set up @tensorflow\/tfjs-node/);
    const bad = sh('npx', ['convcheck', 'setup', 'no-such-script']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/no set-up script "no-such-script" \(available: .*tfjs-node/);
  });

  it('without onnxruntime-node (an optional peer) the ort oracle is UNAVAILABLE with the command that adds it', () => {
    const r = sh('npx', ['convcheck', 'run', '--oracles', 'ort', '--properties', 'differential', '--runs', '3', '--seed', '1', '--no-regressions']);
    expect(r.stderr).toMatch(/oracle ort is UNAVAILABLE: .*onnxruntime-node.* ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node/);
    expect(r.stdout).toMatch(/UNAVAILABLE: ort; seed 1/);
  });

  it('a vitest file using the library API and the matcher passes', () => {
    mkdirSync(join(project, 'test'), { recursive: true });
    copyFileSync(join(ROOT, 'test', 'package', 'consumer.fixture.ts'), join(project, 'test', 'conv.test.ts'));
    const r = sh('npx', ['vitest', 'run']);
    expect(`${r.stdout}${r.stderr}`).toMatch(/Tests\s+4 passed \(4\)/);
    expect(r.status).toBe(0);
  }, 180_000);
});

describe('in this repository', () => {
  // tsc writes the bin without the execute bit. npx links this project's bin once per path into
  // its cache, setting the bit then; a later fresh clone at the same path is rebuilt without it and
  // sh reports `convcheck: Permission denied` (exit 127). `npm run build` sets the bit itself.
  it('the build leaves the bin executable', () => {
    expect(statSync(join(ROOT, 'dist', 'src', 'cli', 'main.js')).mode & 0o111).toBe(0o111);
  });

  it('npx convcheck --version has no npm warning either', () => {
    const r = sh('npx', ['convcheck', '--version'], { cwd: ROOT });
    expect(r.stdout, `exit ${r.status}: ${r.stderr}`).toBe(`${pkg.version}\n`);
    expect(r.stderr).toBe('');
  });
});
