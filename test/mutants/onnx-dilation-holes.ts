/** Mutant: Dilation mis-scaled: d zeros between taps instead of d - 1. */
import { onnxAdapter } from './impl/onnx.js';

export default onnxAdapter('mutant-onnx-dilation-holes', 'natural', { dilationHoles: true });
