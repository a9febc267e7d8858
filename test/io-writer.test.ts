/** writeOutcomeJson writes exactly JSON.stringify(outcomeJson(...)), in pieces. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outcomeJson, writeOutcomeJson } from '../src/case/io.js';
import type { Outcome } from '../src/case/case.js';

function written(id: string, o: Outcome): { text: string; pieces: number } {
  const pieces: string[] = [];
  writeOutcomeJson(id, o, (p) => pieces.push(typeof p === 'string' ? p : Buffer.from(p).toString('latin1')));
  return { text: pieces.join(''), pieces: pieces.length };
}

describe('writeOutcomeJson', () => {
  it('equals JSON.stringify(outcomeJson) for any values, lengths across its piece size', () => {
    const values = fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 5e-324, 1e21, 1e-7));
    fc.assert(
      fc.property(
        fc.string(),
        fc.integer({ min: 0, max: 70000 }).chain((n) => fc.array(values, { minLength: n, maxLength: n })),
        (id, data) => {
          const o: Outcome = { shape: [data.length], data: Float64Array.from(data) };
          expect(written(id, o).text).toBe(JSON.stringify(outcomeJson(id, o)));
        },
      ),
      { numRuns: 25, seed: Number(process.env['CONVCHECK_SEED'] ?? 20261129) },
    );
  });

  it('writes errors and empty results whole, and large results in several pieces', () => {
    expect(written('a"b', { error: 'no "x"' }).text).toBe(JSON.stringify({ id: 'a"b', error: 'no "x"' }));
    expect(written('e', { shape: [0, 3], data: new Float64Array(0) }).text).toBe('{"id":"e","shape":[0,3],"data":[]}');
    const big = written('b', { shape: [100000], data: new Float64Array(100000) });
    expect(big.pieces).toBeGreaterThan(3);
    expect(JSON.parse(big.text).data).toHaveLength(100000);
  });
});
