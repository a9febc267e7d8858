/**
 * The shapes of a diagnosis: the two sides, the mistakes found, the proof.
 */
import type { CaseJson } from '../case/case.js';
import type { Difference } from './compare.js';
import type { MistakeKind } from './mistakes.js';

export interface Observed {
  readonly shape: number[];
  readonly data: Array<number | string>;
}

export interface DiagnoseOptions {
  /** Largest set of mistakes tried (default 3). */
  readonly maxMistakes?: number;
  /** Random inputs in the proof (default 20). */
  readonly trials?: number;
  /** Seed of fc.sample for the random inputs (default: the clock). Always reported. */
  readonly seed?: number;
  /** How A was named on the command line, for the `convcheck translate` hint (default `A.json`). */
  readonly aSpec?: string;
}

export interface TensorOut {
  readonly shape: number[];
  readonly data: number[];
}

export interface Side {
  readonly id: string;
  /** `tf.nn.conv1d_transpose`, or `observed output`. */
  readonly call: string;
  readonly output: TensorOut | { readonly error: string };
}

export interface Mistake {
  readonly id: string;
  readonly kind: MistakeKind;
  /** What is wrong in the call as written. */
  readonly what: string;
  /** Why it makes a difference, in the conventions' terms. */
  readonly why: string;
  /** The correction. */
  readonly fix: string;
}

export interface Proof {
  /** The corrected call agrees with A on the inputs as given. */
  readonly givenInputs: boolean;
  /** Random trials run, and how many agreed. 0 when no random check was possible. */
  readonly trials: number;
  readonly passed: number;
  readonly seed: number;
  /** How each random tensor of B was made from A's, e.g. `lhs = input (the same array)`. */
  readonly randomized: string[];
  /** Tensors held at their given values, with the reason. */
  readonly held: string[];
  readonly failure?: { readonly trial: number; readonly difference: Difference };
  readonly note?: string;
}

export interface Explanation {
  /** What the mistakes were applied to. */
  readonly appliedTo: 'B' | 'A' | 'A lowered';
  readonly mistakes: Mistake[];
  /** The corrected call (pair), or the call that computes the observed output. */
  readonly corrected: CaseJson;
  readonly python?: string;
  readonly pythonNote?: string;
  readonly proof: Proof;
  /**
   * Found the other way round: no set of mistakes in B explains the gap, but A with `mistakes`
   * computes B's output. B made the inverse of these mistakes; `corrected` is A changed so.
   */
  readonly inverse?: boolean;
}

export type Verdict = 'agree' | 'explained' | 'unexplained' | 'invalid';

export interface Diagnosis {
  readonly mode: 'pair' | 'observed';
  readonly a: Side;
  readonly b: Side;
  readonly verdict: Verdict;
  /** Outputs compared exactly (all data integers) rather than within 1e-5 · (1 + max |A|). */
  readonly exact: boolean;
  /** One line: what was found. */
  readonly summary: string;
  /** A and B (as written) compared; absent when one of them is rejected. */
  readonly difference?: Difference;
  /** When B's output is laid out differently from A's, how it was compared. */
  readonly layoutNote?: string;
  readonly explanation?: Explanation;
  /** Other sets of the same size that explain it equally well (proved, for a pair). */
  readonly alternatives: Mistake[][];
  /** Sets that made the outputs agree on the given inputs but not on random ones. */
  readonly coincidences: Array<{ readonly mistakes: Mistake[]; readonly proof: Proof }>;
  readonly search: { readonly candidates: Array<{ id: string; what: string }>; readonly maxMistakes: number; readonly setsTried: number };
  /** When nothing in B explains it: the other way round (mistakes in A that give B's output) was searched too. */
  readonly reverseSearch?: { readonly candidates: Array<{ id: string; what: string }>; readonly setsTried: number };
  /** Where to get the right call: `convcheck translate A --to FW`, when the gap is not fully explained in B. */
  readonly hint?: string;
}
