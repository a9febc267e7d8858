/** Correct variant: float32 pairwise summation. Must pass every property. */
import { onnxAdapter } from './impl/onnx.js';

export default onnxAdapter('correct-onnx-pairwise', 'pairwise');
