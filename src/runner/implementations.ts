/**
 * Implementations by name: the reference, or an oracle run out of process.
 */
import { HostPool } from '../../oracles/pool.js';
import { ORACLES, oracleEntry } from '../../oracles/registry.js';
import { oracleImpl, referenceImpl, type Implementation, type OpRef } from '../../properties/implementation.js';
import type { Framework } from '../conventions/index.js';
import { GENERATORS } from '../generators/cases.js';

export const ALL_OPS: readonly OpRef[] = (Object.entries(GENERATORS) as Array<[Framework, object]>).flatMap(([fw, ops]) => Object.keys(ops).map((op) => [fw, op] as const));

export interface Opened {
  readonly impl?: Implementation;
  /** Why the implementation could not be started. */
  readonly unavailable?: string;
  close(): Promise<void>;
}

/**
 * onnxruntime-node is an optional peer of convcheck (its install script downloads a CUDA provider
 * convcheck never uses), so a project may lack it: say how to add it.
 */
export function withInstallHint(err: string): string {
  if (!/Cannot find (package|module) 'onnxruntime-node'/.test(err)) return err;
  return `${err}. onnxruntime-node is an optional peer dependency of convcheck: ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node@1.30 (the variable skips its CUDA download)`;
}

/**
 * Hosts for an oracle when a run has `spare` cores for each oracle running at once (`--hosts`
 * overrides): several only for a runtime that computes on one thread (registry `oneThread`).
 */
export function defaultHosts(name: string, spare: number): number {
  return oracleEntry(name)?.oneThread ? Math.max(1, Math.min(4, Math.floor(spare))) : 1;
}

/** The reference in process, or an oracle in `hosts` processes (pool.ts). */
export async function openImplementation(name: string, timeoutMs = 30_000, hosts = 1): Promise<Opened> {
  if (name === 'reference') return { impl: referenceImpl(ALL_OPS), close: async () => {} };
  const entry = oracleEntry(name); // test-only backends with CONVCHECK_TEST_ORACLES=1
  if (!entry) throw new Error(`unknown oracle ${JSON.stringify(name)} (known: reference, ${Object.keys(ORACLES).join(', ')})`);
  const oracle = new HostPool(name, hosts, { timeoutMs });
  const err = await oracle.start();
  if (err !== undefined) {
    await oracle.close();
    return { unavailable: withInstallHint(err), close: async () => {} };
  }
  return { impl: oracleImpl(oracle, entry.ops, entry.float64, entry.avoid), close: () => oracle.close() };
}
