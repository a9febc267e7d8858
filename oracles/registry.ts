/**
 * Oracle names and the modules that implement them. Each module default-exports
 * `create(options) => Promise<OracleBackend>`; it is only ever imported inside a host process.
 */
import type { Framework } from '../src/conventions/index.js';

export interface OracleEntry {
  /** The [framework, op] pairs the oracle implements. */
  readonly ops: ReadonlyArray<readonly [Framework, string]>;
  /** Whether it computes float64 cases. */
  readonly float64: boolean;
  /** What the generators should steer away from (declared unsupported by the backend). */
  readonly avoid?: { readonly groups?: boolean; readonly dilatedTranspose?: boolean; readonly strideWithDilation?: boolean };
  /** Module path relative to this directory (compiled .js). */
  readonly module: string;
  /** Passed to the module's create(). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly description: string;
  /** Runs in headless chromium: not part of the default run (each needs a browser); ask for it by name. */
  readonly browser?: boolean;
  /**
   * Computes on its host's one thread: a run with more cores than oracles gives it several hosts
   * (runner/implementations.ts defaultHosts). Not for runtimes that spread over threads themselves.
   */
  readonly oneThread?: boolean;
}

const ONNX_OPS = [['onnx', 'Conv'], ['onnx', 'ConvTranspose']] as const;
const TF_OPS = ['conv1d', 'conv2d', 'conv3d', 'conv1d_transpose', 'conv2d_transpose', 'conv3d_transpose', 'depthwise_conv2d'].map((op) => ['tf', op] as const);

/** tfjs has no groups, no dilations in transposes, and refuses stride with dilation. */
const TFJS_AVOID = { groups: true, dilatedTranspose: true, strideWithDilation: true } as const;

const TORCH_OPS = ['conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d'].map((op) => ['torch', op] as const);
const JAX_OPS = [['jax', 'conv_general_dilated'], ['jax', 'conv_transpose']] as const;

/** TF's CPU backprop-input kernels have no dilation (the bridge answers unsupported; bridge/tf_ops.py). */
const TF_CPU_AVOID = { dilatedTranspose: true } as const;

/** The Python bridge (bridge/convcheck_bridge.py) on the process protocol, one process per framework. */
function python(framework: string, ops: OracleEntry['ops'], description: string, avoid?: OracleEntry['avoid']): OracleEntry {
  return { ops, float64: true, ...(avoid ? { avoid } : {}), module: './process/backend.js', options: { argv: ['$PYTHON', 'bridge/convcheck_bridge.py', '--framework', framework] }, description };
}

export const ORACLES: Readonly<Record<string, OracleEntry>> = {
  ort: { ops: ONNX_OPS, float64: false, oneThread: true, module: './ort/backend.js', options: {}, description: 'onnxruntime-node, CPU execution provider (onnx Conv, ConvTranspose)' },
  'tfjs-cpu': { ops: TF_OPS, float64: false, avoid: TFJS_AVOID, module: './tfjs/backend.js', options: { backend: 'cpu' }, description: 'TensorFlow.js cpu backend (tf ops)' },
  'tfjs-wasm': { ops: TF_OPS, float64: false, avoid: TFJS_AVOID, module: './tfjs/backend.js', options: { backend: 'wasm' }, description: 'TensorFlow.js wasm backend (tf ops)' },
  'tfjs-webgl': { ops: TF_OPS, float64: false, avoid: TFJS_AVOID, browser: true, module: './browser/backend.js', options: { kind: 'tfjs-webgl' }, description: 'TensorFlow.js WebGL backend in headless chromium (WebGL2; SwiftShader without a GPU)' },
  'tfjs-webgpu': { ops: TF_OPS, float64: false, avoid: TFJS_AVOID, browser: true, module: './browser/backend.js', options: { kind: 'tfjs-webgpu' }, description: 'TensorFlow.js WebGPU backend in headless chromium (SwiftShader without a GPU)' },
  'ort-web': { ops: ONNX_OPS, float64: false, browser: true, module: './browser/backend.js', options: { kind: 'ort-web' }, description: 'onnxruntime-web, wasm execution provider, in headless chromium' },
  'ort-webgpu': { ops: ONNX_OPS, float64: false, browser: true, module: './browser/backend.js', options: { kind: 'ort-webgpu' }, description: 'onnxruntime-web, WebGPU execution provider, in headless chromium (SwiftShader without a GPU)' },
  'tfjs-node': { ops: TF_OPS, float64: false, avoid: TFJS_AVOID, module: './tfjs/backend.js', options: { backend: 'tensorflow' }, description: 'TensorFlow.js native backend from @tensorflow/tfjs-node (tf ops, real TensorFlow kernels)' },
  torch: python('torch', TORCH_OPS, 'PyTorch (torch.nn.functional conv/conv_transpose 1-3-D) in .venv, CPU'),
  jax: python('jax', JAX_OPS, 'JAX (jax.lax.conv_general_dilated, conv_transpose) in .venv, CPU, Precision.HIGHEST'),
  tf: python('tf', TF_OPS, "TensorFlow (tf.nn's seven conv ops) in .venv, CPU, oneDNN kernels (TF's default)", TF_CPU_AVOID),
  'tf-eigen': python('tf-eigen', TF_OPS, "TensorFlow (tf.nn's seven conv ops) in .venv, CPU, Eigen kernels (TF_ENABLE_ONEDNN_OPTS=0)", TF_CPU_AVOID),
};

/**
 * Test-only backends, for the isolation tests; present only with CONVCHECK_TEST_ORACLES=1 and
 * never part of a default run.
 */
export const TEST_ORACLES: Readonly<Record<string, OracleEntry>> = {
  'browser-faulty': { ops: TF_OPS, float64: false, avoid: TFJS_AVOID, browser: true, module: './browser/backend.js', options: { kind: 'tfjs-webgl', testHooks: true }, description: 'tfjs-webgl whose page hangs or crashes on demand (tests)' },
  faulty: { ops: [['onnx', 'Conv']], float64: false, module: './testing/faulty.js', options: {}, description: 'answers, throws, hangs or dies on demand (tests)' },
  flaky: { ops: [['onnx', 'Conv']], float64: false, module: './testing/unsteady.js', options: { mode: 'flaky' }, description: 'every other call answers garbage (nondeterminism tests)' },
  wrong: { ops: [['onnx', 'Conv'], ['onnx', 'ConvTranspose']], float64: false, module: './testing/unsteady.js', options: { mode: 'wrong' }, description: 'always off by one in the first element (nondeterminism tests)' },
};

export function oracleEntry(name: string): OracleEntry | undefined {
  return ORACLES[name] ?? (process.env['CONVCHECK_TEST_ORACLES'] === '1' ? TEST_ORACLES[name] : undefined);
}

export const ORACLE_NAMES = Object.keys(ORACLES);

/**
 * What `convcheck run` uses without --oracles: the Node runtimes. The Python oracles are opt-in
 * (--oracles torch,jax,tf,tf-eigen): they need `npm run setup`'s .venv, start in seconds rather
 * than milliseconds, JAX compiles every new shape (~0.5 s here), and TF's oneDNN kernels give
 * nondeterministic garbage on some CPUs (docs/findings-python.md). The browser oracles are opt-in
 * too: each starts a headless chromium.
 */
export const DEFAULT_ORACLES = ['ort', 'tfjs-cpu', 'tfjs-wasm', 'tfjs-node'];
