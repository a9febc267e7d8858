/**
 * The property suite. Each property is a function of an implementation: apply them to the
 * reference, to every oracle, and to any user implementation.
 */
import { adjointnessProperty, shapeLawProperty } from './adjointness.js';
import { bilinearityProperty } from './bilinearity.js';
import { crossFrameworkProperty } from './crossframework.js';
import { differentialProperty, impulseProperty } from './differential.js';
import { equivalenceProperty } from './equivalence.js';
import type { Property } from './property.js';
import { validityProperty } from './validity.js';
import { repeatableProperty, zeroInputProperty } from './repeatability.js';
import { batchProperty, dilationProperty, groupsProperty, strideProperty } from './structure.js';

export const PROPERTIES: readonly Property<never>[] = [
  differentialProperty,
  impulseProperty,
  adjointnessProperty,
  shapeLawProperty,
  bilinearityProperty,
  batchProperty,
  dilationProperty,
  strideProperty,
  groupsProperty,
  equivalenceProperty,
  // Before validity: a validity case can leave a slow call running in an oracle's host, which
  // the next cell then waits for; validity stays last, as before cross-framework existed.
  crossFrameworkProperty,
  validityProperty,
  zeroInputProperty,
  repeatableProperty,
] as unknown as Property<never>[];

export type { Property, Verdict } from './property.js';
export type { Implementation } from './implementation.js';
