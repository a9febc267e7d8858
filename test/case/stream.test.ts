/**
 * src/case/stream.ts gives what JSON.parse gives (long arrays of numbers as ParsedNumbers under a
 * `data` key, as arrays elsewhere), for any text in any chunking; it gives JSON.parse's own error
 * or hands the source back (undefined) when the text is not JSON.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParsedNumbers, StreamedJson } from '../../src/case/stream.js';

const SEED = Number(process.env['CONVCHECK_SEED'] ?? 20261129);
const runs = (numRuns: number) => ({ numRuns, seed: SEED });

/** Text fed in pieces of the given sizes (cycled), through a scanner with the given text limit. */
function streamed(text: string, sizes: readonly number[], rawLimit?: number): ReturnType<StreamedJson['end']> {
  const s = new StreamedJson(rawLimit);
  const b = Buffer.from(text);
  for (let at = 0, k = 0; at < b.length; k++) {
    const n = Math.max(1, sizes[k % sizes.length] ?? b.length);
    s.push(b.subarray(at, at + n));
    at += n;
  }
  return s.end();
}

/** A canonical form that tells -0 from 0 and "NaN" from NaN; ParsedNumbers as their array. */
function canon(v: unknown): unknown {
  if (v instanceof ParsedNumbers) return canon(v.toArray());
  if (typeof v === 'number') return `n:${Object.is(v, -0) ? '-0' : String(v)}`;
  if (typeof v === 'string') return `s:${v}`;
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === 'object') return Object.entries(v).map(([k, x]) => [k, canon(x)]);
  return v;
}

/** JSON.parse's answer, as StreamedJson.end gives it. */
function reference(text: string): { value: unknown } | { error: Error } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (e) {
    return { error: e as Error };
  }
}

/** StreamedJson agrees with JSON.parse: the same value, the same error, or undefined (the caller parses the text). */
function agrees(text: string, got: ReturnType<StreamedJson['end']>): void {
  // The scanner reads bytes: a lone surrogate in `text` reaches it (and JSON.parse, through the
  // old read) as U+FFFD.
  const want = reference(Buffer.from(text).toString('utf8'));
  if (got === undefined) return;
  if ('error' in want) {
    expect(got).toHaveProperty('error');
    expect((got as { error: Error }).error.message).toBe(want.error.message);
  } else {
    expect(got).toHaveProperty('value');
    expect(canon((got as { value: unknown }).value)).toEqual(canon(want.value));
  }
}

/** A JSON number in any of its forms: sign, 0 or leading digit, fraction, exponent with or without sign. */
const numberText = fc
  .record({
    minus: fc.boolean(),
    int: fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,20}$/)),
    frac: fc.option(fc.stringMatching(/^[0-9]{1,20}$/), { nil: undefined }),
    exp: fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.stringMatching(/^[0-9]{1,3}$/)), { nil: undefined }),
  })
  .map(({ minus, int, frac, exp }) => `${minus ? '-' : ''}${int}${frac !== undefined ? `.${frac}` : ''}${exp ? exp.join('') : ''}`);
const element = fc.oneof({ weight: 8, arbitrary: numberText }, { weight: 1, arbitrary: fc.constantFrom('"NaN"', '"Infinity"', '"-Infinity"') });
const space = fc.constantFrom('', '', ' ', '\n', '\t', ' \r\n ');
const numberArray = fc.tuple(fc.array(fc.tuple(space, element, space), { maxLength: 40 }), space).map(([xs, end]) => `[${xs.map((x) => x.join('')).join(',')}${end}]`);
/** Strings that look like the scanner's business: brackets, quotes, escapes, non-ASCII. */
const trickyString = fc.array(fc.constantFrom('[', ']', '[1]', '[2, 3]', '1', ',', '\\"', '\\\\', '\\u005b', 'é', '😀', 'NaN', ' '), { maxLength: 8 }).map((p) => `"${p.join('')}"`);

const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    numberArray,
    numberText,
    trickyString,
    fc.constantFrom('true', 'false', 'null', '[]', '{}'),
    fc.array(tie('value'), { maxLength: 4 }).map((xs) => `[${xs.join(', ')}]`),
    fc.array(fc.tuple(fc.constantFrom('"data"', '"shape"', '"x"', '"__proto__"', '"da\\u0074a"'), tie('value')), { maxLength: 4 }).map((kv) => `{${kv.map(([k, v]) => `${k}: ${v}`).join(',')}}`),
  ),
})).value;

const sizes = fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 5 });
const limits = fc.constantFrom(0, 1, 8, undefined);

describe('StreamedJson', () => {
  it('gives what JSON.parse gives, for any JSON text, chunking and text limit', () => {
    fc.assert(
      fc.property(jsonText, sizes, limits, (text, cut, limit) => {
        const got = streamed(text, cut, limit);
        agrees(text, got);
        // Handed back only for an array that is long (past the limit at a chunk's end) and turns
        // out not to be numbers: never with the default limit on short text, nor in one chunk.
        if (limit === undefined) expect(got).toHaveProperty('value');
        const whole = streamed(text, [1 << 30], limit);
        expect(whole).toHaveProperty('value');
        agrees(text, whole);
      }),
      runs(2000),
    );
  });

  it('malformed or truncated text: JSON.parse’s error, or handed back; never a wrong value', () => {
    const broken = fc.tuple(jsonText, fc.nat(), fc.constantFrom('cut', 'insert', 'delete'), fc.constantFrom('x', ',', ']', '[', '"', '-', '.', 'e', '0', '}')).map(([t, at, how, c]) => {
      const i = at % (t.length + 1);
      return how === 'cut' ? t.slice(0, i) : how === 'insert' ? t.slice(0, i) + c + t.slice(i) : t.slice(0, i) + t.slice(i + 1);
    });
    fc.assert(
      fc.property(broken, sizes, limits, (text, cut, limit) => agrees(text, streamed(text, cut, limit))),
      runs(2000),
    );
  });

  it('reads every JSON number form as JSON.parse does, and refuses what JSON does not allow', () => {
    const good = ['0', '-0', '1', '-1', '0.5', '-0.0', '1e5', '1E5', '1e+5', '1E-5', '-1.25e-3', '123456789012345678901234567890', '1e400', '-1e400', '4.9e-324', '2e-400', '0.1', '1.7976931348623157e308'];
    const text = `{"data": [${good.join(', ')}, "NaN", "Infinity", "-Infinity"]}`;
    const got = streamed(text, [3], 0);
    expect(got).toHaveProperty('value');
    const data = (got as { value: { data: ParsedNumbers } }).value.data;
    expect(data).toBeInstanceOf(ParsedNumbers);
    expect(Array.from(data.values.subarray(0, good.length))).toEqual(good.map(Number));
    expect(Object.is(data.values[1], -0)).toBe(true);
    expect(Array.from(data.values.subarray(good.length))).toEqual([NaN, Infinity, -Infinity]);
    expect(canon(data.toArray())).toEqual(canon(JSON.parse(text).data));
    for (const bad of ['01', '1.', '.5', '+1', '1e', '1e+', '-', '0x10', 'Infinity', 'NaN', '1.2.3', '--1', '1e5e5', '"nan"', '"Infinity "']) {
      const t = `{"data": [1, ${bad}, 2]}`;
      agrees(t, streamed(t, [1000], 0));
      agrees(t, streamed(t, [2], undefined));
    }
  });

  it('a long array is numbers under "data" only; elsewhere the array JSON.parse gives', () => {
    const long = `[${Array.from({ length: 20000 }, (_, i) => (i % 7 === 0 ? '"NaN"' : String(i / 8))).join(',')}]`;
    const text = `{"inputs": {"x": {"shape": ${long}, "data": ${long}}}, "attrs": {"pad": ${long}}}`;
    const got = streamed(text, [4096]) as { value: { inputs: { x: { shape: unknown; data: unknown } }; attrs: { pad: unknown } } };
    expect(got.value.inputs.x.data).toBeInstanceOf(ParsedNumbers);
    expect(got.value.inputs.x.shape).toEqual(JSON.parse(long));
    expect(got.value.attrs.pad).toEqual(JSON.parse(long));
    expect(canon(got.value)).toEqual(canon(JSON.parse(text)));
  });

  it('a long array that is not all numbers, or never closes, hands the source back', () => {
    const long = Array.from({ length: 20000 }, (_, i) => String(i)).join(','); // past the 64 KiB kept as text
    expect(streamed(`{"data": [${long}, true]}`, [4096])).toBeUndefined();
    expect(streamed(`{"data": [${long}`, [4096])).toBeUndefined();
    // Short ones stay text: JSON.parse's own answer.
    agrees('{"data": [1, true]}', streamed('{"data": [1, true]}', [3]));
    agrees('{"data": [1, 2', streamed('{"data": [1, 2', [3]));
  });
});
