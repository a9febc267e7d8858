/** Mutant: conv*_transpose accepts an output_shape the forward conv does not map back to the input. */
import { tfAdapter } from './impl/tf.js';

export default tfAdapter('mutant-tf-output-shape-unchecked', 'natural', { skipOutputShapeCheck: true });
