/**
 * What a property is a function of: an implementation of some convention ops. The float64
 * reference, every oracle, and any user adapter are implementations.
 */
import type { OracleCall, OracleResult, Oracle } from '../oracles/types.js';
import { ConvError } from '../src/core/errors.js';
import { reference, type Framework } from '../src/conventions/index.js';
import type { Capabilities } from './capabilities.js';
import type { ProfileName } from './precision/profiles.js';

export type OpRef = readonly [Framework, string];

export interface Implementation {
  readonly name: string;
  /** The [framework, op] pairs it implements. Properties only draw cases of these. */
  readonly ops: readonly OpRef[];
  /** Whether it computes float64 cases (tfjs and onnxruntime's CPU convs do not). */
  readonly float64: boolean;
  /** What generated cases should avoid because the implementation declares it unsupported. */
  readonly avoid?: { readonly groups?: boolean; readonly dilatedTranspose?: boolean; readonly strideWithDilation?: boolean };
  /** What it declares it supports (properties/capabilities.ts); generators draw inside it. */
  readonly capabilities?: Capabilities;
  /**
   * The precision profile its answers are judged under (properties/precision/profiles.ts); unset:
   * each case's dtype's own (fp32 for float32). Set by the runner for `--precision`.
   */
  readonly precision?: ProfileName;
  run(call: OracleCall): Promise<OracleResult>;
  /** Starts over in a fresh process, where there is one: a failure is re-checked there too. */
  restart?(): Promise<void>;
}

export function supportsOp(impl: Implementation, fw: Framework, op: string): boolean {
  return impl.ops.some(([f, o]) => f === fw && o === op);
}

/** The float64 reference as an implementation of every op. */
export function referenceImpl(ops: readonly OpRef[]): Implementation {
  return {
    name: 'reference',
    ops,
    float64: true,
    run: (call) => Promise.resolve(runReference(call)),
  };
}

export function runReference(call: OracleCall): OracleResult {
  try {
    const t = reference(call);
    return { kind: 'value', shape: [...t.shape], data: t.data };
  } catch (e) {
    if (e instanceof ConvError) return { kind: 'rejected', error: e.message };
    throw e;
  }
}

export function oracleImpl(oracle: Oracle, ops: readonly OpRef[], float64: boolean, avoid?: Implementation['avoid']): Implementation {
  return { name: oracle.name, ops, float64, ...(avoid ? { avoid } : {}), run: (call) => oracle.run(call), ...(oracle.restart ? { restart: () => oracle.restart!() } : {}) };
}
