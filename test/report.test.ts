/**
 * The report renderers (src/report/): JSON round-trips with a stable key order; JUnit XML is
 * well-formed with the right suites, testcases, failures and skips, and its escaper survives
 * every character a message can carry; the HTML page, opened from a file:// URL in Debian's
 * headless chromium (driven by playwright-core, which never downloads a browser), shows the
 * summary, draws heatmaps whose colours follow the tensors, switches slices, copies the case,
 * and loads nothing from anywhere. A screenshot goes to /tmp/convcheck-report.png.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, parseCase, type CaseJson } from '../src/case/case.js';
import { jsonNumber } from '../src/case/io.js';
import { renderJson } from '../src/report/json.js';
import { escapeXmlAttr, escapeXmlText, renderJunit } from '../src/report/junit.js';
import { renderHtml } from '../src/report/html.js';
import { writeReport } from '../src/report/index.js';
import type { CellReport, RunReport } from '../src/runner/report.js';
import { openChromium } from './helpers/chromium.js';

// ---------------------------------------------------------------------------------------------
// The fixture: a run of two oracles × four properties, one new failure with real tensors.

/** ONNX Conv, X [1,1,5,5] holding a NaN and an Infinity, W [2,1,3,3]: output [1,2,3,3]. */
const X = [NaN, 1, -2, 0, 3, 2, -1, 1, 4, -3, 0, 2, -2, 1, 1, -1, 3, 0, -2, 2, 1, 0, 2, -1, Infinity];
const W0 = [1, 0, -1, 2, 0, -2, 1, 0, -1];
const W1 = [3, 1, -2, 0, 2, 1, -1, 4, 2];
const convCase = (w: number[]): CaseJson => ({
  framework: 'onnx',
  op: 'Conv',
  attrs: { kernel_shape: [3, 3] },
  inputs: { X: { shape: [1, 1, 5, 5], data: X.map(jsonNumber) }, W: { shape: [2, 1, 3, 3], data: w.map(jsonNumber) } },
  dtype: 'float32',
});
const failingCase: CaseJson = { id: 'differential-ort-3f9a1c', ...convCase([...W0, ...W1]) };

function run(c: CaseJson): number[] {
  const out = evaluate(parseCase(c, 'fixture'));
  if ('error' in out) throw new Error(out.error);
  return Array.from(out.data);
}
/** The reference's output, and an oracle's that flipped channel 1's kernel (a classic bug). */
const expectedData = run(convCase([...W0, ...W1]));
const actualData = [...run(convCase([...W0, ...W1])).slice(0, 9), ...run(convCase([...W0, ...[...W1].reverse()])).slice(9)];
const worst = actualData.reduce((best, a, i) => (Number.isFinite(a - expectedData[i]!) && Math.abs(a - expectedData[i]!) > Math.abs(actualData[best]! - expectedData[best]!) ? i : best), 1);

const replayCommand = 'convcheck run --oracles ort --properties differential --seed 1234567 --path 41:2:2:0';
const failure = {
  oracle: 'ort',
  property: 'differential',
  message: `output[${worst}] = ${actualData[worst]}, reference ${expectedData[worst]}: error 3.4e+6 × its bound`,
  ratio: 3.4e6,
  replay: { runSeed: 1234567, shard: '1/1', cellSeed: 2841093367, path: '41:2:2:0', command: replayCommand },
  input: failingCase,
  expected: { shape: [1, 2, 3, 3], data: expectedData.map(jsonNumber) },
  actual: { shape: [1, 2, 3, 3], data: actualData.map(jsonNumber) },
  cases: [failingCase],
  found: '2026-11-27T03:21:40.512Z',
};

const cell = (oracle: string, property: string, o: Partial<CellReport>): CellReport => ({
  oracle,
  property,
  status: 'ran',
  cases: 0,
  passed: 0,
  failed: 0,
  known: 0,
  unsupported: 0,
  lenient: 0,
  knownIds: [],
  ms: 0,
  ...o,
});

const KNOWN_SUMMARY = 'onnxruntime refuses Conv with auto_pad SAME_UPPER/SAME_LOWER and dilations > 1, which the ONNX spec defines';

function fixture(): RunReport {
  const cells: CellReport[] = [
    cell('ort', 'differential', { cases: 37, passed: 33, failed: 1, unsupported: 3, ms: 4102, failure }),
    cell('ort', 'impulse', { cases: 52, passed: 49, known: 3, knownIds: ['ort-conv-same-dilation'], ms: 3877 }),
    cell('ort', 'adjointness', { cases: 60, passed: 60, ms: 4010 }),
    cell('ort', 'groups', { cases: 44, passed: 41, unsupported: 3, ms: 3954 }),
    cell('tfjs-cpu', 'differential', { cases: 80, passed: 80, ms: 4120 }),
    cell('tfjs-cpu', 'impulse', { cases: 75, passed: 75, ms: 3990 }),
    cell('tfjs-cpu', 'adjointness', { status: 'unavailable', note: 'tfjs-cpu host exited (SIGKILL) before answering; <restarted> for the next cell' }),
    cell('tfjs-cpu', 'groups', { status: 'not-applicable', note: "no groups inputs for tfjs-cpu's ops" }),
  ];
  return {
    tool: 'convcheck',
    command: 'run',
    seed: 1234567,
    shard: '1/1',
    startedAt: '2026-11-27T03:20:11.204Z',
    durationMs: 31_877,
    cells,
    knownFindings: [{ id: 'ort-conv-same-dilation', summary: KNOWN_SUMMARY }],
    totals: {
      cases: cells.reduce((s, c) => s + c.cases, 0),
      failed: cells.filter((c) => c.failed > 0).length,
      known: cells.reduce((s, c) => s + c.known, 0),
      unsupported: cells.reduce((s, c) => s + c.unsupported, 0),
      lenient: cells.reduce((s, c) => s + c.lenient, 0),
    },
  };
}

const work = mkdtempSync(join(tmpdir(), 'convcheck-report-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the fixture', () => {
  it('has a real difference in one channel and non-finite values', () => {
    const d = expectedData.map((e, i) => (Object.is(e, actualData[i]) ? 0 : Math.abs(actualData[i]! - e)));
    expect(d.slice(0, 9).every((x) => x === 0)).toBe(true);
    expect(d.slice(9).filter((x) => x > 0).length).toBeGreaterThan(3);
    expect(failure.expected.data).toContain('NaN');
    expect(failure.expected.data.some((v) => v === 'Infinity' || v === '-Infinity')).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// JSON

describe('renderJson', () => {
  it('round-trips the whole run', () => {
    const r = fixture();
    const text = renderJson(r);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(r)));
    expect(renderJson(JSON.parse(text) as RunReport)).toBe(text);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "tool": "convcheck",');
  });

  it('orders keys the same way whatever order they were built in', () => {
    const r = fixture();
    const shuffled = JSON.parse(JSON.stringify(r), (_k, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
    ) as RunReport;
    expect(Object.keys(shuffled)[0]).not.toBe('tool');
    expect(renderJson(shuffled)).toBe(renderJson(r));
    const parsed = JSON.parse(renderJson(r)) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['tool', 'command', 'seed', 'shard', 'startedAt', 'durationMs', 'totals', 'knownFindings', 'cells']);
    const c0 = (parsed['cells'] as Array<Record<string, unknown>>)[0]!;
    expect(Object.keys(c0).slice(0, 4)).toEqual(['oracle', 'property', 'status', 'cases']);
    expect(Object.keys(c0).at(-1)).toBe('failure');
  });

  it('writes non-finite numbers as the case format does, never as null', () => {
    const r = fixture();
    const bad = { ...r, cells: [{ ...r.cells[0]!, failure: { ...failure, ratio: Infinity } }] };
    expect(JSON.parse(renderJson(bad)).cells[0].failure.ratio).toBe('Infinity');
  });

  it('writeReport writes atomically, leaving no temporary file', () => {
    const out = join(work, 'nested', 'report.json');
    writeReport('json', fixture(), out);
    expect(readFileSync(out, 'utf8')).toBe(renderJson(fixture()));
    expect(readdirSync(join(work, 'nested'))).toEqual(['report.json']);
  });
});

// ---------------------------------------------------------------------------------------------
// JUnit, read back by a small strict XML parser (well-formedness, entities, attribute
// normalization as XML 1.0 defines them).

interface XNode {
  name: string;
  attrs: Record<string, string>;
  children: XNode[];
  text: string;
}

function parseXml(src: string): XNode {
  let i = 0;
  const fail = (m: string): never => {
    throw new Error(`XML: ${m} at ${i}: ${JSON.stringify(src.slice(i, i + 50))}`);
  };
  const bad = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(src);
  if (bad) {
    i = bad.index;
    fail(`character U+${bad[0].charCodeAt(0).toString(16)} is not allowed in XML`);
  }
  const ENT = /&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/g;
  const decode = (s: string, attr: boolean): string => {
    if (s.includes('<')) fail('raw < in content');
    if (/&(?!(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/.test(s)) fail('raw & in content');
    const norm = attr ? s.replace(/\r\n|[\t\n\r]/g, ' ') : s.replace(/\r\n?/g, '\n');
    return norm.replace(ENT, (_m, e: string) =>
      e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === 'apos' ? "'" : String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)),
    );
  };
  const ws = () => {
    while (/\s/.test(src[i] ?? '')) i++;
  };
  const name = () => {
    const m = /^[A-Za-z_][\w.:-]*/.exec(src.slice(i));
    if (!m) return fail('expected a name');
    i += m[0].length;
    return m[0];
  };
  const element = (): XNode => {
    if (src[i] !== '<') fail('expected <');
    i++;
    const node: XNode = { name: name(), attrs: {}, children: [], text: '' };
    for (;;) {
      const before = i;
      ws();
      if (src.startsWith('/>', i)) {
        i += 2;
        return node;
      }
      if (src[i] === '>') {
        i++;
        break;
      }
      if (i === before) fail('expected whitespace before an attribute');
      const a = name();
      ws();
      if (src[i] !== '=') fail('expected =');
      i++;
      ws();
      const q = src[i];
      if (q !== '"' && q !== "'") fail('attribute value must be quoted');
      const end = src.indexOf(q!, i + 1);
      if (end < 0) fail('unterminated attribute');
      if (a in node.attrs) fail(`duplicate attribute ${a}`);
      node.attrs[a] = decode(src.slice(i + 1, end), true);
      i = end + 1;
    }
    for (;;) {
      if (src.startsWith('</', i)) {
        i += 2;
        if (name() !== node.name) fail(`mismatched </…> for <${node.name}>`);
        ws();
        if (src[i] !== '>') fail('expected >');
        i++;
        return node;
      }
      if (src[i] === '<') node.children.push(element());
      else {
        const end = src.indexOf('<', i);
        if (end < 0) fail(`unterminated <${node.name}>`);
        const raw = src.slice(i, end);
        if (raw.includes(']]>')) fail(']]> in content');
        node.text += decode(raw, false);
        i = end;
      }
    }
  };
  if (src.startsWith('<?xml')) i = src.indexOf('?>') + 2;
  ws();
  const root = element();
  ws();
  if (i !== src.length) fail('content after the root element');
  return root;
}

const all = (n: XNode, tag: string): XNode[] => [...(n.name === tag ? [n] : []), ...n.children.flatMap((c) => all(c, tag))];
const child = (n: XNode, tag: string) => n.children.find((c) => c.name === tag);
const props = (n: XNode) => Object.fromEntries((child(n, 'properties')?.children ?? []).map((p) => [p.attrs['name'], p.attrs['value']]));

/** Every character class the escaper must handle; the invalid ones come back as \uXXXX. */
const NASTY = `a & b < c > d "e" 'f' ]]> tab\there nl\nthere cr\rthere \u0001 esc\u001b del\u007f \uFFFF \uD800 lone \uDC00 😀 é`;
const NASTY_BACK = NASTY.replace('\u0001', '\\u0001').replace('\u001b', '\\u001B').replace('\uFFFF', '\\uFFFF').replace('\uD800', '\\uD800').replace('\uDC00', '\\uDC00');

describe('renderJunit', () => {
  it('escapes &, <, >, quotes and control characters so that XML reads them back', () => {
    expect(escapeXmlText('a & b < c > d')).toBe('a &amp; b &lt; c &gt; d');
    expect(escapeXmlAttr(`"'`)).toBe('&quot;&apos;');
    expect(escapeXmlAttr('x\ty\nz\r')).toBe('x&#9;y&#10;z&#13;');
    expect(escapeXmlText('\u0000\u0008\u000B\u000C\u001F')).toBe('\\u0000\\u0008\\u000B\\u000C\\u001F');
    expect(escapeXmlText('😀')).toBe('😀');
    const doc = parseXml(`<a v="${escapeXmlAttr(NASTY)}" w='${escapeXmlAttr(NASTY)}'>${escapeXmlText(NASTY)}</a>`);
    expect(doc.attrs['v']).toBe(NASTY_BACK);
    expect(doc.attrs['w']).toBe(NASTY_BACK);
    expect(doc.text).toBe(NASTY_BACK);
  });

  it('has one suite per oracle, one testcase per property, failures and skips', () => {
    const r = fixture();
    const doc = parseXml(renderJunit(r));
    expect(doc.name).toBe('testsuites');
    expect(doc.attrs).toMatchObject({ tests: '8', failures: '1', errors: '0', skipped: '2' });
    const suites = all(doc, 'testsuite');
    expect(suites.map((s) => s.attrs['name'])).toEqual(['ort', 'tfjs-cpu']);
    expect(suites.map((s) => [s.attrs['tests'], s.attrs['failures'], s.attrs['skipped']])).toEqual([
      ['4', '1', '0'],
      ['4', '0', '2'],
    ]);
    const cases = all(doc, 'testcase');
    expect(cases).toHaveLength(8);
    expect(cases.map((c) => `${c.attrs['classname']}/${c.attrs['name']}`)).toEqual(r.cells.map((c) => `${c.oracle}/${c.property}`));
    expect(all(doc, 'failure')).toHaveLength(1);
    expect(all(doc, 'skipped')).toHaveLength(2);

    const failed = cases[0]!;
    const f = child(failed, 'failure')!;
    expect(f.attrs['message']).toBe(failure.message);
    expect(f.text).toContain(JSON.stringify(failingCase));
    expect(f.text).toContain(`replay: ${replayCommand}`);
    expect(JSON.parse(f.text.split('\n').find((l) => l.startsWith('{'))!)).toEqual(JSON.parse(JSON.stringify(failingCase)));
    expect(props(failed)).toMatchObject({ cases: '37', passed: '33', known: '0', unsupported: '3', seed: '1234567' });

    const unavailable = cases[6]!;
    expect(child(unavailable, 'skipped')!.attrs['message']).toBe(`UNAVAILABLE: ${r.cells[6]!.note}`);
    expect(child(cases[7]!, 'skipped')!.attrs['message']).toMatch(/^not applicable/);

    const known = cases[1]!;
    expect(child(known, 'failure')).toBeUndefined();
    expect(child(known, 'system-out')!.text).toContain('cases=52 passed=49 failed=0 known=3 unsupported=0 lenient=0 seed=1234567');
    expect(child(known, 'system-out')!.text).toContain('ort-conv-same-dilation');
    expect(props(suites[0]!)).toMatchObject({ seed: '1234567', shard: '1/1', cases: '193', passed: '183', known: '3', unsupported: '6' });
  });

  it('reports a lenient cell as passing, with its count and first lenient call', () => {
    const lenientCase: CaseJson = { framework: 'onnx', op: 'Conv', attrs: { pads: [-1, 0] }, inputs: { X: { shape: [1, 1, 3], data: [1, 2, 3] }, W: { shape: [1, 1, 1], data: [1] } } };
    const message = 'my-conv accepted a call the convention rejects (negative-pads: onnx.Conv: pads must be >= 0, got [-1, 0]) and returned shape [1, 1, 2]';
    const base = fixture();
    const cells = [cell('my-conv', 'validity', { cases: 30, passed: 20, unsupported: 6, lenient: 4, lenientExample: { message, cases: [lenientCase] } })];
    const r: RunReport = { ...base, cells, totals: { cases: 30, failed: 0, known: 0, unsupported: 6, lenient: 4 } };
    const doc = parseXml(renderJunit(r));
    expect(doc.attrs).toMatchObject({ tests: '1', failures: '0' });
    const tc = all(doc, 'testcase')[0]!;
    expect(child(tc, 'failure')).toBeUndefined();
    expect(props(tc)).toMatchObject({ lenient: '4' });
    expect(child(tc, 'system-out')!.text).toContain(`lenient: ${message}\n  case: ${JSON.stringify(lenientCase)}`);
    expect(JSON.parse(renderJson(r)).cells[0]).toMatchObject({ lenient: 4, lenientExample: { message, cases: [lenientCase] } });
    const html = renderHtml(r);
    expect(html).toContain('<th class="n">lenient</th>');
    expect(html).toContain('<td class="n">4</td>');
    expect(html).toContain('pads must be &gt;= 0');
  });

  it('survives a failure message with every awkward character', () => {
    const r = fixture();
    const nasty = { ...r, cells: [{ ...r.cells[0]!, failure: { ...failure, message: NASTY } }] };
    const doc = parseXml(renderJunit(nasty));
    const f = all(doc, 'failure')[0]!;
    expect(f.attrs['message']).toBe(NASTY_BACK);
    expect(f.text.startsWith(NASTY_BACK)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// HTML in a real browser.

type Rgb = [number, number, number];
const SEQ_ZERO: Rgb = [250, 250, 250];
const NAN_C: Rgb = [152, 162, 179];
const POS_INF: Rgb = [103, 0, 31];
const NEG_INF: Rgb = [5, 48, 97];

describe('renderHtml', () => {
  it('escapes text and embedded JSON, so nothing in a report can open a tag or a script', () => {
    const evil = '</script><script>alert(1)</script><b onmouseover="x">&amp;';
    const r = fixture();
    const c = { ...failingCase, id: evil };
    const html = renderHtml({ ...r, cells: [{ ...r.cells[0]!, note: evil, failure: { ...failure, message: evil, cases: [c], input: c } }, ...r.cells.slice(1)] });
    expect(html.match(/<script/g)).toHaveLength(2); // the tensors' JSON and the page's script
    expect(html).not.toContain('<b onmouseover');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)');
    const json = /<script type="application\/json" class="cc-tensors">(.*?)<\/script>/s.exec(html)![1]!;
    expect(JSON.parse(json).expected).toEqual(failure.expected);
  });
});

describe('renderHtml in chromium', () => {
  // Typed loosely: playwright-core is imported only after PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD is set.
  let browser: import('playwright-core').Browser | undefined;
  let page: import('playwright-core').Page;
  let consoleErrors: string[] = [];
  let requests: string[] = [];
  const htmlPath = join(work, 'report.html');

  beforeAll(async () => {
    const opened = await openChromium();
    browser = opened.browser;
    page = opened.page;
    consoleErrors = opened.consoleErrors;
    requests = opened.requests;
    writeReport('html', fixture(), htmlPath);
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('is one self-contained file', () => {
    const html = readFileSync(htmlPath, 'utf8');
    expect(html).toBe(renderHtml(fixture()));
    expect(html).not.toMatch(/<(script|img|iframe)[^>]+src=|<link[^>]+rel="stylesheet"|@import|url\((?!data:)/i);
  });

  it('shows the header and the summary table, with the failed row marked', async () => {
    const header = await page.locator('header.top').innerText();
    for (const s of ['convcheck run', '1234567', '2026-11-27 03:20:11 UTC', '1 new failure', '348']) expect(header).toContain(s);
    const rows = await page.$$eval('#summary-table tbody tr', (trs) =>
      trs.map((tr) => ({
        key: `${(tr as HTMLElement).dataset['oracle']}/${(tr as HTMLElement).dataset['property']}`,
        status: (tr as HTMLElement).dataset['status'],
        failedRow: tr.classList.contains('row-fail'),
        cells: [...tr.querySelectorAll('td')].slice(3, 8).map((td) => td.textContent),
        background: getComputedStyle(tr.querySelector('td')!).backgroundColor,
      })),
    );
    expect(rows.map((r) => r.key)).toEqual(fixture().cells.map((c) => `${c.oracle}/${c.property}`));
    expect(rows.map((r) => r.status)).toEqual(['fail', 'known', 'pass', 'pass', 'pass', 'pass', 'unavailable', 'not-applicable']);
    expect(rows.filter((r) => r.failedRow).map((r) => r.key)).toEqual(['ort/differential']);
    expect(rows[0]!.cells).toEqual(['37', '33', '1', '0', '3']);
    expect(rows[0]!.background).not.toBe(rows[2]!.background);
    // The FAIL chip links to the failure.
    expect(await page.getAttribute('#summary-table tr.row-fail a.chip', 'href')).toBe('#failure-1');
  });

  it('lists the known findings hit with their summaries', async () => {
    const known = await page.locator('#known li[data-known="ort-conv-same-dilation"]').innerText();
    expect(known).toContain(KNOWN_SUMMARY);
    expect(known).toContain('ort · impulse (3 cases)');
  });

  it('shows the failure: message, error over bound, three heatmaps whose colours follow the tensors', async () => {
    const sec = page.locator('#failure-1');
    const text = await sec.innerText();
    expect(text).toContain(failure.message);
    expect(text).toContain('3.4 × 106'); // 10<sup>6</sup>
    expect(text).toContain(replayCommand);
    expect(await sec.locator('.heatmaps canvas').count()).toBe(3);

    const view = await readHeatmaps(page);
    // The default slice is the one with the largest difference: channel 1.
    expect(view.slice).toBe('N=0, C=1');
    expect(view.options).toHaveLength(2);
    expect(view.plane).toBe('rows H (3) × columns W (3)');
    checkSlice(view, 1);
    expect(view.legends['expected']).toMatch(/min .* max /);
    expect(view.legends['expected']).toContain('NaN ×1');
    expect(view.legends['diff']).toMatch(/\|Δ\| min 0 · max \d/);
  });

  it('switches slices with the select', async () => {
    const before = await readHeatmaps(page);
    await page.selectOption('#failure-1 select.slice', '0');
    const after = await readHeatmaps(page);
    expect(after.slice).toBe('N=0, C=0');
    expect(after.grids['expected']).not.toEqual(before.grids['expected']);
    checkSlice(after, 0);
    // Pointing at a cell reads its values out.
    await page.locator('#failure-1 figure[data-kind="actual"] canvas').hover({ position: { x: after.cw * 1.5, y: after.ch * 0.5 } });
    expect(await page.locator('#failure-1 .readout').innerText()).toMatch(/\[N=0, C=0, H=0, W=1\]\s+expected .*actual .*\|Δ\| 0/);
    await page.selectOption('#failure-1 select.slice', '1');
    expect((await readHeatmaps(page)).slice).toBe('N=0, C=1');
  });

  it('copies the counterexample to the clipboard', async () => {
    const button = page.locator('#failure-1 button.copy[data-copy="case-1"]');
    await button.click();
    await page.waitForFunction(() => document.querySelector('#failure-1 button.copy[data-copy="case-1"]')?.getAttribute('data-state'));
    const state = await button.getAttribute('data-state');
    const got = state === 'copied' ? await page.evaluate(() => navigator.clipboard.readText()) : await page.evaluate(() => String(window.getSelection()));
    expect(JSON.parse(got)).toEqual(JSON.parse(JSON.stringify(failingCase)));
    expect(got).toBe(JSON.stringify(failingCase));
  });

  it('logs no errors, requests nothing but the file, and reads well (screenshot)', async () => {
    await page.mouse.move(0, 0);
    await page.screenshot({ path: '/tmp/convcheck-report.png', fullPage: true });
    expect(consoleErrors).toEqual([]);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
  });

  it('copes with every kind of failure: layouts, mismatched shapes and ranks, scalars, no tensors', async () => {
    const path = join(work, 'edge.html');
    writeReport('html', edgeReport(), path);
    const p = await page.context().newPage();
    const errors: string[] = [];
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    p.on('pageerror', (e) => errors.push(String(e)));
    await p.goto(pathToFileURL(path).href, { waitUntil: 'load' });
    const views = await p.$$eval('.failure', (secs) =>
      secs.map((sec) => {
        const hm = sec.querySelector('.heatmaps') as HTMLElement | null;
        return {
          id: sec.id,
          property: (sec as HTMLElement).dataset['property'],
          slice: hm?.dataset['sliceLabel'],
          plane: hm?.querySelector('.plane')?.textContent,
          canvases: hm ? [...hm.querySelectorAll('canvas')].map((c) => [c.width, c.height]) : [],
          legend: hm ? (hm.querySelector('figure[data-kind="diff"] .legend') as HTMLElement).innerText : '',
        };
      }),
    );
    await p.screenshot({ path: '/tmp/convcheck-report-edge.png', fullPage: true });
    await p.close();
    expect(errors).toEqual([]);
    expect(views.map((v) => v.property)).toEqual(['differential', 'shape-law', 'adjointness', 'batch-independence', 'bilinearity', 'groups', 'stride']);
    const by = Object.fromEntries(views.map((v) => [v.property, v]));
    expect(by['differential']!.slice).toBe('N=1, C=2');
    expect(by['differential']!.plane).toBe('rows H (6) × columns W (7)');
    expect(by['shape-law']!.legend).toContain('missing ×1');
    expect(by['adjointness']!.slice).toBe('whole tensor');
    expect(by['adjointness']!.legend).toContain('non-finite mismatch');
    expect(by['batch-independence']!.plane).toMatch(/wrapped/);
    expect(by['bilinearity']!.plane).toBe('rows C (3) × columns W (100)');
    for (const k of ['differential', 'shape-law', 'adjointness', 'batch-independence', 'bilinearity']) {
      expect(by[k]!.canvases, k).toHaveLength(3);
      for (const [w, h] of by[k]!.canvases) expect(w * h, k).toBeGreaterThan(0);
    }
    expect(by['groups']!.canvases).toEqual([]);
    expect(by['stride']!.canvases).toEqual([]);
  });

  it('parses the JUnit XML and the escaper test with the browser XML parser', async () => {
    const xml = renderJunit({ ...fixture(), cells: fixture().cells.map((c, i) => (i === 0 ? { ...c, failure: { ...failure, message: NASTY } } : c)) });
    const res = await page.evaluate((x) => {
      const d = new DOMParser().parseFromString(x, 'application/xml');
      return {
        errors: d.getElementsByTagName('parsererror').length,
        testcases: d.getElementsByTagName('testcase').length,
        message: d.getElementsByTagName('failure')[0]?.getAttribute('message'),
      };
    }, xml);
    expect(res).toEqual({ errors: 0, testcases: 8, message: NASTY_BACK });
  });
});

/** A `convcheck validate` run whose failures take every shape the heatmaps must cope with. */
function edgeReport(): RunReport {
  const ints = (n: number, seed: number) => Array.from({ length: n }, (_, i) => ((i * 7 + seed * 13) % 11) - 5);
  const nhwc = ints(2 * 6 * 7 * 3, 1);
  // Batch 1, channel 2 is off (NHWC: channel is the fastest axis).
  const nhwcActual = nhwc.map((v, i) => (i >= 6 * 7 * 3 && i % 3 === 2 ? v + (i % 5) : v));
  const tfCase: CaseJson = { framework: 'tf', op: 'conv2d', attrs: { strides: 1, padding: 'SAME' }, inputs: { input: { shape: [2, 6, 7, 3], data: ints(252, 2) }, filters: { shape: [1, 1, 3, 3], data: ints(9, 3) } } };
  const tcase: CaseJson = { framework: 'onnx', op: 'ConvTranspose', attrs: { strides: [2] }, inputs: { X: { shape: [1, 1, 2], data: [1, 0] }, W: { shape: [1, 1, 3], data: [1, 2, 3] } } };
  const torchCase: CaseJson = { framework: 'torch', op: 'conv1d', attrs: {}, inputs: { input: { shape: [1, 1, 102], data: ints(102, 4) }, weight: { shape: [3, 1, 3], data: ints(9, 5) } } };
  const f = (property: string, o: Partial<typeof failure> & { cases: CaseJson[] }) => ({ ...failure, oracle: 'my-conv', property, input: o.cases[0], replay: { ...failure.replay, command: `convcheck validate ./adapters/my-conv.js --properties ${property}` }, ...o });
  const { expected: _e, actual: _a, ratio: _r, ...bare } = failure;
  const cells: CellReport[] = [
    cell('my-conv', 'differential', { cases: 9, passed: 8, failed: 1, ms: 800, failure: f('differential', { cases: [tfCase], expected: { shape: [2, 6, 7, 3], data: nhwc }, actual: { shape: [2, 6, 7, 3], data: nhwcActual } }) }),
    cell('my-conv', 'shape-law', { cases: 3, passed: 2, failed: 1, ms: 90, failure: f('shape-law', { cases: [tcase], expected: { shape: [1, 1, 4], data: [1, 2, 5, 2] }, actual: { shape: [1, 1, 5], data: [1, 2, 5, 2, 3] } }) }),
    cell('my-conv', 'adjointness', { cases: 4, passed: 3, failed: 1, ms: 70, failure: f('adjointness', { cases: [tcase, tcase], expected: { shape: [], data: [3.5] }, actual: { shape: [], data: ['-Infinity'] } }) }),
    cell('my-conv', 'batch-independence', { cases: 5, passed: 4, failed: 1, ms: 60, failure: f('batch-independence', { cases: [tcase], expected: { shape: [1, 2, 3], data: [1, 2, 3, 4, 5, 6] }, actual: { shape: [6], data: [1, 2, 3, 4, 5, 'NaN'] } }) }),
    cell('my-conv', 'bilinearity', { cases: 6, passed: 5, failed: 1, ms: 75, failure: f('bilinearity', { cases: [torchCase], expected: { shape: [1, 3, 100], data: ints(300, 6) }, actual: { shape: [1, 3, 100], data: ints(300, 6).map((v, i) => (i > 150 && i < 170 ? v * 2 : v)) } }) }),
    cell('my-conv', 'groups', { cases: 2, passed: 1, failed: 1, ms: 50, failure: { ...bare, oracle: 'my-conv', property: 'groups', message: 'my-conv rejected a call the convention accepts: groups must divide <C_in> & "C_out"' } }),
    cell('my-conv', 'stride', { cases: 1, failed: 1, ms: 40, note: 'fast-check reported a failure without a counterexample' }),
    cell('my-conv', 'dilation', { cases: 20, passed: 20, ms: 300 }),
  ];
  return {
    ...fixture(),
    command: 'validate',
    implementation: { name: 'my-conv', path: './adapters/my-conv.js', framework: 'tf', ops: ['conv2d', 'conv2d_transpose'] },
    cells,
    knownFindings: [],
    totals: { cases: 50, failed: 7, known: 0, unsupported: 0, lenient: 0 },
  };
}

interface HeatmapView {
  slice: string;
  plane: string;
  options: string[];
  cw: number;
  ch: number;
  grids: Record<string, Rgb[][]>;
  legends: Record<string, string>;
}

/** The colour of each cell of each panel, read from the canvas pixels (a corner, away from the label). */
async function readHeatmaps(page: import('playwright-core').Page): Promise<HeatmapView> {
  return page.evaluate(() => {
    const root = document.querySelector('#failure-1 .heatmaps') as HTMLElement;
    const grids: Record<string, Array<Array<[number, number, number]>>> = {};
    const legends: Record<string, string> = {};
    let cw = 0;
    let ch = 0;
    root.querySelectorAll('figure.panel').forEach((fig) => {
      const c = fig.querySelector('canvas')!;
      const ctx = c.getContext('2d')!;
      const rows = Number(c.dataset['rows']);
      const cols = Number(c.dataset['cols']);
      const dpr = Number(c.dataset['dpr']);
      cw = Number(c.dataset['cw']);
      ch = Number(c.dataset['ch']);
      const g: Array<Array<[number, number, number]>> = [];
      for (let i = 0; i < rows; i++) {
        const row: Array<[number, number, number]> = [];
        for (let j = 0; j < cols; j++) {
          const d = ctx.getImageData(Math.floor((j * cw + 3) * dpr), Math.floor((i * ch + 3) * dpr), 1, 1).data;
          row.push([d[0]!, d[1]!, d[2]!]);
        }
        g.push(row);
      }
      const kind = (fig as HTMLElement).dataset['kind']!;
      grids[kind] = g;
      legends[kind] = (fig.querySelector('.legend') as HTMLElement).innerText;
    });
    return {
      slice: root.dataset['sliceLabel'] ?? '',
      plane: (root.querySelector('.plane') as HTMLElement).innerText,
      options: [...root.querySelectorAll('select.slice option')].map((o) => o.textContent ?? ''),
      cw,
      ch,
      grids,
      legends,
    };
  });
}

/** Colours agree where the tensors agree and differ where they differ, in channel c. */
function checkSlice(view: HeatmapView, c: number): void {
  const { expected, actual, diff } = view.grids as Record<'expected' | 'actual' | 'diff', Rgb[][]>;
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      const k = c * 9 + i * 3 + j;
      const e = expectedData[k]!;
      const a = actualData[k]!;
      const where = `C=${c} H=${i} W=${j}: expected ${e}, actual ${a}`;
      if (Object.is(e, a)) {
        expect(actual![i]![j], where).toEqual(expected![i]![j]);
        expect(diff![i]![j], where).toEqual(SEQ_ZERO);
      } else {
        expect(actual![i]![j], where).not.toEqual(expected![i]![j]);
        expect(diff![i]![j], where).not.toEqual(SEQ_ZERO);
      }
      if (Number.isNaN(e)) expect(expected![i]![j], where).toEqual(NAN_C);
      if (e === Infinity) expect(expected![i]![j], where).toEqual(POS_INF);
      if (e === -Infinity) expect(expected![i]![j], where).toEqual(NEG_INF);
    }
  }
}
