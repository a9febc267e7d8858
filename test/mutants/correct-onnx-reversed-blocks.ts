/** Correct variant: float32, reversed order, output channels in blocks of 4 from the last. Must pass every property. */
import { onnxAdapter } from './impl/onnx.js';

export default onnxAdapter('correct-onnx-reversed-blocks', 'reversed-blocks');
