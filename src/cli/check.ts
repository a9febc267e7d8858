/**
 * `convcheck eval --check`: does a case's outcome match the `expected` it carries?
 *
 * `expected` values are what a framework printed, usually float32 results written with few
 * digits, so values match within a tolerance of the dtype: |got − want| ≤ atol + rtol·|want|
 * with (atol, rtol) = (1e-5, 1e-5) for float32 and (1e-12, 1e-12) for float64. NaN matches NaN,
 * an infinity the same infinity. An `{"error": …}` expected matches any refusal: the wording
 * is the framework's, not convcheck's.
 */
import type { Case, Outcome } from '../case/case.js';

// 16-bit results are the exact value rounded once to the dtype: one unit in the last place of it (2^-10, 2^-7) covers a framework that rounds at another point.
const TOL = { float32: 1e-5, float64: 1e-12, float16: 2 ** -10, bfloat16: 2 ** -7 } as const;
const SHOWN = 10;

/** undefined when the outcome matches the case's expected; else the difference in words. */
export function compareExpected(c: Case, o: Outcome): string | undefined {
  const want = c.expected;
  if (!want) return undefined;
  if ('error' in want) return 'error' in o ? undefined : `  expected an error (${want.error}), got shape [${o.shape.join(', ')}] ${values(o.data)}`;
  if ('error' in o) return `  expected shape [${want.shape.join(', ')}] ${values(want.data)}\n  got error: ${o.error}`;
  if (want.shape.join() !== o.shape.join()) {
    return `  expected shape [${want.shape.join(', ')}] ${values(want.data)}\n  got shape      [${o.shape.join(', ')}] ${values(o.data)}`;
  }
  const tol = TOL[c.dtype];
  const bad: number[] = [];
  for (let i = 0; i < o.data.length; i++) if (!close(o.data[i]!, want.data[i]!, tol)) bad.push(i);
  if (bad.length === 0) return undefined;
  const lines = bad.slice(0, SHOWN).map((i) => `  at [${unflat(i, o.shape).join(', ')}] (flat ${i}): got ${o.data[i]}, expected ${want.data[i]}`);
  const more = bad.length > SHOWN ? [`  … ${bad.length - SHOWN} more of ${o.data.length} values differ`] : [];
  return [`  expected ${values(want.data)}`, `  got      ${values(o.data)}`, ...lines, ...more].join('\n');
}

function close(got: number, want: number, tol: number): boolean {
  if (Number.isNaN(want) || Number.isNaN(got)) return Number.isNaN(want) && Number.isNaN(got);
  if (!Number.isFinite(want) || !Number.isFinite(got)) return got === want;
  return Math.abs(got - want) <= tol + tol * Math.abs(want);
}

function values(d: Float64Array): string {
  const shown = Array.from(d.subarray(0, 24), String).join(', ');
  return `[${shown}${d.length > 24 ? `, … ${d.length} values` : ''}]`;
}

function unflat(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length).fill(0);
  for (let a = shape.length - 1; a >= 0; a--) {
    idx[a] = i % shape[a]!;
    i = Math.floor(i / shape[a]!);
  }
  return idx;
}
