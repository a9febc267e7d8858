/**
 * TensorFlow.js oracle: runs convcheck's `tf` cases (native tf.nn op names and attribute forms)
 * on tfjs ops — conv1d, conv2d, conv3d, conv2dTranspose, conv3dTranspose, depthwiseConv2d — on
 * one of three backends: 'cpu' (@tensorflow/tfjs-backend-cpu), 'wasm' (@tensorflow/tfjs-backend-wasm,
 * XNNPACK) or 'tensorflow' (@tensorflow/tfjs-node, TensorFlow's own C++ kernels).
 *
 * The translation is written independently of convcheck's own lowering (src/conventions/tf.ts),
 * so that a misreading there is not silently shared here. It maps TF's forms onto tfjs' forms and
 * nothing more: every shape check, every output-size rule and every number comes from tfjs.
 *
 * "Unsupported" is reserved for calls tfjs has no way to express: float64, grouped convolution,
 * dilated transposes, strides > 1 together with dilations > 1 (documented as refused), forms TF
 * itself refuses, and for tfjs-node what its kernel wrappers or TF's Eigen CPU kernels lack. A
 * call tfjs accepts and gets wrong is run as-is: that is a finding.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as TfCore from '@tensorflow/tfjs-core';
import type { Tensor as CcTensor } from '../../src/core/tensor.js';
import type { OracleBackend, OracleCall } from '../types.js';
import { translate, Unsupported, type Caps, type Exec } from './translate.js';

type Tf = typeof TfCore;
type TfTensor = TfCore.Tensor;
export type TfjsBackendName = 'cpu' | 'wasm' | 'tensorflow';

const STATIC_CAPS: Readonly<Record<'cpu' | 'wasm', Caps>> = {
  cpu: { conv2dNchw: true, transposeExplicit: true },
  wasm: { conv2dNchw: false, transposeExplicit: true },
};

const NODE_PKG = '@tensorflow/tfjs-node';
const NODE_MISSING = `${NODE_PKG} is not installed; run npx convcheck setup tfjs-node`;

export default async function create(options: { backend: TfjsBackendName }): Promise<OracleBackend> {
  const backend = options.backend;
  let tf: Tf;
  let caps: Caps;
  if (backend === 'tensorflow') {
    tf = loadTfjsNode();
    if (tf.findBackend('tensorflow') == null) {
      throw new Error(`${NODE_PKG} loaded but registered no 'tensorflow' backend with the tfjs-core it exports`);
    }
    if (!(await tf.setBackend('tensorflow'))) throw new Error(`tfjs: setBackend('tensorflow') failed`);
    await tf.ready();
    caps = probeTensorflow(tf);
  } else if (backend === 'cpu' || backend === 'wasm') {
    // One tfjs-core instance: the backend packages register their kernels in tfjs-core's
    // registry, which lives on globalThis (_tfGlobals) and is shared by every copy of tfjs-core,
    // but we still import the very package the backends peer-depend on.
    tf = (await import('@tensorflow/tfjs-core')) as Tf;
    if (backend === 'cpu') {
      await import('@tensorflow/tfjs-backend-cpu');
    } else {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      // In Node the default prefix is already the package's dist/ (Emscripten's script dir); set it
      // explicitly so bundling or a changed cwd cannot break it. Node has no wasm threads in tfjs
      // (WASM_HAS_MULTITHREAD_SUPPORT is false under IS_NODE): the SIMD binary runs on one thread.
      const require = createRequire(import.meta.url);
      wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/'));
      wasm.setThreadsCount(1);
    }
    if (!(await tf.setBackend(backend))) throw new Error(`tfjs: setBackend('${backend}') failed (see stderr)`);
    await tf.ready();
    caps = STATIC_CAPS[backend];
  } else {
    throw new Error(`tfjs oracle: unknown backend ${JSON.stringify(backend)} (cpu, wasm, tensorflow)`);
  }
  const name = backend === 'tensorflow' ? 'tfjs-node' : `tfjs-${backend}`;
  const plan = (call: OracleCall): Exec => translate(call, caps);
  // The host answers calls as they arrive; run() awaits while the wasm module is replaced, so
  // calls are chained to run one at a time on the backend this oracle set up.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(f: () => Promise<T>): Promise<T> => {
    const p = queue.then(f);
    queue = p.catch(() => undefined);
    return p;
  };

  async function runNow(call: OracleCall): Promise<CcTensor> {
    const exec = plan(call);
    if (tf.getBackend() !== backend) throw new Error(`${name}: internal: tfjs is on backend '${tf.getBackend()}', not '${backend}'`);
    // The wasm kernels corrupt their module when an output has an empty (or, from tfjs' VALID
    // size arithmetic, negative) dimension: they trap ("memory access out of bounds") or write
    // out of bounds, and later, unrelated calls come back wrong. After such a call, and after
    // any throw, the wasm module is replaced by a fresh instance.
    let recycle = false;
    try {
      const out = tf.tidy(() => exec(tf));
      try {
        recycle = !out.shape.every((d) => d > 0);
        // A -1 dimension (see above) is no value, and reading it returns ~4M stray floats:
        // report it as refused, saying why.
        if (!out.shape.every((d) => Number.isInteger(d) && d >= 0)) {
          throw new Error(`${name} returned an output of invalid shape [${out.shape.join(', ')}]`);
        }
        const data = out.dataSync() as Float32Array;
        return { shape: [...out.shape], data: Float64Array.from(data) };
      } finally {
        out.dispose();
      }
    } catch (e) {
      recycle = true;
      throw e;
    } finally {
      if (recycle && backend === 'wasm') await freshWasm(tf);
    }
  }

  return {
    name,
    unsupported(call) {
      try {
        plan(call);
        return undefined;
      } catch (e) {
        if (e instanceof Unsupported) return e.message;
        throw e;
      }
    },
    run: (call) => serially(() => runNow(call)),
    async dispose() {
      tf.disposeVariables();
    },
  };
}

/** Replaces the wasm backend by a new instance of the module (fresh memory, fresh XNNPACK caches). */
async function freshWasm(tf: Tf): Promise<void> {
  const engine = tf.engine();
  const entry = engine.registryFactory['wasm'];
  if (!entry) throw new Error('tfjs-wasm: backend factory missing');
  // The old instance's dispose() calls into the corrupted module and traps again: skip it (the
  // module is dropped whole and garbage-collected).
  const old = engine.registry['wasm'];
  if (old) old.dispose = () => {};
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', entry.factory, entry.priority);
  // Each Emscripten module instance adds process-wide 'uncaughtException'/'unhandledRejection'
  // handlers; the first instance's stay, the new ones would pile up call after call.
  const proc: NodeJS.EventEmitter = process;
  const events = ['uncaughtException', 'unhandledRejection'];
  const before = events.map((ev) => new Set(proc.listeners(ev)));
  const ok = await tf.setBackend('wasm');
  events.forEach((ev, i) => {
    for (const l of proc.listeners(ev)) if (!before[i]!.has(l)) proc.off(ev, l as (...args: unknown[]) => void);
  });
  if (!ok) throw new Error(`tfjs: re-initialising the wasm backend failed`);
}

/**
 * tfjs-node is CommonJS; it `require`s @tensorflow/tfjs, which re-exports tfjs-core, and
 * registers the 'tensorflow' backend in that tfjs-core on load. We use the namespace tfjs-node
 * itself exports for every op, so ops, kernels and engine are one instance by construction
 * (and tfjs-core keeps its engine and kernel registry on globalThis, so even a second copy of the
 * same version would share them).
 */
function loadTfjsNode(): Tf {
  // TF runs with its default CPU kernels (oneDNN), as TF users get them, unless the user sets
  // TF_ENABLE_ONEDNN_OPTS=0 for the Eigen kernels. Either way probeTensorflow finds what the
  // kernels lack (Eigen: NCHW Conv2D, dilated Conv3D/DepthwiseConv2dNative, unequal depthwise
  // strides) and the adapter transposes or declares unsupported. Known TF departures, all real
  // TF findings: oneDNN's Conv2DBackpropInput/Conv3DBackpropInputV2 with one input and one output
  // channel drop kernel taps, and not on every run (an impulse conv3d_transpose came back wrong
  // in 20 of 30 runs); Eigen's Conv3D pads negatively for SAME with stride > kernel.
  process.env['TF_CPP_MIN_LOG_LEVEL'] ??= '2';
  const require = createRequire(import.meta.url);
  try {
    require.resolve(NODE_PKG);
  } catch {
    throw new Error(NODE_MISSING);
  }
  try {
    return require(NODE_PKG) as Tf;
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new Error(`${NODE_PKG} is installed but failed to load (${msg}); run npx convcheck setup tfjs-node`);
  }
}

/** TF's CPU kernels implement NCHW and dilations only with oneDNN: ask the library we got. */
function probeTensorflow(tf: Tf): Caps {
  const fails = (f: () => TfTensor): string | undefined => {
    try {
      tf.tidy(() => f().dataSync());
      return undefined;
    } catch (e) {
      return (e instanceof Error ? e.message : String(e)).split('\n')[0];
    }
  };
  const x4 = (): TfCore.Tensor4D => tf.ones([1, 3, 3, 1]) as TfCore.Tensor4D;
  const nchw = fails(() => tf.conv2d(x4(), tf.ones([1, 1, 1, 1]) as TfCore.Tensor4D, 1, 'valid', 'NCHW'));
  const dw = fails(() => tf.depthwiseConv2d(x4(), tf.ones([2, 2, 1, 1]) as TfCore.Tensor4D, 1, 'valid', 'NHWC', [1, 2]));
  const dws = fails(() => tf.depthwiseConv2d(x4(), tf.ones([1, 1, 1, 1]) as TfCore.Tensor4D, [1, 2], 'valid'));
  const c3 = fails(() =>
    tf.conv3d(tf.ones([1, 1, 3, 3, 1]) as TfCore.Tensor5D, tf.ones([1, 2, 2, 1, 1]) as TfCore.Tensor5D, 1, 'valid', 'NDHWC', [1, 1, 2]),
  );
  return {
    conv2dNchw: nchw === undefined,
    ...(dw !== undefined ? { depthwiseDilated: `TensorFlow's CPU DepthwiseConv2dNative here rejects dilations (${dw})` } : {}),
    ...(dws !== undefined ? { depthwiseUnequalStrides: `TensorFlow's CPU DepthwiseConv2dNative here rejects unequal H and W strides (${dws})` } : {}),
    conv3dDilated: (d) => {
      // tfjs-node's own Conv3D kernel wrapper throws 'CPU Dilation depth must be 1'.
      if (d[0]! > 1) return 'tfjs-node refuses conv3d depth dilation > 1 on CPU ("CPU Dilation depth must be 1")';
      if (c3 !== undefined && d.some((x) => x > 1)) return `TensorFlow's CPU Conv3D here rejects dilations (${c3})`;
      return undefined;
    },
    transposeExplicit: false,
  };
}
