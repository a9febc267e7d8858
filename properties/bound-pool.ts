/**
 * Reference values and error bounds off the main thread. A run's main thread generates cases,
 * talks to the oracle processes and judges answers; the float64 reference of each case is most
 * of its own work, so with a core to spare it goes to worker threads and overlaps the rest. The
 * answer is the same either way (the same code, in float64); without workers, or for a case too
 * small to be worth a message, it is computed in place.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ConvCall } from '../src/conventions/index.js';
import { ConvError } from '../src/core/errors.js';
import { packageRoot } from '../src/root.js';
import type { BoundReply, BoundRequest } from './bound-worker.js';
import type { ProfileName } from './precision/profiles.js';
import { errorBound, type Bound } from './tolerance.js';

/** Below this many input elements a case is computed in place: a message costs more. */
const SMALL = 256;

interface Waiting {
  readonly resolve: (b: Bound) => void;
  readonly reject: (e: unknown) => void;
  readonly request: BoundRequest;
}

type Slot = { readonly worker: Worker; readonly waiting: Map<number, Waiting> };

/** Up to `capacity` workers, each started when a case first needs it: most runs never do. */
class Pool {
  private readonly workers: Slot[] = [];
  private next = 0;

  constructor(
    private capacity: number,
    private readonly script: string,
  ) {}

  get size(): number {
    return this.capacity;
  }

  private spawn(): Slot {
    const worker = new Worker(this.script);
    const slot: Slot = { worker, waiting: new Map<number, Waiting>() };
    worker.on('message', (r: BoundReply) => {
      const w = slot.waiting.get(r.id);
      if (!w) return;
      slot.waiting.delete(r.id);
      if (slot.waiting.size === 0) worker.unref();
      if ('bound' in r) w.resolve({ bound: r.bound, K: r.K, reference: r.reference });
      else if ('convError' in r) w.reject(Object.assign(new ConvError(r.convError.op, r.convError.arg, ''), { message: r.convError.message }));
      else w.reject(new Error(r.error));
    });
    // A worker that dies takes no case with it: what it had is computed in place, and it is not
    // replaced.
    const lost = () => {
      const i = this.workers.indexOf(slot);
      if (i < 0) return;
      this.workers.splice(i, 1);
      this.capacity--;
      for (const w of slot.waiting.values()) inPlace(w);
      slot.waiting.clear();
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    this.workers.push(slot);
    return slot;
  }

  run(request: Omit<BoundRequest, 'id'>): Promise<Bound> {
    let slot = this.workers.reduce<Slot | undefined>((a, b) => (a && a.waiting.size <= b.waiting.size ? a : b), undefined);
    if ((!slot || slot.waiting.size > 0) && this.workers.length < this.capacity) slot = this.spawn();
    const target = slot!;
    const id = this.next++;
    return new Promise<Bound>((resolve, reject) => {
      const r: BoundRequest = { ...request, id };
      target.waiting.set(id, { resolve, reject, request: r });
      // Held while it has work, so that the process waits for the answer.
      target.worker.ref();
      target.worker.postMessage(r);
    });
  }

  async close(): Promise<void> {
    const all = this.workers.splice(0);
    await Promise.all(all.map((s) => s.worker.terminate()));
  }
}

function inPlace(w: Waiting): void {
  try {
    w.resolve(errorBound(w.request.call, w.request.dtype, w.request.profile));
  } catch (e) {
    w.reject(e);
  }
}

let pool: Pool | undefined;

/**
 * Reference workers for what follows (0: none). The compiled worker is needed, as for oracle
 * hosts; without it (TypeScript sources only) bounds are computed in place.
 */
export async function useReferenceWorkers(n: number): Promise<void> {
  if (pool && pool.size === n) return;
  await pool?.close();
  pool = undefined;
  const script = join(packageRoot(), 'dist', 'properties', 'bound-worker.js');
  if (n > 0 && existsSync(script)) pool = new Pool(n, script);
}

/** How many reference workers a run may use (each started when a case first needs it). */
export function referenceWorkers(): number {
  return pool?.size ?? 0;
}

/** The call's reference value and error bound (tolerance.ts errorBound), on a worker when there is one. */
export function boundOf(call: ConvCall, dtype: string, profile?: ProfileName): Promise<Bound> {
  let elements = 0;
  for (const t of Object.values(call.inputs)) elements += t.data.length;
  if (!pool || pool.size === 0 || elements < SMALL) {
    try {
      return Promise.resolve(errorBound(call, dtype, profile));
    } catch (e) {
      return Promise.reject(e);
    }
  }
  // Only what the bound reads crosses over (a parsed case also carries its source JSON).
  return pool.run({ call: { framework: call.framework, op: call.op, attrs: call.attrs, inputs: call.inputs }, dtype, ...(profile ? { profile } : {}) });
}
