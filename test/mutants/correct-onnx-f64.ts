/** Correct variant: float64 accumulation, rounded to float32 once. Must pass every property. */
import { onnxAdapter } from './impl/onnx.js';

export default onnxAdapter('correct-onnx-f64', 'f64');
