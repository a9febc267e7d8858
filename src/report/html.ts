/**
 * One self-contained HTML page for a run: header and totals, the oracle × property table, the
 * known findings hit, and each new failure with heatmaps of expected, actual and |difference|
 * (2-D slices of the output, the slice with the largest difference first), the counterexample
 * with a Copy button, and the replay command. Inline CSS and JS only: the page loads nothing.
 */
import type { CaseJson } from '../case/case.js';
import { machineLine } from '../machine.js';
import type { CellReport, RunReport } from '../runner/report.js';
import type { Regression } from '../runner/regressions.js';
import { CLIENT_JS, CSS } from './client.js';
import { groupByOracle, isFailed, isSkipped } from './junit.js';
import { outputLayout, type OutputLayout } from './layout.js';
import { worstIndex } from '../testing/format.js';

type TensorData = NonNullable<Regression['expected']>;

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
const h = escapeHtml;

/** JSON that is safe inside <script>: no "</script>", no "<!--", no line separators. */
export function jsonForScript(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const toNumber = (v: number | string | null): number => (typeof v === 'number' ? v : v === null ? NaN : Number(v));

/** |actual − expected| with the report's rules: NaN matches NaN, an infinity only itself. */
export function elementDiff(e: number, a: number): number {
  if ((Number.isNaN(e) && Number.isNaN(a)) || e === a) return 0;
  if (!Number.isFinite(e) || !Number.isFinite(a)) return Infinity;
  return Math.abs(a - e);
}

export interface DiffSummary {
  readonly max: number;
  /** Multi-index of the (first) largest difference. */
  readonly at: number[];
  /** How many elements differ at all. */
  readonly differing: number;
  readonly size: number;
}

/** The largest difference of two same-shape tensors, or undefined when the shapes differ. */
export function diffSummary(e: TensorData, a: TensorData): DiffSummary | undefined {
  if (e.shape.length !== a.shape.length || e.shape.some((d, i) => d !== a.shape[i])) return undefined;
  let max = -1;
  let arg = 0;
  let differing = 0;
  for (let i = 0; i < e.data.length; i++) {
    const d = elementDiff(toNumber(e.data[i]!), toNumber(a.data[i]!));
    if (d > 0) differing++;
    if (d > max) [max, arg] = [d, i];
  }
  const at: number[] = [];
  for (let k = e.shape.length - 1; k >= 0; k--) {
    at.unshift(arg % e.shape[k]!);
    arg = Math.floor(arg / e.shape[k]!);
  }
  return { max: Math.max(max, 0), at, differing, size: e.data.length };
}

export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+∞' : '−∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  const s = a >= 1e5 || a < 1e-3 ? x.toExponential(2) : String(Number(x.toPrecision(4)));
  return s.replace(/-/g, '−');
}

/** A ratio as "3.1" or "4.2 × 10<sup>5</sup>" (HTML). */
function formatRatio(x: number): string {
  if (!Number.isFinite(x)) return h(formatNumber(x));
  if (Math.abs(x) < 1e4) return h(String(Number(x.toPrecision(3))));
  const [m, e] = x.toExponential(1).split('e');
  return `${m} × 10<sup>${Number(e)}</sup>`;
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

function formatDate(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function statusChip(c: CellReport, failureIndex: number | undefined): string {
  if (c.status === 'unavailable') return '<span class="chip unavailable">UNAVAILABLE</span>';
  if (c.status === 'not-applicable') return '<span class="chip not-applicable">n/a</span>';
  if (isFailed(c)) return `<a class="chip fail" href="#failure-${failureIndex}">FAIL</a>`;
  if (c.known > 0) return '<span class="chip known">known</span>';
  return '<span class="chip pass">pass</span>';
}

function cellStatus(c: CellReport): string {
  if (c.status !== 'ran') return c.status;
  return isFailed(c) ? 'fail' : c.known > 0 ? 'known' : 'pass';
}

function header(r: RunReport): string {
  const failed = r.cells.filter(isFailed).length;
  const skipped = r.cells.filter(isSkipped).length;
  const passed = r.cells.reduce((s, c) => s + c.passed, 0);
  const cellsOf = (o: string) => r.cells.filter((c) => c.oracle === o).length;
  const unavailable = groupByOracle(r.cells.filter((c) => c.status === 'unavailable')).map(([o, cs]) => [o, cs.length] as const);
  const impl = r.implementation;
  const chips = unavailable.map(([o, n]) => ` <span class="chip unavailable">${h(o)} UNAVAILABLE${n < cellsOf(o) ? ` in ${plural(n, 'cell')}` : ''}</span>`).join('');
  const meta: Array<[string, string]> = [['command', `<code class="command-line">${h(r.commandLine ?? `convcheck ${r.command}`)}</code>`]];
  if (impl) meta.push(['implementation', `<b>${h(impl.name)}</b> (${h(impl.framework)}; ${h(impl.ops.join(', '))}) <code>${h(impl.path)}</code>${chips}`]);
  else meta.push(['oracles', h(groupByOracle(r.cells).map(([o]) => o).join(', ')) + chips]);
  meta.push(
    ['seed', `<code>${h(String(r.seed))}</code>${r.shards ? `, merged from shards <code>${h(r.shards.join(', '))}</code>` : r.shard && r.shard !== '1/1' ? `, shard <code>${h(r.shard)}</code>` : ''}`],
    ...(r.precision ? [['precision', `<code>${h(r.precision.mode)}</code>${r.precision.meets ? `: <b>meets ${h(r.precision.meets)}</b>` : ''}`] as [string, string]] : []),
    ['started', `<time datetime="${h(r.startedAt)}">${h(formatDate(r.startedAt))}</time>, took ${h(formatDuration(r.durationMs))}`],
  );
  if (r.machine) meta.push(['machine', h(machineLine(r.machine))]);
  const total = (n: number | string, label: string, cls = '') => `<div class="total${cls ? ` ${cls}` : ''}"><b>${h(String(n))}</b><span>${h(label)}</span></div>`;
  return `<header class="top">
  <div class="title"><h1>convcheck <span class="sub">${h(r.command)}${impl ? ` · ${h(impl.name)}` : ''}</span></h1>
  ${failed ? `<span class="badge fail">${h(plural(failed, 'new failure'))}</span>` : '<span class="badge pass">no new failures</span>'}</div>
  <dl class="meta">${meta.map(([k, v]) => `<dt>${h(k)}</dt><dd>${v}</dd>`).join('')}</dl>
  <div class="totals" id="totals">
    ${total(r.totals.cases, 'cases')}${total(passed, 'passed')}${total(r.totals.failed, 'failed cells', r.totals.failed ? 'fail' : '')}${total(
      r.totals.known,
      'known',
      r.totals.known ? 'known' : '',
    )}${total(r.totals.unsupported, 'unsupported')}${total(r.totals.lenient, 'lenient')}${total(`${r.cells.length - skipped}/${r.cells.length}`, 'cells ran')}
  </div>
</header>`;
}

/** error / bound (median / max) per profile judged, and the tightest profile met (auto). */
function precisionCell(c: CellReport): string {
  const p = c.precision;
  if (!p) return '';
  const fmt = (x: number | null) => (x === null ? '–' : Number.isFinite(x) ? x.toPrecision(2) : '∞');
  const parts = p.profiles.filter((s) => s.max !== null).map((s) => `${p.mode === 'default' ? '' : `${h(s.profile)} `}${fmt(s.median)} / ${fmt(s.max)}`);
  return `${p.meets ? `<b>meets ${h(p.meets)}</b><br>` : ''}${parts.join('<br>')}`;
}

function summaryTable(r: RunReport, failureIds: Map<CellReport, number>): string {
  const num = (n: number, cls = '') => `<td class="n${n === 0 ? ' zero' : ''}${cls ? ` ${cls}` : ''}">${n}</td>`;
  const rows: string[] = [];
  for (const [oracle, cells] of groupByOracle(r.cells)) {
    cells.forEach((c, i) => {
      const cls = [isFailed(c) ? 'row-fail' : '', isSkipped(c) ? 'row-skip' : '', i === 0 ? 'first-of-oracle' : ''].filter(Boolean).join(' ');
      const lenient = c.lenientExample ? `lenient: ${h(c.lenientExample.message)}${c.lenientExample.cases.map((cs) => `<br><code>${h(JSON.stringify(cs))}</code>`).join('')}` : '';
      const note = [c.note ? h(c.note) : '', c.knownIds.length ? c.knownIds.map((k) => `<code>${h(k)}</code>`).join(', ') : '', lenient].filter(Boolean).join('<br>');
      rows.push(
        `<tr class="${cls}" data-oracle="${h(oracle)}" data-property="${h(c.property)}" data-status="${cellStatus(c)}">` +
          `<td class="key${i > 0 ? ' repeat' : ''}">${h(oracle)}</td><td class="key">${h(c.property)}</td><td>${statusChip(c, failureIds.get(c))}</td>` +
          `${num(c.cases)}${num(c.passed)}${num(c.failed, 'failed-count')}${num(c.known)}${num(c.unsupported)}${num(c.lenient)}` +
          `<td class="n">${c.status === 'ran' ? h(formatDuration(c.ms)) : ''}</td><td class="ratios">${precisionCell(c)}</td><td class="note">${note}</td></tr>`,
      );
    });
  }
  return `<table class="summary" id="summary-table">
<thead><tr><th>oracle</th><th>property</th><th>status</th><th class="n">cases</th><th class="n">passed</th><th class="n">failed</th><th class="n">known</th><th class="n">unsupported</th><th class="n">lenient</th><th class="n">time</th><th title="error / bound, median / max, per precision profile">error / bound</th><th>note</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

function knownSection(r: RunReport): string {
  if (!r.knownFindings.length) return '<p class="none">No known finding was hit.</p>';
  const items = r.knownFindings.map((k) => {
    const where = r.cells
      .filter((c) => c.knownIds.includes(k.id))
      .map((c) => `${h(c.oracle)} · ${h(c.property)}${c.knownIds.length === 1 ? ` (${plural(c.known, 'case')})` : ''}`);
    return `<li data-known="${h(k.id)}"><code><b>${h(k.id)}</b></code>: ${h(k.summary)}${
      k.upstream ? ` <a href="${h(k.upstream)}" rel="noreferrer noopener">upstream</a>` : ''
    }${where.length ? `<div class="where">hit in ${where.join(', ')}</div>` : ''}</li>`;
  });
  return `<ul class="known-list">${items.join('\n')}</ul>`;
}

/** What the client draws: both tensors on the same axes (flattened when their ranks differ). */
function heatmapSpec(f: Regression): { expected: TensorData | null; actual: TensorData | null; layout: OutputLayout } | undefined {
  const e = f.expected ?? null;
  const a = f.actual ?? null;
  const some = e ?? a;
  if (!some) return undefined;
  if ((e?.data.length ?? 0) === 0 && (a?.data.length ?? 0) === 0) return undefined;
  if (e && a && e.shape.length !== a.shape.length) {
    const flat = (t: TensorData): TensorData => ({ shape: [t.data.length], data: t.data });
    return { expected: flat(e), actual: flat(a), layout: outputLayout(undefined, [0]) };
  }
  const dims = some.shape.map((_, k) => Math.max(e?.shape[k] ?? 0, a?.shape[k] ?? 0));
  return { expected: e, actual: a, layout: outputLayout(f.cases[0] as CaseJson | undefined, dims) };
}

function heatmaps(f: Regression, oracle: string): string {
  const spec = heatmapSpec(f);
  if (!spec) return '<p class="none">This failure compares no tensors (it is not numeric).</p>';
  const panel = (kind: string, title: string, sub: string) =>
    `<figure class="panel" data-kind="${kind}"><figcaption>${title} <span>${sub}</span></figcaption><div class="scroll"><canvas role="img" aria-label="${h(`${title} heatmap`)}"></canvas></div><div class="legend"></div></figure>`;
  return `<div class="heatmaps">
  <div class="toolbar"><label>slice <select class="slice" aria-label="slice of the output"></select></label><span class="plane"></span></div>
  <div class="panels">
    ${panel('expected', 'expected', '(diverging scale)')}
    ${panel('actual', 'actual', `${h(oracle)} (same scale)`)}
    ${panel('diff', '|actual − expected|', '(sequential scale)')}
  </div>
  <div class="readout idle mono">Point at a cell to read its expected, actual and difference.</div>
  <script type="application/json" class="cc-tensors">${jsonForScript(spec)}</script>
  <noscript><p class="small">Heatmaps need JavaScript; the tensors are in the JSON report.</p></noscript>
</div>`;
}

/**
 * The error against its bound. Where the expected value is 0 the ratio is meaningless to a
 * reader (the bound there is only the flush-to-zero allowance, so any error is a huge multiple
 * of it): show the absolute error and the bound themselves.
 */
function errorFact(f: Regression): [string, string] | undefined {
  if (f.ratio === undefined) return undefined;
  const at = worstIndex(f);
  const e = f.expected?.data[at];
  const a = f.actual?.data[at];
  if (e !== undefined && a !== undefined && toNumber(e) === 0) {
    const err = elementDiff(0, toNumber(a));
    const bound = Number.isFinite(f.ratio) && f.ratio > 0 ? err / f.ratio : 0;
    return [
      'error, bound',
      `<span class="ratio">|actual − expected| = ${h(formatNumber(err))}</span> where the expected value is 0 (element ${at}); the bound there is ${h(formatNumber(bound))}`,
    ];
  }
  return ['error / bound', `<span class="ratio">${formatRatio(f.ratio)}</span> (the error is this multiple of the tolerance bound)`];
}

function failureSection(c: CellReport, f: Regression | undefined, k: number): string {
  const facts: Array<[string, string]> = [];
  const errFact = f && errorFact(f);
  if (errFact) facts.push(errFact);
  if (f?.expected && f.actual) {
    const d = diffSummary(f.expected, f.actual);
    const layout = outputLayout(f.cases[0], f.expected.shape);
    if (d) {
      const at = d.at.map((x, i) => `${layout.labels[i]}=${x}`).join(', ');
      const max = d.max === Infinity ? 'a non-finite value differs' : formatNumber(d.max);
      facts.push(['max |actual − expected|', `<b>${h(max)}</b>${at ? ` at [${h(at)}]` : ''}; ${d.differing} of ${d.size} elements differ`]);
    } else facts.push(['shapes', `expected [${f.expected.shape.join(', ')}], actual [${f.actual.shape.join(', ')}]: <b>they differ</b>`]);
    facts.push(['output shape', `[${f.expected.shape.join(', ')}] (${h(layout.labels.join(' '))})`]);
  }
  const shardNote = f?.replay && f.replay.shard !== '1/1' ? ` (this failure: shard ${h(f.replay.shard)})` : '';
  facts.push(['cell', `${plural(c.cases, 'case')} before shrinking: ${c.passed} passed, ${c.known} known, ${c.unsupported} unsupported, ${c.lenient} lenient${shardNote}`]);
  if (!f) {
    return `<section class="failure" id="failure-${k}" data-oracle="${h(c.oracle)}" data-property="${h(c.property)}">
<h3><span class="chip fail">FAIL</span> ${h(c.oracle)} · ${h(c.property)}</h3>
<p class="message">${h(c.note ?? 'failed without a counterexample')}</p>
<dl class="facts">${facts.map(([a, b]) => `<dt>${h(a)}</dt><dd>${b}</dd>`).join('')}</dl>
</section>`;
  }
  const casesText = f.cases.map((cs) => JSON.stringify(cs)).join('\n');
  const inputText = JSON.stringify(f.input, null, 1);
  const inputIsCase = f.cases.length === 1 && JSON.stringify(f.cases[0]) === JSON.stringify(f.input);
  const file = (f as { file?: unknown }).file;
  const codeblock = (id: string, text: string, cls = '') =>
    `<div class="codeblock"><button type="button" class="copy" data-copy="${id}" aria-label="Copy to the clipboard">Copy</button><pre id="${id}"${cls ? ` class="${cls}"` : ''}>${h(text)}</pre></div>`;
  const replayBits = f.replay
    ? `run seed <code>${h(String(f.replay.runSeed))}</code>, shard <code>${h(f.replay.shard)}</code>, cell seed <code>${h(
        String(f.replay.cellSeed),
      )}</code>, path <code>${h(f.replay.path)}</code>`
    : '';
  return `<section class="failure" id="failure-${k}" data-oracle="${h(c.oracle)}" data-property="${h(c.property)}">
<h3><span class="chip fail">FAIL</span> ${h(c.oracle)} · ${h(c.property)}</h3>
<p class="message">${h(f.message)}</p>
<dl class="facts">${facts.map(([a, b]) => `<dt>${h(a)}</dt><dd>${b}</dd>`).join('')}</dl>
${heatmaps(f, c.oracle)}
<h4>Counterexample: ${plural(f.cases.length, 'case')}, eval format (pipe into <code>convcheck eval -</code>)</h4>
${f.cases.length ? codeblock(`case-${k}`, casesText, 'case') : '<p class="none">No cases recorded.</p>'}
${inputIsCase ? '' : `<details><summary class="small">the property's whole input</summary>${codeblock(`input-${k}`, inputText)}</details>`}
${f.replay ? `<h4>Replay</h4>${codeblock(`replay-${k}`, f.replay.command, 'replay')}<p class="small">${replayBits}</p>` : ''}
${typeof file === 'string' ? `<p class="small">saved to <code>${h(file)}</code>; <code>convcheck replay ${h(file)}</code> re-checks it</p>` : ''}
</section>`;
}

export function renderHtml(r: RunReport): string {
  const failed = r.cells.filter(isFailed);
  // Each failure gets a section (a merged report may hold several per cell); a cell links to its first.
  const sections: Array<{ cell: CellReport; failure: Regression | undefined }> = failed.flatMap((c) => [{ cell: c, failure: c.failure }, ...(c.moreFailures ?? []).map((f) => ({ cell: c, failure: f }))]);
  const ids = new Map<CellReport, number>();
  sections.forEach((s, i) => {
    if (!ids.has(s.cell)) ids.set(s.cell, i + 1);
  });
  const title = `convcheck ${r.command}${r.implementation ? ` ${r.implementation.name}` : ''}: ${
    failed.length ? plural(failed.length, 'new failure') : 'no new failures'
  } (seed ${r.seed})`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="convcheck">
<link rel="icon" href="data:,">
<title>${h(title)}</title>
<style>${CSS}</style>
</head>
<body>
${header(r)}
<main>
<section id="summary"><h2>Oracle × property</h2>
${summaryTable(r, ids)}
</section>
<section id="known"><h2>Known findings hit (${r.knownFindings.length})</h2>
${knownSection(r)}
</section>
<section id="failures"><h2>New failures (${sections.length})</h2>
${sections.length ? sections.map((s, i) => failureSection(s.cell, s.failure, i + 1)).join('\n') : '<p class="none">None: every failure found was inside a known finding.</p>'}
</section>
</main>
<footer>convcheck report · ${h(formatDate(r.startedAt))} · seed ${h(String(r.seed))}</footer>
<script>${CLIENT_JS}</script>
</body>
</html>
`;
}
