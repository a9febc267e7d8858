/** Correct variant: float32, natural order. Must pass every property. */
import { onnxAdapter } from './impl/onnx.js';

export default onnxAdapter('correct-onnx-natural', 'natural');
