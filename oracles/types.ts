/**
 * The oracle interface. A real runtime (onnxruntime-node, TensorFlow.js) takes a case in its own
 * framework's convention and returns its answer. Each backend declares what it supports, so that
 * "unsupported" is never counted as "wrong".
 */
import type { ConvCall } from '../src/conventions/index.js';
import type { Tensor } from '../src/core/tensor.js';

/** What an oracle is asked: a call plus the dtype it should compute in. */
export interface OracleCall extends ConvCall {
  readonly dtype: 'float32' | 'float64';
}

export type OracleResult =
  /** The runtime's output, widened to float64. */
  | { readonly kind: 'value'; readonly shape: number[]; readonly data: Float64Array }
  /** The runtime refused the call (it threw for this input). */
  | { readonly kind: 'rejected'; readonly error: string }
  /** Outside what this oracle declares it supports: never counted as a failure. */
  | { readonly kind: 'unsupported'; readonly reason: string }
  /** The oracle itself broke: crashed, hung past its timeout, or could not start. */
  | { readonly kind: 'failed'; readonly error: string };

/** Runs inside an oracle host process. Implementations live in oracles/<runtime>/. */
export interface OracleBackend {
  readonly name: string;
  /** Why the call is outside what this backend supports, or undefined when it is supported. */
  unsupported(call: OracleCall): string | undefined;
  /** Computes the call; throws when the runtime rejects it. */
  run(call: OracleCall): Promise<Tensor>;
  dispose?(): Promise<void>;
}

/** The parent-side handle: every call answers, whatever happens to the runtime. */
export interface Oracle {
  readonly name: string;
  run(call: OracleCall): Promise<OracleResult>;
  close(): Promise<void>;
  /** Ends the current host, so that the next call runs in a fresh one (same runtime, new process). */
  restart?(): Promise<void>;
}
