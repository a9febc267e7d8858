/**
 * Validating a user's implementation: every property that applies to its declared ops, against
 * the float64 reference and the laws of convolution. The library form of `convcheck validate`.
 */
import type { KnownFinding } from '../../oracles/known.js';
import type { Implementation } from '../../properties/implementation.js';
import { PROPERTIES } from '../../properties/index.js';
import { runImplementation, type CellResult, type RunHooks } from '../runner/run.js';
import { adapterImplementation, type Adapter } from './adapter.js';

export interface ValidateOptions {
  readonly runs?: number;
  readonly seed?: number;
  readonly timeBudgetMs?: number;
  readonly properties?: readonly string[];
  /** Replay one fast-check path (with exactly one property). */
  readonly path?: string;
  readonly regressionsDir?: string | null;
  /** How the printed replay command starts. */
  readonly replayBase?: string;
  /** Known findings (built-in plus the user's; see knownRegistry): failures in them are counted apart. */
  readonly known?: readonly KnownFinding[];
  /** Distinct failures searched for per property (default 1). */
  readonly maxFailuresPerCell?: number;
}

export interface Validation {
  readonly ok: boolean;
  readonly seed: number;
  readonly cells: CellResult[];
}

export async function validate(target: Adapter | Implementation, o: ValidateOptions = {}, hooks: RunHooks = {}): Promise<Validation> {
  const impl = 'framework' in target ? adapterImplementation(target) : target;
  const seed = o.seed ?? 20261127;
  const cells = await runImplementation(
    {
      properties: o.properties ?? PROPERTIES.map((p) => p.name),
      runs: o.runs ?? 200,
      seed,
      timeBudgetMs: o.timeBudgetMs ?? 60_000,
      shard: { index: 1, count: 1 },
      regressionsDir: o.regressionsDir ?? null,
      ...(o.path !== undefined ? { path: o.path } : {}),
      replayBase: () => o.replayBase ?? 'convcheck validate --impl <your adapter module>',
      ...(o.known ? { known: o.known } : {}),
      // A verdict on an adapter needs one failure per property; `run` searches on for more.
      maxFailuresPerCell: o.maxFailuresPerCell ?? 1,
    },
    impl,
    hooks,
  );
  return { ok: cells.every((c) => c.failed === 0), seed, cells };
}
