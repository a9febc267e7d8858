/** Mutant: SAME_UPPER and SAME_LOWER exchanged (the odd padding element on the wrong side). */
import { onnxAdapter } from './impl/onnx.js';

export default onnxAdapter('mutant-onnx-same-swapped', 'natural', { sameSwapped: true });
