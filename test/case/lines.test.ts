/**
 * src/case/lines.ts splits a byte stream as readline splits text (evalSource's old reader), in any
 * chunking, and keeps a long line's text on disk until it is disposed of.
 */
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readLines, type Line } from '../../src/case/lines.js';
import { ParsedNumbers } from '../../src/case/stream.js';

const SEED = Number(process.env['CONVCHECK_SEED'] ?? 20261129);

async function ours(chunks: readonly Buffer[]): Promise<Line[]> {
  const out: Line[] = [];
  for await (const l of readLines(Readable.from(chunks))) out.push(l);
  return out;
}

async function readline(chunks: readonly Buffer[]): Promise<string[]> {
  const out: string[] = [];
  for await (const l of createInterface({ input: Readable.from(chunks), crlfDelay: Infinity })) out.push(l);
  return out;
}

function cut(b: Buffer, sizes: readonly number[]): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0, k = 0; at < b.length; k++) {
    const n = Math.max(1, sizes[k % sizes.length]!);
    out.push(b.subarray(at, at + n));
    at += n;
  }
  return out;
}

describe('readLines', () => {
  it('gives readline’s lines, blank tests and JSON.parse answers, for any text and chunking', async () => {
    const piece = fc.constantFrom('\n', '\r', '\r\n', ' ', '\t', '\u00a0', '\u2028', '\v', 'x', '{"a": [1, 2]}', '[1,', '"é"', '😀');
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 30 }), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 4 }), async (parts, sizes) => {
        const chunks = cut(Buffer.from(parts.join('')), sizes);
        const got = await ours(chunks);
        const want = await readline(chunks);
        expect(got.map((l) => l.text())).toEqual(want);
        got.forEach((l, i) => {
          expect(l.blank()).toBe(want[i]!.trim() === '');
          const p = l.parse();
          let ref: string;
          try {
            ref = JSON.stringify({ value: JSON.parse(want[i]!) });
          } catch (e) {
            ref = JSON.stringify({ error: (e as Error).message });
          }
          expect(JSON.stringify('error' in p ? { error: p.error.message } : p)).toBe(ref);
        });
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it('a long line: its numbers streamed, its text on disk (read back on demand), removed by dispose', async () => {
    const n = 300_000;
    const text = `{"id":"big","data":[${Array.from({ length: n }, (_, i) => i / 4).join(',')}]}`;
    expect(text.length).toBeGreaterThan(1 << 20);
    const lines = await ours(cut(Buffer.from(`${text}\r\n{"id":"small"}\n`), [65536]));
    expect(lines).toHaveLength(2);
    const [big, small] = lines as [Line, Line];
    const p = big.parse() as { value: { data: ParsedNumbers } };
    expect(p.value.data).toBeInstanceOf(ParsedNumbers);
    expect(p.value.data.values[n - 1]).toBe((n - 1) / 4);
    expect(big.text()).toBe(text);
    const spool = (big as unknown as { spool: string }).spool;
    expect(existsSync(spool)).toBe(true);
    big.dispose();
    expect(existsSync(spool)).toBe(false);
    expect(small.parse()).toEqual({ value: { id: 'small' } });
  });
});
