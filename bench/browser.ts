/**
 * Browser oracles: cases/s through the oracle object the runner uses (IsolatedOracle: harness
 * process → oracle host → page and back), one call at a time and with 16 calls in flight (windows
 * of 16 under Promise.all, which the host sends to the page as batches: oracles/browser/batch.ts),
 * against the raw in-page loop over the same cases (one message for all of them), side by side,
 * per oracle.
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

const WINDOW = 16;

type Rates = { raw: number; serial: number; inFlight: number; computed: number };

/**
 * The three rates over the same cases, the ones the runtime computes (what it refuses or does not
 * support is left out of all three), measured in turn in each of 3 rounds so that a machine
 * whose load changes meanwhile weighs on all three alike.
 */
async function rates(kind: string, calls: OracleCall[]): Promise<Rates> {
  const oracle = new IsolatedOracle(kind, { timeoutMs: 60_000 });
  const session = await openSession(kind);
  try {
    const err = await oracle.start();
    if (err) throw new Error(err);
    await session.page.evaluate((k) => (globalThis as unknown as PageApi).convcheck.init(k), kind);
    // Warm-up on both pages (WebGL and WebGPU compile a program per new shape); keep what computes.
    const computed: OracleCall[] = [];
    for (const c of calls) if ((await oracle.run(c)).kind === 'value') computed.push(c);
    const items = computed.map((c) => pageRequest(kind as BrowserKind, c));
    const rawLoop = (xs: unknown[]) => session.page.evaluate(([k, x]) => (globalThis as unknown as PageApi).convcheck.rawLoop(k as string, x as unknown[]), [kind, xs] as const);
    for (const it of items) await rawLoop([it]);
    const raw: number[] = [];
    const serial: number[] = [];
    const inFlight: number[] = [];
    for (let round = 0; round < 3; round++) {
      raw.push(await rawLoop(items));
      serial.push(...(await timeIt(1, async () => {
        for (const c of computed) await oracle.run(c);
      })));
      inFlight.push(...(await timeIt(1, async () => {
        for (let i = 0; i < computed.length; i += WINDOW) {
          const rs = await Promise.all(computed.slice(i, i + WINDOW).map((c) => oracle.run(c)));
          // Batched or not, each call is computed as it was alone.
          const odd = rs.findIndex((r) => r.kind !== 'value');
          if (odd >= 0) throw new Error(`${kind}: a call computed alone answered ${rs[odd]!.kind} in a batch`);
        }
      })));
    }
    const rate = (t: number[]) => computed.length / (median(t) / 1000);
    return { raw: rate(raw), serial: rate(serial), inFlight: rate(inFlight), computed: computed.length };
  } finally {
    await oracle.close();
    await session.close();
  }
}

async function main(): Promise<void> {
  const n = Number(process.env['BENCH_CASES'] ?? 150);
  const kinds = (process.env['BENCH_ORACLES'] ?? 'tfjs-webgl,tfjs-webgpu,ort-web,ort-webgpu').split(',');
  console.log(`browser oracles, ${n} small generated cases each (seed 11), the ones each computes; medians of 3 interleaved rounds after a warm-up`);
  for (const kind of kinds) {
    const r = await rates(kind, casesFor(kind, n));
    console.log(
      `  ${kind.padEnd(12)} ${r.computed} computed: raw in-page loop ${Math.round(r.raw)} cases/s; oracle one at a time ${Math.round(r.serial)} (${(r.serial / r.raw).toFixed(2)}x raw), ` +
        `${WINDOW} in flight ${Math.round(r.inFlight)} (${(r.inFlight / r.raw).toFixed(2)}x raw, ${(r.inFlight / r.serial).toFixed(2)}x one at a time)`,
    );
  }
}

void main();
