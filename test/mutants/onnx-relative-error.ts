/** Mutant: Every output off by a relative 1e-3 (a silent scale error). */
import { onnxAdapter } from './impl/onnx.js';

export default onnxAdapter('mutant-onnx-relative-error', 'natural', { relativeError: 1e-3 });
