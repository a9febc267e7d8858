/**
 * Test-only backends for the nondeterminism verdict (src/runner/confirm.ts), registered only
 * when CONVCHECK_TEST_ORACLES=1 (oracles/registry.ts):
 * - flaky: the reference's answer, but every other call of the process overwrites the last
 *   output element with a different huge value, as a kernel reading uninitialised memory does;
 * - wrong: the reference's answer plus 1 in the first element, every time (a plain bug).
 */
import { reference } from '../../src/conventions/index.js';
import type { OracleBackend } from '../types.js';

export default async function create(options: { mode?: 'flaky' | 'wrong' }): Promise<OracleBackend> {
  let calls = 0;
  return {
    name: options.mode ?? 'flaky',
    unsupported: () => undefined,
    async run(call) {
      const t = reference(call);
      const data = Float64Array.from(t.data);
      calls++;
      if (data.length > 0) {
        if (options.mode === 'wrong') data[0]! += 1;
        else if (calls % 2 === 1) data[data.length - 1] = 1e30 * calls;
      }
      return { shape: t.shape, data };
    },
  };
}
