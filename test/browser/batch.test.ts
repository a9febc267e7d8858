/**
 * Several calls per page message (oracles/browser/batch.ts), in headless chromium: a batch of
 * mixed calls answers exactly as one call per message does, and a call that throws, hangs or
 * crashes the page inside a batch is that call's verdict only; its neighbours get their real
 * answers and the next batch runs on the fresh page. The backends are driven in this process,
 * as the oracle host drives them, so that the page messages can be counted.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import createAdapter from '../../oracles/browser/adapter.js';
import create, { type BrowserKind } from '../../oracles/browser/backend.js';
import { IsolatedOracle } from '../../oracles/isolated.js';
import { knownFinding } from '../../oracles/known.js';
import { ORACLES } from '../../oracles/registry.js';
import type { OracleCall, OracleResult } from '../../oracles/types.js';
import { compareTo, errorBound } from '../../properties/tolerance.js';
import { parseCase } from '../../src/case/case.js';
import { reference } from '../../src/conventions/index.js';
import { anyCaseArb } from '../../src/generators/cases.js';
import { toCaseJson } from '../../src/validate/adapter.js';
import { onnxCall, tfCall, together } from './helpers.js';

type Backend = Awaited<ReturnType<typeof create>>;
const opened: Backend[] = [];
async function open<B extends Backend>(b: Promise<B>): Promise<B> {
  opened.push(await b);
  return b;
}
afterAll(async () => {
  await Promise.all(opened.map((b) => b.dispose?.()));
});

/** Results comparable with toEqual (typed arrays as plain arrays). */
const plain = (rs: OracleResult[]) => rs.map((r) => (r.kind === 'value' ? { ...r, data: Array.from(r.data) } : r));

/** A call the runtime itself refuses: 3 input channels against a kernel made for 2. */
function refused(kind: BrowserKind): OracleCall {
  const t = (shape: number[]) => ({ shape, data: Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (i % 3) - 1) });
  return kind.startsWith('tfjs-')
    ? { framework: 'tf', op: 'conv1d', attrs: { padding: 'VALID' }, dtype: 'float32', inputs: { input: t([1, 5, 3]), filters: t([2, 2, 2]) } }
    : { framework: 'onnx', op: 'Conv', attrs: {}, dtype: 'float32', inputs: { X: t([1, 3, 5]), W: t([2, 2, 2]) } };
}

/**
 * Generated cases for the oracle (what `convcheck run` would send it), with a malformed one in
 * the middle (the tfjs runtimes refuse it; ort-webgpu computes it regardless, and the generated
 * ones hold refusals of its own).
 */
let mixedRefused: OracleCall | undefined;
function mixed(kind: BrowserKind, n: number): OracleCall[] {
  const entry = ORACLES[kind]!;
  const calls = fc.sample(anyCaseArb(entry.ops, entry.avoid ? { avoid: entry.avoid } : {}), { numRuns: n, seed: 7 }).map((c, i) => parseCase(c, `g${i}`) as OracleCall);
  mixedRefused = refused(kind);
  calls.splice(n >> 1, 0, mixedRefused);
  return calls;
}

describe('a batch answers as one call per message does', () => {
  for (const kind of ['tfjs-webgl', 'tfjs-webgpu', 'ort-web', 'ort-webgpu'] as const) {
    it(`${kind}: 24 generated calls and a malformed one`, async () => {
      const calls = mixed(kind, 24);
      const single = await open(create({ kind, batch: { count: 1, bytes: 1 } }));
      const alone = await together(single, calls);
      await single.dispose?.();
      const batched = await open(create({ kind }));
      const inBatches = await together(batched, calls);
      expect(plain(inBatches)).toEqual(plain(alone));
      const reached = calls.length - alone.filter((r) => r.kind === 'unsupported').length;
      expect(single.stats).toMatchObject({ messages: reached, calls: reached });
      // All in flight at once: at most 16 per message, the first message alone if the page was idle.
      expect(batched.stats.calls).toBe(reached);
      expect(batched.stats.messages).toBeLessThanOrEqual(Math.ceil(reached / 16) + 1);
      expect(inBatches.some((r) => r.kind === 'rejected')).toBe(true);
      // And the answers are the runtime's real ones: within the float32 bound of the float64
      // reference, but for the runtime's registered findings (tfjs-webgl's NCHW depthwise shape).
      let values = 0;
      for (const [i, r] of inBatches.entries()) {
        if (r.kind !== 'value' || calls[i] === mixedRefused || knownFinding(kind, [toCaseJson(calls[i]!)])) continue;
        values++;
        const b = errorBound(calls[i]!, 'float32');
        expect({ case: i, ok: compareTo(b.reference, r, b.bound).ok }).toEqual({ case: i, ok: true });
      }
      expect(values).toBeGreaterThan(15);
    }, 120_000);
  }
});

/** The float64 reference as a result: the cases below are integers that float32 computes exactly. */
function exact(c: OracleCall) {
  const want = reference(c);
  return { kind: 'value', shape: [...want.shape], data: Array.from(want.data) };
}

describe('the message format (JSON with float64 bytes) is exact', () => {
  it('NaN, ±∞, -0 and subnormals cross both ways as they are', async () => {
    const backend = await open(create({ kind: 'ort-web' }));
    // A 1×1 kernel of 1 and no bias: the output is the input, bit for bit where float32 holds it.
    const xs = [NaN, Infinity, -Infinity, -0, 2 ** -140, 1.5, -3, 0];
    const calls = [0, 1].map((i) => parseCase({ framework: 'onnx', op: 'Conv', attrs: {}, inputs: { X: { shape: [1, 1, 8], data: xs.map((x) => (i ? x : -x)) }, W: { shape: [1, 1, 1], data: [1] } } }, `nf${i}`) as OracleCall);
    const rs = await together(backend, calls);
    expect(backend.stats.messages).toBe(1);
    for (const [i, r] of rs.entries()) {
      expect(r.kind).toBe('value');
      const got = Array.from((r as { data: Float64Array }).data);
      const want = xs.map((x) => (i ? x : -x));
      for (const [j, w] of want.entries()) expect({ j, same: Object.is(got[j], w) }).toEqual({ j, same: true });
    }
  }, 60_000);
});

describe('a call that hangs or crashes the page inside a batch is its own verdict', () => {
  for (const [what, first, verdict] of [
    ['hangs', 2, /no answer within 2000 ms \(page replaced\)/],
    ['crashes the page', 3, /the browser page crashed/],
  ] as const) {
    it(`${what}: only it fails, its neighbours are answered, and the next batch runs on the fresh page`, async () => {
      const backend = await open(create({ kind: 'tfjs-webgl', testHooks: true, callTimeoutMs: 2000 }));
      const calls = [tfCall(0), tfCall(1), tfCall(2, first), tfCall(3), tfCall(4)];
      const t0 = Date.now();
      const rs = await together(backend, calls);
      for (const i of [0, 1, 3, 4]) expect(plain([rs[i]!])[0]).toEqual(exact(calls[i]!));
      expect(rs[2]).toMatchObject({ kind: 'failed' });
      expect((rs[2] as { error: string }).error).toMatch(verdict);
      // One batch message, then each call alone: the culprit on a fresh page, its followers on another.
      expect(backend.stats).toMatchObject({ messages: 1 + 5, calls: 5 + 5, pages: 3 });
      // The batch's deadline is 5 × 2 s; then one more 2 s for the culprit alone when it hangs.
      expect(Date.now() - t0).toBeLessThan(first === 2 ? 40_000 : 25_000);
      const next = [tfCall(5), tfCall(6), tfCall(7)];
      expect(plain(await together(backend, next))).toEqual(next.map(exact));
      expect(backend.stats).toMatchObject({ messages: 7, calls: 13, pages: 3 });
    }, 90_000);
  }
});

describe('a user\'s adapter module in the page (validate --browser), batched', () => {
  const path = new URL('./fixtures/naive-conv1d.mjs', import.meta.url).pathname;

  it('a throw is that call\'s refusal, inside the one message', async () => {
    const backend = await open(createAdapter({ path, callTimeoutMs: 2000 }));
    const calls = [onnxCall(0), onnxCall(1, 7), onnxCall(2), onnxCall(3, 7), onnxCall(4)];
    const rs = plain(await together(backend, calls));
    expect(rs).toEqual([exact(calls[0]!), { kind: 'rejected', error: 'seven is refused' }, exact(calls[2]!), { kind: 'rejected', error: 'seven is refused' }, exact(calls[4]!)]);
    expect(backend.stats).toMatchObject({ messages: 1, calls: 5, pages: 1 });
  }, 60_000);

  it('a hang and a crash are their calls\' failures; the others are answered, and refused where they throw', async () => {
    const backend = await open(createAdapter({ path, testHooks: true, callTimeoutMs: 2000 }));
    const calls = [onnxCall(0), onnxCall(1, 7), onnxCall(2, 2), onnxCall(3)];
    const rs = plain(await together(backend, calls));
    expect(rs[0]).toEqual(exact(calls[0]!));
    expect(rs[1]).toEqual({ kind: 'rejected', error: 'seven is refused' });
    expect(rs[2]).toMatchObject({ kind: 'failed', error: expect.stringMatching(/no answer within 2000 ms/) as unknown });
    expect(rs[3]).toEqual(exact(calls[3]!));
    const crash = [onnxCall(4), onnxCall(5, 3), onnxCall(6)];
    const cs = plain(await together(backend, crash));
    expect(cs).toEqual([exact(crash[0]!), { kind: 'failed', error: expect.stringMatching(/page crashed/) as unknown }, exact(crash[2]!)]);
    // Each batch once, then its calls alone; a fresh page (the module loaded again) after each culprit.
    expect(backend.stats).toMatchObject({ messages: 1 + 4 + 1 + 3, calls: 14, pages: 5 });
  }, 90_000);
});

describe('through the oracle host, as `convcheck run` calls it', () => {
  it('calls in flight together: a hang fails only itself', async () => {
    const oracle = new IsolatedOracle('browser-batch', { timeoutMs: 60_000, backend: { module: './browser/backend.js', options: { kind: 'tfjs-webgl', testHooks: true, callTimeoutMs: 2000 } } });
    try {
      expect(await oracle.start()).toBeUndefined();
      const calls = [tfCall(0), tfCall(1), tfCall(2, 2), tfCall(3)];
      const rs = plain(await Promise.all(calls.map((c) => oracle.run(c))));
      expect(rs[2]).toMatchObject({ kind: 'failed', error: expect.stringMatching(/no answer within \d+ ms \(page replaced\)/) as unknown });
      for (const i of [0, 1, 3]) expect(rs[i]).toEqual(exact(calls[i]!));
      expect(oracle.takeIncident()).toBeUndefined();
    } finally {
      await oracle.close();
    }
  }, 90_000);
});
