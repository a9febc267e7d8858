/**
 * A user's adapter module (`convcheck validate --impl PATH`) as an oracle backend, loaded inside
 * an oracle host process: whatever the module does (throws anything, exits, loops, crashes,
 * leaves a rejection unhandled) happens there, and the parent reports it as a verdict.
 *
 * Options: {path: absolute module path, options: the --impl-option values}.
 */
import { adapterAnswer, adapterInfo, loadAdapter, toCaseJson, type AdapterOptions } from '../../src/validate/adapter.js';
import type { OracleBackend } from '../types.js';

export default async function create(o: { path: string; options?: AdapterOptions }): Promise<OracleBackend> {
  const adapter = await loadAdapter(o.path, o.options ?? {});
  const info = adapterInfo(adapter, o.path);
  return {
    name: info.name,
    describe: () => info,
    unsupported: () => undefined,
    async run(call) {
      return adapterAnswer(await adapter.run(toCaseJson(call)));
    },
  };
}
