/** Mutant: ConvTranspose adds output_padding's zeros at the start instead of the end. */
import { onnxAdapter } from './impl/onnx.js';

export default onnxAdapter('mutant-onnx-output-padding-at-start', 'natural', { outputPaddingAtStart: true });
