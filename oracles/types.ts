/**
 * The oracle interface. A real runtime (onnxruntime-node, TensorFlow.js) takes a case in its own
 * framework's convention and returns its answer. Each backend declares what it supports, so that
 * "unsupported" is never counted as "wrong".
 */
import type { ConvCall } from '../src/conventions/index.js';
import type { DType } from '../src/case/case.js';
import type { Tensor } from '../src/core/tensor.js';
import type { Framework } from '../src/conventions/index.js';
import type { Capabilities } from '../properties/capabilities.js';

/** What an oracle is asked: a call plus the dtype it should compute in. */
export interface OracleCall extends ConvCall {
  readonly dtype: DType;
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

/**
 * What a backend says about itself once loaded, for implementations whose ops are only known then
 * (a user's adapter module, a program's hello line).
 */
export interface BackendInfo {
  readonly name: string;
  readonly framework: Framework;
  readonly ops: readonly string[];
  readonly float64: boolean;
  readonly capabilities?: Capabilities;
  /** What it runs on, for the machine fingerprint: a browser's WebGL renderer or WebGPU adapter, runtime versions. */
  readonly environment?: Readonly<Record<string, unknown>>;
}

/** Runs inside an oracle host process. Implementations live in oracles/<runtime>/. */
export interface OracleBackend {
  readonly name: string;
  /** Why the call is outside what this backend supports, or undefined when it is supported. */
  unsupported(call: OracleCall): string | undefined;
  /**
   * Computes the call; throws when the runtime rejects it. Throwing `Unsupported` makes the
   * answer 'unsupported', throwing `BackendFailure` makes it 'failed'.
   */
  run(call: OracleCall): Promise<Tensor>;
  /** The declaration, when the backend learns it at load time. */
  describe?(): BackendInfo;
  /**
   * Calls may overlap: the backend orders or isolates them itself (a protocol program's window,
   * a browser page's batches). Otherwise its host runs one call at a time, in order.
   */
  readonly concurrent?: boolean;
  /**
   * It keeps each call to the per-call timeout itself and answers a hung call as 'failed' (the
   * browser batcher re-runs a hung batch call by call), running at most this many calls together:
   * its host's watchdog is only a backstop.
   */
  readonly timesCalls?: number;
  dispose?(): Promise<void>;
}

/** Thrown by a backend for a call outside what it implements, found out while running it. */
export class Unsupported extends Error {}

/** Thrown by a backend when the implementation broke (bad answer, protocol violation), not refused. */
export class BackendFailure extends Error {}

/**
 * A thrown value as text, whatever it is: user code may throw an object whose `message` getter
 * or `toString` throws, and describing it must not throw in turn.
 */
export function describeThrown(e: unknown): string {
  try {
    if (e instanceof Error) return String(e.message);
  } catch {
    /* falls through to the generic forms */
  }
  try {
    return String(e);
  } catch {
    return `an unprintable ${e === null ? 'null' : typeof e} (converting it to a string throws)`;
  }
}

/**
 * What a backend's call comes to (the oracle host sends it to the parent): its declared limits,
 * its value, or its throw as a refusal, an unsupported call or a failure.
 */
export async function answer(backend: OracleBackend, call: OracleCall): Promise<OracleResult> {
  try {
    const reason = backend.unsupported(call);
    if (reason !== undefined) return { kind: 'unsupported', reason };
    const t = await backend.run(call);
    return { kind: 'value', shape: [...t.shape], data: t.data };
  } catch (e) {
    if (e instanceof Unsupported) return { kind: 'unsupported', reason: e.message };
    if (e instanceof BackendFailure) return { kind: 'failed', error: e.message };
    return { kind: 'rejected', error: describeThrown(e) };
  }
}

/** The parent-side handle: every call answers, whatever happens to the runtime. */
export interface Oracle {
  readonly name: string;
  run(call: OracleCall): Promise<OracleResult>;
  close(): Promise<void>;
  /** Ends the current host, so that the next call runs in a fresh one (same runtime, new process). */
  restart?(): Promise<void>;
}
