/** Mutant: Forward SAME puts the odd padding element at the start (SAME_LOWER) instead of the end. */
import { tfAdapter } from './impl/tf.js';

export default tfAdapter('mutant-tf-same-odd-at-start', 'natural', { sameOddAtStart: true });
