/**
 * Case arbitraries restricted to what an implementation covers.
 */
import fc from 'fast-check';
import type { CaseJson } from '../src/case/case.js';
import type { Framework } from '../src/conventions/index.js';
import { caseArb, GENERATORS, opRanks, type GenOptions } from '../src/generators/cases.js';
import { effectiveCapabilities } from '../src/generators/draw.js';
import type { Feature } from './capabilities.js';
import type { Implementation } from './implementation.js';

/**
 * Cases of the implementation's ops that pass `keep` (a static choice of ops, not a filter), drawn
 * inside what it declares (its capabilities, and `avoid`): ops with none of their ranks declared
 * are left out, everything else is a mapping of the draws (src/generators/draw.ts).
 */
export function casesFor(impl: Implementation, gen: GenOptions, keep: (fw: Framework, op: string) => boolean = () => true): fc.Arbitrary<CaseJson> | undefined {
  const opts: GenOptions = {
    ...gen,
    float64: gen.float64 === true && impl.float64,
    ...(impl.avoid ? { avoid: impl.avoid } : {}),
    ...(impl.capabilities ? { capabilities: impl.capabilities } : {}),
  };
  const ops = impl.ops.filter(([fw, op]) => GENERATORS[fw]?.[op] && keep(fw, op) && opRanks(fw, op, opts).length > 0);
  if (ops.length === 0) return undefined;
  return fc.oneof(...ops.map(([fw, op]) => caseArb(fw, op, opts)));
}

/** Whether an implementation declares it lacks a feature (in `capabilities.lacks` or `avoid`). */
export function lacks(impl: Implementation, feature: Feature): boolean {
  return effectiveCapabilities({ ...(impl.avoid ? { avoid: impl.avoid } : {}), ...(impl.capabilities ? { capabilities: impl.capabilities } : {}) }).lacks!.includes(feature);
}

/** A pool of small integers to fill extra tensors whose shape is known only later. */
export const pool = fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 97, maxLength: 97 });

export function fill(values: readonly number[], shape: readonly number[]): { shape: number[]; data: number[] } {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape: [...shape], data: Array.from({ length: n }, (_, i) => values[i % values.length]!) };
}
