/** Which convention mistakes explain why two "equal" convolution calls give different numbers. */
export { anatomy, type Anatomy } from './anatomy.js';
export { agrees, compare, type Difference } from './compare.js';
export { findRearrangements, type Rearrangement } from './correspond.js';
export {
  diagnose,
  type DiagnoseOptions,
  type Diagnosis,
  type Explanation,
  type Mistake,
  type Observed,
  type Proof,
  type Side,
  type Verdict,
} from './diagnose.js';
export { describeDifference, formatDiagnosis } from './format.js';
export { catalogue, type Candidate, type MistakeKind } from './mistakes.js';
