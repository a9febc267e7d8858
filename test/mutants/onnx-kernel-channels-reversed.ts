/** Mutant: The kernel's input-channel axis read in reverse order. */
import { onnxAdapter } from './impl/onnx.js';

export default onnxAdapter('mutant-onnx-kernel-channels-reversed', 'natural', { kernelChannelsReversed: true });
