/**
 * The summary: a table of oracle × property, then each failure as a readable counterexample.
 */
import { KNOWN } from '../../oracles/known.js';
import type { CellResult } from './run.js';

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

export function summaryTable(cells: readonly CellResult[]): string {
  const head = ['oracle', 'property', 'cases', 'passed', 'failed', 'known', 'unsupported', 'lenient', 'note'];
  const rows = cells.map((c) => [
    c.oracle,
    c.property,
    String(c.cases),
    String(c.passed),
    String(c.failed),
    String(c.known),
    String(c.unsupported),
    String(c.lenient),
    c.status === 'unavailable' ? 'UNAVAILABLE' : c.status === 'not-applicable' ? 'n/a' : [...c.knownIds].join(', '),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((v, i) => pad(v, widths[i]!, i >= 2 && i <= 7)).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function failureReport(c: CellResult): string {
  const f = c.failure;
  if (!f) return `${c.oracle} · ${c.property}: ${c.note ?? 'failed'}`;
  const lines = [
    `FAIL ${c.oracle} · ${c.property}: ${f.message}`,
    ...f.cases.map((cs) => `  case: ${JSON.stringify(cs)}`),
  ];
  if (f.replay) lines.push(`  replay: ${f.replay.command}`);
  if (f.file) lines.push(`  saved: ${f.file}`);
  return lines.join('\n');
}

/** The first lenient call of each cell: accepted although the convention rejects it. */
export function lenientReport(cells: readonly CellResult[]): string {
  return cells
    .filter((c) => c.lenientExample)
    .map((c) => [`lenient ${c.oracle} · ${c.property} (${c.lenient}×, a failure with --strict): ${c.lenientExample!.message}`, ...c.lenientExample!.cases.map((cs) => `  case: ${JSON.stringify(cs)}`)].join('\n'))
    .join('\n');
}

export function knownReport(cells: readonly CellResult[]): string {
  const ids = new Set(cells.flatMap((c) => [...c.knownIds]));
  return KNOWN.filter((k) => ids.has(k.id))
    .map((k) => `known  ${k.id}: ${k.summary}${k.upstream ? ` (${k.upstream})` : ''}`)
    .join('\n');
}
