/**
 * convcheck's library API: the reference, the case format, the generators, the properties, and
 * validation of your own implementation from inside your own tests.
 *
 *   import { validate, convProperty } from 'convcheck';
 */
import fc from 'fast-check';
import { adapterImplementation, type Adapter } from './validate/adapter.js';
import { PROPERTIES } from '../properties/index.js';
import type { Implementation } from '../properties/implementation.js';
import type { Property } from '../properties/property.js';
import type { GenOptions } from './generators/cases.js';

export { evaluate, parseCase, type Case, type CaseJson, type Outcome } from './case/case.js';
export { lower, reference, SIGNATURES, FRAMEWORKS, type ConvCall, type Framework, type Lowering } from './conventions/index.js';
export { ConvError, CaseError } from './core/errors.js';
export { convGeneralDilated } from './core/reference.js';
export { convInfo, type ConvSpec, type ConvInfo } from './core/shapes.js';
export { caseArb, anyCaseArb, GENERATORS, type GenOptions } from './generators/cases.js';
export { PROPERTIES } from '../properties/index.js';
export type { Property, Verdict } from '../properties/property.js';
export { referenceImpl, type Implementation } from '../properties/implementation.js';
export { errorBound, compareTo } from '../properties/tolerance.js';
export { adapterImplementation, checkAdapter, loadAdapter, type Adapter } from './validate/adapter.js';
export { validate, type ValidateOptions, type Validation } from './validate/validate.js';
export type { ImplSource } from './validate/isolated.js';
export { translate, toPython, NotExpressible, type Translation } from './translate/index.js';
export { expectValid, formatValidation, ConvcheckFailure } from './testing/expect.js';
export { formatFailure } from './testing/format.js';
export type { Regression } from './runner/regressions.js';
export type { CellResult } from './runner/run.js';

/**
 * Returns the adapter as given, typed: in a JavaScript module, `export default
 * defineAdapter({ framework: 'onnx', ... })` lets TypeScript check it (a bare object literal's
 * `framework` widens to string).
 */
export function defineAdapter<const A extends Adapter>(adapter: A): A {
  return adapter;
}
export { KNOWN, knownRegistry, parseKnown, type KnownFinding } from '../oracles/known.js';
export { machine, type Machine } from './machine.js';

/** A failing verdict as an exception with the counterexample cases in its message. */
export class PropertyFailure extends Error {}

/**
 * One convcheck property as a fast-check property over your implementation, for `fc.assert` or
 * `@fast-check/vitest`. It throws PropertyFailure with the counterexample (eval-format cases)
 * when the property fails; inputs outside what the implementation declares count as passing.
 */
export function convProperty(target: Adapter | Implementation, name: string, gen: GenOptions = {}): fc.IAsyncProperty<[unknown]> {
  const impl = 'framework' in target ? adapterImplementation(target) : target;
  const prop = (PROPERTIES as readonly Property<unknown>[]).find((p) => p.name === name);
  if (!prop) throw new Error(`unknown property ${JSON.stringify(name)} (known: ${PROPERTIES.map((p) => p.name).join(', ')})`);
  const arb = prop.arbitrary(impl, gen);
  if (!arb) throw new Error(`${name} has nothing to test in ${impl.name}'s ops`);
  return fc.asyncProperty(arb, async (input) => {
    const v = await prop.check(impl, input);
    if (v.status === 'fail') throw new PropertyFailure(`${name}: ${v.message}\n${v.cases.map((c) => JSON.stringify(c)).join('\n')}`);
  });
}
