/**
 * The WebAssembly side of the fast path: one compiled module (kernel.wat), and an instance
 * whose memory holds a call's operands. Memory can grow but never shrink, so calls up to
 * KEEP_BYTES reuse one instance and larger ones get their own, dropped after the call.
 */
import { KERNEL_WASM } from './kernel-wasm.js';

export interface Kernels {
  readonly memory: WebAssembly.Memory;
  tile4(tx: number, tw: number, nt: number, I8: number, xb: number, dx: number, wb: number, at: number, os: number): void;
  tile2m(tx: number, tw: number, nt: number, I8: number, xb: number, dx: number, wb: number, at: number, os: number, magOff: number): void;
  tile1(tx: number, tw: number, nt: number, I8: number, xb: number, wb: number, at: number, mag: number, magOff: number): void;
}

const PAGE = 65536;
const KEEP_BYTES = 64 * 2 ** 20;
/** wasm32 addresses: stay well inside 4 GiB (V8's limit). */
export const MAX_BYTES = 2 ** 31;

let module: WebAssembly.Module | undefined;
let kept: Kernels | undefined;

function instantiate(): Kernels {
  module ??= new WebAssembly.Module(Buffer.from(KERNEL_WASM, 'base64'));
  return new WebAssembly.Instance(module, {}).exports as unknown as Kernels;
}

function grow(k: Kernels, bytes: number): void {
  const have = k.memory.buffer.byteLength;
  if (bytes > have) k.memory.grow(Math.ceil((bytes - have) / PAGE));
}

/** Kernels whose memory has at least `bytes` (callers check bytes <= MAX_BYTES). */
export function kernelsWithMemory(bytes: number): Kernels {
  if (bytes > KEEP_BYTES) {
    const k = instantiate();
    grow(k, bytes);
    return k;
  }
  kept ??= instantiate();
  grow(kept, bytes);
  return kept;
}

/** Whether `k` is a call's own instance (dropped after it), not the one reused by later calls. */
export function ownInstance(k: Kernels): boolean {
  return k !== kept;
}
