/** Mutant: data_format NCHW: the result is computed channels-last and returned without transposing back. */
import { tfAdapter } from './impl/tf.js';

export default tfAdapter('mutant-tf-nchw-output-not-transposed', 'natural', { nchwOutputNotTransposed: true });
