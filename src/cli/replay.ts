/**
 * `convcheck replay [paths...] [--known FILE...]`.
 */
import { existsSync } from 'node:fs';
import { replayAll, replayVerdict, type ReplayResult } from '../runner/replay.js';
import { loadKnownOption } from './known.js';
import { UsageError } from './run.js';
import { escapeControls } from '../core/errors.js';

function tag(r: ReplayResult, v: ReturnType<typeof replayVerdict>): string {
  const runs = r.failedRuns ? ` (failed ${r.failedRuns.failed} of ${r.failedRuns.runs} runs)` : '';
  switch (v) {
    case 'ok':
      return r.outcome === 'fails' ? `known ${r.known}${runs}` : 'passes';
    case 'new-failure':
      return `FAILS (not a known finding)${runs}`;
    case 'known-fixed':
      return `passes now: known finding ${r.regression?.known} may be fixed (or not on this machine)`;
    case 'inconclusive':
      return `passed ${r.failedRuns?.runs ?? 1} runs: nondeterministic, not shown fixed`;
    case 'bad':
      return 'BAD FILE';
    case 'skipped':
      return `skipped (${r.outcome})`;
  }
}

/** Exit 1 if a regression fails outside the known findings; else 2 if a file is bad; else 0. */
export async function replayCommand(paths: string[], a: { known?: string[] } = {}): Promise<number> {
  for (const p of paths) if (!existsSync(p)) throw new UsageError(`no such file or directory: ${p}`);
  const registry = loadKnownOption(a.known);
  const results = await replayAll(paths, registry);
  let bad = 0;
  let broken = 0;
  for (const r of results) {
    const v = replayVerdict(r);
    if (v === 'new-failure') bad++;
    if (v === 'bad') broken++;
    const detail = v === 'new-failure' || v === 'bad' ? `\n    ${r.message}` : '';
    process.stdout.write(escapeControls(`${tag(r, v).padEnd(44)} ${r.file}${detail}`) + '\n');
  }
  process.stdout.write(`${results.length} regressions replayed, ${bad} failing outside known findings${broken ? `, ${broken} bad file(s)` : ''}\n`);
  return bad > 0 ? 1 : broken > 0 ? 2 : 0;
}
