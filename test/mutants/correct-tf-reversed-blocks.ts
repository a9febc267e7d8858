/** Correct variant: float32, reversed order, output channels in blocks of 4 from the last. Must pass every property. */
import { tfAdapter } from './impl/tf.js';

export default tfAdapter('correct-tf-reversed-blocks', 'reversed-blocks');
