/**
 * Seeds. One run seed, printed at the start, determines everything: each oracle × property cell
 * draws from its own seed derived from (run seed, shard, oracle, property), so cells explore
 * independent streams and shards split the seed space.
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

export function cellSeed(runSeed: number, shard: Shard, oracle: string, property: string): number {
  return fnv1a(`${runSeed}/${shard.index}/${oracle}/${property}`) & 0x7fffffff;
}

export interface Shard {
  /** 1-based, as vitest's --shard. */
  readonly index: number;
  readonly count: number;
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
