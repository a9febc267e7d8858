/** Mutant: Negative pads accepted (applied as crops) where ONNX rejects them. */
import { onnxAdapter } from './impl/onnx.js';

export default onnxAdapter('mutant-onnx-negative-pads-accepted', 'natural', { acceptNegativePads: true });
