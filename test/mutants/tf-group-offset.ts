/** Mutant: Grouped conv2d/conv1d: the input channels of group g start at g × (outputs per group). */
import { tfAdapter } from './impl/tf.js';

export default tfAdapter('mutant-tf-group-offset', 'natural', { groupOffset: true });
