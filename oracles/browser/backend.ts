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
import { firstLine, openSession, serialQueue } from './session.js';

export type BrowserKind = 'tfjs-webgl' | 'tfjs-webgpu' | 'ort-web' | 'ort-webgpu';

export interface BrowserOptions {
  readonly kind: BrowserKind;
  /** Test-only: the first input value 2 hangs the page, 3 crashes it (see test/oracles/browser.test.ts). */
  readonly testHooks?: boolean;
}

/** What the page reports at start: runtime versions and the WebGL renderer or WebGPU adapter. */
export type BrowserInfo = Record<string, unknown>;

const ORT_OPS: readonly string[] = ['Conv', 'ConvTranspose'];
const TF_OPS: readonly string[] = ['conv1d', 'conv2d', 'conv3d', 'conv1d_transpose', 'conv2d_transpose', 'conv3d_transpose', 'depthwise_conv2d'];

const plain = (t: Tensor) => ({ shape: [...t.shape], data: Array.from(t.data) });

/**
 * What the page gets for one call (page.mjs runTfjs / runOrt; bench/browser.ts sends the same):
 * a tf case as plain arrays, or an onnx call as its model (built here, as the native ORT oracle
 * builds it, base64) with the session cache key and the feeds.
 */
export function pageRequest(kind: BrowserKind, call: OracleCall): unknown {
  if (kind.startsWith('tfjs-')) {
    return { framework: call.framework, op: call.op, attrs: call.attrs, dtype: call.dtype, inputs: Object.fromEntries(Object.entries(call.inputs).map(([k, t]) => [k, plain(t)])) };
  }
  const X = call.inputs['X']!;
  const W = call.inputs['W']!;
  const B = call.inputs['B'];
  const spec: ModelSpec = { op: call.op as OrtOp, dtype: 'float32', rankX: X.shape.length, rankW: W.shape.length, rankB: B?.shape.length, attrs: call.attrs, opset: DEFAULT_OPSET };
  return { key: modelKey(spec), model: Buffer.from(buildModel(spec)).toString('base64'), feeds: { X: plain(X), W: plain(W), ...(B ? { B: plain(B) } : {}) } };
}

export default async function create(options: BrowserOptions): Promise<OracleBackend> {
  const { kind } = options;
  const session = await openSession(kind);
  const { page } = session;
  let info: BrowserInfo;
  try {
    info = (await page.evaluate((k) => (globalThis as unknown as { convcheck: { init(k: string): Promise<BrowserInfo> } }).convcheck.init(k), kind)) as BrowserInfo;
  } catch (e) {
    await session.close();
    throw new Error(`${kind}: ${firstLine(e)}`);
  }
  const tfCaps: Caps = { conv2dNchw: info['conv2dNchw'] === true, transposeExplicit: true };
  const isTf = kind.startsWith('tfjs-');

  const serially = serialQueue();

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

  async function runNow(call: OracleCall): Promise<Tensor> {
    if (options.testHooks) {
      const first = Object.values(call.inputs)[0]?.data[0];
      if (first === 2) await page.evaluate(() => (globalThis as unknown as { convcheck: { hang(): void } }).convcheck.hang());
      if (first === 3) await page.goto('chrome://crash').catch(() => undefined);
    }
    type Out = { shape: number[]; data: number[]; unsupported?: string };
    const item = pageRequest(kind, call);
    const out = isTf
      ? await page.evaluate((x) => (globalThis as unknown as { convcheck: { runTfjs(c: unknown): Out } }).convcheck.runTfjs(x), item)
      : await page.evaluate(([k, x]) => (globalThis as unknown as { convcheck: { runOrt(k: unknown, x: unknown): Promise<Out> } }).convcheck.runOrt(k, x), [kind, item] as const);
    if (out.unsupported !== undefined) throw new Error(`internal: the page calls this unsupported: ${out.unsupported}`);
    return { shape: out.shape, data: Float64Array.from(out.data) };
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
    run: (call) =>
      serially(async () => {
        try {
          return await runNow(call);
        } catch (e) {
          throw new Error(firstLine(e));
        }
      }),
    dispose: () => session.close(),
  };
}
