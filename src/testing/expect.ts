/**
 * convcheck inside a test framework (vitest, jest, node:test, mocha): `expectValid` validates an
 * adapter and, when a property fails, throws an Error whose message is what a person needs to
 * act: each failing property's shrunk counterexample, expected against actual, and the command
 * that replays it. Assertion libraries print an Error's message as the test's failure.
 */
import type { Implementation } from '../../properties/implementation.js';
import type { Adapter } from '../validate/adapter.js';
import { validate, type ValidateOptions, type Validation } from '../validate/validate.js';
import { formatFailure } from './format.js';

/** A failed validation; `validation` holds every cell, with the failures' full records. */
export class ConvcheckFailure extends Error {
  override readonly name = 'ConvcheckFailure';
  constructor(
    message: string,
    readonly validation: Validation,
  ) {
    super(message);
  }
}

/** What a failed validation says: one block per failing property. Empty when it held. */
export function formatValidation(target: { readonly name: string }, v: Validation): string {
  const failed = v.cells.filter((c) => c.failed > 0);
  if (failed.length === 0) return '';
  const blocks = failed.map((c) => (c.failure ? formatFailure(c.failure) : `FAIL ${c.property}: ${c.note ?? 'failed without a counterexample'}`));
  const head = `convcheck: ${target.name} fails ${failed.length} of ${v.cells.length} properties (seed ${v.seed}); each counterexample below is shrunk`;
  return [head, ...blocks].join('\n\n');
}

/**
 * Validates `target` (an adapter, or an Implementation) and resolves to the validation when every
 * property holds; otherwise rejects with a ConvcheckFailure whose message shows the
 * counterexamples. `replayBase` (say `npx convcheck validate --impl src/my-conv.mjs`) makes the
 * printed replay commands runnable as they stand.
 */
export async function expectValid(target: Adapter | Implementation, options: ValidateOptions = {}): Promise<Validation> {
  const v = await validate(target, options);
  if (!v.ok) throw new ConvcheckFailure(formatValidation(target, v), v);
  return v;
}
