/**
 * Oracle names and the modules that implement them. Each module default-exports
 * `create(options) => Promise<OracleBackend>`; it is only ever imported inside a host process.
 */
export interface OracleEntry {
  /** Module path relative to this directory (compiled .js). */
  readonly module: string;
  /** Passed to the module's create(). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly description: string;
}

export const ORACLES: Readonly<Record<string, OracleEntry>> = {
  ort: { module: './ort/backend.js', options: {}, description: 'onnxruntime-node, CPU execution provider (onnx Conv, ConvTranspose)' },
  'tfjs-cpu': { module: './tfjs/backend.js', options: { backend: 'cpu' }, description: 'TensorFlow.js cpu backend (tf ops)' },
  'tfjs-wasm': { module: './tfjs/backend.js', options: { backend: 'wasm' }, description: 'TensorFlow.js wasm backend (tf ops)' },
  'tfjs-node': { module: './tfjs/backend.js', options: { backend: 'tensorflow' }, description: 'TensorFlow.js native backend from @tensorflow/tfjs-node (tf ops, real TensorFlow kernels)' },
};

export const ORACLE_NAMES = Object.keys(ORACLES);
