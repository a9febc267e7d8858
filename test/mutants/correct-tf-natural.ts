/** Correct variant: float32, natural order. Must pass every property. */
import { tfAdapter } from './impl/tf.js';

export default tfAdapter('correct-tf-natural', 'natural');
