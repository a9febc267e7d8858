/** Mutant: The batch stride of the input is one element short. */
import { tfAdapter } from './impl/tf.js';

export default tfAdapter('mutant-tf-batch-stride-off-by-one', 'natural', { batchStrideOffByOne: true });
