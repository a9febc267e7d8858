/**
 * Golden fixtures: cases whose `expected` came from the real frameworks (TensorFlow 2.21,
 * JAX 0.10.2, PyTorch 2.13) or, for ONNX, from the operator spec — see test/golden/PROVENANCE.md
 * and tools/golden/. Replayed here with no Python.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate, parseCase, type Case } from '../src/case/case.js';

/**
 * Calls a framework accepts but convcheck deliberately rejects, each with its reason. Every one is
 * a finding written up in docs/findings.md; the test below checks that convcheck rejects them.
 */
const DELIBERATE: ReadonlyArray<{ readonly why: string; readonly matches: (c: Case) => boolean }> = [
  {
    why: 'TF documents that depthwise dilation > 1 needs stride 1, only warns, and returns a non-convolution',
    matches: (c) => c.framework === 'tf' && c.op === 'depthwise_conv2d' && some(c.attrs['dilations'], (d) => d > 1) && some(c.attrs['strides'], (s) => s > 1),
  },
  {
    why: 'TF reads a 1-entry depthwise rate as one spatial dim and silently makes the other axis VALID',
    matches: (c) => c.framework === 'tf' && c.op === 'depthwise_conv2d' && Array.isArray(c.attrs['dilations']) && c.attrs['dilations'].length === 1,
  },
];

/**
 * Calls a framework rejects on some code paths but the reference computes, each with its reason
 * and the result the reference must give instead. Each is a finding in docs/findings.md.
 */
const LENIENT: ReadonlyArray<{ readonly why: string; readonly matches: (c: Case, error: string) => boolean; readonly check: (c: Case, error: string, out: ReturnType<typeof evaluate>) => void }> = [
  {
    why: "torch's native transposed-conv kernel refuses an output size of 0, which its oneDNN path (batch > 1 or groups > 1) returns as the empty tensor; the reference returns the empty tensor",
    matches: (c, error) => c.framework === 'torch' && c.op.startsWith('conv_transpose') && zeroSizes(error) !== undefined,
    check: (c, error, out) => {
      const input = c.inputs['input']!.shape;
      const sizes = zeroSizes(error)!.slice(-(input.length - 2)); // torch prints 1-D sizes as (1 x L)
      const outChannels = c.inputs['weight']!.shape[1]! * Number(c.attrs['groups'] ?? 1);
      expect(out).toEqual({ shape: [input[0], outChannels, ...sizes], data: new Float64Array(0) });
    },
  },
];

/** The output sizes of torch's "Output size is too small" when none is negative (so one is 0). */
function zeroSizes(error: string): number[] | undefined {
  const m = /Calculated output size per channel: \(([^)]*)\)\. Output size is too small/.exec(error);
  const sizes = m?.[1]!.split(' x ').map(Number);
  return sizes && sizes.every((s) => s >= 0) ? sizes : undefined;
}

function some(v: unknown, p: (x: number) => boolean): boolean {
  return (Array.isArray(v) ? v : [v]).some((x) => typeof x === 'number' && p(x));
}

function load(fw: string): Case[] {
  const file = new URL(`./golden/${fw}.jsonl`, import.meta.url);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => parseCase(JSON.parse(l), `${fw}.jsonl:${i + 1}`));
}

const isIntegral = (xs: ArrayLike<number>) => Array.from(xs).every(Number.isInteger);

describe.each(['tf', 'jax', 'onnx', 'torch'])('golden %s', (fw) => {
  const cases = load(fw);
  it('has fixtures', () => expect(cases.length).toBeGreaterThanOrEqual(200));
  for (const c of cases) {
    it(c.id, () => {
      const out = evaluate(c);
      const exp = c.expected!;
      if (DELIBERATE.some((d) => d.matches(c))) {
        expect('error' in exp, 'a deliberate divergence is a call the framework accepted').toBe(false);
        expect(out).toHaveProperty('error');
        return;
      }
      const lenient = 'error' in exp ? LENIENT.find((l) => l.matches(c, exp.error)) : undefined;
      if (lenient && 'error' in exp) return lenient.check(c, exp.error, out);
      if ('error' in exp) {
        expect(out, `the framework rejected this call: ${exp.error}`).toHaveProperty('error');
        return;
      }
      if ('error' in out) throw new Error(`convcheck rejected a call the framework accepted: ${out.error}`);
      expect(out.shape).toEqual(exp.shape);
      const exact = Object.values(c.inputs).every((t) => isIntegral(t.data)) && isIntegral(exp.data);
      if (exact) {
        expect(Array.from(out.data)).toEqual(Array.from(exp.data));
        return;
      }
      const scale = 1 + Math.max(0, ...Array.from(exp.data, Math.abs));
      const worst = Math.max(0, ...Array.from(out.data, (v, i) => Math.abs(v - exp.data[i]!)));
      expect(worst, `max |a-b| = ${worst} over bound ${1e-5 * scale}`).toBeLessThanOrEqual(1e-5 * scale);
    });
  }
});
