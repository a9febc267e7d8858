import createTfjs from './dist/oracles/tfjs/backend.js';
import { parseCase } from './dist/src/case/case.js';
const be = await createTfjs({ backend: process.argv[2] });
for (const strides of [[0, 2], [1, 0], [0, 1]]) {
  const c = parseCase({ framework: 'tf', op: 'conv2d_transpose', attrs: { output_shape: [1, 4, 2, 1], strides, padding: 'VALID', data_format: 'NHWC' }, inputs: { input: { shape: [1, 3, 1, 2], data: [1, 2, -2, 1, -1, 2] }, filters: { shape: [2, 1, 1, 2], data: [1, 0, -1, -1] } } }, 'z');
  const t = performance.now();
  try { const r = await be.run(c); console.log(strides, 'value', r.shape, Array.from(r.data).slice(0, 8), ((performance.now() - t) / 1000).toFixed(2), 's'); } catch (e) { console.log(strides, 'threw', String(e).slice(0, 200)); }
}
