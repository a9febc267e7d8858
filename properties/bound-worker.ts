/**
 * A worker thread that computes reference values and error bounds (tolerance.ts errorBound) for
 * the main thread, which meanwhile generates cases and talks to the oracles (bound-pool.ts).
 */
import { parentPort } from 'node:worker_threads';
import type { ConvCall } from '../src/conventions/index.js';
import { ConvError } from '../src/core/errors.js';
import type { ProfileName } from './precision/profiles.js';
import { errorBound } from './tolerance.js';

export interface BoundRequest {
  readonly id: number;
  readonly call: ConvCall;
  readonly dtype: string;
  readonly profile?: ProfileName;
}

export type BoundReply =
  | { readonly id: number; readonly bound: Float64Array; readonly K: number; readonly reference: { shape: readonly number[]; data: Float64Array } }
  | { readonly id: number; readonly convError: { op: string; arg: string; message: string } }
  | { readonly id: number; readonly error: string };

/** Buffers that can move to the other thread instead of being copied: whole and distinct. */
function movable(...arrays: Float64Array[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const a of arrays) {
    const b = a.buffer as ArrayBuffer;
    if (a.byteOffset === 0 && a.byteLength === b.byteLength && !out.includes(b)) out.push(b);
  }
  return out;
}

parentPort?.on('message', (r: BoundRequest) => {
  let reply: BoundReply;
  try {
    const b = errorBound(r.call, r.dtype, r.profile);
    const data = b.reference.data instanceof Float64Array ? b.reference.data : Float64Array.from(b.reference.data);
    reply = { id: r.id, bound: b.bound, K: b.K, reference: { shape: [...b.reference.shape], data } };
    parentPort!.postMessage(reply, movable(b.bound, data));
    return;
  } catch (e) {
    reply = e instanceof ConvError ? { id: r.id, convError: { op: e.op, arg: e.arg, message: e.message } } : { id: r.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  parentPort!.postMessage(reply);
});
