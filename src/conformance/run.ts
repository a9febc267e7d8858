/**
 * `convcheck conformance DIR`: the ONNX backend Conv/ConvTranspose node tests on the reference and
 * on oracles, each compared with the test's expected output.
 */
import { existsSync } from 'node:fs';
import { knownFinding } from '../../oracles/known.js';
import { ORACLE_NAMES } from '../../oracles/registry.js';
import type { OracleResult } from '../../oracles/types.js';
import { evaluate, parseCase, type Case } from '../case/case.js';
import { writeFileAtomic } from '../case/io.js';
import { CaseError } from '../core/errors.js';
import { openImplementation } from '../runner/implementations.js';
import { ConformanceDirError, extractConformanceCases, type ConformanceCase, type ConformanceExtraction, type SkippedTest } from './extract.js';

export type CellStatus = 'pass' | 'fail' | 'known' | 'unsupported' | 'error' | 'unavailable';

export interface Cell {
  readonly status: CellStatus;
  /** What went wrong (fail, error, unavailable), or why it is unsupported. */
  readonly detail?: string;
  /** The known finding a failure falls in. */
  readonly known?: string;
}

export interface ConformanceResult {
  readonly id: string;
  readonly test: string;
  readonly dataSet: string;
  readonly op: string;
  readonly opset: number;
  readonly reference: Cell;
  readonly oracles: Readonly<Record<string, Cell>>;
}

export interface ConformanceReport {
  readonly root: string;
  readonly tests: number;
  readonly unrelated: number;
  readonly skipped: readonly SkippedTest[];
  readonly oracles: readonly string[];
  /** Oracles that could not be started, with why. */
  readonly unavailable: Readonly<Record<string, string>>;
  readonly results: readonly ConformanceResult[];
  /** The reference's tally: what decides the exit status. */
  readonly passed: number;
  readonly failed: number;
}

const isIntegral = (xs: ArrayLike<number>) => Array.prototype.every.call(xs, (x: number) => Number.isInteger(x));

/**
 * The golden fixtures' rule: same shape, and values within 1e-5·(1 + max|expected|), exactly
 * equal when the inputs and the expected output are all integers. NaN must meet NaN and an
 * infinity the same infinity. Returns undefined when they agree, else what differs.
 */
export function compareToExpected(c: Case, shape: readonly number[], data: ArrayLike<number>): string | undefined {
  const exp = c.expected;
  if (!exp || 'error' in exp) return 'the case has no expected tensor';
  if (shape.length !== exp.shape.length || shape.some((d, i) => d !== exp.shape[i])) return `shape [${shape.join(', ')}], expected [${exp.shape.join(', ')}]`;
  const exact = Object.values(c.inputs).every((t) => isIntegral(t.data)) && isIntegral(exp.data);
  let scale = 1;
  for (const v of exp.data) if (Number.isFinite(v)) scale = Math.max(scale, 1 + Math.abs(v));
  const bound = exact ? 0 : 1e-5 * scale;
  let worst = 0;
  let at = -1;
  for (let i = 0; i < exp.data.length; i++) {
    const e = exp.data[i]!;
    const a = data[i]!;
    if (Number.isNaN(e) || Number.isNaN(a) || !Number.isFinite(e) || !Number.isFinite(a)) {
      if (Number.isNaN(e) && Number.isNaN(a)) continue;
      if (e === a) continue;
      return `element ${i}: ${a}, expected ${e}`;
    }
    const d = Math.abs(a - e);
    if (d > worst) {
      worst = d;
      at = i;
    }
  }
  if (worst <= bound) return undefined;
  return `max |a-b| = ${worst} at element ${at} (${data[at]} vs expected ${exp.data[at]}), over the bound ${bound}${exact ? ' (integer data: exact)' : ''}`;
}

function referenceCell(c: Case): Cell {
  const out = evaluate(c);
  if ('error' in out) return { status: 'fail', detail: `the reference rejects the call: ${out.error}` };
  const diff = compareToExpected(c, out.shape, out.data);
  return diff === undefined ? { status: 'pass' } : { status: 'fail', detail: diff };
}

function oracleCell(name: string, c: Case, r: OracleResult): Cell {
  let detail: string | undefined;
  switch (r.kind) {
    case 'unsupported':
      return { status: 'unsupported', detail: r.reason };
    case 'failed':
      return { status: 'error', detail: r.error };
    case 'rejected':
      detail = `rejected: ${r.error}`;
      break;
    case 'value':
      detail = compareToExpected(c, r.shape, r.data);
      if (detail === undefined) return { status: 'pass' };
  }
  const k = knownFinding(name, [c.json]);
  return k ? { status: 'known', known: k.id, detail } : { status: 'fail', detail };
}

/** Parses the extracted cases (a malformed one is an error cell, never a crash). */
function parsed(cc: ConformanceCase): Case | string {
  if (!cc.case) return cc.error ?? 'no case';
  try {
    return parseCase(cc.case, cc.id);
  } catch (e) {
    if (e instanceof CaseError) return `not a case convcheck can express: ${e.message}`;
    throw e;
  }
}

/**
 * Runs every extracted case on the reference and on each named oracle (reference is always run;
 * naming it in `oracles` is allowed and ignored). An oracle that cannot start is recorded as
 * unavailable, never a crash.
 */
export async function runConformance(ex: ConformanceExtraction, oracles: readonly string[], timeoutMs = 30_000): Promise<ConformanceReport> {
  const names = [...new Set(oracles.filter((o) => o !== 'reference'))];
  for (const n of names) if (!ORACLE_NAMES.includes(n)) throw new Error(`unknown oracle ${JSON.stringify(n)} (known: reference, ${ORACLE_NAMES.join(', ')})`);
  const cases = ex.cases.map(parsed);
  const cells = new Map<string, Cell[]>();
  const unavailable: Record<string, string> = {};
  for (const name of names) {
    const opened = await openImplementation(name, timeoutMs);
    try {
      const col: Cell[] = [];
      for (const c of cases) {
        if (!opened.impl) col.push({ status: 'unavailable', detail: opened.unavailable });
        else if (typeof c === 'string') col.push({ status: 'error', detail: c });
        else col.push(oracleCell(name, c, await opened.impl.run(c)));
      }
      if (!opened.impl) unavailable[name] = opened.unavailable ?? 'could not be started';
      cells.set(name, col);
    } finally {
      await opened.close();
    }
  }
  const results = ex.cases.map((cc, i): ConformanceResult => {
    const c = cases[i]!;
    return {
      id: cc.id,
      test: cc.test,
      dataSet: cc.dataSet,
      op: cc.op,
      opset: cc.opset,
      reference: typeof c === 'string' ? { status: 'error', detail: c } : referenceCell(c),
      oracles: Object.fromEntries(names.map((n) => [n, cells.get(n)![i]!])),
    };
  });
  const passed = results.filter((r) => r.reference.status === 'pass').length;
  return { root: ex.root, tests: ex.tests, unrelated: ex.unrelated, skipped: ex.skipped, oracles: names, unavailable, results, passed, failed: results.length - passed };
}

const LABEL: Record<CellStatus, string> = { pass: 'pass', fail: 'FAIL', known: 'known', unsupported: 'unsupported', error: 'ERROR', unavailable: 'UNAVAILABLE' };

/** The human-readable report; its last line is `N passed, N failed` (the reference's tally). */
export function conformanceText(r: ConformanceReport): string {
  const out: string[] = [];
  out.push(`ONNX backend tests in ${r.root}: ${r.tests} read, ${r.results.length} Conv/ConvTranspose data sets, ${r.skipped.length} skipped, ${r.unrelated} without a convolution`);
  for (const s of r.skipped) out.push(`  skipped ${s.test}: ${s.reason}`);
  for (const [n, why] of Object.entries(r.unavailable)) out.push(`ORACLE ${n} UNAVAILABLE: ${why}`);
  out.push('');
  const head = ['test', 'data set', 'op', 'opset', 'reference', ...r.oracles];
  const rows = r.results.map((x) => [x.test, x.dataSet, x.op, String(x.opset), LABEL[x.reference.status], ...r.oracles.map((o) => LABEL[x.oracles[o]!.status])]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  out.push(line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line));
  const notes: string[] = [];
  for (const x of r.results) {
    const cells: Array<[string, Cell]> = [['reference', x.reference], ...r.oracles.map((o): [string, Cell] => [o, x.oracles[o]!])];
    for (const [who, c] of cells) {
      if (c.status === 'fail' || c.status === 'error') notes.push(`${LABEL[c.status]} ${who} ${x.id}: ${c.detail ?? ''}`);
      else if (c.status === 'known') notes.push(`known ${who} ${x.id}: ${c.known} (${c.detail ?? ''})`);
    }
  }
  if (notes.length) out.push('', ...notes);
  out.push('');
  for (const o of r.oracles) {
    const count = (s: CellStatus) => r.results.filter((x) => x.oracles[o]!.status === s).length;
    out.push(`${o}: ${(['pass', 'fail', 'known', 'unsupported', 'error', 'unavailable'] as const).map((s) => `${count(s)} ${s === 'pass' ? 'passed' : s === 'fail' ? 'failed' : s}`).join(', ')}`);
  }
  out.push(`${r.passed} passed, ${r.failed} failed`);
  return out.join('\n');
}

export interface ConformanceArgs {
  /** Comma-separated implementations; the reference always runs. Default `reference,ort`. */
  readonly oracles?: string;
  readonly json?: boolean;
  /** Write the extracted cases here (.jsonl). */
  readonly cases?: string;
}

/**
 * The command. 0: the reference passes every Conv/ConvTranspose test; 1: it fails one (or one
 * could not be read); 2: a bad DIR (missing, no backend test, no Conv/ConvTranspose test) or a bad
 * option.
 */
export async function conformanceCommand(dir: string, a: ConformanceArgs, out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): Promise<number> {
  const oracles = (a.oracles ?? 'reference,ort').split(',').map((s) => s.trim()).filter(Boolean);
  const bad = oracles.filter((o) => o !== 'reference' && !ORACLE_NAMES.includes(o));
  if (bad.length) {
    err(`convcheck conformance: unknown oracle(s) ${bad.join(', ')} (known: reference, ${ORACLE_NAMES.join(', ')})\n`);
    return 2;
  }
  let ex: ConformanceExtraction;
  try {
    if (!existsSync(dir)) throw new ConformanceDirError(`${dir}: no such directory`);
    ex = extractConformanceCases(dir);
  } catch (e) {
    if (!(e instanceof ConformanceDirError)) throw e;
    err(`convcheck conformance: ${e.message}\n`);
    return 2;
  }
  if (ex.cases.length === 0) {
    err(`convcheck conformance: ${dir}: ${ex.tests} ONNX backend test(s), none a single-node Conv or ConvTranspose${ex.skipped.length ? ` (skipped: ${ex.skipped.map((s) => s.test).join(', ')})` : ''}\n`);
    return 2;
  }
  if (a.cases) {
    const lines = ex.cases.filter((c) => c.case).map((c) => JSON.stringify(c.case));
    writeFileAtomic(a.cases, lines.join('\n') + (lines.length ? '\n' : ''));
  }
  const report = await runConformance(ex, oracles);
  if (a.json) out(JSON.stringify(report, null, 2) + '\n');
  else out(conformanceText(report) + '\n');
  if (a.cases) err(`convcheck conformance: ${ex.cases.filter((c) => c.case).length} case(s) written to ${a.cases}\n`);
  return report.failed === 0 ? 0 : 1;
}
