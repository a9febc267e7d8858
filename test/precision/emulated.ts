/**
 * Emulated reduced-precision ONNX Conv/ConvTranspose implementations: the mutant zoo's plain loop
 * (test/mutants/impl/engine.ts, independent of convcheck's reference) with its inputs rounded to
 * TF32, bfloat16 or float16 first, its products and partial sums rounded to float32 or float16,
 * and its output rounded to the profile's output format. All roundings are round to nearest even
 * (src/core/formats.ts, checked against numpy and ml_dtypes in rounding.test.ts).
 */
import type { CaseJson } from '../../src/case/case.js';
import { BFLOAT16, FLOAT16, FLOAT32, roundToFormat, TF32, type Format } from '../../src/core/formats.js';
import type { Adapter } from '../../src/validate/adapter.js';
import type { Bugs } from '../mutants/impl/engine.js';
import { runOnnx } from '../mutants/impl/onnx.js';

export type Emulated = 'fp32' | 'tf32' | 'bf16' | 'fp16' | 'fp16-acc16';

const FORMATS: Record<Emulated, { input: Format; acc: Format; output: Format }> = {
  fp32: { input: FLOAT32, acc: FLOAT32, output: FLOAT32 },
  tf32: { input: TF32, acc: FLOAT32, output: FLOAT32 },
  bf16: { input: BFLOAT16, acc: FLOAT32, output: BFLOAT16 },
  fp16: { input: FLOAT16, acc: FLOAT32, output: FLOAT16 },
  'fp16-acc16': { input: FLOAT16, acc: FLOAT16, output: FLOAT16 },
};

function roundInputs(c: CaseJson, f: Format): CaseJson {
  const inputs = Object.fromEntries(
    Object.entries(c.inputs).map(([k, t]) => [k, { shape: t.shape, data: t.data.map((v) => (typeof v === 'number' ? roundToFormat(v, f) : v)) }]),
  );
  return { ...c, inputs };
}

/** An ONNX adapter computing like `profile`, optionally with one of the zoo's bugs planted. */
export function emulatedAdapter(profile: Emulated, bugs: Bugs = {}, name = `emulated-${profile}`): Adapter {
  const f = FORMATS[profile];
  const rounding = f.acc === FLOAT16 ? (v: number) => roundToFormat(v, FLOAT16) : undefined;
  return {
    name,
    framework: 'onnx',
    ops: ['Conv', 'ConvTranspose'],
    run(c: CaseJson) {
      if (c.framework !== 'onnx' || (c.op !== 'Conv' && c.op !== 'ConvTranspose')) throw new Error(`${name} does not implement ${c.framework} ${c.op}`);
      const r = runOnnx(roundInputs(c, f.input), 'natural', { ...bugs, ...(rounding ? { rounding } : {}) });
      return { shape: r.shape, data: Float64Array.from(r.data, (v) => roundToFormat(v, f.output)) };
    },
  };
}
