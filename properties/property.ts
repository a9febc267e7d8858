/**
 * A property: an arbitrary of inputs for a given implementation, and a check of one input.
 */
import type fc from 'fast-check';
import type { CaseJson } from '../src/case/case.js';
import type { GenOptions } from '../src/generators/cases.js';
import type { Implementation } from './implementation.js';

export type Verdict =
  /** ratio: the largest error / bound seen, where the check compared numbers (for the distribution in reports). */
  | { readonly status: 'pass'; readonly ratio?: number }
  | { readonly status: 'unsupported'; readonly reason: string }
  /**
   * Accepted a call the convention rejects and returned a well-formed, finite answer: reported
   * apart (lenient), a failure only with --strict.
   */
  | { readonly status: 'lenient'; readonly message: string; readonly cases: readonly CaseJson[] }
  | {
      readonly status: 'fail';
      readonly message: string;
      /** The case(s) that show the failure, in the eval format. */
      readonly cases: readonly CaseJson[];
      /** Error over its bound, where the failure is numeric. */
      readonly ratio?: number;
      /** The two outputs compared, when the failure is a numeric disagreement (for reports). */
      readonly expected?: { readonly shape: readonly number[]; readonly data: ArrayLike<number> };
      readonly actual?: { readonly shape: readonly number[]; readonly data: ArrayLike<number> };
    };

export interface Property<I = unknown> {
  readonly name: string;
  readonly description: string;
  /** Inputs for this implementation, or undefined when the property has nothing to test in it. */
  arbitrary(impl: Implementation, gen: GenOptions): fc.Arbitrary<I> | undefined;
  check(impl: Implementation, input: I): Promise<Verdict>;
}

export const pass: Verdict = { status: 'pass' };
