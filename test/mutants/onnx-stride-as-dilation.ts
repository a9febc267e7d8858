/** Mutant: Tap spacing taken from the stride instead of the dilation. */
import { onnxAdapter } from './impl/onnx.js';

export default onnxAdapter('mutant-onnx-stride-as-dilation', 'natural', { strideAsDilation: true });
