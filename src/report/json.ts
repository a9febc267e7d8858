/**
 * The run as pretty JSON with a stable key order: known keys in a fixed reading order (the run's
 * header before its cells, a cell's counts before its failure, a case's framework and op before
 * its tensors), any other key after them alphabetically. Non-finite numbers become the strings
 * the case format uses ("NaN", "Infinity", "-Infinity").
 */
import { jsonNumber } from '../case/io.js';
import type { RunReport } from '../runner/report.js';

const KEY_ORDER = [
  // report
  'tool', 'command', 'commandLine', 'implementation', 'shards', 'seed', 'shard', 'startedAt', 'durationMs', 'machine', 'precision', 'totals', 'knownFindings', 'cells',
  // implementation
  'name', 'path', 'framework', 'ops',
  // cell
  'oracle', 'property', 'status', 'cases', 'passed', 'failed', 'known', 'unsupported', 'lenient', 'lenientExample', 'knownIds', 'ms', 'note', 'failure', 'moreFailures',
  // precision (report and cell), and a profile's statistics
  'mode', 'meets', 'profiles', 'profile', 'judged', 'exact', 'median', 'max',
  // failure (Regression)
  'message', 'ratio', 'replay', 'expected', 'actual', 'input', 'found', 'file',
  // replay
  'runSeed', 'cellSeed', 'command',
  // known finding
  'id', 'summary', 'upstream',
  // case
  'op', 'attrs', 'inputs', 'dtype',
  // tensor
  'shape', 'data',
];
const RANK = new Map<string, number>();
KEY_ORDER.forEach((k, i) => {
  if (!RANK.has(k)) RANK.set(k, i);
});

function compareKeys(a: string, b: string): number {
  const ra = RANK.get(a) ?? Infinity;
  const rb = RANK.get(b) ?? Infinity;
  if (ra !== rb) return ra < rb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A copy of a JSON-like value with object keys in the stable order. */
export function canonical(v: unknown): unknown {
  if (typeof v === 'number') return jsonNumber(v);
  if (Array.isArray(v)) return v.map(canonical);
  if (v instanceof Set) return [...v].map(canonical);
  if (v && typeof v === 'object') {
    const src = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(src).sort(compareKeys)) {
      if (src[k] !== undefined) out[k] = canonical(src[k]);
    }
    return out;
  }
  return v;
}

export function renderJson(r: RunReport): string {
  return JSON.stringify(canonical(r), null, 2) + '\n';
}
