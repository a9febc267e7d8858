/** Mutant: Grouped conv: the input channels of group g start at g × (outputs per group) instead of g × (inputs per group). */
import { onnxAdapter } from './impl/onnx.js';

export default onnxAdapter('mutant-onnx-group-offset', 'natural', { groupOffset: true });
