import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate, parseCase } from '../src/case/case.js';

// The founding question (shared/docs/seed-case.md), with the outputs TF 2.21 and JAX 0.10.2 printed.
const lines = readFileSync(new URL('./cases/seed.jsonl', import.meta.url), 'utf8').trim().split('\n');

describe('seed case', () => {
  for (const [i, line] of lines.entries()) {
    const c = parseCase(JSON.parse(line), `line ${i + 1}`);
    it(c.id, () => {
      const out = evaluate(c);
      const exp = c.expected as { shape: number[]; data: Float64Array };
      expect(out).toEqual({ shape: exp.shape, data: exp.data });
    });
  }
});
