import createTfjs from './dist/oracles/tfjs/backend.js';
import { parseCase } from './dist/src/case/case.js';
const be = await createTfjs({ backend: 'cpu' });
const strides = JSON.parse(process.argv[2]);
const op = process.argv[3];
const c = op === '3' ? parseCase({ framework: 'tf', op: 'conv3d_transpose', attrs: { output_shape: [1, 3, 3, 3, 1], strides: [1, ...strides, 1], padding: 'VALID', data_format: 'NDHWC' }, inputs: { input: { shape: [1, 2, 2, 2, 1], data: [1, 2, -2, 1, -1, 2, 1, 1] }, filters: { shape: [2, 2, 2, 1, 1], data: [1, 0, -1, -1, 1, 1, 1, 1] } } }, 'z')
  : parseCase({ framework: 'tf', op: 'conv1d_transpose', attrs: { output_shape: [1, 4, 1], strides: strides, padding: 'VALID', data_format: 'NWC' }, inputs: { input: { shape: [1, 3, 2], data: [1, 2, -2, 1, -1, 2] }, filters: { shape: [2, 1, 2], data: [1, 0, -1, -1] } } }, 'z');
try { const r = await be.run(c); console.log(op, strides, 'value', Array.from(r.data).slice(0, 6).join(',')); } catch (e) { console.log(op, strides, 'threw', String(e).slice(0, 150)); }
