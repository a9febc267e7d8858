/** Mutant: Inputs and kernel rounded to TF32 (11 significant bits) before multiplying, as a GPU's TF32 mode does: silent precision loss. */
import { onnxAdapter } from './impl/onnx.js';

export default onnxAdapter('mutant-onnx-tf32-inputs', 'natural', { tf32Inputs: true });
