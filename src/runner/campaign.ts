/**
 * A long-running campaign around `runSuite`: rounds of the whole suite, each with the next run
 * seed (seed, seed + 1, ...), until the time budget is spent or enough new findings are in. A
 * round stops a cell at its first failure; the campaign keeps going, so later rounds find what
 * lies behind it. Findings are deduplicated by region (oracle, property, op, rank and the
 * attributes that are not at their trivial value), so one bug hit a hundred times is one line
 * with a count. After every round the state (totals, findings, rounds done, time spent) is
 * written atomically to a JSON file, from which a campaign resumes where it stopped.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { CaseJson } from '../case/case.js';
import { writeFileAtomic } from '../case/io.js';
import { mergeCells } from '../report/merge.js';
import type { CellReport } from './report.js';
import { saveRegression, type Regression } from './regressions.js';
import type { CellResult, RunHooks, RunOptions } from './run.js';

export const STATE_FORMAT = 'convcheck-campaign/1';

export interface CampaignOptions {
  /** Everything a round runs with; `seed` is round 1's, and `timeBudgetMs` is ignored. */
  readonly run: RunOptions;
  /** The whole campaign's time. */
  readonly totalBudgetMs: number;
  /** Each round's time budget (split among the cells as in a plain run). */
  readonly roundBudgetMs: number;
  /** Stop once this many distinct new regions are found. */
  readonly untilNew?: number;
  /** The state file: read to resume when it exists, written after every round. */
  readonly statePath?: string;
}

export interface Finding {
  readonly region: string;
  readonly oracle: string;
  readonly property: string;
  /** How many rounds failed in this region. */
  hits: number;
  readonly firstRound: number;
  /** The first (shrunk) failure in the region, with its replay command. */
  readonly first: Regression;
  /** Where it was saved, when the campaign saves regressions. */
  readonly file?: string;
}

export interface CampaignState {
  readonly format: typeof STATE_FORMAT;
  /** What the campaign runs: a resumed campaign must run the same. */
  readonly seed: number;
  readonly oracles: readonly string[];
  readonly properties: readonly string[];
  readonly shard: string;
  rounds: number;
  elapsedMs: number;
  cells: CellReport[];
  findings: Finding[];
  readonly startedAt: string;
  stopped?: string;
}

const TRIVIAL = new Set(['0', '1', 'false', 'null', '"VALID"', '"NOTSET"', '"valid"']);

/** A value at its do-nothing setting: 0 or 1 everywhere (stride 1, pad 0, group 1), VALID, NOTSET. */
function trivial(v: unknown): boolean {
  if (Array.isArray(v)) return v.every(trivial);
  return v === undefined || TRIVIAL.has(JSON.stringify(v));
}

/**
 * Where a failure lies: oracle, property, the op and its rank, and the attributes that are set
 * to something other than their trivial value. Two shrunk counterexamples in one region are
 * taken to be the same bug.
 */
export function regionOf(f: Pick<Regression, 'oracle' | 'property' | 'cases'>): string {
  const c = f.cases[0] as CaseJson | undefined;
  if (!c) return `${f.oracle} · ${f.property} · (no case)`;
  const first = Object.values(c.inputs ?? {})[0];
  const rank = first ? `${Math.max(0, first.shape.length - 2)}-D` : '?-D';
  const attrs = Object.entries(c.attrs ?? {})
    .filter(([, v]) => !trivial(v))
    .map(([k]) => k)
    .sort();
  return `${f.oracle} · ${f.property} · ${c.framework} ${c.op} ${rank}${attrs.length ? ` with ${attrs.join(', ')}` : ''}`;
}

function newState(o: CampaignOptions): CampaignState {
  return {
    format: STATE_FORMAT,
    seed: o.run.seed,
    oracles: [...o.run.oracles],
    properties: [...o.run.properties],
    shard: `${o.run.shard.index}/${o.run.shard.count}`,
    rounds: 0,
    elapsedMs: 0,
    cells: [],
    findings: [],
    startedAt: new Date().toISOString(),
  };
}

export class CampaignStateError extends Error {}

/** Reads a state file, refusing one that belongs to another campaign. */
export function readState(path: string, o: CampaignOptions): CampaignState {
  let s: CampaignState;
  try {
    s = JSON.parse(readFileSync(path, 'utf8')) as CampaignState;
  } catch (e) {
    throw new CampaignStateError(`${path}: cannot read the campaign state (${(e as Error).message})`);
  }
  if (s?.format !== STATE_FORMAT) throw new CampaignStateError(`${path}: not a campaign state file (format ${JSON.stringify(s?.format)})`);
  const want = newState(o);
  for (const k of ['seed', 'oracles', 'properties', 'shard'] as const) {
    if (JSON.stringify(s[k]) !== JSON.stringify(want[k])) {
      throw new CampaignStateError(`${path} is a campaign with ${k} ${JSON.stringify(s[k])}, not ${JSON.stringify(want[k])}: resume it with the same options, or use another --state`);
    }
  }
  return s;
}

const toReport = (c: CellResult): CellReport => {
  const { failure: _f, knownIds, ...rest } = c;
  return { ...rest, knownIds: [...knownIds].sort() };
};

/** Adds one round's cells to the state: counts summed per cell, failures deduplicated by region. */
export function absorbRound(state: CampaignState, round: number, cells: readonly CellResult[], regressionsDir: string | null): Finding[] {
  const fresh: Finding[] = [];
  for (const c of cells) {
    const at = state.cells.findIndex((x) => x.oracle === c.oracle && x.property === c.property);
    const add = toReport(c);
    if (at < 0) state.cells.push(add);
    else state.cells[at] = mergeCells([{ cell: state.cells[at]!, shard: 'before' }, { cell: add, shard: `round ${round}` }]);
    if (!c.failure) continue;
    const region = regionOf(c.failure);
    const known = state.findings.find((f) => f.region === region);
    if (known) {
      known.hits++;
      continue;
    }
    const { file: _file, ...first } = c.failure;
    const finding: Finding = { region, oracle: c.oracle, property: c.property, hits: 1, firstRound: round, first, ...(regressionsDir ? { file: saveRegression(regressionsDir, first) } : {}) };
    state.findings.push(finding);
    fresh.push(finding);
  }
  return fresh;
}

export interface CampaignHooks {
  /** After each round, with the state as written. */
  onRound?(state: CampaignState, fresh: readonly Finding[]): void;
  /** Inside rounds: the runner's own hooks. */
  run?: RunHooks;
}

export type RunRound = (o: RunOptions, hooks: RunHooks) => Promise<CellResult[]>;

/**
 * Runs (or resumes) a campaign. `stop()` returning true ends it after the current round (a
 * signal handler uses it); `runRound` is runSuite, or a stand-in in tests.
 */
export async function runCampaign(o: CampaignOptions, runRound: RunRound, hooks: CampaignHooks = {}, stop: () => boolean = () => false): Promise<CampaignState> {
  const state = o.statePath && existsSync(o.statePath) ? readState(o.statePath, o) : newState(o);
  delete state.stopped;
  const save = () => {
    if (o.statePath) writeFileAtomic(o.statePath, JSON.stringify(state, null, 1) + '\n');
  };
  const newCount = () => state.findings.length;
  while (!stop()) {
    const left = o.totalBudgetMs - state.elapsedMs;
    if (left <= 0) {
      state.stopped = 'time budget spent';
      break;
    }
    if (o.untilNew !== undefined && newCount() >= o.untilNew) {
      state.stopped = `${newCount()} new finding(s), --until-new ${o.untilNew}`;
      break;
    }
    const round = state.rounds + 1;
    const began = Date.now();
    const cells = await runRound({ ...o.run, seed: o.run.seed + round - 1, timeBudgetMs: Math.min(o.roundBudgetMs, left), regressionsDir: null }, hooks.run ?? {});
    const fresh = absorbRound(state, round, cells, o.run.regressionsDir);
    state.rounds = round;
    state.elapsedMs += Date.now() - began;
    save();
    hooks.onRound?.(state, fresh);
    // Let the event loop turn between rounds: a round on the in-process reference can complete
    // in microtasks alone, and then neither output nor Ctrl-C would be handled until the end.
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (!state.stopped) state.stopped = 'interrupted';
  save();
  return state;
}
