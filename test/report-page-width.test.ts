/**
 * The HTML report's layout in Debian's chromium at 1280 px: a fast-check path thousands of
 * characters long, a long command line and long notes wrap instead of widening the page; the
 * header shows the full command line; a failure whose expected value is 0 shows the absolute
 * error and the bound, not their ratio; a merged report shows every shard's failure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../src/report/index.js';
import type { CellReport, RunReport } from '../src/runner/report.js';
import type { Regression } from '../src/runner/regressions.js';
import { openChromium, type OpenPage } from './helpers/chromium.js';

const work = mkdtempSync(join(tmpdir(), 'convcheck-layout-'));
const longPath = Array.from({ length: 1500 }, (_, i) => i % 7).join(':');
const commandLine = `convcheck validate --impl ./adapters/${'deeply-nested/'.repeat(12)}my-conv.mjs --runs 500 --seed 1234567 --properties differential,impulse --report html --out reports/`;

// An ONNX Conv whose expected output is all 0 (zero kernel) while the implementation returns
// 3e-8 at element 2: the bound at an expected 0 is only the flush-to-zero allowance (here taken
// as 1e-44), so the ratio is 3e36, which says nothing to a reader.
const cs = { framework: 'onnx' as const, op: 'Conv', inputs: { X: { shape: [1, 1, 4], data: [1, 2, 3, 4] }, W: { shape: [1, 1, 1], data: [0] } } };
const zeroFailure: Regression = {
  oracle: 'my-conv',
  property: 'differential',
  message: 'output[2] = 3e-8, reference 0: error 3.0e+36 × its bound',
  ratio: 3e-8 / 1e-44,
  input: cs,
  cases: [cs],
  expected: { shape: [1, 1, 4], data: [0, 0, 0, 0] },
  actual: { shape: [1, 1, 4], data: [0, 0, 3e-8, 0] },
  replay: { runSeed: 1234567, shard: '2/3', cellSeed: 99, path: longPath, command: `${commandLine.split(' --report')[0]} --path ${longPath}` },
  found: '2026-11-29T00:00:00.000Z',
};
const second: Regression = { ...zeroFailure, message: 'output[1] = 1, reference 0.5: error 12 × its bound', ratio: 12, expected: { shape: [1, 1, 4], data: [0, 0.5, 0, 0] }, actual: { shape: [1, 1, 4], data: [0, 1, 0, 0] }, replay: { ...zeroFailure.replay!, shard: '3/3', path: '0:1' } };

const cell: CellReport = { oracle: 'my-conv', property: 'differential', status: 'ran', cases: 40, passed: 38, failed: 2, known: 0, unsupported: 0, knownIds: [], ms: 900, note: `x${'y'.repeat(600)}`, failure: zeroFailure, moreFailures: [second] };
const report: RunReport = {
  tool: 'convcheck',
  command: 'validate',
  commandLine,
  implementation: { name: 'my-conv', path: './adapters/my-conv.mjs', framework: 'onnx', ops: ['Conv'] },
  seed: 1234567,
  shard: '1-3/3',
  shards: ['1/3', '2/3', '3/3'],
  startedAt: '2026-11-29T01:02:03.000Z',
  durationMs: 5000,
  cells: [cell],
  knownFindings: [],
  totals: { cases: 40, failed: 1, known: 0, unsupported: 0 },
};

let b: OpenPage | undefined;
beforeAll(async () => {
  b = await openChromium();
  const path = join(work, 'layout.html');
  writeReport('html', report, path);
  await b.page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
}, 30_000);
afterAll(async () => {
  await b?.browser.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the HTML report at 1280 px in chromium', () => {
  it('stays within the window with a 3,000-character fast-check path', async () => {
    expect(longPath.length).toBeGreaterThan(2900);
    const width = await b!.page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth));
    expect(width).toBeLessThanOrEqual(1280);
    // The path is on the page in full, wrapped.
    expect(await b!.page.locator('#failure-1 .small').first().innerText()).toContain(longPath);
  });

  it('shows the full command line in the header', async () => {
    expect(await b!.page.locator('header.top .command-line').innerText()).toBe(commandLine);
  });

  it('shows the absolute error and the bound where the expected value is 0, the ratio elsewhere', async () => {
    const first = await b!.page.locator('#failure-1 .facts').innerText();
    expect(first).toContain('|actual − expected| = 3.00e−8 where the expected value is 0 (element 2); the bound there is 1.00e−44');
    expect(first).not.toContain('× 10');
    const other = await b!.page.locator('#failure-2 .facts').innerText();
    expect(other).toMatch(/error \/ bound\s+12 \(the error is this multiple/);
  });

  it('shows every shard\'s failure of a merged cell, each with its shard', async () => {
    expect(await b!.page.locator('section.failure').count()).toBe(2);
    expect(await b!.page.locator('#failure-1 .facts').innerText()).toContain('(this failure: shard 2/3)');
    expect(await b!.page.locator('#failure-2 .facts').innerText()).toContain('(this failure: shard 3/3)');
    expect(b!.consoleErrors).toEqual([]);
  });
});
