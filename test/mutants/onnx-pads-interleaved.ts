/** Mutant: pads read as [x1_begin, x1_end, x2_begin, x2_end] instead of [x1_begin, x2_begin, x1_end, x2_end]. */
import { onnxAdapter } from './impl/onnx.js';

export default onnxAdapter('mutant-onnx-pads-interleaved', 'natural', { padsInterleaved: true });
