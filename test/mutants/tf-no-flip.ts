/** Mutant: conv*_transpose reads the filter taps unmirrored (missing spatial flip). */
import { tfAdapter } from './impl/tf.js';

export default tfAdapter('mutant-tf-no-flip', 'natural', { noFlip: true });
