/**
 * convcheck's own float16 / bfloat16 / tf32 rounding against values computed by numpy (float16)
 * and ml_dtypes (bfloat16) in tools/golden/gen_rounding.py (test/precision/rounding.json).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BFLOAT16, FLOAT16, FLOAT32, maxFinite, overflowThreshold, representable, roundToFormat, TF32, type Format } from '../../src/core/formats.js';

const fixture = JSON.parse(readFileSync(new URL('./rounding.json', import.meta.url), 'utf8')) as Record<string, Array<[number, number | string]>>;
const num = (v: number | string) => (typeof v === 'number' ? v : v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : -Infinity);

describe.each([
  ['float16', FLOAT16],
  ['bfloat16', BFLOAT16],
] as Array<[string, Format]>)('%s rounding matches the Python libraries', (name, f) => {
  const rows = fixture[name]!;
  it(`has the fixture (${rows.length} values)`, () => expect(rows.length).toBeGreaterThan(300));
  it('every value, with the sign of zero', () => {
    const wrong = rows.filter(([x, y]) => !Object.is(roundToFormat(x, f), num(y)));
    expect(wrong.slice(0, 5)).toEqual([]);
  });
  it('results are representable and rounding is idempotent', () => {
    for (const [x] of rows) {
      const y = roundToFormat(x, f);
      expect(representable(y, f)).toBe(true);
      expect(roundToFormat(y, f)).toBe(y);
    }
  });
});

describe('format constants', () => {
  it('float16 range', () => {
    expect(maxFinite(FLOAT16)).toBe(65504);
    expect(overflowThreshold(FLOAT16)).toBe(65520);
    expect(maxFinite(BFLOAT16)).toBe(3.3895313892515355e38);
  });
  it('float32 rounding equals Math.fround on random float64 values', () => {
    let s = 12345;
    for (let i = 0; i < 5000; i++) {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      const x = ((s / 2 ** 31) * 2 - 1) * 2 ** ((s % 300) - 150);
      expect(roundToFormat(x, FLOAT32)).toBe(Math.fround(x));
    }
  });
  it('tf32 has float16 precision and float32 range', () => {
    for (const [x] of fixture['float16']!) {
      if (Math.abs(x) >= 2 ** -14 && Math.abs(x) < 65504) expect(roundToFormat(x, TF32)).toBe(roundToFormat(x, FLOAT16));
    }
    expect(Number.isFinite(roundToFormat(1e30, TF32))).toBe(true);
    expect(roundToFormat(2 ** -130, TF32)).toBe(2 ** -130);
    expect(roundToFormat(1 + 2 ** -11, TF32)).toBe(1);
    expect(roundToFormat(1 + 3 * 2 ** -11, TF32)).toBe(1 + 2 ** -9);
  });
});
