/**
 * Reference values and bounds computed on worker threads are the ones computed in place, bit for
 * bit, and a call the convention rejects is the same ConvError either way.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { boundOf, referenceWorkers, useReferenceWorkers } from '../../properties/bound-pool.js';
import { errorBound } from '../../properties/tolerance.js';
import { parseCase } from '../../src/case/case.js';
import { ConvError } from '../../src/core/errors.js';
import { anyCaseArb } from '../../src/generators/cases.js';

describe('reference workers', () => {
  afterAll(() => useReferenceWorkers(0));
  it('give the in-place bound and reference, bit for bit, for cases large enough to be sent', async () => {
    await useReferenceWorkers(2);
    expect(referenceWorkers()).toBe(2); // the compiled worker exists (npm run build)
    // Large cases: most have ≥ 256 input elements and go to a worker.
    const cases = fc.sample(anyCaseArb(undefined, { sizes: 'large' }), { seed: 3, numRuns: 40 }).map((c) => parseCase(c, 'pool'));
    let sent = 0;
    for (const call of cases) {
      const elements = Object.values(call.inputs).reduce((n, t) => n + t.data.length, 0);
      if (elements >= 256) sent++;
      let here: ReturnType<typeof errorBound> | undefined;
      let hereError: unknown;
      try {
        here = errorBound(call, call.dtype);
      } catch (e) {
        hereError = e;
      }
      const there = await boundOf(call, call.dtype).then(
        (b) => ({ ok: true as const, b }),
        (e: unknown) => ({ ok: false as const, e }),
      );
      if (here) {
        expect(there.ok).toBe(true);
        const b = (there as { b: typeof here }).b;
        expect(b.K).toBe(here.K);
        expect(Array.from(b.bound)).toEqual(Array.from(here.bound));
        expect(b.reference.shape).toEqual(here.reference.shape);
        expect(Array.from(b.reference.data)).toEqual(Array.from(here.reference.data));
      } else {
        expect(there.ok).toBe(false);
        const e = (there as { e: unknown }).e;
        expect(e).toBeInstanceOf(hereError instanceof ConvError ? ConvError : Error);
        expect((e as Error).message).toBe((hereError as Error).message);
      }
    }
    expect(sent).toBeGreaterThan(15);
  }, 60_000);
  it('a rejected call is a ConvError with the convention message', async () => {
    await useReferenceWorkers(1);
    const bad = parseCase({ framework: 'onnx', op: 'Conv', attrs: { strides: [0] }, inputs: { X: { shape: [1, 1, 300], data: Array(300).fill(1) }, W: { shape: [1, 1, 2], data: [1, 1] } } }, 'bad');
    let inPlace: unknown;
    try {
      errorBound(bad, 'float32');
    } catch (e) {
      inPlace = e;
    }
    expect(inPlace).toBeInstanceOf(ConvError);
    await expect(boundOf(bad, 'float32')).rejects.toThrow((inPlace as Error).message);
    await expect(boundOf(bad, 'float32')).rejects.toBeInstanceOf(ConvError);
  });
});
