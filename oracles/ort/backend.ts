/**
 * The onnxruntime-node oracle (CPU execution provider): onnx Conv and ConvTranspose.
 *
 * Each call becomes a one-node model (model.ts) whose inputs have symbolic dims, so the session
 * depends only on (op, dtype, input ranks, attributes, bias present) and not on shapes; sessions
 * are kept in an LRU cache. Attributes go into the node exactly as the case gives them, and only
 * those present, so every default is ORT's own. ORT refusing the model or the run is a throw
 * (reported by the host as 'rejected'), carrying ORT's message.
 */
import * as ort from 'onnxruntime-node';
import type { Tensor } from '../../src/core/tensor.js';
import type { OracleBackend, OracleCall } from '../types.js';
import { buildModel, DEFAULT_OPSET, modelKey, unrepresentable, type ModelSpec, type OrtDType, type OrtOp } from './model.js';

export { buildModel, buildModelProto, decodeModel, modelKey, type ModelSpec } from './model.js';

export interface OrtOptions {
  /** Sessions kept (LRU); default 512 (a one-node session is small). */
  readonly maxSessions?: number;
  /** ORT intra-op threads per session; default 1 (measured best for small cases on 2 cores). */
  readonly intraOpNumThreads?: number;
  /** Default-domain opset; default: the highest <= 22 this ORT accepts for Conv (probed). */
  readonly opset?: number;
  /**
   * ORT's graph optimization level; default 'disabled'. 'all' (ORT's own default) makes ORT
   * rewrite Conv into its NCHWc kernels on AVX2/AVX-512 machines: pass it to test those.
   */
  readonly graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
}

export interface OrtStats {
  /** Sessions created for the cache (successful or not); probes at startup are not counted. */
  readonly sessionsCreated: number;
  /** Session creations ORT refused. */
  readonly sessionsRejected: number;
  readonly cacheHits: number;
  readonly evictions: number;
  /** Sessions currently cached. */
  readonly cached: number;
}

const OPS: readonly OrtOp[] = ['Conv', 'ConvTranspose'];
const INPUTS = ['X', 'W', 'B'];

interface Entry {
  readonly session: Promise<ort.InferenceSession>;
  /** Runs in flight on this session; an evicted session is released when this reaches 0. */
  inUse: number;
  evicted: boolean;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class OrtBackend implements OracleBackend {
  readonly name = 'ort';
  private readonly cache = new Map<string, Entry>();
  private created = 0;
  private rejected = 0;
  private hits = 0;
  private evictions = 0;

  constructor(
    private readonly sessionOptions: ort.InferenceSession.SessionOptions,
    private readonly maxSessions: number,
    readonly opset: number,
    /** dtype → ops that have a kernel for it on this ORT's CPU EP (probed at startup). */
    private readonly kernels: Readonly<Record<OrtDType, readonly OrtOp[]>>,
  ) {}

  /** Hits / (hits + sessions created): how often a call found its session ready. */
  hitRate(): number {
    return this.hits / Math.max(1, this.hits + this.created);
  }

  stats(): OrtStats {
    return { sessionsCreated: this.created, sessionsRejected: this.rejected, cacheHits: this.hits, evictions: this.evictions, cached: this.cache.size };
  }

  unsupported(call: OracleCall): string | undefined {
    if (call.framework !== 'onnx') return `ort runs onnx ops only; this is a ${call.framework} case`;
    if (!OPS.includes(call.op as OrtOp)) return `ort: onnx op ${call.op} is not wired up (only ${OPS.join(', ')})`;
    if (!(this.kernels[call.dtype as OrtDType] ?? []).includes(call.op as OrtOp)) {
      return `onnxruntime ${ort.env.versions.common} CPU EP has no ${call.dtype} kernel for ${call.op}`;
    }
    const extra = Object.keys(call.inputs).filter((k) => !INPUTS.includes(k));
    if (extra.length > 0) return `ort: unknown input(s) ${extra.join(', ')} for ${call.op}`;
    if (!call.inputs['X'] || !call.inputs['W']) return `ort: ${call.op} needs inputs X and W`;
    const why = unrepresentable(call.attrs);
    return why === undefined ? undefined : `ort: ${why}`;
  }

  async run(call: OracleCall): Promise<Tensor> {
    const X = call.inputs['X']!;
    const W = call.inputs['W']!;
    const B = call.inputs['B'];
    const spec: ModelSpec = {
      op: call.op as OrtOp,
      dtype: call.dtype as OrtDType, // unsupported() let through only dtypes with a kernel
      rankX: X.shape.length,
      rankW: W.shape.length,
      rankB: B?.shape.length,
      attrs: call.attrs,
      opset: this.opset,
    };
    const entry = this.acquire(spec);
    try {
      let session: ort.InferenceSession;
      try {
        session = await entry.session;
      } catch (e) {
        throw new Error(`onnxruntime refused the model: ${message(e)}`);
      }
      const type = call.dtype as OrtDType;
      const feeds: Record<string, ort.Tensor> = {
        X: new ort.Tensor(type, type === 'float32' ? new Float32Array(X.data) : new Float64Array(X.data), [...X.shape]),
        W: new ort.Tensor(type, type === 'float32' ? new Float32Array(W.data) : new Float64Array(W.data), [...W.shape]),
      };
      if (B) feeds['B'] = new ort.Tensor(type, type === 'float32' ? new Float32Array(B.data) : new Float64Array(B.data), [...B.shape]);
      let out: ort.InferenceSession.OnnxValueMapType;
      try {
        out = await session.run(feeds);
      } catch (e) {
        throw new Error(`onnxruntime refused the run: ${message(e)}`);
      }
      const y = out['Y'] as ort.Tensor;
      const data = y.data as Float32Array | Float64Array;
      const result = { shape: [...y.dims], data: new Float64Array(data) };
      y.dispose();
      return result;
    } finally {
      this.releaseUse(entry);
    }
  }

  /** The cached session for spec (created on a miss), marked in use; evicts beyond maxSessions. */
  private acquire(spec: ModelSpec): Entry {
    const key = modelKey(spec);
    let entry = this.cache.get(key);
    if (entry) {
      this.hits++;
      this.cache.delete(key);
    } else {
      this.created++;
      const session = ort.InferenceSession.create(buildModel(spec), this.sessionOptions);
      session.catch(() => this.rejected++);
      entry = { session, inUse: 0, evicted: false };
    }
    this.cache.set(key, entry);
    entry.inUse++;
    while (this.cache.size > this.maxSessions) {
      const [oldKey, old] = this.cache.entries().next().value as [string, Entry];
      this.cache.delete(oldKey);
      this.evictions++;
      old.evicted = true;
      if (old.inUse === 0) void dispose(old);
    }
    return entry;
  }

  private releaseUse(entry: Entry): void {
    entry.inUse--;
    if (entry.evicted && entry.inUse === 0) void dispose(entry);
  }

  async dispose(): Promise<void> {
    const entries = [...this.cache.values()];
    this.cache.clear();
    await Promise.all(entries.map(dispose));
  }
}

async function dispose(entry: Entry): Promise<void> {
  try {
    await (await entry.session).release();
  } catch {
    // a refused model has no session; a release failure leaves nothing to do
  }
}

/** Whether this ORT loads a minimal model of op in dtype at opset (a kernel exists for it). */
async function loads(op: OrtOp, dtype: OrtDType, opset: number, options: ort.InferenceSession.SessionOptions): Promise<boolean> {
  try {
    const s = await ort.InferenceSession.create(buildModel({ op, dtype, rankX: 4, rankW: 4, attrs: {}, opset }), options);
    await s.release();
    return true;
  } catch {
    return false;
  }
}

export default async function create(options: OrtOptions = {}): Promise<OrtBackend> {
  ort.env.logLevel = 'fatal';
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    intraOpNumThreads: options.intraOpNumThreads ?? 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    // A one-node model has nothing to fuse or fold; 'all' would spend session creation on layout
    // transforms (NCHWc on AVX-512), 20-40% of a cold call's CPU (npm run bench:reference).
    graphOptimizationLevel: options.graphOptimizationLevel ?? 'disabled',
    // shapes change from run to run on the same session: a memory pattern would be re-planned each time
    enableMemPattern: false,
    // fatal only: ORT's error messages reach the caller in the thrown Error; logged, they would also fill
    // the host's stderr tail, which isolated.ts quotes when the host crashes.
    logSeverityLevel: 4,
  };
  let opset = options.opset;
  if (opset === undefined) {
    for (let v = DEFAULT_OPSET; v >= 11 && opset === undefined; v--) {
      if ((await loads('Conv', 'float32', v, sessionOptions)) && (await loads('ConvTranspose', 'float32', v, sessionOptions))) opset = v;
    }
    if (opset === undefined) throw new Error(`onnxruntime ${ort.env.versions.common} loads no Conv model at opsets 11-${DEFAULT_OPSET}`);
  }
  const kernels: Record<OrtDType, OrtOp[]> = { float32: [], float64: [] };
  for (const dtype of ['float32', 'float64'] as const) {
    for (const op of OPS) if (await loads(op, dtype, opset, sessionOptions)) kernels[dtype].push(op);
  }
  return new OrtBackend(sessionOptions, options.maxSessions ?? 512, opset, kernels);
}
