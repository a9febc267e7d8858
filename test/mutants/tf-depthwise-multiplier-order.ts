/** Mutant: depthwise_conv2d writes output channel j·C + c instead of c·multiplier + j. */
import { tfAdapter } from './impl/tf.js';

export default tfAdapter('mutant-tf-depthwise-multiplier-order', 'natural', { depthwiseMultiplierOrder: true });
