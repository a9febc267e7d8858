/**
 * `convcheck replay [paths...]`.
 */
import { existsSync } from 'node:fs';
import { replayAll, replayVerdict } from '../runner/replay.js';
import { UsageError } from './run.js';
import { escapeControls } from '../core/errors.js';

export async function replayCommand(paths: string[]): Promise<number> {
  for (const p of paths) if (!existsSync(p)) throw new UsageError(`no such file or directory: ${p}`);
  const results = await replayAll(paths);
  let bad = 0;
  for (const r of results) {
    const v = replayVerdict(r);
    if (v === 'new-failure') bad++;
    const tag = { ok: r.outcome === 'fails' ? `known ${r.known}` : 'passes', 'new-failure': 'FAILS (not a known finding)', 'known-fixed': `passes now: known finding ${r.regression.known} may be fixed`, skipped: `skipped (${r.outcome})` }[v];
    process.stdout.write(escapeControls(`${tag.padEnd(44)} ${r.file}${v === 'new-failure' ? `\n    ${r.message}` : ''}`) + '\n');
  }
  process.stdout.write(`${results.length} regressions replayed, ${bad} failing outside known findings\n`);
  return bad > 0 ? 1 : 0;
}
