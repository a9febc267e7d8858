/**
 * The summary: a table of oracle × property, then each failure as a readable counterexample.
 */
import { KNOWN, type KnownFinding } from '../../oracles/known.js';
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

/** Every failure of a cell, shrunk; a nondeterministic one with what each re-check answered. */
export function failureReport(c: CellResult): string {
  if (c.failures.length === 0) return `${c.oracle} · ${c.property}: ${c.note ?? 'failed'}`;
  return c.failures
    .map((f) => {
      const nd = f.verdict === 'nondeterministic';
      const lines = [`${nd ? 'NONDETERMINISTIC' : 'FAIL'} ${c.oracle} · ${c.property}: ${f.message}`, ...f.cases.map((cs) => `  case: ${JSON.stringify(cs)}`)];
      if (nd && f.reruns) {
        lines.push(`  re-checked: failed ${f.reruns.failed} of ${f.reruns.runs} runs (the last in a fresh host where there is one):`);
        for (const o of f.reruns.outcomes) lines.push(`    ${o.status}${o.freshHost ? ' (fresh host)' : ''}: ${o.actual ? `[${o.actual.data.slice(0, 8).join(', ')}${o.actual.data.length > 8 ? ', …' : ''}]` : (o.message ?? '')}`);
      } else if (f.verdict === 'reproducible') lines.push('  reproducible: the same answer on every re-check (and in a fresh host where there is one)');
      if (f.replay) lines.push(`  replay: ${f.replay.command}`);
      if (f.file) lines.push(`  saved: ${f.file}`);
      return lines.join('\n');
    })
    .join('\n\n');
}

/** The first lenient call of each cell: accepted although the convention rejects it. */
export function lenientReport(cells: readonly CellResult[]): string {
  return cells
    .filter((c) => c.lenientExample)
    .map((c) => [`lenient ${c.oracle} · ${c.property} (${c.lenient}×, a failure with --strict): ${c.lenientExample!.message}`, ...c.lenientExample!.cases.map((cs) => `  case: ${JSON.stringify(cs)}`)].join('\n'))
    .join('\n');
}

export function knownReport(cells: readonly CellResult[], registry: readonly KnownFinding[] = KNOWN): string {
  const ids = new Set(cells.flatMap((c) => [...c.knownIds]));
  return registry.filter((k) => ids.has(k.id))
    .map((k) => `known  ${k.id}: ${k.summary}${k.upstream ? ` (${k.upstream})` : ''}`)
    .join('\n');
}
