"""Expected float16 / bfloat16 roundings for test/precision/rounding.test.ts, computed by numpy and
ml_dtypes (not by convcheck). Run: python3 tools/golden/gen_rounding.py > test/precision/rounding.json

float16: numpy converts float64 -> float16 directly (correctly rounded, ties to even), so the
inputs include float64 values that are not float32 (ties and near-ties at float64 precision).
bfloat16: ml_dtypes converts through float32, so only float32-representable inputs are used (no
double rounding can occur for them).
"""
import json
import sys

import ml_dtypes
import numpy as np


def f16_inputs(rng):
    xs = [0.0, 1.0, -1.0, 65504.0, 65519.0, 65519.999, 65520.0, 65535.0, 70000.0, -65520.0, 1e6, 1e-8,
          2.0 ** -14, 2.0 ** -15, 2.0 ** -24, 2.0 ** -25, 2.0 ** -25 * 1.0000001, 2.0 ** -26, 3 * 2.0 ** -26,
          2.0 ** -14 - 2.0 ** -25, 0.1, 1 / 3, 1 + 2.0 ** -11, 1 + 3 * 2.0 ** -11, 1 + 2.0 ** -11 + 2.0 ** -40,
          2048 + 1.0, 2048 + 3.0, -2.0 ** -24 * 1.5, -2.0 ** -24 * 2.5, 5.960464477539063e-08]
    for _ in range(300):
        e = rng.integers(-30, 17)
        xs.append(float(rng.uniform(-2, 2) * 2.0 ** e))
    for _ in range(100):  # exact ties at float16 precision in normal and subnormal ranges
        e = rng.integers(-25, 15)
        n = rng.integers(1024, 2048)
        xs.append(float((n + 0.5) * 2.0 ** (e - 10)) * (1 if rng.random() < 0.5 else -1))
    return xs


def bf16_inputs(rng):
    xs = [0.0, 1.0, 1 + 2.0 ** -8, 1 + 3 * 2.0 ** -8, 1 + 2.0 ** -8 + 2.0 ** -20, 3.3895313892515355e38,
          3.39e38, 2.0 ** -126, 2.0 ** -133, 2.0 ** -134, 3 * 2.0 ** -134, 2.0 ** -135, 0.1, -1 / 3, 1e-40]
    for _ in range(300):
        e = rng.integers(-140, 128)
        xs.append(float(rng.uniform(-2, 2) * 2.0 ** e))
    for _ in range(100):
        e = rng.integers(-133, 127)
        n = rng.integers(128, 256)
        xs.append(float((n + 0.5) * 2.0 ** (e - 7)))
    return [float(np.float32(x)) for x in xs if np.isfinite(np.float32(x))]


def enc(v):
    v = float(v)
    if np.isnan(v):
        return 'NaN'
    if np.isinf(v):
        return 'Infinity' if v > 0 else '-Infinity'
    return v


def main():
    rng = np.random.default_rng(20261129)
    out = {
        'provenance': f'numpy {np.__version__} (float16), ml_dtypes {ml_dtypes.__version__} (bfloat16); tools/golden/gen_rounding.py',
        'float16': [[x, enc(np.float16(x))] for x in f16_inputs(rng)],
        'bfloat16': [[x, enc(np.float32(x).astype(ml_dtypes.bfloat16).astype(np.float64))] for x in bf16_inputs(rng)],
    }
    json.dump(out, sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
