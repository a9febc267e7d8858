/**
 * A deliberately faulty backend for testing the oracle isolation: by the call's `id`-like op
 * choice it answers, throws, hangs or kills its own process. Registered only when
 * CONVCHECK_TEST_ORACLES=1 (see oracles/registry.ts); never used by a real run.
 */
import { reference } from '../../src/conventions/index.js';
import type { OracleBackend, OracleCall } from '../types.js';

/** The behaviour is read from the first input value: 0 answer, 1 throw, 2 hang, 3 exit, 4 abort. */
function mode(call: OracleCall): number {
  const first = Object.values(call.inputs)[0];
  return first ? first.data[0]! : 0;
}

/**
 * `together`: declare that calls may overlap and that the backend times them itself, running at
 * most this many together (as the browser batcher does), to test the host watchdog's backstop.
 */
export default async function create(options: { together?: number } = {}): Promise<OracleBackend> {
  return {
    name: 'faulty',
    ...(options.together !== undefined ? { concurrent: true, timesCalls: options.together } : {}),
    unsupported: () => undefined,
    async run(call) {
      switch (mode(call)) {
        case 1:
          throw new Error('faulty: refused on purpose');
        case 2:
          return new Promise(() => {}); // never answers
        case 3:
          process.exit(7);
        // falls through (never reached)
        case 4:
          process.abort();
        // falls through (never reached)
        default:
          return reference(call);
      }
    },
  };
}
