/** Mutant: ConvTranspose reads W [C, M/g, K...] as [M/g, C, K...] (in/out axes swapped). */
import { onnxAdapter } from './impl/onnx.js';

export default onnxAdapter('mutant-onnx-transpose-kernel-swapped', 'natural', { transposeKernelSwapped: true });
