/** Mutant: conv*_transpose with SAME: an odd crop taken at the start instead of the end (output_shape parity). */
import { tfAdapter } from './impl/tf.js';

export default tfAdapter('mutant-tf-transpose-crop-wrong-side', 'natural', { transposeCropWrongSide: true });
