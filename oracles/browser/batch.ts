/**
 * Calls to a browser page, several per message. A page round trip (host → chromium → page and
 * back) costs about 3 ms, more than a small case takes to compute, so when the harness keeps
 * several calls in flight the ones waiting while the page works go together in one
 * page.evaluate: the page runs them in order and answers with one outcome per call.
 *
 * Isolation stays per call. A call that throws is that call's outcome only (the page catches per
 * call). A batch that hangs past its deadline (the per-call budget times its length) or whose
 * page crashes gives no answer for anyone: the page is replaced and the batch's calls are re-run
 * one per message on fresh pages, so that only the culprit gets the 'failed' verdict and its
 * neighbours their real answers. Calls run in the order they came, batch after batch, as they
 * did one message each (some runtimes' findings depend on what ran before).
 */
import { BackendFailure, type OracleCall } from '../types.js';
import { firstLine, type BrowserSession } from './session.js';

export interface BatchLimits {
  /** Calls per message at most. */
  readonly count: number;
  /**
   * Estimated request bytes per message at most; a call bigger than that goes alone, so that a
   * huge case neither waits for others nor drags a batch past the page's message size.
   */
  readonly bytes: number;
}

export const DEFAULT_LIMITS: BatchLimits = { count: 16, bytes: 1 << 20 };

/**
 * The per-call budget in the page: the oracle's per-call timeout, which the parent (isolated.ts)
 * hands its host as CONVCHECK_CALL_TIMEOUT_MS; 30 s, the parent's default, without it.
 */
export function callBudgetMs(): number {
  const ms = Number(process.env['CONVCHECK_CALL_TIMEOUT_MS']);
  return Number.isFinite(ms) && ms > 0 ? ms : 30_000;
}

/** Roughly what a call weighs on the wire, for the byte limit: its input numbers, plus `extra` (an ONNX model). */
export function callBytes(call: OracleCall, extra = 0): number {
  return 200 + 12 * Object.values(call.inputs).reduce((n, t) => n + t.data.length, 0) + extra;
}

/** What the page answers for one call: its value, or the first line of what the call threw. */
export type PageOutcome = { readonly ok: unknown } | { readonly error: string };

/**
 * The message format, both ways (page.mjs runBatch): JSON text with every Float64Array (the
 * page's answers: every typed array) as {"$f64": base64 of its bytes}. Through the DevTools
 * protocol a string costs next to nothing while each number of an array is an object of its own
 * (~6 µs a number here, more than a small case takes to compute); base64 keeps NaN, ±∞ and -0.
 */
function encode(items: readonly unknown[]): string {
  return JSON.stringify(items, (_k, v: unknown) => (v instanceof Float64Array ? { $f64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') } : v));
}

function decode(text: string): unknown {
  return JSON.parse(text, (_k, v: unknown) => {
    const b64 = (v as { $f64?: unknown } | null)?.$f64;
    if (typeof b64 !== 'string') return v;
    const bytes = Buffer.from(b64, 'base64');
    return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  });
}

/** A page session that can be told apart from its successors: a replaced page's crash is no news. */
type Slot = { readonly session: BrowserSession; crashed: boolean; retired: boolean };

type Job = { readonly item: unknown; readonly bytes: number; resolve(o: PageOutcome): void; reject(e: Error): void };

type PageApi = { convcheck: { runBatch(kind: string, text: string): Promise<string> } };

export interface BatcherOptions {
  readonly label: string;
  /** What page.mjs runBatch runs: a runtime oracle's kind, or 'adapter'. */
  readonly kind: string;
  /** Opens a fresh page ready for calls (the runtime initialised, the adapter loaded). */
  readonly open: (onCrash: () => void) => Promise<BrowserSession>;
  /** How long one call may take in the page. */
  readonly callMs: number;
  readonly limits?: BatchLimits;
}

export class PageBatcher {
  private readonly queue: Job[] = [];
  private slot: Slot | undefined;
  private busy = false;
  private scheduled = false;
  private closed = false;
  private readonly limits: BatchLimits;
  /** Messages sent to pages and pages opened, for tests and the bench. */
  readonly stats = { messages: 0, calls: 0, pages: 0 };

  constructor(private readonly o: BatcherOptions) {
    this.limits = o.limits ?? DEFAULT_LIMITS;
  }

  /** Calls run together at most (the backend's timesCalls). */
  get together(): number {
    return this.limits.count;
  }

  /** Opens the first page; an error here means the backend cannot start. */
  async start(): Promise<void> {
    this.slot = await this.openSlot();
  }

  /** Queues one call; resolves to its outcome, rejects with BackendFailure when it hung or crashed the page. */
  run(item: unknown, bytes: number): Promise<PageOutcome> {
    if (this.closed) return Promise.reject(new BackendFailure(`${this.o.label}: closed`));
    return new Promise<PageOutcome>((resolve, reject) => {
      this.queue.push({ item, bytes, resolve, reject });
      // Calls that arrive together (one IPC read, one Promise.all) are collected before the
      // first message goes, rather than the first going alone.
      if (!this.busy && !this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          void this.pump();
        });
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const j of this.queue.splice(0)) j.reject(new BackendFailure(`${this.o.label}: closed`));
    const slot = this.slot;
    this.slot = undefined;
    if (slot) await retire(slot);
  }

  private async openSlot(): Promise<Slot> {
    const flags = { crashed: false, retired: false };
    const session = await this.o.open(() => {
      if (flags.retired) return;
      if (this.busy) {
        flags.crashed = true; // the batch's evaluate rejects: attempt() names the crash
        return;
      }
      // A crash while no call is in the page happened after the last answer: as before batching,
      // the host ends, and the parent fails the next call with it.
      process.stderr.write(`${this.o.label}: the browser page crashed\n`);
      process.exit(70);
    });
    this.stats.pages++;
    return Object.assign(flags, { session });
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const jobs = this.take();
        // Nothing is meant to throw here; if something does, its calls fail rather than wait forever.
        await this.runBatch(jobs).catch((e: unknown) => jobs.forEach((j) => j.reject(new BackendFailure(`internal: ${firstLine(e)}`))));
      }
    } finally {
      this.busy = false;
    }
  }

  /** The next batch: the first call always (however big), then more while both limits hold. */
  private take(): Job[] {
    const batch = [this.queue.shift()!];
    let bytes = batch[0]!.bytes;
    while (this.queue.length > 0 && batch.length < this.limits.count && bytes + this.queue[0]!.bytes <= this.limits.bytes) {
      bytes += this.queue[0]!.bytes;
      batch.push(this.queue.shift()!);
    }
    return batch;
  }

  private async runBatch(jobs: readonly Job[]): Promise<void> {
    const out = await this.attempt(jobs.map((j) => j.item));
    if (Array.isArray(out) && out.length === jobs.length) {
      jobs.forEach((j, i) => {
        const o = out[i] as PageOutcome | { unsendable: string };
        if ('unsendable' in o) j.reject(new BackendFailure(`the answer cannot be sent from the page: ${o.unsendable}`));
        else j.resolve(o);
      });
      return;
    }
    if (Array.isArray(out)) {
      for (const j of jobs) j.reject(new BackendFailure(`internal: the page answered ${out.length} of ${jobs.length} calls`));
      return;
    }
    if (jobs.length === 1) {
      jobs[0]!.reject(new BackendFailure(`${this.o.label}: ${out.why}`));
      return;
    }
    // No answer for anyone: each call again, alone, on a fresh page, so only the culprit fails.
    for (const j of jobs) await this.runBatch([j]);
  }

  /** One message; the outcomes, or why the page gave none (it is then retired). */
  private async attempt(items: unknown[]): Promise<PageOutcome[] | { why: string }> {
    if (this.closed) return { why: 'closed' }; // a batch broken by close() is not run again
    let slot: Slot;
    try {
      slot = this.slot ??= await this.openSlot();
    } catch (e) {
      return { why: `no fresh page: ${firstLine(e)}` };
    }
    this.stats.messages++;
    this.stats.calls += items.length;
    const deadline = this.o.callMs * items.length;
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<{ why: string }>((resolve) => {
      timer = setTimeout(() => resolve({ why: `no answer within ${deadline} ms (page replaced)` }), deadline);
    });
    const sent = slot.session.page
      .evaluate(([k, text]) => (globalThis as unknown as PageApi).convcheck.runBatch(k, text), [this.o.kind, encode(items)] as const)
      .then(
        (r): PageOutcome[] | { why: string } => {
          try {
            return decode(r) as PageOutcome[];
          } catch (e) {
            return { why: `unreadable answer from the page: ${firstLine(e)}` };
          }
        },
        (e: unknown) => ({ why: slot.crashed || /crash/i.test(firstLine(e)) ? 'the browser page crashed (page replaced)' : `${firstLine(e)} (page replaced)` }),
      );
    const out = await Promise.race([sent, hung]);
    clearTimeout(timer);
    if (!Array.isArray(out)) {
      if (this.slot === slot) this.slot = undefined;
      await retire(slot);
    }
    return out;
  }
}

/** Closes a page's browser, hung or crashed as it may be; a close that itself hangs is not waited for long. */
async function retire(slot: Slot): Promise<void> {
  slot.retired = true;
  await Promise.race([slot.session.close(), new Promise((r) => setTimeout(r, 5000).unref())]);
}
