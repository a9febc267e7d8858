/**
 * Several report formats at once, and the merge of shard reports (src/report/merge.ts): the
 * merged report holds, per oracle × property, the sum of what the shards covered and every
 * finding any shard made; reports of different runs, a shard twice and a missing shard are
 * refused with a message naming the file. Also 3 real shards of `convcheck run`, merged by the CLI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderJson } from '../src/report/json.js';
import { mergeReports, MergeError, readReport } from '../src/report/merge.js';
import { parseReportFormats, reportTargets, writeReports } from '../src/report/index.js';
import type { CellReport, RunReport } from '../src/runner/report.js';
import type { Regression } from '../src/runner/regressions.js';

const ROOT = join(import.meta.dirname, '..');
const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const work = mkdtempSync(join(tmpdir(), 'convcheck-merge-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const failure = (shard: string, message: string): Regression => ({
  oracle: 'ort',
  property: 'differential',
  message,
  input: { shard },
  cases: [],
  replay: { runSeed: 7, shard, cellSeed: 1, path: '0', command: `convcheck run --oracles ort --properties differential --seed 7 --shard ${shard}` },
  found: '2026-11-29T00:00:00.000Z',
});

function cell(oracle: string, property: string, o: Partial<CellReport>): CellReport {
  return { oracle, property, status: 'ran', cases: 0, passed: 0, failed: 0, known: 0, unsupported: 0, knownIds: [], ms: 0, ...o };
}

function shard(i: number, cells: CellReport[], o: Partial<RunReport> = {}): RunReport {
  return {
    tool: 'convcheck',
    command: 'run',
    seed: 7,
    shard: `${i}/3`,
    startedAt: new Date(Date.UTC(2026, 10, 29, 1, 0, i)).toISOString(),
    durationMs: 1000 * i,
    cells,
    knownFindings: cells.some((c) => c.knownIds.length) ? [{ id: 'k1', summary: 'a known finding' }] : [],
    totals: { cases: 0, failed: 0, known: 0, unsupported: 0 },
    ...o,
  };
}

const shards = [
  shard(1, [cell('ort', 'differential', { cases: 10, passed: 9, failed: 1, ms: 5, failure: failure('1/3', 'first') }), cell('ort', 'impulse', { cases: 8, passed: 6, known: 2, knownIds: ['k1'], ms: 4 })]),
  shard(2, [cell('ort', 'differential', { cases: 12, passed: 12, ms: 6 }), cell('ort', 'impulse', { cases: 7, passed: 7, ms: 3 })]),
  shard(3, [cell('ort', 'differential', { cases: 11, passed: 10, failed: 1, ms: 7, failure: failure('3/3', 'third') }), cell('ort', 'impulse', { cases: 9, passed: 8, unsupported: 1, ms: 2 })]),
];
const inputs = shards.map((report, i) => ({ path: `s${i + 1}.json`, report }));

describe('mergeReports', () => {
  it('adds up each cell over the shards and keeps every finding', () => {
    const { report, missing } = mergeReports([inputs[2]!, inputs[0]!, inputs[1]!]);
    expect(missing).toEqual([]);
    expect(report.shards).toEqual(['1/3', '2/3', '3/3']);
    expect(report.shard).toBe('1-3/3');
    const [d, imp] = report.cells;
    expect(d).toMatchObject({ oracle: 'ort', property: 'differential', status: 'ran', cases: 33, passed: 31, failed: 2, known: 0, unsupported: 0, ms: 18 });
    expect(d!.failure?.message).toBe('first');
    expect(d!.moreFailures?.map((f) => f.message)).toEqual(['third']);
    expect(imp).toMatchObject({ cases: 24, passed: 21, known: 2, unsupported: 1, knownIds: ['k1'] });
    expect(imp!.failure).toBeUndefined();
    expect(report.knownFindings.map((k) => k.id)).toEqual(['k1']);
    expect(report.totals).toEqual({ cases: 57, failed: 1, known: 2, unsupported: 1, lenient: 0, nondeterministic: 0 });
    expect(report.startedAt).toBe('2026-11-29T01:00:01.000Z');
    expect(report.durationMs).toBe(5000); // shard 3 starts 2 s after shard 1 and runs 3 s
  });

  it('refuses reports of different runs, a shard given twice, and a merged report', () => {
    const other = { path: 'other.json', report: { ...shards[1]!, seed: 8 } };
    expect(() => mergeReports([inputs[0]!, other])).toThrow(/other\.json and s1\.json come from different runs: seed 8 vs 7/);
    expect(() => mergeReports([inputs[0]!, { path: 'again.json', report: shards[0]! }])).toThrow(/shard 1\/3 is given twice: s1\.json and again\.json/);
    const merged = mergeReports(inputs).report;
    expect(() => mergeReports([{ path: 'merged.json', report: merged }])).toThrow(MergeError);
  });

  it('says which shards are missing', () => {
    const { report, missing } = mergeReports([inputs[0]!, inputs[2]!]);
    expect(missing).toEqual([2]);
    expect(report.shard).toBe('1,3/3');
  });

  it('reads reports, refusing what is not one', () => {
    const good = join(work, 'good.json');
    writeFileSync(good, renderJson(shards[0]!));
    expect(readReport(good)).toEqual(JSON.parse(renderJson(shards[0]!)));
    const bad = join(work, 'bad.json');
    writeFileSync(bad, '{"tool":"other"}');
    expect(() => readReport(bad)).toThrow(/bad\.json: not a convcheck JSON report/);
    writeFileSync(bad, '{"tool":"convcheck","command":"run","seed":1,"shard":"1/1","startedAt":"x","cells":[{"oracle":"o","property":"p","knownIds":[],"cases":-1}]}');
    expect(() => readReport(bad)).toThrow(/bad\.json: cells\[0\]\.cases must be a non-negative number/);
    writeFileSync(bad, 'nope');
    expect(() => readReport(bad)).toThrow(/bad\.json: not JSON/);
  });
});

describe('several formats at once', () => {
  it('parses the list and refuses unknown or repeated formats', () => {
    expect(parseReportFormats('json, junit,html')).toEqual(['json', 'junit', 'html']);
    expect(() => parseReportFormats('json,pdf')).toThrow(/"pdf"/);
    expect(() => parseReportFormats('json,json')).toThrow(/twice/);
  });

  it('one format to a file as before; several, or a directory, as DIR/convcheck.*', () => {
    expect(reportTargets(['json'], join(work, 'r.json'))).toEqual([{ format: 'json', path: join(work, 'r.json') }]);
    const dir = join(work, 'reports');
    const written = writeReports(['json', 'junit', 'html'], shards[0]!, dir);
    expect(written).toEqual(['convcheck.json', 'convcheck.junit.xml', 'convcheck.html'].map((f) => join(dir, f)));
    expect(JSON.parse(readFileSync(written[0]!, 'utf8')).shard).toBe('1/3');
    expect(readFileSync(written[1]!, 'utf8')).toMatch(/^<\?xml/);
    expect(readFileSync(written[2]!, 'utf8')).toMatch(/^<!DOCTYPE html>/);
    expect(reportTargets(['html'], dir)).toEqual([{ format: 'html', path: join(dir, 'convcheck.html') }]);
    expect(() => reportTargets(['json', 'html'], written[0]!)).toThrow(/is a file/);
  });
});

describe('convcheck merge on three real shards', () => {
  const cli = (args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { cwd: work, encoding: 'utf8' });

  it('covers exactly what the shards ran, in every format', () => {
    const per: RunReport[] = [];
    for (const i of [1, 2, 3]) {
      // Runs, not time, bound each cell: 12 cases per cell. Two cells, three shards: shard 1 runs
      // differential, shard 2 shape-law, shard 3 differential again on a stream of its own.
      const r = cli(['run', '--oracles', 'reference', '--properties', 'differential,shape-law', '--runs', '12', '--time-budget', '600s', '--seed', '31', '--shard', `${i}/3`, '--no-regressions', '--report', 'json', '--out', `shard-${i}.json`]);
      expect(r.status, r.stderr).toBe(0);
      per.push(JSON.parse(readFileSync(join(work, `shard-${i}.json`), 'utf8')) as RunReport);
    }
    const m = cli(['merge', 'shard-1.json', 'shard-2.json', 'shard-3.json', '--report', 'json,junit,html', '--out', 'merged']);
    expect(m.status, m.stderr).toBe(0);
    expect(per.map((p) => p.cells.map((c) => c.property))).toEqual([['differential'], ['shape-law'], ['differential']]);
    expect(m.stdout).toContain('merged 3 report(s), shards 1/3, 2/3, 3/3: 36 cases, 0 failing case(s) in 0 cell(s) with new failures');
    const merged = JSON.parse(readFileSync(join(work, 'merged', 'convcheck.json'), 'utf8')) as RunReport;
    for (const c of merged.cells) {
      const parts = per.flatMap((p) => p.cells.filter((x) => x.oracle === c.oracle && x.property === c.property));
      expect(c.cases).toBe(parts.reduce((s, x) => s + x.cases, 0));
      expect(c.cases).toBe(c.property === 'differential' ? 24 : 12);
      expect(c.passed).toBe(parts.reduce((s, x) => s + x.passed, 0));
    }
    expect(merged.commandLine).toBe('convcheck merge shard-1.json shard-2.json shard-3.json --report json,junit,html --out merged');
    expect(existsSync(join(work, 'merged', 'convcheck.junit.xml'))).toBe(true);
    expect(readFileSync(join(work, 'merged', 'convcheck.html'), 'utf8')).toContain('merged from shards <code>1/3, 2/3, 3/3</code>');
    const partial = cli(['merge', 'shard-1.json', 'shard-3.json']);
    expect(partial.status).toBe(2);
    expect(partial.stderr).toContain('missing shard(s) 2/3');
  });
});

describe('the merged JUnit', () => {
  it('carries every shard\'s failure of a cell', async () => {
    const { renderJunit } = await import('../src/report/junit.js');
    const xml = renderJunit(mergeReports(inputs).report);
    expect(xml).toContain('<testcase classname="ort" name="differential"');
    expect(xml).toMatch(/<failure message="first"[^>]*>first\n[^]*--- failure 2 of 2 \(shard 3\/3\)\nthird\n/);
  });
});

describe('convcheck merge exit status', () => {
  it('is 1 when the merged run has new failures, so the CI job fails', () => {
    const paths = shards.map((s, i) => {
      const p = join(work, `failing-${i + 1}.json`);
      writeFileSync(p, renderJson(s));
      return p;
    });
    const r = spawnSync(process.execPath, [MAIN, 'merge', ...paths], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('2 failing case(s) in 1 cell(s) with new failures');
    // Each shard's failure is listed (the fixture's first and third shards failed).
    expect(r.stdout).toMatch(/new {2}ort · differential: first/);
    expect(r.stdout).toMatch(/new {2}ort · differential: third/);
  });
});

describe('mergeCells keeps every failure', () => {
  it("a run's cell with several failures and another shard's: all of them, the first as `failure`", async () => {
    const { mergeCells } = await import('../src/report/merge.js');
    const f = (message: string) => ({ oracle: 'o', property: 'p', message, input: {}, cases: [], found: '2026-11-29T00:00:00Z' }) as unknown as Regression;
    const cell = (failures: Regression[]): CellReport => ({ oracle: 'o', property: 'p', status: 'ran', cases: 10, passed: 10 - failures.length, failed: failures.length, known: 0, unsupported: 0, lenient: 0, knownIds: [], ms: 1, ...(failures.length ? { failure: failures[0]! } : {}), ...(failures.length > 1 ? { failures } : {}) }) as CellReport;
    const merged = mergeCells([
      { cell: cell([f('a'), f('b')]), shard: '1/3' },
      { cell: cell([]), shard: '2/3' },
      { cell: cell([f('c')]), shard: '3/3' },
    ]);
    expect(merged.failure?.message).toBe('a');
    expect(merged.moreFailures?.map((x) => x.message)).toEqual(['b', 'c']);
    expect((merged as { failures?: Regression[] }).failures?.map((x) => x.message)).toEqual(['a', 'b', 'c']);
    expect(merged.cases).toBe(30);
  });
});

describe('precision summaries in a merge', () => {
  it('a cell from one shard keeps its own; with --precision auto the merge says what was met, as the run does', () => {
    const cli = (args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { cwd: work, encoding: 'utf8' });
    const per: RunReport[] = [];
    for (const i of [1, 2]) {
      const r = cli(['run', '--oracles', 'reference', '--properties', 'differential,adjointness', '--runs', '10', '--time-budget', '600s', '--seed', '5', '--precision', 'auto', '--shard', `${i}/2`, '--no-regressions', '--report', 'json', '--out', `auto-${i}.json`]);
      expect(r.status, r.stderr).toBe(0);
      per.push(JSON.parse(readFileSync(join(work, `auto-${i}.json`), 'utf8')) as RunReport);
    }
    const m = cli(['merge', 'auto-1.json', 'auto-2.json', '--report', 'json', '--out', 'auto-merged.json']);
    expect(m.status, m.stderr).toBe(0);
    const merged = JSON.parse(readFileSync(join(work, 'auto-merged.json'), 'utf8')) as RunReport;
    for (const c of merged.cells) {
      const own = per.flatMap((p) => p.cells).find((x) => x.property === c.property)!;
      expect(own.precision?.mode).toBe('auto');
      expect(c.precision).toEqual(own.precision);
    }
    expect(m.stdout).toMatch(/error \/ bound per cell/);
    expect(m.stdout).toMatch(/\nprecision: meets fp32/);
  }, 120_000);

  it('a cell several streams ran: counts added, the largest error kept, no median, the tightest profile met found again', async () => {
    const { mergePrecision } = await import('../src/report/merge.js');
    const stats = (profile: string, judged: number, failed: number, median: number | null, max: number | null) => ({ profile, judged, failed, exact: 1, median, max });
    const a = { mode: 'auto' as const, profiles: [stats('fp32', 10, 0, 0.1, 0.5), stats('fp16', 10, 0, 0.01, 0.02)], meets: 'fp32' as const };
    const b = { mode: 'auto' as const, profiles: [stats('fp32', 8, 2, 0.3, 3), stats('fp16', 8, 0, 0.02, 0.04)], meets: 'fp16' as const };
    expect(mergePrecision([a, undefined])).toBe(a);
    expect(mergePrecision([a, b])).toEqual({ mode: 'auto', profiles: [stats('fp32', 18, 2, null, 3), stats('fp16', 18, 0, null, 0.04)].map((s) => ({ ...s, exact: 2 })), meets: 'fp16' });
    expect(mergePrecision([undefined, undefined])).toBeUndefined();
  });
});
