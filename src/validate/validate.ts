/**
 * Validating a user's implementation: every property that applies to its declared ops, against
 * the float64 reference and the laws of convolution. The library form of `convcheck validate`.
 *
 * A module path or a command runs out of process (src/validate/isolated.ts); an adapter object
 * or an Implementation runs in this process.
 */
import type { KnownFinding } from '../../oracles/known.js';
import type { Implementation } from '../../properties/implementation.js';
import { PROPERTIES } from '../../properties/index.js';
import { runImplementation, type CellResult, type RunHooks } from '../runner/run.js';
import { adapterImplementation, type Adapter } from './adapter.js';
import { openIsolated, type ImplSource } from './isolated.js';
import { withinCapabilities } from '../../properties/capabilities.js';
import type { SizeOptions } from '../generators/sizes.js';
import { overallPrecision, type PrecisionMode } from '../runner/precision.js';
import type { ProfileName } from '../../properties/precision/profiles.js';

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
  /** Per-call timeout for an implementation run out of process (default 30 s). */
  readonly timeoutMs?: number;
  /** Accepting a call the convention rejects fails (default: it is counted as lenient). */
  readonly strict?: boolean;
  /** Sizes of generated cases (`--sizes`, `--max-spatial`, ...). */
  readonly sizes?: SizeOptions;
  /** `--precision`: judge under one profile, or find the tightest met (auto). */
  readonly precision?: PrecisionMode;
  /** Every generated case in this 16-bit dtype. */
  readonly dtype?: 'float16' | 'bfloat16';
  /** Known findings (built-in plus the user's; see knownRegistry): failures in them are counted apart. */
  readonly known?: readonly KnownFinding[];
  /** Distinct failures searched for per property (default 1). */
  readonly maxFailuresPerCell?: number;
  /** Checks in flight (default search.ts IN_FLIGHT); the implementation still gets its calls one at a time, in order. */
  readonly inFlight?: number;
  /**
   * Processes running an out-of-process implementation (default 1: it may keep state between
   * calls, such as a GPU context or a cache, whose effect should not depend on timing).
   */
  readonly hosts?: number;
}

export interface Validation {
  readonly ok: boolean;
  readonly seed: number;
  readonly cells: CellResult[];
  /** What went wrong outside any cell (a host that died after its last answer, a property that ran no case). */
  readonly problems: string[];
  /** The implementation's declared name. */
  readonly name: string;
  /** With precision auto: the tightest profile every cell met, or 'none'; absent when nothing was judged. */
  readonly meets?: ProfileName | 'none';
}

export interface ValidateHooks extends RunHooks {
  /** What the implementation declared, once it has started. */
  onImplementation?(d: { name: string; framework: string; ops: readonly string[] }): void;
}

function isSource(t: unknown): t is ImplSource {
  return typeof t === 'object' && t !== null && !('run' in t) && ('module' in t || 'command' in t);
}

/** Why a cell does not count as holding, or undefined when it does. */
export function cellProblem(c: CellResult): string | undefined {
  if (c.status === 'not-applicable') return undefined;
  if (c.status === 'unavailable') return `${c.property}: implementation unavailable${c.note ? `: ${c.note}` : ''}`;
  if (c.failed > 0 || c.failure) return `${c.property}: failed`;
  if (c.note) return `${c.property}: ${c.note}`;
  if (c.cases === 0) return `${c.property}: ran no case within its time budget`;
  return undefined;
}

/**
 * Validates an adapter object, an Implementation, a module path (string or {module, options}),
 * or a command line on the process protocol ({command, options}). ok only when every property
 * that applies ran its cases and nothing failed or went wrong.
 */
export async function validate(target: Adapter | Implementation | ImplSource | string, o: ValidateOptions = {}, hooks: ValidateHooks = {}): Promise<Validation> {
  const source = typeof target === 'string' ? { module: target } : isSource(target) ? target : undefined;
  const opened = source ? await openIsolated(source, o.timeoutMs, o.hosts) : undefined;
  const impl = opened ? opened.impl : 'framework' in (target as object) ? withinCapabilities(adapterImplementation(target as Adapter)) : (target as Implementation);
  const seed = o.seed ?? 20261127;
  try {
    hooks.onImplementation?.({ name: impl.name, framework: impl.ops[0]?.[0] ?? '', ops: impl.ops.map(([, op]) => op) });
    const cells = await runImplementation(
      {
        properties: o.properties ?? PROPERTIES.map((p) => p.name),
        runs: o.runs ?? 200,
        seed,
        timeBudgetMs: o.timeBudgetMs ?? 60_000,
        shard: { index: 1, count: 1 },
        regressionsDir: o.regressionsDir ?? null,
        ...(o.path !== undefined ? { path: o.path } : {}),
        ...(o.strict ? { strict: true } : {}),
        ...(o.sizes ? { sizes: o.sizes } : {}),
        ...(o.precision ? { precision: o.precision } : {}),
        ...(o.dtype ? { dtype: o.dtype } : {}),
        ...(o.known ? { known: o.known } : {}),
        ...(o.inFlight ? { inFlight: o.inFlight } : {}),
        // A verdict on an adapter needs one failure per property; `run` searches on for more.
        maxFailuresPerCell: o.maxFailuresPerCell ?? 1,
        replayBase: () => o.replayBase ?? 'convcheck validate --impl <your adapter module>',
      },
      impl,
      hooks,
    );
    // Closing waits for the host's exit: one that died after its last answer is a problem too.
    await opened?.close();
    const problems = cells.map(cellProblem).filter((p): p is string => p !== undefined);
    const late = opened?.takeIncident();
    if (late !== undefined) problems.push(late);
    if (o.precision !== 'auto') return { ok: problems.length === 0, seed, cells, problems, name: impl.name };
    // auto: the tightest profile every cell met (null: nothing was judged numerically).
    const meets = overallPrecision(cells);
    if (meets === 'none') problems.push('precision: meets none of the profiles');
    return { ok: problems.length === 0, seed, cells, problems, name: impl.name, ...(meets ? { meets } : {}) };
  } catch (e) {
    await opened?.close();
    throw e;
  }
}
