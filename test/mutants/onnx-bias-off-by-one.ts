/** Mutant: Output channel m gets the bias of channel m + 1. */
import { onnxAdapter } from './impl/onnx.js';

export default onnxAdapter('mutant-onnx-bias-off-by-one', 'natural', { biasOffByOne: true });
