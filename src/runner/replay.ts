/**
 * Replaying the regression corpus: each stored input is checked again, with no search.
 */
import { knownFinding } from '../../oracles/known.js';
import { listRegressions, loadRegression, type Regression } from './regressions.js';
import { openImplementation, type Opened } from './implementations.js';
import { propertyByName } from './run.js';

export interface ReplayResult {
  readonly file: string;
  readonly regression: Regression;
  /** fails: still fails; passes: no longer fails; unavailable: the oracle could not be started. */
  readonly outcome: 'fails' | 'passes' | 'unavailable' | 'unsupported';
  /** The known finding it falls under, when it still fails. */
  readonly known?: string;
  readonly message: string;
}

export async function replayAll(paths: readonly string[]): Promise<ReplayResult[]> {
  const files = listRegressions(paths);
  const opened = new Map<string, Opened>();
  const out: ReplayResult[] = [];
  try {
    for (const file of files) {
      const r = loadRegression(file);
      let o = opened.get(r.oracle);
      if (!o) {
        o = await openImplementation(r.oracle);
        opened.set(r.oracle, o);
      }
      if (!o.impl) {
        out.push({ file, regression: r, outcome: 'unavailable', message: o.unavailable ?? 'unavailable' });
        continue;
      }
      const v = await propertyByName(r.property).check(o.impl, r.input);
      // A saved lenient call (from a --strict run) that is still accepted still shows its finding.
      if (v.status === 'fail' || v.status === 'lenient') {
        const k = knownFinding(r.oracle, v.cases);
        out.push({ file, regression: r, outcome: 'fails', ...(k ? { known: k.id } : {}), message: v.message });
      } else out.push({ file, regression: r, outcome: v.status === 'pass' ? 'passes' : 'unsupported', message: v.status === 'unsupported' ? v.reason : 'holds' });
    }
  } finally {
    for (const o of opened.values()) await o.close();
  }
  return out;
}

/**
 * What a replay means for CI: a regression must either pass now (a fixed bug stays fixed) or
 * still fail inside the known finding it records. A failure outside any known finding is new.
 */
export function replayVerdict(r: ReplayResult): 'ok' | 'new-failure' | 'known-fixed' | 'skipped' {
  if (r.outcome === 'unavailable' || r.outcome === 'unsupported') return 'skipped';
  if (r.outcome === 'fails') return r.known ? 'ok' : 'new-failure';
  return r.regression.known ? 'known-fixed' : 'ok';
}
