/**
 * Kernel speed: the float64 reference against TensorFlow.js cpu and wasm on the same conv2d,
 * [8, 64, 64, 32] × [3, 3, 32, 64], SAME, stride 1, in one process, interleaved, medians of 5.
 * Prints the ratios (goal: the reference at least 2× the cpu backend while accumulating in f64).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { reference } from '../src/conventions/index.js';
import { median, ms, timeIt } from './stats.js';

const [N, H, W, C, K, O] = [8, 64, 64, 32, 3, 64];
const x = Float64Array.from({ length: N * H * W * C }, (_, i) => ((i * 7919) % 13) - 6);
const w = Float64Array.from({ length: K * K * C * O }, (_, i) => ((i * 104729) % 11) - 5);
const call = {
  framework: 'tf' as const,
  op: 'conv2d',
  attrs: { strides: 1, padding: 'SAME' },
  inputs: { input: { shape: [N, H, W, C], data: x }, filters: { shape: [K, K, C, O], data: w } },
};

async function tfjsTimes(backend: string, reps: number): Promise<number[]> {
  await tf.setBackend(backend);
  await tf.ready();
  const xt = tf.tensor4d(Float32Array.from(x), [N, H, W, C]);
  const wt = tf.tensor4d(Float32Array.from(w), [K, K, C, O]);
  const t = await timeIt(reps, async () => {
    const y = tf.conv2d(xt, wt, 1, 'same');
    await y.data();
    y.dispose();
  });
  xt.dispose();
  wt.dispose();
  return t;
}

async function main(): Promise<void> {
  const reps = Number(process.env['BENCH_REPS'] ?? 5);
  // Check they compute the same thing before timing anything.
  await tf.setBackend('cpu');
  const ref = reference(call).data;
  const got = await tf.conv2d(tf.tensor4d(Float32Array.from(x), [N, H, W, C]), tf.tensor4d(Float32Array.from(w), [K, K, C, O]), 1, 'same').data();
  const maxDiff = ref.reduce((m, v, i) => Math.max(m, Math.abs(v - got[i]!)), 0);
  const rows: Record<string, number[]> = { reference: [], 'tfjs-cpu': [], 'tfjs-wasm': [] };
  for (let i = 0; i < reps; i++) {
    rows['reference']!.push(...(await timeIt(1, () => reference(call))));
    rows['tfjs-cpu']!.push(...(await tfjsTimes('cpu', 1)));
    rows['tfjs-wasm']!.push(...(await tfjsTimes('wasm', 1)));
  }
  const med = Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, median(v)]));
  console.log(`conv2d [${N},${H},${W},${C}] x [${K},${K},${C},${O}] SAME; ${reps} interleaved reps; max |ref - tfjs-cpu| = ${maxDiff}`);
  for (const [k, v] of Object.entries(med)) console.log(`  ${k.padEnd(10)} median ${ms(v)}`);
  console.log(`  reference speed / tfjs-cpu speed  = ${(med['tfjs-cpu']! / med['reference']!).toFixed(2)}x`);
  console.log(`  reference speed / tfjs-wasm speed = ${(med['tfjs-wasm']! / med['reference']!).toFixed(2)}x`);
}

void main();
