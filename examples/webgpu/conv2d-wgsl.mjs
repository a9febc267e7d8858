// An ONNX Conv (2-D, NCHW, float32) as a WebGPU compute shader: an example of a user's own kernel
// validated in the browser with `convcheck validate --browser --impl examples/webgpu/conv2d-wgsl.mjs`.
// Each workgroup computes a TILE x TILE tile of one output plane (batch item n, output channel m).
// conv2d-wgsl-broken.mjs is the same kernel with one off-by-one in the tiling.

export const TILE = 8;

/** The shader; `tileStride` is how far apart the tiles start (TILE when right). */
export function shader(tileStride) {
  return /* wgsl */ `
struct Params {
  N: u32, C: u32, H: u32, W: u32,
  M: u32, KH: u32, KW: u32, OH: u32,
  OW: u32, SH: u32, SW: u32, DH: u32,
  DW: u32, padTop: i32, padLeft: i32, group: u32,
  hasBias: u32,
};
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read> b: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(${TILE}, ${TILE}, 1)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let ox = wg.x * ${tileStride}u + lid.x;
  let oy = wg.y * ${TILE}u + lid.y;
  if (ox >= p.OW || oy >= p.OH) { return; }
  let n = wg.z / p.M;
  let m = wg.z % p.M;
  let cPerGroup = p.C / p.group;
  let g = m / (p.M / p.group);
  var acc = 0.0;
  for (var c = 0u; c < cPerGroup; c++) {
    let xc = n * p.C + g * cPerGroup + c;
    for (var kh = 0u; kh < p.KH; kh++) {
      let iy = i32(oy * p.SH + kh * p.DH) - p.padTop;
      if (iy < 0 || iy >= i32(p.H)) { continue; }
      for (var kw = 0u; kw < p.KW; kw++) {
        let ix = i32(ox * p.SW + kw * p.DW) - p.padLeft;
        if (ix < 0 || ix >= i32(p.W)) { continue; }
        acc += x[(xc * p.H + u32(iy)) * p.W + u32(ix)] * w[((m * cPerGroup + c) * p.KH + kh) * p.KW + kw];
      }
    }
  }
  if (p.hasBias == 1u) { acc += b[m]; }
  y[((n * p.M + m) * p.OH + oy) * p.OW + ox] = acc;
}`;
}

const list = (v, n, d) => (v === undefined ? new Array(n).fill(d) : v);

/** Output size and leading pads of one axis, per the ONNX Conv spec; throws for calls ONNX rejects. */
function axis(size, k, s, d, pads, autoPad, i) {
  const eff = (k - 1) * d + 1;
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const out = Math.ceil(size / s);
    const total = Math.max(0, (out - 1) * s + eff - size);
    const small = Math.floor(total / 2);
    return { out, before: autoPad === 'SAME_UPPER' ? small : total - small };
  }
  const [before, after] = autoPad === 'VALID' ? [0, 0] : [pads[i], pads[i + 2]];
  const out = Math.floor((size + before + after - eff) / s) + 1;
  if (out < 1) throw new Error(`Conv: output size ${out} along spatial axis ${i}`);
  return { out, before };
}

export function makeAdapter(name, tileStride) {
  let device;
  let pipeline;
  async function gpu() {
    if (device) return device;
    if (!navigator.gpu) throw new Error('no navigator.gpu in this page');
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) throw new Error('no WebGPU adapter');
    device = await adapter.requestDevice();
    pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: shader(tileStride) }), entryPoint: 'main' } });
    return device;
  }
  const storage = (dev, data) => {
    const buf = dev.createBuffer({ size: Math.max(4, data.byteLength), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    dev.queue.writeBuffer(buf, 0, data);
    return buf;
  };

  return {
    name,
    framework: 'onnx',
    ops: ['Conv'],
    capabilities: { ranks: [2], dtypes: ['float32'], batchedOnly: true },
    async run(c) {
      const a = c.attrs ?? {};
      const X = c.inputs.X;
      const Wt = c.inputs.W;
      const B = c.inputs.B;
      if (X.shape.length !== 4 || Wt.shape.length !== 4) return { unsupported: 'this kernel is 2-D only' };
      const [N, C, H, Wd] = X.shape;
      const [M, Cg, KH, KW] = Wt.shape;
      const group = a.group ?? 1;
      const [sh, sw] = list(a.strides, 2, 1);
      const [dh, dw] = list(a.dilations, 2, 1);
      const pads = list(a.pads, 4, 0);
      const autoPad = a.auto_pad ?? 'NOTSET';
      if (a.kernel_shape && (a.kernel_shape[0] !== KH || a.kernel_shape[1] !== KW)) throw new Error('Conv: kernel_shape does not match W');
      if ([sh, sw, dh, dw].some((v) => !(v >= 1)) || pads.some((v) => v < 0)) throw new Error('Conv: strides and dilations must be >= 1 and pads >= 0');
      if (group < 1 || C !== Cg * group || M % group !== 0) throw new Error(`Conv: channels ${C} vs W ${Cg} x group ${group}, or ${M} outputs not divisible by the group`);
      if (B && (B.shape.length !== 1 || B.shape[0] !== M)) throw new Error('Conv: B must be [M]');
      if (autoPad !== 'NOTSET' && a.pads) throw new Error('Conv: pads given with auto_pad');
      const yAxis = axis(H, KH, sh, dh, pads, autoPad, 0);
      const xAxis = axis(Wd, KW, sw, dw, pads, autoPad, 1);
      const OH = yAxis.out;
      const OW = xAxis.out;
      const dev = await gpu();
      const params = new Uint32Array([N, C, H, Wd, M, KH, KW, OH, OW, sh, sw, dh, dw, 0, 0, group, B ? 1 : 0, 0, 0, 0]);
      new Int32Array(params.buffer).set([yAxis.before, xAxis.before], 13);
      const uniform = dev.createBuffer({ size: params.byteLength, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
      dev.queue.writeBuffer(uniform, 0, params);
      const outBytes = N * M * OH * OW * 4;
      const y = dev.createBuffer({ size: Math.max(4, outBytes), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
      const read = dev.createBuffer({ size: Math.max(4, outBytes), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      const bind = dev.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: { buffer: uniform } },
          { binding: 1, resource: { buffer: storage(dev, Float32Array.from(X.data)) } },
          { binding: 2, resource: { buffer: storage(dev, Float32Array.from(Wt.data)) } },
          { binding: 3, resource: { buffer: storage(dev, Float32Array.from(B ? B.data : [0])) } },
          { binding: 4, resource: { buffer: y } },
        ],
      });
      const enc = dev.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bind);
      pass.dispatchWorkgroups(Math.ceil(OW / TILE), Math.ceil(OH / TILE), N * M);
      pass.end();
      enc.copyBufferToBuffer(y, 0, read, 0, Math.max(4, outBytes));
      dev.queue.submit([enc.finish()]);
      await read.mapAsync(GPUMapMode.READ);
      const data = Array.from(new Float32Array(read.getMappedRange().slice(0, outBytes)));
      read.unmap();
      return { shape: [N, M, OH, OW], data };
    },
  };
}

export default makeAdapter('wgsl-conv2d', TILE);
