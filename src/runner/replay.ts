/**
 * Replaying the regression corpus: each stored input is checked again, with no search. A file
 * that cannot be read as a regression is reported by name and the others still replay.
 */
import { judge } from './judge.js';
import { KNOWN, knownFinding, type KnownFinding } from '../../oracles/known.js';
import { BadRegressionError, listRegressions, loadRegression, type Regression } from './regressions.js';
import { RERUNS } from './confirm.js';
import { openImplementation, type Opened } from './implementations.js';
import { propertyByName } from './run.js';

export interface ReplayResult {
  readonly file: string;
  /** Absent when the file is not a readable regression (outcome 'bad'). */
  readonly regression?: Regression;
  /**
   * fails: still fails; passes: no longer fails; unavailable: the oracle could not be started;
   * bad: the file is truncated, garbage or not a regression.
   */
  readonly outcome: 'fails' | 'passes' | 'unavailable' | 'unsupported' | 'bad';
  /** The known finding it falls under, when it still fails. */
  readonly known?: string;
  /** A nondeterministic regression is checked RERUNS times: how many of them failed. */
  readonly failedRuns?: { readonly failed: number; readonly runs: number };
  readonly message: string;
}

export async function replayAll(paths: readonly string[], registry: readonly KnownFinding[] = KNOWN): Promise<ReplayResult[]> {
  const files = listRegressions(paths);
  const opened = new Map<string, Opened>();
  const out: ReplayResult[] = [];
  try {
    for (const file of files) {
      let r: Regression;
      try {
        r = loadRegression(file);
        propertyByName(r.property);
      } catch (e) {
        if (!(e instanceof BadRegressionError) && !/^unknown property/.test((e as Error).message)) throw e;
        out.push({ file, outcome: 'bad', message: (e as Error).message });
        continue;
      }
      let o = opened.get(r.oracle);
      if (!o) {
        try {
          o = await openImplementation(r.oracle);
        } catch (e) {
          o = { unavailable: (e as Error).message, close: async () => {} };
        }
        opened.set(r.oracle, o);
      }
      if (!o.impl) {
        out.push({ file, regression: r, outcome: 'unavailable', message: o.unavailable ?? 'unavailable' });
        continue;
      }
      out.push(await replayOne(file, r, o.impl, registry));
    }
  } finally {
    for (const o of opened.values()) await o.close();
  }
  return out;
}

async function replayOne(file: string, r: Regression, impl: NonNullable<Opened['impl']>, registry: readonly KnownFinding[]): Promise<ReplayResult> {
  const prop = propertyByName(r.property);
  // A nondeterministic failure may pass any one check: it replays RERUNS times and counts as
  // failing when any of them fails.
  const runs = r.verdict === 'nondeterministic' ? RERUNS : 1;
  let failed = 0;
  let first: ReplayResult | undefined;
  let last: ReplayResult | undefined;
  for (let i = 0; i < runs; i++) {
    // Judged as the run that found it judged: under its precision profile, strict or not.
    const v = (await judge({ mode: r.precision, strict: r.strict === true, registry }, impl, prop, r.input)).verdict;
    // A saved lenient call (from a --strict run) that is still accepted still shows its finding.
    if (v.status === 'fail' || v.status === 'lenient') {
      failed++;
      const k = knownFinding(r.oracle, v.cases, registry);
      first ??= { file, regression: r, outcome: 'fails', ...(k ? { known: k.id } : {}), message: v.message };
    } else last = { file, regression: r, outcome: v.status === 'pass' ? 'passes' : 'unsupported', message: v.status === 'unsupported' ? v.reason : 'holds' };
  }
  const result = first ?? last!;
  return runs > 1 ? { ...result, failedRuns: { failed, runs } } : result;
}

/**
 * What a replay means for CI: a regression must either pass now (a fixed bug stays fixed) or
 * still fail inside the known finding it records. A failure outside any known finding is new; a
 * file that is not a regression is bad. A nondeterministic regression that passed every rerun is
 * not shown to be fixed ('inconclusive').
 */
export function replayVerdict(r: ReplayResult): 'ok' | 'new-failure' | 'known-fixed' | 'skipped' | 'bad' | 'inconclusive' {
  if (r.outcome === 'bad') return 'bad';
  if (r.outcome === 'unavailable' || r.outcome === 'unsupported') return 'skipped';
  if (r.outcome === 'fails') return r.known ? 'ok' : 'new-failure';
  if (r.regression?.verdict === 'nondeterministic') return 'inconclusive';
  return r.regression?.known ? 'known-fixed' : 'ok';
}
