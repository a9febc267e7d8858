/**
 * The regression corpus survives what happens to files: a writer killed with SIGKILL mid-save
 * leaves only whole regressions (atomic writes), and a truncated, garbage or foreign file is
 * named by replay, which goes on with the others.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BadRegressionError, listRegressions, loadRegression } from '../src/runner/regressions.js';
import { replayAll, replayVerdict } from '../src/runner/replay.js';

const root = new URL('..', import.meta.url).pathname;
const good = join(root, 'regressions', 'ort', 'ort-negative-pads-accepted.json');

describe('regression corpus on disk', () => {
  it('a writer killed with SIGKILL while saving leaves only complete regressions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convcheck-kill-'));
    // Saves large regressions in a loop until killed.
    const script = `
      import { saveRegression } from ${JSON.stringify(join(root, 'dist/src/runner/regressions.js'))};
      const r = JSON.parse(${JSON.stringify(readFileSync(good, 'utf8'))});
      const big = Array.from({ length: 200000 }, (_, i) => i);
      process.stdout.write('ready\\n');
      for (let i = 0; ; i++) saveRegression(process.argv[1], { ...r, input: { ...r.input, i }, cases: [...r.cases], expected: { shape: [big.length], data: big } });
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    await new Promise((r) => setTimeout(r, 700));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const files = listRegressions([dir]);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(loadRegression(f).oracle).toBe('ort');
    // whatever the kill interrupted is a hidden temporary file, never a .json regression
    const all = readdirSync(join(dir, 'ort'));
    expect(all.filter((f) => !f.endsWith('.json')).every((f) => f.startsWith('.') && f.endsWith('.tmp'))).toBe(true);
  });

  it('replay names a truncated, a garbage and a foreign file, and replays the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convcheck-bad-'));
    mkdirSync(join(dir, 'ort'));
    copyFileSync(good, join(dir, 'ort', 'a-good.json'));
    const text = readFileSync(good, 'utf8');
    writeFileSync(join(dir, 'ort', 'b-truncated.json'), text.slice(0, text.length >> 1));
    writeFileSync(join(dir, 'ort', 'c-garbage.json'), Buffer.from([0xff, 0xfe, 0x00, 0x1b, 0x5b, 0x32, 0x4a]));
    writeFileSync(join(dir, 'ort', 'd-foreign.json'), '{"name": "not a regression"}');
    copyFileSync(good, join(dir, 'ort', 'e-good.json'));
    expect(() => loadRegression(join(dir, 'ort', 'b-truncated.json'))).toThrow(BadRegressionError);
    const results = await replayAll([dir]);
    expect(results.map((r) => [r.file.split('/').pop(), replayVerdict(r)])).toEqual([
      ['a-good.json', 'ok'],
      ['b-truncated.json', 'bad'],
      ['c-garbage.json', 'bad'],
      ['d-foreign.json', 'bad'],
      ['e-good.json', 'ok'],
    ]);
    expect(results[1]!.message).toMatch(/b-truncated\.json: not JSON \(truncated or corrupt\?\)/);
    expect(results[3]!.message).toMatch(/d-foreign\.json: not a convcheck regression/);
    // The command line: every file listed, exit 2 for bad files, no stack trace, no raw escape.
    const cli = spawnSync(process.execPath, [join(root, 'dist/src/cli/main.js'), 'replay', dir], { encoding: 'utf8' });
    expect(cli.status).toBe(2);
    expect(cli.stdout).toContain('BAD FILE');
    expect(cli.stdout).toContain('c-garbage.json');
    expect(cli.stdout).toMatch(/5 regressions replayed, 0 failing outside known findings, 3 bad file\(s\)/);
    expect(cli.stdout).not.toContain('\x1b');
    expect(cli.stderr).not.toMatch(/at .*\.js:\d+/);
  }, 60_000);
});

describe('a regression remembers how it was judged', () => {
  it('records --precision and --strict, and replay judges under them again', async () => {
    process.env['CONVCHECK_TEST_ORACLES'] = '1'; // the off-by-one 'wrong' oracle, in its host
    try {
      const { runSuite } = await import('../src/runner/run.js');
      const dir = mkdtempSync(join(tmpdir(), 'convcheck-prec-'));
      const cells = await runSuite({ oracles: ['wrong'], properties: ['differential'], runs: 30, seed: 4, timeBudgetMs: 60_000, shard: { index: 1, count: 1 }, regressionsDir: dir, precision: 'bf16', strict: true, maxFailuresPerCell: 1 });
      const file = cells[0]!.failure!.file!;
      const saved = loadRegression(file);
      expect(saved.precision).toBe('bf16');
      expect(saved.strict).toBe(true);
      const [r] = await replayAll([file]);
      expect(r!.outcome).toBe('fails');
      // An unknown profile in a file is a bad regression, named.
      writeFileSync(file, JSON.stringify({ ...saved, precision: 'fp8' }));
      expect(() => loadRegression(file)).toThrow(BadRegressionError);
      expect(() => loadRegression(file)).toThrow(/precision must be auto or one of/);
    } finally {
      delete process.env['CONVCHECK_TEST_ORACLES'];
    }
  }, 60_000);
});
