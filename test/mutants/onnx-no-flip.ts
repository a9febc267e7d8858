/** Mutant: ConvTranspose reads the kernel taps unmirrored (missing spatial flip). */
import { onnxAdapter } from './impl/onnx.js';

export default onnxAdapter('mutant-onnx-no-flip', 'natural', { noFlip: true });
