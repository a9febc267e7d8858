/** Mutant: The prepared kernel is cached by its shape: a later kernel of the same shape gets stale values. */
import { onnxAdapter } from './impl/onnx.js';

export default onnxAdapter('mutant-onnx-kernel-cache', 'natural', { kernelCacheByShape: true });
