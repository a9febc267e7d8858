/**
 * A failure as plain text for people: what failed, the error over its bound, expected against
 * actual around the worst element, the shrunk counterexample as eval-format cases, and the
 * command that replays it. `convcheck validate` prints it; `expectValid` throws it.
 */
import type { Regression } from '../runner/regressions.js';

type Tensor = NonNullable<Regression['expected']>;

const num = (v: number | string | null) => (typeof v === 'number' ? v : v === null ? NaN : Number(v));

/** The element the failure is about: the one its message names, else the largest difference. */
export function worstIndex(f: Pick<Regression, 'message' | 'expected' | 'actual'>): number {
  const named = /element (\d+)|output\[(\d+)\]/.exec(f.message);
  if (named) return Number(named[1] ?? named[2]);
  const e = f.expected?.data ?? [];
  const a = f.actual?.data ?? [];
  let at = 0;
  let worst = -1;
  for (let i = 0; i < Math.min(e.length, a.length); i++) {
    const x = num(e[i]!);
    const y = num(a[i]!);
    const d = Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y)) ? 0 : Number.isFinite(y - x) ? Math.abs(y - x) : Infinity;
    if (d > worst) [worst, at] = [d, i];
  }
  return at;
}

/** `[shape] …[from..]: v, v, …`: eight values around element `at`. */
export function preview(t: Tensor | undefined, at: number): string {
  if (!t) return '';
  const lo = Math.max(0, at - 3);
  const vals = t.data.slice(lo, lo + 8).join(', ');
  return `[${t.shape.join(',')}] …[${lo}..]: ${vals}${t.data.length > lo + 8 ? ', …' : ''}`;
}

/** The failure as the lines `convcheck validate` prints (no trailing newline). */
export function formatFailure(f: Regression): string {
  const lines = [`FAIL ${f.property}: ${f.message}`];
  if (f.ratio !== undefined) lines.push(`  error over bound: ${f.ratio.toPrecision(3)}`);
  const at = worstIndex(f);
  if (f.expected) lines.push(`  expected ${preview(f.expected, at)}`);
  if (f.actual) lines.push(`  actual   ${preview(f.actual, at)}`);
  for (const c of f.cases) lines.push(`  case: ${JSON.stringify(c)}`);
  if (f.replay) lines.push(`  replay: ${f.replay.command}`);
  return lines.join('\n');
}
