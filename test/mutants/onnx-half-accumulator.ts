/** Mutant: Partial sums rounded to 11 significant bits (a float16-style accumulator): a small silent precision loss. */
import { onnxAdapter } from './impl/onnx.js';

export default onnxAdapter('mutant-onnx-half-accumulator', 'natural', { halfAccumulator: true });
