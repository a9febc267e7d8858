/**
 * The vitest matcher: importing 'convcheck/vitest' (in a test file, or once in `setupFiles`)
 * registers
 *
 *   await expect(myConv).toSatisfyConvcheck({ runs: 100, seed: 42 });
 *
 * which validates the adapter and, on a failure, fails the test with the shrunk counterexample,
 * expected against actual, and the replay command. With `.not` it passes only when some
 * property fails (for testing that a broken implementation is caught).
 */
import { expect } from 'vitest';
import type { Implementation } from '../../properties/implementation.js';
import type { Adapter } from '../validate/adapter.js';
import { validate, type ValidateOptions } from '../validate/validate.js';
import { formatValidation } from './expect.js';

declare module 'vitest' {
  interface Matchers<T = any> {
    /** Every convcheck property that applies to the adapter's ops holds. Returns a Promise: await it. */
    toSatisfyConvcheck(options?: ValidateOptions): Promise<void>;
  }
}

function isTarget(x: unknown): x is Adapter | Implementation {
  return typeof x === 'object' && x !== null && typeof (x as { name?: unknown }).name === 'string' && ('framework' in x || 'ops' in x);
}

expect.extend({
  async toSatisfyConvcheck(received: unknown, options: ValidateOptions = {}) {
    if (!isTarget(received)) {
      return { pass: false, message: () => `toSatisfyConvcheck expects an adapter { name, framework, ops, run }, got ${typeof received}` };
    }
    const v = await validate(received, options);
    return {
      pass: v.ok,
      message: () => (v.ok ? `expected ${received.name} to fail a convcheck property, but all ${v.cells.length} held (seed ${v.seed})` : formatValidation(received, v)),
    };
  },
});
