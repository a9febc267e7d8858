/**
 * The profiles' bounds (properties/precision/profiles.ts) on hand-checked cases: fp32 is the
 * historical float32 bound; input rounding appears only when an input is not a value of the
 * profile's input format; float16 outputs past 65504 may be ∞.
 */
import { describe, expect, it } from 'vitest';
import { parseCase, type CaseJson } from '../../src/case/case.js';
import { errorBound } from '../../properties/tolerance.js';

const conv = (x: number[], w: number[], dtype = 'float32') =>
  parseCase({ framework: 'onnx', op: 'Conv', inputs: { X: { shape: [1, 1, x.length], data: x }, W: { shape: [1, 1, w.length], data: w } }, dtype } as CaseJson, 'p');

describe('profile bounds', () => {
  it('fp32: (K + 2)u/(1 − Ku)·Σ|x||w| + (2K + 2)·2⁻¹²⁶', () => {
    const c = conv([1, -2, 3], [0.5, 0.25, 2]);
    const m = 0.5 + 0.5 + 6;
    const u = 2 ** -24;
    expect(errorBound(c, 'float32').bound[0]).toBe(m * ((5 * u) / (1 - 3 * u)) + 8 * 2 ** -126);
    expect(errorBound(c, 'float32', 'fp32').bound[0]).toBe(errorBound(c, 'float32').bound[0]);
  });
  it('tf32 on inputs that are tf32 values equals fp32; on others it adds (2u + u²)Σ|x||w| + …', () => {
    const exact = conv([1, -2, 3], [0.5, 0.25, 2]);
    expect(errorBound(exact, 'float32', 'tf32').bound[0]).toBe(errorBound(exact, 'float32', 'fp32').bound[0]);
    const c = conv([1 + 2 ** -20], [1]);
    const u = 2 ** -11;
    const b = errorBound(c, 'float32', 'tf32').bound[0]!;
    expect(b).toBeGreaterThan((2 * u + u * u) * (1 + 2 ** -20));
    expect(b).toBeLessThan((2 * u + u * u) * (1 + 2 ** -20) * 1.001);
  });
  it('fp16 adds the output rounding u·|y| (u = 2⁻¹¹) and the flush floor 2⁻¹⁴', () => {
    const c = conv([1, 1], [0.5, 0.25]);
    const fp32 = errorBound(c, 'float32', 'fp32').bound[0]!;
    const fp16 = errorBound(c, 'float32', 'fp16').bound[0]!;
    expect(fp16).toBeCloseTo(fp32 + 2 ** -11 * (0.75 + fp32) + 2 ** -14, 15);
  });
  it('float16 overflow: an output that may pass 65520 is unchecked (∞), one well below is not', () => {
    expect(errorBound(conv([65504, 16], [1, 1], 'float16'), 'float16').bound[0]).toBe(Infinity); // 65520 rounds to ∞
    // 65506 rounds to 65504: the bound is the output rounding u·|y| plus the float32 sum's (K + 2)u·m.
    const pre = (4 * 2 ** -24 * 65506) / (1 - 2 * 2 ** -24) + 6 * 2 ** -126;
    expect(errorBound(conv([65504, 2], [1, 1], 'float16'), 'float16').bound[0]).toBeCloseTo(pre + 2 ** -11 * (65506 + pre) + 2 ** -14, 9);
    expect(errorBound(conv([60000, 2], [1, 1], 'float16'), 'float16').bound[0]).toBeLessThan(100);
    // fp16 accumulation: partial sums could pass 65504 even if the result cancels.
    expect(errorBound(conv([60000, -60000], [1, 1], 'float16'), 'float16', 'fp16-acc16').bound[0]).toBe(Infinity);
    expect(errorBound(conv([60000, -60000], [1, 1], 'float16'), 'float16', 'fp16').bound[0]).toBeLessThan(1);
    // A float32 input past the float16 range makes the whole case unchecked under fp16.
    expect(errorBound(conv([1e6, 1], [0, 1]), 'float32', 'fp16').bound[0]).toBe(Infinity);
  });
  it('bf16 on a float32 case uses 2⁻⁸ for inputs and output', () => {
    const c = conv([1 + 2 ** -12], [1]);
    const b = errorBound(c, 'float32', 'bf16').bound[0]!;
    expect(b).toBeGreaterThan(2 * 2 ** -8);
    expect(b).toBeLessThan(3.1 * 2 ** -8);
  });
});
