// An example user implementation: ONNX Conv (opset 22) written as a plain loop, in float32.
// Validate it with:  npx convcheck validate --impl examples/onnx-conv-adapter.mjs
//
// convcheck calls run(case) with a case in its eval format (docs/case-format.md) and expects
// {shape, data} back, or a throw for a call the implementation refuses.

function attrList(attrs, name, r, dflt) {
  const v = attrs[name];
  if (v === undefined || v === null) return new Array(r).fill(dflt);
  if (!Array.isArray(v) || v.length !== r) throw new Error(`${name} must list ${r} values`);
  return v;
}

function conv({ attrs = {}, inputs }) {
  const { X, W, B } = inputs;
  const r = X.shape.length - 2;
  const [N, C, ...inSp] = X.shape;
  const [M, Cg, ...kSp] = W.shape;
  const group = attrs.group ?? 1;
  const strides = attrs.strides ?? new Array(r).fill(1);
  const dil = attrs.dilations ?? new Array(r).fill(1);
  if (strides.length !== r || dil.length !== r) throw new Error('strides and dilations need one value per spatial axis');
  if (strides.some((s) => s < 1) || dil.some((d) => d < 1)) throw new Error('strides and dilations must be positive');
  if (C !== Cg * group || M % group !== 0) throw new Error(`channels ${C} do not fit W ${W.shape} with group ${group}`);
  const effK = kSp.map((k, i) => (k - 1) * dil[i] + 1);
  let lo, hi;
  const auto = attrs.auto_pad ?? 'NOTSET';
  if (auto === 'VALID') [lo, hi] = [inSp.map(() => 0), inSp.map(() => 0)];
  else if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
    const total = inSp.map((L, i) => Math.max(0, (Math.ceil(L / strides[i]) - 1) * strides[i] + effK[i] - L));
    const small = total.map((t) => Math.floor(t / 2));
    lo = auto === 'SAME_UPPER' ? small : total.map((t, i) => t - small[i]);
    hi = total.map((t, i) => t - lo[i]);
  } else {
    const pads = attrList(attrs, 'pads', 2 * r, 0);
    if (pads.some((p) => p < 0)) throw new Error('pads must be >= 0');
    [lo, hi] = [pads.slice(0, r), pads.slice(r)];
  }
  const outSp = inSp.map((L, i) => Math.floor((L + lo[i] + hi[i] - effK[i]) / strides[i]) + 1);
  if (outSp.some((o) => o < 1)) throw new Error('kernel larger than the padded input');
  const size = (s) => s.reduce((a, b) => a * b, 1);
  const out = new Float32Array(N * M * size(outSp));
  const positions = size(outSp);
  const taps = size(kSp);
  const Mg = M / group;
  const unravel = (flat, shape) => shape.map((_, a) => Math.floor(flat / size(shape.slice(a + 1))) % shape[a]);
  for (let n = 0; n < N; n++)
    for (let m = 0; m < M; m++) {
      const g = Math.floor(m / Mg);
      for (let p = 0; p < positions; p++) {
        const o = unravel(p, outSp);
        let acc = B ? B.data[m] : 0;
        for (let c = 0; c < Cg; c++)
          for (let t = 0; t < taps; t++) {
            const k = unravel(t, kSp);
            let xi = n * C + g * Cg + c;
            let inside = true;
            for (let a = 0; a < r; a++) {
              const q = o[a] * strides[a] + k[a] * dil[a] - lo[a];
              if (q < 0 || q >= inSp[a]) inside = false;
              xi = xi * inSp[a] + q;
            }
            if (!inside) continue;
            const wi = (m * Cg + c) * taps + t;
            acc = Math.fround(acc + Math.fround(X.data[xi] * W.data[wi]));
          }
        out[(n * M + m) * positions + p] = acc;
      }
    }
  return { shape: [N, M, ...outSp], data: out };
}

/** @type {import('convcheck').Adapter} */
const adapter = { name: 'example-onnx-conv', framework: 'onnx', ops: ['Conv'], run: conv };
export default adapter;
