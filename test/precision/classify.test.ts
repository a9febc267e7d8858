/**
 * `validate --precision auto` classifies emulated reduced-precision implementations
 * (test/precision/emulated.ts) as exactly their profile; fp32 is fp32; none is ever called fp32
 * but fp32; a bfloat16 implementation with a missing transposed-conv flip meets none.
 */
import { describe, expect, it } from 'vitest';
import { validate } from '../../src/validate/validate.js';
import { emulatedAdapter, type Emulated } from './emulated.js';

const seed = Number(process.env['CONVCHECK_SEED'] ?? 20261129);
// A budget no cell reaches: each stops at its run count, so the classification is the same on any machine.
const opts = { seed, runs: 100, timeBudgetMs: 1_000_000, precision: 'auto' as const };

function table(v: Awaited<ReturnType<typeof validate>>): string {
  return v.cells
    .map((c) => `${c.property}: ${c.precision?.profiles.map((s) => `${s.profile} ${s.failed}/${s.judged} max ${s.max?.toPrecision(3)}`).join(', ')} → ${c.precision?.meets}`)
    .join('\n');
}

describe(`precision auto on emulated implementations (seed ${seed})`, () => {
  for (const p of ['fp32', 'tf32', 'fp16', 'bf16', 'fp16-acc16'] as Emulated[]) {
    it(`emulated ${p} meets exactly ${p}`, async () => {
      const v = await validate(emulatedAdapter(p), opts);
      console.log(`emulated ${p}: meets ${v.meets}\n${table(v)}`);
      expect(v.meets, table(v)).toBe(p);
    }, 600_000);
  }
  it('a bf16 implementation with a flip bug meets none', async () => {
    const v = await validate(emulatedAdapter('bf16', { noFlip: true }, 'emulated-bf16-no-flip'), opts);
    console.log(`bf16 no-flip: meets ${v.meets}\n${table(v)}`);
    expect(v.meets).toBe('none');
    expect(v.ok).toBe(false);
  }, 600_000);
});
