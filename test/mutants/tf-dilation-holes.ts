/** Mutant: Dilation mis-scaled: d zeros between taps instead of d - 1. */
import { tfAdapter } from './impl/tf.js';

export default tfAdapter('mutant-tf-dilation-holes', 'natural', { dilationHoles: true });
