/** Mutant: ConvTranspose with output_shape: an odd total padding always cropped at the end, whatever auto_pad says (the spec puts it at the start unless SAME_UPPER). */
import { onnxAdapter } from './impl/onnx.js';

export default onnxAdapter('mutant-onnx-output-shape-odd-at-end', 'natural', { outputShapeOddAtEnd: true });
