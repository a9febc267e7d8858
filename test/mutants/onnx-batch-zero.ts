/** Mutant: Every batch item reads batch item 0. */
import { onnxAdapter } from './impl/onnx.js';

export default onnxAdapter('mutant-onnx-batch-zero', 'natural', { batchZero: true });
