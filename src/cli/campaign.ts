/**
 * `convcheck run --campaign` (or with --until-new / --state): rounds of the suite until the time
 * budget is spent, deduplicated findings, a progress line per round on stderr (and on a terminal a
 * progress bar of the round's cells), a resumable state
 * file. Ctrl-C prints the table and findings so far (the state file holds every finished round)
 * and exits 130.
 */
import cliProgress from 'cli-progress';
import { existsSync } from 'node:fs';
import { runCampaign, CampaignStateError, type CampaignState } from '../runner/campaign.js';
import type { Opened } from '../runner/implementations.js';
import { closeOracles, runSuite, type CellResult } from '../runner/run.js';
import { summaryTable } from '../runner/table.js';
import { budgetOption, runOptions, UsageError, type RunArgs } from './run.js';

export interface CampaignArgs extends RunArgs {
  campaign?: boolean;
  untilNew?: string;
  state?: string;
  roundBudget?: string;
}

export const isCampaign = (a: CampaignArgs) => Boolean(a.campaign || a.untilNew !== undefined || a.state !== undefined);

const clock = (ms: number) => {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};

/** The table and the findings so far, as printed at the end or on Ctrl-C. */
export function campaignSummary(s: CampaignState): string {
  const cells = s.cells.map((c) => ({ ...c, knownIds: new Set(c.knownIds) }) as unknown as CellResult);
  const lines = [summaryTable(cells), ''];
  const cases = s.cells.reduce((n, c) => n + c.cases, 0);
  lines.push(`campaign: ${s.rounds} round(s) from seed ${s.seed} in ${clock(s.elapsedMs)}, ${cases} cases, ${s.findings.length} distinct new finding(s)${s.stopped ? `; ${s.stopped}` : ''}`);
  for (const f of s.findings) {
    lines.push('', `NEW ${f.region}: ${f.hits} round(s), first in round ${f.firstRound}`, `  ${f.first.message}`);
    if (f.first.cases[0]) lines.push(`  case: ${JSON.stringify(f.first.cases[0])}`);
    if (f.first.replay) lines.push(`  replay: ${f.first.replay.command}`);
    if (f.file) lines.push(`  saved: ${f.file}`);
  }
  return lines.join('\n');
}

export async function campaignCommand(a: CampaignArgs): Promise<number> {
  const run = runOptions(a);
  if (run.path !== undefined) throw new UsageError('--path replays one counterexample; it does not go with a campaign');
  if (a.report !== undefined) throw new UsageError('a campaign writes its state file (--state), not --report; merge or inspect the state instead');
  let untilNew: number | undefined;
  if (a.untilNew !== undefined) {
    untilNew = Number(a.untilNew);
    if (!Number.isInteger(untilNew) || untilNew < 1) throw new UsageError(`--until-new must be a positive integer, got ${JSON.stringify(a.untilNew)}`);
  }
  const o = {
    run,
    totalBudgetMs: budgetOption(a.timeBudget ?? '120s'),
    roundBudgetMs: budgetOption(a.roundBudget ?? '60s', '--round-budget'),
    ...(untilNew !== undefined ? { untilNew } : {}),
    ...(a.state !== undefined ? { statePath: a.state } : {}),
  };
  const err = process.stderr;
  err.write(
    `convcheck run --campaign: seed ${run.seed} (round r runs seed ${run.seed} + r - 1), oracles ${run.oracles.join(',')}, ${run.properties.length} properties, ` +
      `budget ${clock(o.totalBudgetMs)} in rounds of ${clock(o.roundBudgetMs)}${untilNew ? `, until ${untilNew} new finding(s)` : ''}${a.state ? `, state ${a.state}` : ''}\n`,
  );
  let latest: CampaignState | undefined;
  const onSigint = () => {
    process.stdout.write('\n' + (latest ? campaignSummary({ ...latest, stopped: 'interrupted (Ctrl-C); the round in progress is not counted' }) : 'campaign: interrupted before the first round ended') + '\n');
    if (a.state && existsSync(a.state)) err.write(`state: ${a.state} (run the same command to resume)\n`);
    process.exit(130);
  };
  process.once('SIGINT', onSigint);
  // Oracle hosts live for the whole campaign, not one round: each costs 0.4–1.5 s to start.
  const kept = new Map<string, Opened>();
  // A round lasts a minute by default: on a terminal, its cells show as they end.
  const bar = err.isTTY ? new cliProgress.SingleBar({ format: ' this round {bar} {value}/{total} cells | {cell}', stream: err, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic) : undefined;
  try {
    const state = await runCampaign(o, (ro, hooks) => runSuite({ ...ro, keepOpen: kept }, hooks), {
      run: {
        onStart: (n) => bar?.start(n, 0, { cell: 'starting' }),
        onCell: (c, done) => bar?.update(done, { cell: `${c.oracle} · ${c.property}: ${c.cases} cases, ${c.failed} failed` }),
      },
      onRound: (s, fresh) => {
        bar?.stop();
        latest = JSON.parse(JSON.stringify(s)) as CampaignState;
        const cases = s.cells.reduce((n, c) => n + c.cases, 0);
        err.write(
          `[round ${s.rounds}] ${cases} cases in all, ${s.findings.length} distinct new finding(s)` +
            `${fresh.length ? ` (new: ${fresh.map((f) => f.region).join('; ')})` : ''}, ${clock(s.elapsedMs)} of ${clock(o.totalBudgetMs)}\n`,
        );
      },
    });
    process.stdout.write('\n' + campaignSummary(state) + '\n');
    return state.findings.length > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof CampaignStateError) throw new UsageError(e.message);
    throw e;
  } finally {
    bar?.stop();
    process.removeListener('SIGINT', onSigint);
    await closeOracles(kept);
  }
}
