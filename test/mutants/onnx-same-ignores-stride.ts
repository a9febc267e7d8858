/** Mutant: SAME_* padding computed as for stride 1 (total k_eff - 1), so strided SAME convs get the wrong size. */
import { onnxAdapter } from './impl/onnx.js';

export default onnxAdapter('mutant-onnx-same-ignores-stride', 'natural', { sameIgnoresStride: true });
