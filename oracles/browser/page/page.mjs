// Runs inside headless chromium. oracles/browser/backend.ts calls window.convcheck.init(kind) once,
// then window.convcheck.runBatch(kind, calls) with one or more cases per message. Everything numeric here is the runtime's own: this page
// only moves arrays in and out.

const NM = '/nm/';
let tf;
let ort;
let translate;
let Unsupported;
let tfCaps;
const sessions = new Map();

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.appendChild(s);
  });
}

function glRenderer() {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return undefined;
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

async function gpuAdapter() {
  if (!navigator.gpu) return undefined;
  const a = await navigator.gpu.requestAdapter();
  if (!a) return undefined;
  const i = a.info ?? {};
  return { description: [i.vendor, i.architecture, i.device, i.description].filter(Boolean).join(' / ') || 'unnamed adapter', f16: a.features.has('shader-f16') };
}

/** Throws where the backend cannot work here (no WebGL2, no WebGPU adapter): the oracle is then UNAVAILABLE. */
async function init(kind) {
  const info = { kind, userAgent: navigator.userAgent };
  if (kind === 'tfjs-webgl' || kind === 'tfjs-webgpu') {
    await loadScript(`${NM}@tensorflow/tfjs-core/dist/tf-core.min.js`);
    const backend = kind === 'tfjs-webgl' ? 'webgl' : 'webgpu';
    await loadScript(`${NM}@tensorflow/tfjs-backend-${backend}/dist/tf-backend-${backend}.min.js`);
    tf = globalThis.tf;
    if (backend === 'webgl') {
      info.renderer = glRenderer();
      if (!info.renderer) throw new Error('no WebGL2 context in this browser');
    } else {
      const a = await gpuAdapter();
      if (!a) throw new Error('no WebGPU adapter in this browser (navigator.gpu ' + (navigator.gpu ? 'present, requestAdapter() gave null' : 'absent') + ')');
      info.renderer = a.description;
      info.shaderF16 = a.f16;
    }
    if (!(await tf.setBackend(backend))) throw new Error(`tfjs: setBackend('${backend}') failed`);
    await tf.ready();
    if (backend === 'webgl') {
      // Float textures decide WebGL's precision: record what tfjs chose.
      info.webglVersion = tf.env().getNumber('WEBGL_VERSION');
      info.float32Textures = tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED');
      info.forceF16 = tf.env().getBool('WEBGL_FORCE_F16_TEXTURES');
      info.pack = tf.env().getBool('WEBGL_PACK');
    }
    ({ translate, Unsupported } = await import('/dist/oracles/tfjs/translate.js'));
    // Probe NCHW conv2d: where it throws, the translation transposes around the call.
    let nchw = true;
    try {
      tf.tidy(() => tf.conv2d(tf.ones([1, 1, 3, 3]), tf.ones([1, 1, 1, 1]), 1, 'valid', 'NCHW').dataSync());
    } catch {
      nchw = false;
    }
    tfCaps = { conv2dNchw: nchw, transposeExplicit: true };
    info.tfjsVersion = tf.version_core;
    info.conv2dNchw = nchw;
  } else if (kind === 'ort-web' || kind === 'ort-webgpu') {
    const file = kind === 'ort-web' ? 'ort.wasm.min.mjs' : 'ort.webgpu.min.mjs';
    ort = await import(`${NM}onnxruntime-web/dist/${file}`);
    ort.env.wasm.wasmPaths = `${NM}onnxruntime-web/dist/`;
    // Without cross-origin isolation there are no wasm threads; say so rather than let ORT probe.
    ort.env.wasm.numThreads = 1;
    if (kind === 'ort-webgpu') {
      const a = await gpuAdapter();
      if (!a) throw new Error('no WebGPU adapter in this browser');
      info.renderer = a.description;
      info.shaderF16 = a.f16;
    }
    info.ortVersion = ort.env.versions?.web ?? ort.env.versions?.common;
  } else {
    throw new Error(`unknown browser oracle kind ${kind}`);
  }
  return info;
}

/** A tf case: returns {shape, data} or {unsupported}; a tfjs throw propagates (the call is refused). */
function runTfjs(call) {
  const inputs = {};
  for (const [k, t] of Object.entries(call.inputs)) inputs[k] = { shape: t.shape, data: Float64Array.from(t.data) };
  let exec;
  try {
    exec = translate({ ...call, inputs }, tfCaps);
  } catch (e) {
    if (e instanceof Unsupported) return { unsupported: e.message };
    throw e;
  }
  const out = tf.tidy(() => exec(tf));
  try {
    if (!out.shape.every((d) => Number.isInteger(d) && d >= 0)) throw new Error(`returned an output of invalid shape [${out.shape.join(', ')}]`);
    return { shape: out.shape, data: out.dataSync() };
  } finally {
    out.dispose();
  }
}

/** An onnx case already built into a model by the host: run it on a cached session. */
async function runOrt(kind, { key, model, feeds }) {
  let session = sessions.get(key);
  if (!session) {
    const bytes = Uint8Array.from(atob(model), (c) => c.charCodeAt(0));
    session = ort.InferenceSession.create(bytes, { executionProviders: [kind === 'ort-webgpu' ? 'webgpu' : 'wasm'], graphOptimizationLevel: 'disabled' });
    sessions.set(key, session);
    if (sessions.size > 64) sessions.delete(sessions.keys().next().value);
  }
  const s = await session;
  const tensors = {};
  for (const [k, t] of Object.entries(feeds)) tensors[k] = new ort.Tensor('float32', Float32Array.from(t.data), t.shape);
  const out = await s.run(tensors);
  const y = out.Y;
  const data = await y.getData();
  return { shape: [...y.dims], data };
}

let adapter;

/** A user's adapter module (convcheck validate --browser --impl): loaded here, with navigator.gpu at hand. */
async function loadAdapter(url, options) {
  const mod = await import(url);
  adapter = mod.default;
  // As in Node (src/validate/adapter.ts): a default-exported function is called with the options.
  if (typeof adapter === 'function') adapter = await adapter(options ?? {});
  if (!adapter || typeof adapter.run !== 'function') throw new Error(`${url} does not default-export an adapter with a run(case) method (or a function of the options returning one)`);
  const webgpu = await gpuAdapter();
  return {
    declaration: Object.fromEntries(Object.entries({ name: adapter.name, framework: adapter.framework, ops: adapter.ops, float64: adapter.float64, capabilities: adapter.capabilities }).filter(([, v]) => v !== undefined)),
    renderer: webgpu ? webgpu.description : glRenderer(),
    shaderF16: webgpu ? webgpu.f16 : undefined,
    userAgent: navigator.userAgent,
  };
}

/** A case file's number: non-finite values as strings (src/case/io.ts jsonNumber). */
const jsonNumber = (x) => (Number.isFinite(x) ? x : Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity');

/**
 * Runs the adapter on one case in the eval format (the inputs arrive as Float64Arrays and are
 * handed over as a case file's arrays, as in Node); its answer goes back as it is (its data as
 * numbers), to be checked in Node as any adapter's answer is. A throw is a refusal.
 */
async function runAdapter(c) {
  const inputs = Object.fromEntries(Object.entries(c.inputs).map(([k, t]) => [k, { shape: t.shape, data: Array.from(t.data, jsonNumber) }]));
  const out = await adapter.run({ ...c, inputs });
  if (out && typeof out === 'object' && !Array.isArray(out) && out.data && typeof out.data.length === 'number') return { ...out, data: Float64Array.from(out.data, Number) };
  return out ?? null;
}

/**
 * The message format (oracles/browser/batch.ts wire): JSON text, number arrays as
 * {"$f64": base64 of their float64 bytes}. One string crosses the DevTools protocol far faster
 * than an array of numbers (each its own object there), and base64 keeps NaN, ±∞ and -0 exact.
 */
function fromBase64(b64) {
  if (Uint8Array.fromBase64) return Uint8Array.fromBase64(b64);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

function toBase64(bytes) {
  if (bytes.toBase64) return bytes.toBase64();
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

const reviveF64 = (_k, v) => (v && typeof v === 'object' && typeof v.$f64 === 'string' ? new Float64Array(fromBase64(v.$f64).buffer) : v);
const replaceTyped = (_k, v) => (ArrayBuffer.isView(v) && !(v instanceof DataView) ? { $f64: toBase64(new Uint8Array(Float64Array.from(v, Number).buffer)) } : v);

/** One call's outcome as text; an answer that JSON cannot carry (a BigInt, a cycle) is reported as such. */
function outcomeText(o) {
  try {
    return JSON.stringify(o, replaceTyped);
  } catch (e) {
    return JSON.stringify({ unsendable: thrownText(e) });
  }
}

/** The first line of what a call threw, as page.evaluate reports it for a single call. */
function thrownText(e) {
  const text = e instanceof Error ? (e.name === 'Error' ? e.message : `${e.name}: ${e.message}`) : String(e);
  return text.split('\n')[0];
}

/**
 * Several calls in one message (oracles/browser/batch.ts), run in the order given; what a call
 * throws is that call's outcome, not the message's. A hang or a crash leaves the whole message
 * unanswered, and the host re-runs its calls one per message on a fresh page.
 */
async function runBatch(kind, text) {
  const out = [];
  for (const { request, hook } of JSON.parse(text, reviveF64)) {
    try {
      if (hook === 'hang') hang();
      if (hook === 'crash') {
        await window.convcheckCrash();
        await new Promise(() => {});
      }
      let value;
      if (kind === 'adapter') value = await runAdapter(request);
      else if (kind.startsWith('tfjs-')) value = runTfjs(request);
      else value = await runOrt(kind, request);
      out.push(outcomeText({ ok: value }));
    } catch (e) {
      out.push(JSON.stringify({ error: thrownText(e) }));
    }
  }
  return `[${out.join(',')}]`;
}

/** The raw in-page loop the bench compares the oracle with: every case in one message. */
async function rawLoop(kind, items) {
  const t0 = performance.now();
  for (const it of items) {
    if (kind.startsWith('tfjs-')) runTfjs(it);
    else await runOrt(kind, it);
  }
  return performance.now() - t0;
}

/** Test hook for the isolation tests (a call whose hook is 'hang'): a page stuck in script. */
function hang() {
  for (;;) {
    // a page stuck in script: only the oracle's timeout ends it
  }
}

window.convcheck = { init, loadAdapter, runBatch, rawLoop };
window.convcheckLoaded = true;
