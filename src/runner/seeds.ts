/**
 * Seeds and shards. One run seed, printed at the start, determines everything: each oracle ×
 * property cell draws from its own seed derived from (run seed, oracle, property), so cells
 * explore independent streams. Shards split the cells, not the seed space: the shards of a run
 * together do exactly the cells of the unsharded run, with the same seeds, each in 1/n of the time.
 */

/** 32-bit FNV-1a over a string. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * The seed of a cell's stream: stream 0 is the cell of an unsharded run; streams 1, 2, ... exist
 * only when there are more shards than cells (see shardCells). The text hashed for stream s is
 * the one earlier versions hashed for shard s + 1, so unsharded seeds did not change.
 */
export function cellSeed(runSeed: number, oracle: string, property: string, stream = 0): number {
  return fnv1a(`${runSeed}/${stream + 1}/${oracle}/${property}`) & 0x7fffffff;
}

export interface PlannedCell {
  readonly oracle: string;
  readonly property: string;
  readonly seed: number;
  /** 0, except when there are more shards than cells. */
  readonly stream: number;
  /** Its place in the unsharded run's order (oracle-major), for reporting cells in that order. */
  readonly order: number;
}

/**
 * The cells a shard runs. Cell k of the unsharded run (oracle-major order) goes to shard
 * (k mod n) + 1 (k from 0), round-robin so that each shard gets a like mix of fast and slow oracles. With more
 * shards than cells, cells are run by several shards, each on a stream of its own, so that no
 * shard idles: slot j (0 ≤ j < n) is cell j mod T on stream ⌊j / T⌋.
 */
export function shardCells(runSeed: number, shard: Shard, oracles: readonly string[], properties: readonly string[]): PlannedCell[] {
  const all = oracles.flatMap((oracle) => properties.map((property) => ({ oracle, property })));
  const t = all.length;
  const out: PlannedCell[] = [];
  for (let j = shard.index - 1; j < Math.max(t, shard.count); j += shard.count) {
    if (t === 0) break;
    const c = all[j % t]!;
    const stream = Math.floor(j / t);
    out.push({ ...c, seed: cellSeed(runSeed, c.oracle, c.property, stream), stream, order: j });
  }
  return out;
}

export interface Shard {
  /** 1-based, as vitest's --shard. */
  readonly index: number;
  readonly count: number;
}

/**
 * The --shard that gives a lone cell (one --oracles, one --properties) the given stream: a plan
 * of one cell puts shard s on stream s − 1. Stream 0 needs none.
 */
export function streamShardFlag(stream: number): string {
  return stream === 0 ? '' : ` --shard ${stream + 1}/${stream + 1}`;
}

export function parseShard(s: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(s);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new Error(`--shard must look like i/n with 1 <= i <= n, got ${JSON.stringify(s)}`);
  return { index, count };
}

/** A seed from the environment (CONVCHECK_SEED) or the clock, always printed. */
export function defaultSeed(): number {
  const env = process.env['CONVCHECK_SEED'];
  if (env !== undefined && env !== '') {
    const n = Number(env);
    if (!Number.isInteger(n)) throw new Error(`CONVCHECK_SEED must be an integer, got ${JSON.stringify(env)}`);
    return n;
  }
  return Date.now() % 2147483647;
}

export function hashText(s: string): string {
  return fnv1a(s).toString(16).padStart(8, '0');
}
