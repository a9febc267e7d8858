/**
 * torch transposed convs whose output size is 0: the reference returns the empty tensor (the crop
 * removes every element), and rejects a negative size. Shapes are what torch 2.13's oneDNN path
 * returns for the same calls (docs/findings.md, "PyTorch 2.13: zero-size transposed outputs");
 * its native path (batch 1, groups 1) raises instead, which the reference does not mirror.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, parseCase } from '../src/case/case.js';

const ones = (shape: number[]) => ({ shape, data: new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(1) });

function run(op: string, input: number[], weight: number[], attrs: object) {
  return evaluate(parseCase({ framework: 'torch', op, attrs, inputs: { input: ones(input), weight: ones(weight) } }, 't'));
}

describe('torch zero-size transposed outputs', () => {
  it("the issue's conv_transpose2d: [2, 2, 0, 5] at batch 2 (as torch returns) and [1, 2, 0, 5] at batch 1 (torch's native path raises)", () => {
    for (const n of [2, 1]) {
      const out = run('conv_transpose2d', [n, 1, 3, 7], [1, 2, 2, 2], { padding: [2, 2], dilation: [1, 2] });
      expect(out).toEqual({ shape: [n, 2, 0, 5], data: new Float64Array(0) });
    }
  });

  it('groups 1 and 2, ranks 1 to 3, unbatched: size 0 is empty, size -2 is rejected', () => {
    for (const r of [1, 2, 3]) {
      for (const groups of [1, 2]) {
        for (const batch of [[], [1], [2]]) {
          const input = [...batch, 2, ...new Array<number>(r).fill(3)];
          const weight = [2, 1, ...new Array<number>(r).fill(2)];
          const op = `conv_transpose${r}d`;
          const pad = (p: number) => [p, ...new Array<number>(r - 1).fill(0)];
          expect(run(op, input, weight, { padding: pad(2), groups })).toEqual({ shape: [...batch, groups, 0, ...new Array<number>(r - 1).fill(4)], data: new Float64Array(0) });
          expect(run(op, input, weight, { padding: pad(3), groups })).toEqual({ error: expect.stringMatching(/output size \[-2(, 4)*\]: output size is too small/) });
        }
      }
    }
  });
});
