/** Correct variant: float32 pairwise summation. Must pass every property. */
import { tfAdapter } from './impl/tf.js';

export default tfAdapter('correct-tf-pairwise', 'pairwise');
