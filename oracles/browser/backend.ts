/**
 * Browser oracles: TensorFlow.js on WebGL and WebGPU, and onnxruntime-web on wasm and WebGPU, each
 * in its own headless chromium driven from the oracle host process (so a hung or crashed page is
 * handled by the host's isolation like any other runtime: the host is killed or exits, chromium
 * goes with it, and the next call gets a fresh one).
 *
 * What runs in the page is the runtime's own code. The tf translation is the very module the Node
 * tfjs oracles use (oracles/tfjs/translate.ts, loaded by the page from dist/); ONNX models are
 * built here with the same builder as the native ORT oracle (oracles/ort/model.ts) and sent as bytes.
 */
import type { Tensor } from '../../src/core/tensor.js';
import { buildModel, DEFAULT_OPSET, modelKey, unrepresentable, type ModelSpec, type OrtOp } from '../ort/model.js';
import { translate, Unsupported, type Caps } from '../tfjs/translate.js';
import type { BackendInfo, OracleBackend, OracleCall } from '../types.js';
import { callBudgetMs, callBytes, PageBatcher, type BatchLimits } from './batch.js';
import { firstLine, installCrashHook, openSession } from './session.js';

export type BrowserKind = 'tfjs-webgl' | 'tfjs-webgpu' | 'ort-web' | 'ort-webgpu';

export interface BrowserOptions {
  readonly kind: BrowserKind;
  /** Test-only: the first input value 2 hangs the page, 3 crashes it (see test/oracles/browser.test.ts). */
  readonly testHooks?: boolean;
  /** How long one call may take in the page; by default the oracle's per-call timeout (batch.ts callBudgetMs). */
  readonly callTimeoutMs?: number;
  /** Calls per page message at most, and their estimated bytes (batch.ts DEFAULT_LIMITS). */
  readonly batch?: BatchLimits;
}

/** What the page reports at start: runtime versions and the WebGL renderer or WebGPU adapter. */
export type BrowserInfo = Record<string, unknown>;

const ORT_OPS: readonly string[] = ['Conv', 'ConvTranspose'];
const TF_OPS: readonly string[] = ['conv1d', 'conv2d', 'conv3d', 'conv1d_transpose', 'conv2d_transpose', 'conv3d_transpose', 'depthwise_conv2d'];

/** A tensor for the page: its data goes as float64 bytes (batch.ts encode). */
const plain = (t: Tensor) => ({ shape: [...t.shape], data: t.data });

/**
 * What the page gets for one call (page.mjs runTfjs / runOrt; bench/browser.ts sends the same):
 * a tf case as shapes and Float64Arrays, or an onnx call as its model (built here, as the native ORT oracle
 * builds it, base64) with the session cache key and the feeds. `models` keeps the built models by
 * key: building one takes longer than a small case takes to run.
 */
export function pageRequest(kind: BrowserKind, call: OracleCall, models?: Map<string, string>): unknown {
  if (kind.startsWith('tfjs-')) {
    return { framework: call.framework, op: call.op, attrs: call.attrs, dtype: call.dtype, inputs: Object.fromEntries(Object.entries(call.inputs).map(([k, t]) => [k, plain(t)])) };
  }
  const X = call.inputs['X']!;
  const W = call.inputs['W']!;
  const B = call.inputs['B'];
  const spec: ModelSpec = { op: call.op as OrtOp, dtype: 'float32', rankX: X.shape.length, rankW: W.shape.length, rankB: B?.shape.length, attrs: call.attrs, opset: DEFAULT_OPSET };
  const key = modelKey(spec);
  let model = models?.get(key);
  if (model === undefined) {
    model = Buffer.from(buildModel(spec)).toString('base64');
    models?.set(key, model);
    if (models && models.size > 256) models.delete(models.keys().next().value!);
  }
  return { key, model, feeds: { X: plain(X), W: plain(W), ...(B ? { B: plain(B) } : {}) } };
}

type Out = { shape: number[]; data: Float64Array; unsupported?: string };

export default async function create(options: BrowserOptions): Promise<OracleBackend & { readonly stats: PageBatcher['stats'] }> {
  const { kind } = options;
  let info: BrowserInfo = {};
  // Every page, the first and those replacing a hung or crashed one, starts the same way.
  const open = async (onCrash: () => void) => {
    const session = await openSession(kind, [], onCrash);
    try {
      if (options.testHooks) await installCrashHook(session.page);
      info = (await session.page.evaluate((k) => (globalThis as unknown as { convcheck: { init(k: string): Promise<BrowserInfo> } }).convcheck.init(k), kind)) as BrowserInfo;
    } catch (e) {
      await session.close();
      throw new Error(`${kind}: ${firstLine(e)}`);
    }
    return session;
  };
  const batcher = new PageBatcher({ label: kind, kind, open, callMs: options.callTimeoutMs ?? callBudgetMs(), ...(options.batch ? { limits: options.batch } : {}) });
  await batcher.start();
  const tfCaps: Caps = { conv2dNchw: info['conv2dNchw'] === true, transposeExplicit: true };
  const isTf = kind.startsWith('tfjs-');
  const models = new Map<string, string>();
  function unsupported(call: OracleCall): string | undefined {
    if (isTf) {
      try {
        translate(call, tfCaps);
        return undefined;
      } catch (e) {
        if (e instanceof Unsupported) return e.message;
        return undefined; // a malformed call: let the runtime refuse it
      }
    }
    if (call.framework !== 'onnx') return `${kind} runs onnx ops only; this is a ${call.framework} case`;
    if (!ORT_OPS.includes(call.op)) return `${kind}: onnx op ${call.op} is not wired up`;
    if (call.dtype !== 'float32') return `${kind} computes Conv in float32 only; the case asks for ${call.dtype}`;
    if (!call.inputs['X'] || !call.inputs['W']) return `${kind}: ${call.op} needs inputs X and W`;
    const why = unrepresentable(call.attrs);
    return why === undefined ? undefined : `${kind}: ${why}`;
  }

  async function run(call: OracleCall): Promise<Tensor> {
    const first = Object.values(call.inputs)[0]?.data[0];
    const hook = !options.testHooks ? undefined : first === 2 ? 'hang' : first === 3 ? 'crash' : undefined;
    const request = pageRequest(kind, call, models);
    const outcome = await batcher.run({ request, hook }, callBytes(call, (request as { model?: string }).model?.length));
    if ('error' in outcome) throw new Error(outcome.error); // the runtime threw: it refuses the call
    const out = outcome.ok as Out;
    if (out.unsupported !== undefined) throw new Error(`internal: the page calls this unsupported: ${out.unsupported}`);
    return { shape: out.shape, data: out.data };
  }

  const declaration: BackendInfo = {
    name: kind,
    framework: isTf ? 'tf' : 'onnx',
    ops: isTf ? TF_OPS : ORT_OPS,
    float64: false,
    environment: info,
  };
  return {
    name: kind,
    describe: () => declaration,
    unsupported,
    run,
    dispose: () => batcher.close(),
    stats: batcher.stats,
    // The batcher orders the calls and keeps a hang or a crash to its own call (batch.ts).
    concurrent: true,
    timesCalls: batcher.together,
  };
}
