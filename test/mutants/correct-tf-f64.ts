/** Correct variant: float64 accumulation, rounded to float32 once. Must pass every property. */
import { tfAdapter } from './impl/tf.js';

export default tfAdapter('correct-tf-f64', 'f64');
