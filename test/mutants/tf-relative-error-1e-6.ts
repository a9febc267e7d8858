/** Mutant: Every output off by a relative 1e-6 (about 17 ulp; e.g. a scale factor stored with too few bits). */
import { tfAdapter } from './impl/tf.js';

export default tfAdapter('mutant-tf-relative-error-1e-6', 'natural', { relativeError: 1e-6 });
