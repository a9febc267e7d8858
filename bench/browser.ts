/**
 * Browser oracles: cases/s through the oracle (one message per case from the harness process to
 * the oracle host to the page and back) against the raw in-page loop over the same cases (one
 * message for all of them), side by side, per oracle. Medians of 3 after a warm-up pass (WebGL
 * and WebGPU compile a shader program per new shape; the warm-up pays for all of them first).
 */
import fc from 'fast-check';
import { IsolatedOracle } from '../oracles/isolated.js';
import { translate, Unsupported } from '../oracles/tfjs/translate.js';
import type { OracleCall } from '../oracles/types.js';
import { pageRequest, type BrowserKind } from '../oracles/browser/backend.js';
import { openSession } from '../oracles/browser/session.js';
import { parseCase } from '../src/case/case.js';
import { anyCaseArb } from '../src/generators/cases.js';
import { median, timeIt } from './stats.js';

const TF_OPS = ['conv1d', 'conv2d', 'conv3d', 'conv1d_transpose', 'conv2d_transpose', 'conv3d_transpose', 'depthwise_conv2d'].map((op) => ['tf', op] as const);
const ONNX_OPS = [['onnx', 'Conv'], ['onnx', 'ConvTranspose']] as const;
const AVOID = { groups: true, dilatedTranspose: true, strideWithDilation: true };

function casesFor(kind: string, n: number): OracleCall[] {
  const tf = kind.startsWith('tfjs-');
  const arb = anyCaseArb(tf ? TF_OPS : ONNX_OPS, tf ? { avoid: AVOID } : {});
  const calls = fc.sample(arb, { numRuns: n * 3, seed: 11 }).map((c) => parseCase(c, 'bench') as OracleCall);
  const ok = calls.filter((c) => {
    if (!tf) return true;
    try {
      translate(c, { conv2dNchw: true, transposeExplicit: true });
      return true;
    } catch (e) {
      return !(e instanceof Unsupported);
    }
  });
  return ok.slice(0, n);
}

type PageApi = { convcheck: { init(k: string): Promise<unknown>; rawLoop(k: string, items: unknown[]): Promise<number> } };

async function rawRate(kind: string, calls: OracleCall[]): Promise<number> {
  const session = await openSession(kind);
  try {
    await session.page.evaluate((k) => (globalThis as unknown as PageApi).convcheck.init(k), kind);
    const items = calls.map((c) => pageRequest(kind as BrowserKind, c));
    // rawLoop skips nothing: a call the runtime refuses throws and ends the loop, so keep the ones that run.
    const runnable: unknown[] = [];
    for (const it of items) {
      try {
        await session.page.evaluate(([k, x]) => (globalThis as unknown as PageApi).convcheck.rawLoop(k as string, [x]), [kind, it] as const);
        runnable.push(it);
      } catch {
        // refused by the runtime: not part of either side
      }
    }
    const times = [];
    for (let i = 0; i < 3; i++) times.push(await session.page.evaluate(([k, xs]) => (globalThis as unknown as PageApi).convcheck.rawLoop(k as string, xs as unknown[]), [kind, runnable] as const));
    return runnable.length / (median(times) / 1000);
  } finally {
    await session.close();
  }
}

async function oracleRate(kind: string, calls: OracleCall[]): Promise<{ rate: number; values: number }> {
  const oracle = new IsolatedOracle(kind, { timeoutMs: 60_000 });
  try {
    const err = await oracle.start();
    if (err) throw new Error(err);
    let values = 0;
    for (const c of calls) if ((await oracle.run(c)).kind === 'value') values++; // warm-up: shader compiles
    const t = await timeIt(3, async () => {
      for (const c of calls) await oracle.run(c);
    });
    return { rate: calls.length / (median(t) / 1000), values };
  } finally {
    await oracle.close();
  }
}

async function main(): Promise<void> {
  const n = Number(process.env['BENCH_CASES'] ?? 150);
  const kinds = (process.env['BENCH_ORACLES'] ?? 'tfjs-webgl,tfjs-webgpu,ort-web,ort-webgpu').split(',');
  console.log(`browser oracles, ${n} small generated cases each (seed 11), medians of 3 after a warm-up`);
  for (const kind of kinds) {
    const calls = casesFor(kind, n);
    const o = await oracleRate(kind, calls);
    const raw = await rawRate(kind, calls);
    console.log(`  ${kind.padEnd(12)} oracle ${Math.round(o.rate)} cases/s (${o.values} of ${calls.length} computed), raw in-page loop ${Math.round(raw)} cases/s: oracle / raw = ${(o.rate / raw).toFixed(2)}x`);
  }
}

void main();
