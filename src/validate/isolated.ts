/**
 * A user's implementation run out of process, as `run` runs its oracles: an adapter module
 * (`--impl`) or a program on the process protocol (`--cmd`), each in an oracle host with a
 * per-call timeout; crashes, signals, hangs and stray exceptions are failed results, and the
 * host is restarted after a failure.
 */
import { resolve } from 'node:path';
import { HostPool } from '../../oracles/pool.js';
import type { OracleCall } from '../../oracles/types.js';
import { withinCapabilities } from '../../properties/capabilities.js';
import type { Implementation } from '../../properties/implementation.js';
import { AdapterError, type AdapterOptions } from './adapter.js';

/** Where a user's implementation comes from. */
export type ImplSource =
  /** browser: the module is loaded in a headless chromium page, with WebGPU and WebGL (oracles/browser/adapter.ts). */
  | { readonly module: string; readonly options?: AdapterOptions; readonly browser?: boolean }
  | { readonly command: string; readonly options?: AdapterOptions };

export interface OpenedImpl {
  readonly impl: Implementation;
  /** What went wrong after the last answer (a host that died between calls), if anything. */
  takeIncident(): string | undefined;
  close(): Promise<void>;
}

export function describeSource(s: ImplSource): string {
  return 'module' in s ? s.module : s.command;
}

/** Starts the implementation; throws AdapterError when it cannot start (with the reason). */
export async function openIsolated(source: ImplSource, timeoutMs = 30_000, hosts = 1): Promise<OpenedImpl> {
  const options = source.options ?? {};
  const backend =
    'module' in source
      ? { module: source.browser ? './browser/adapter.js' : './adapter/backend.js', options: { path: resolve(source.module), options } }
      : { module: './process/backend.js', options: { shell: source.command, options } };
  const oracle = new HostPool('module' in source ? 'adapter' : 'program', hosts, { timeoutMs, backend });
  const err = await oracle.start();
  const info = oracle.info;
  if (err !== undefined || !info) {
    await oracle.close();
    throw new AdapterError(`cannot start ${describeSource(source)}: ${err ?? 'it declared nothing'}`);
  }
  return {
    impl: withinCapabilities({
      name: info.name,
      ops: info.ops.map((op) => [info.framework, op] as const),
      float64: info.float64,
      ...(info.capabilities ? { capabilities: info.capabilities } : {}),
      run: (call: OracleCall) => oracle.run(call),
    }),
    takeIncident: () => oracle.takeIncident(),
    close: () => oracle.close(),
  };
}
