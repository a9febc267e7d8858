/**
 * JUnit XML, the format CI systems render: one <testsuite> per oracle (or validated
 * implementation), one <testcase> per property. A new failure is a <failure> carrying the
 * shrunk counterexample and its replay command; an unavailable or not-applicable cell is
 * <skipped/>; failures inside a known finding pass, and say so in <system-out>.
 */
import { machineLine } from '../machine.js';
import type { CellReport, RunReport } from '../runner/report.js';
import type { Regression } from '../runner/regressions.js';

/**
 * Characters XML 1.0 cannot carry at all, not even as character references: C0 controls other
 * than tab, newline and carriage return, lone surrogates, U+FFFE and U+FFFF.
 */
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Shown as a visible `\uXXXX` escape, so the character is reported rather than lost. */
function replaceInvalid(s: string): string {
  return s.replace(INVALID_XML, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/** Escapes text content: &, <, > (so "]]>" never appears), and characters XML cannot carry. */
export function escapeXmlText(s: string): string {
  return replaceInvalid(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

/**
 * Escapes an attribute value (for either quote): as text, plus both quotes, and tab, newline and
 * carriage return as character references, which attribute-value normalization would otherwise
 * turn into spaces.
 */
export function escapeXmlAttr(s: string): string {
  return escapeXmlText(s)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;');
}

function attrs(a: Record<string, string | number | undefined>): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXmlAttr(String(v))}"`)
    .join('');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** The oracles (or implementations) in the order they first appear, each with its cells. */
export function groupByOracle(cells: readonly CellReport[]): Array<[string, CellReport[]]> {
  const groups = new Map<string, CellReport[]>();
  for (const c of cells) {
    const g = groups.get(c.oracle);
    if (g) g.push(c);
    else groups.set(c.oracle, [c]);
  }
  return [...groups];
}

export const isSkipped = (c: CellReport) => c.status !== 'ran';
export const isFailed = (c: CellReport) => c.status === 'ran' && c.failed > 0;

function counts(c: CellReport): string {
  return `cases=${c.cases} passed=${c.passed} failed=${c.failed} known=${c.known} unsupported=${c.unsupported} lenient=${c.lenient}`;
}

function regressionText(f: Regression): string[] {
  const lines = [f.message];
  if (f.ratio !== undefined) lines.push(`error / bound: ${f.ratio}`);
  lines.push('', `counterexample (${f.cases.length} case${f.cases.length === 1 ? '' : 's'}, eval format):`);
  for (const cs of f.cases) lines.push(JSON.stringify(cs));
  if (f.replay) lines.push('', `replay: ${f.replay.command}`);
  const file = (f as { file?: unknown }).file;
  if (typeof file === 'string') lines.push(`saved: ${file}`);
  return lines;
}

/** The failure's text; a merged report's cell adds the other shards' failures after it. */
function failureText(c: CellReport): string {
  const f = c.failure;
  if (!f) return c.note ?? 'failed';
  const more = c.moreFailures ?? [];
  return [regressionText(f), ...more.map((m, i) => ['', `--- failure ${i + 2} of ${more.length + 1}${m.replay ? ` (shard ${m.replay.shard})` : ''}`, ...regressionText(m)])].flat().join('\n');
}

function testcase(r: RunReport, c: CellReport, ind: string): string {
  const out: string[] = [];
  out.push(`${ind}<testcase${attrs({ classname: c.oracle, name: c.property, time: seconds(c.ms) })}>`);
  const props: Array<[string, string | number]> = [
    ['status', c.status],
    ['cases', c.cases],
    ['passed', c.passed],
    ['failed', c.failed],
    ['known', c.known],
    ['unsupported', c.unsupported],
    ['lenient', c.lenient],
    ['seed', r.seed],
  ];
  if (c.knownIds.length) props.push(['knownIds', c.knownIds.join(',')]);
  // error / bound per profile: precision.<profile>.median / .max, and the tightest profile met.
  for (const s of c.precision?.profiles ?? []) {
    if (s.median !== null) props.push([`precision.${s.profile}.median`, s.median], [`precision.${s.profile}.max`, s.max!]);
    if (c.precision?.mode === 'auto') props.push([`precision.${s.profile}.failed`, s.failed]);
  }
  if (c.precision?.meets) props.push(['precision.meets', c.precision.meets]);
  out.push(`${ind}  <properties>`);
  for (const [name, value] of props) out.push(`${ind}    <property${attrs({ name, value })}/>`);
  out.push(`${ind}  </properties>`);
  if (isSkipped(c)) {
    const why = c.status === 'unavailable' ? `UNAVAILABLE${c.note ? `: ${c.note}` : ''}` : `not applicable${c.note ? `: ${c.note}` : ''}`;
    out.push(`${ind}  <skipped${attrs({ message: why })}/>`);
  } else if (isFailed(c)) {
    const message = c.failure?.message ?? c.note ?? 'failed';
    out.push(`${ind}  <failure${attrs({ message, type: `convcheck.${c.property}` })}>${escapeXmlText(failureText(c))}</failure>`);
  }
  const sysout = [`${counts(c)} seed=${r.seed} shard=${r.shard}`];
  if (c.knownIds.length) sysout.push(`known findings hit: ${c.knownIds.join(', ')}`);
  if (c.note && !isFailed(c) && !isSkipped(c)) sysout.push(c.note);
  if (c.lenientExample) sysout.push(`lenient: ${c.lenientExample.message}`, ...c.lenientExample.cases.map((cs) => `  case: ${JSON.stringify(cs)}`));
  out.push(`${ind}  <system-out>${escapeXmlText(sysout.join('\n'))}</system-out>`);
  out.push(`${ind}</testcase>`);
  return out.join('\n');
}

export function renderJunit(r: RunReport): string {
  const timestamp = r.startedAt.replace(/\.\d+Z$/, 'Z');
  const all = r.cells;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites${attrs({
      name: `convcheck ${r.command}${r.implementation ? ` ${r.implementation.name}` : ''}`,
      tests: all.length,
      failures: all.filter(isFailed).length,
      errors: 0,
      skipped: all.filter(isSkipped).length,
      time: seconds(r.durationMs),
      timestamp,
    })}>`,
  );
  for (const [oracle, cells] of groupByOracle(all)) {
    out.push(
      `  <testsuite${attrs({
        name: oracle,
        tests: cells.length,
        failures: cells.filter(isFailed).length,
        errors: 0,
        skipped: cells.filter(isSkipped).length,
        time: seconds(cells.reduce((s, c) => s + c.ms, 0)),
        timestamp,
      })}>`,
    );
    const props: Array<[string, string | number]> = [
      ['command', r.command],
      ['seed', r.seed],
      ['shard', r.shard],
      ['cases', cells.reduce((s, c) => s + c.cases, 0)],
      ['passed', cells.reduce((s, c) => s + c.passed, 0)],
      ['known', cells.reduce((s, c) => s + c.known, 0)],
      ['unsupported', cells.reduce((s, c) => s + c.unsupported, 0)],
      ['lenient', cells.reduce((s, c) => s + c.lenient, 0)],
    ];
    if (r.precision) props.push(['precision', r.precision.mode], ...(r.precision.meets ? [['precision.meets', r.precision.meets] as [string, string]] : []));
    if (r.machine) props.push(['machine', machineLine(r.machine)], ['machine.isa', r.machine.isa.join(' ')], ['machine.onednn', String(r.machine.onednn)]);
    if (r.implementation) {
      props.push(['implementation', r.implementation.name], ['implementation.path', r.implementation.path], ['framework', r.implementation.framework]);
    }
    out.push('    <properties>');
    for (const [name, value] of props) out.push(`      <property${attrs({ name, value })}/>`);
    out.push('    </properties>');
    for (const c of cells) out.push(testcase(r, c, '    '));
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
