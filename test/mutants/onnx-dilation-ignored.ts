/** Mutant: Dilation used for the output size but ignored in the tap positions. */
import { onnxAdapter } from './impl/onnx.js';

export default onnxAdapter('mutant-onnx-dilation-ignored', 'natural', { dilationIgnored: true });
