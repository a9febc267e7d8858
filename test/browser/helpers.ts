/**
 * What the batching tests share: small integer cases whose float32 answers are exact (every
 * partial sum a small integer), and a backend driven in this process as the oracle host drives
 * it (types.ts answer), so that how many page messages carried the calls can be asserted.
 */
import { answer, type OracleBackend, type OracleCall, type OracleResult } from '../../oracles/types.js';
import { parseCase } from '../../src/case/case.js';

/** All calls at once, as a harness with them in flight sends them, answered as the host answers. */
export function together(backend: OracleBackend, calls: readonly OracleCall[]): Promise<OracleResult[]> {
  return Promise.all(calls.map((c) => answer(backend, c)));
}

/** tf conv1d, VALID, 2 channels in and out, length 4 + i; `first` is the first input value (the test hooks read it). */
export function tfCall(i: number, first = 1): OracleCall {
  const len = 4 + i;
  const data = Array.from({ length: 2 * len }, (_, j) => ((j * 5 + i) % 7) - 3);
  data[0] = first;
  return parseCase({ framework: 'tf', op: 'conv1d', attrs: { padding: 'VALID' }, inputs: { input: { shape: [1, len, 2], data }, filters: { shape: [2, 2, 2], data: [1, -2, 3, 0, -1, 2, 1, 1] } } }, `tf${i}`) as OracleCall;
}

/** onnx Conv 1-D, stride 1, no padding; `first` as above (test/browser/fixtures/naive-conv1d.mjs reads it). */
export function onnxCall(i: number, first = 1): OracleCall {
  const len = 4 + i;
  const data = Array.from({ length: 2 * len }, (_, j) => ((j * 3 + i) % 5) - 2);
  data[0] = first;
  return parseCase({ framework: 'onnx', op: 'Conv', attrs: {}, inputs: { X: { shape: [1, 2, len], data }, W: { shape: [3, 2, 2], data: [1, 0, -1, 2, 0, 1, -2, 1, 1, 1, 0, -1] }, B: { shape: [3], data: [1, -1, 0] } } }, `onnx${i}`) as OracleCall;
}
