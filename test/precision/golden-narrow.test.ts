/**
 * float16 / bfloat16 golden cases from the real frameworks (test/golden/narrow.jsonl, written by
 * tools/golden/gen_narrow.py: PyTorch and JAX on CPU). Each case parses (its data are values of
 * its dtype), and the framework's result is classified into the tightest precision profile it
 * meets against the exact reference; it must meet its dtype's profile (float16: fp16, bfloat16:
 * bf16), and convcheck's eval (the exact result rounded to the dtype) must too.
 *
 * Finding (docs/precision.md): PyTorch 2.13's CPU float16 conv_transpose rounds products and
 * partial sums to float16 (x=[1, 1.0009765625], w=[1.0009765625, 1, 1.9990234375], stride 2:
 * output[2] is 3.0, the exact 3.00097751… rounds to 3.001953125). Those cases must meet
 * fp16-acc16, the profile of what it does.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate, parseCase, type Case } from '../../src/case/case.js';
import { runReference } from '../../properties/implementation.js';
import { PROFILE_NAMES, defaultProfile, type ProfileName } from '../../properties/precision/profiles.js';
import { compareTo, errorBound } from '../../properties/tolerance.js';

const cases: Case[] = readFileSync(new URL('../golden/narrow.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l, i) => parseCase(JSON.parse(l), `narrow.jsonl:${i + 1}`));

function ratio(c: Case, actual: { shape: number[]; data: Float64Array }, p: ProfileName): number {
  const ref = runReference(c);
  if (ref.kind !== 'value') throw new Error(`the reference rejected ${c.id}`);
  return compareTo({ shape: ref.shape, data: ref.data }, actual, errorBound(c, c.dtype, p).bound).ratio;
}

const classes = new Map<string, number>();

describe('float16/bfloat16 goldens from torch and JAX', () => {
  it('has both frameworks and both dtypes', () => {
    for (const fw of ['torch', 'jax']) for (const dt of ['float16', 'bfloat16']) expect(cases.filter((c) => c.framework === fw && c.dtype === dt).length).toBeGreaterThanOrEqual(10);
  });
  for (const c of cases) {
    it(c.id, () => {
      const exp = c.expected as { shape: number[]; data: Float64Array };
      const ratios = PROFILE_NAMES.map((p) => ratio(c, exp, p));
      const tightest = PROFILE_NAMES.find((_, i) => ratios[i]! <= 1) ?? 'none';
      const key = `${c.framework} ${c.dtype}: ${tightest}`;
      classes.set(key, (classes.get(key) ?? 0) + 1);
      const own = defaultProfile(c.dtype);
      const acc16 = c.framework === 'torch' && c.dtype === 'float16' && c.op.startsWith('conv_transpose');
      if (acc16 && ratios[PROFILE_NAMES.indexOf(own)]! > 1) {
        expect(ratios[PROFILE_NAMES.indexOf('fp16-acc16')]).toBeLessThanOrEqual(1);
        return;
      }
      expect(ratios[PROFILE_NAMES.indexOf(own)], `${c.framework}'s ${c.dtype} result vs the exact reference under ${own} (${PROFILE_NAMES.map((p, i) => `${p} ${ratios[i]!.toPrecision(3)}`).join(', ')})`).toBeLessThanOrEqual(1);
      const ev = evaluate(c);
      if ('error' in ev) throw new Error(ev.error);
      expect(ratio(c, ev, own)).toBeLessThanOrEqual(1);
    });
  }
  afterAll(() => console.log(`golden narrow classification:\n  ${[...classes].map(([k, n]) => `${k} (${n})`).join('\n  ')}`));
});
