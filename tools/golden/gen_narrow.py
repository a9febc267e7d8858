"""Golden float16 / bfloat16 cases from the real frameworks: PyTorch (torch.nn.functional, CPU) and
JAX (jax.lax, CPU) computing convolutions in float16 and bfloat16.

    python3 tools/golden/gen_narrow.py            # writes test/golden/narrow.jsonl

Each framework runs in its own child process (torch and JAX are never loaded together). Inputs
are drawn as float normals (and small integers) and rounded to the dtype by the framework
itself, so every value written is a value of the dtype, as the case format requires; `expected`
is what the framework returned, widened exactly to float64. Deterministic: the same library
versions give the same file byte for byte. test/precision/golden-narrow.test.ts replays the file
and classifies each framework's results into the tightest precision profile they meet.
"""
import json
import math
import os
import subprocess
import sys
import zlib

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "golden", "narrow.jsonl")
SEED = 20261129

# (op, rank, N, C, M, spatial, kernel, stride, pad, dilation, groups, bias)
SHAPES = [
    ("conv", 1, 1, 3, 2, [9], [3], 1, 1, 1, 1, True),
    ("conv", 1, 2, 4, 4, [11], [4], 2, 0, 1, 2, False),
    ("conv", 2, 1, 3, 4, [6, 5], [3, 3], 1, 1, 1, 1, True),
    ("conv", 2, 1, 8, 3, [5, 5], [3, 3], 2, 1, 1, 1, False),
    ("conv", 2, 1, 16, 2, [6, 6], [3, 3], 1, 0, 2, 1, True),
    ("conv", 2, 2, 6, 6, [5, 4], [2, 2], 1, 0, 1, 3, True),
    ("conv", 3, 1, 2, 2, [4, 4, 3], [2, 2, 2], 1, 0, 1, 1, False),
    ("conv_transpose", 1, 1, 3, 2, [6], [3], 2, 1, 1, 1, True),
    ("conv_transpose", 2, 1, 4, 3, [4, 3], [3, 3], 2, 0, 1, 1, False),
    ("conv_transpose", 2, 1, 6, 4, [3, 3], [2, 3], 1, 1, 1, 2, True),
    ("conv", 1, 1, 64, 1, [3], [3], 1, 1, 1, 1, False),  # K = 192: long sums, where the accumulator shows
    ("conv", 2, 1, 32, 2, [3, 3], [3, 3], 1, 1, 1, 1, True),  # K = 288
]
DTYPES = ["float16", "bfloat16"]


def draw(cid, shapes, kind):
    rng = np.random.default_rng([SEED, zlib.crc32(cid.encode())])
    out = []
    for s in shapes:
        if kind == "int":
            out.append(rng.integers(-3, 4, size=s).astype(np.float64))
        elif kind == "big":  # magnitudes where float16 sums pass 65504
            out.append(rng.normal(0, 1, size=s) * 60.0)
        else:
            out.append(rng.normal(0, 1, size=s))
    return out


def num(v):
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return int(v) if v.is_integer() and abs(v) < 2 ** 53 else v


def enc(a):
    a = np.asarray(a, dtype=np.float64)
    return {"shape": [int(s) for s in a.shape], "data": [num(v) for v in a.reshape(-1)]}


def cases():
    """(id, dtype, kind, shape tuple) for every case, the same for both frameworks."""
    out = []
    for i, sh in enumerate(SHAPES):
        for dt in DTYPES:
            for kind in ("float", "int") + (("big",) if i in (2, 11) else ()):
                out.append((i, dt, kind, sh))
    return out


def torch_main():
    import torch
    import torch.nn.functional as F
    torch.manual_seed(0)
    lines = []
    for n, (i, dt, kind, sh) in enumerate(cases()):
        op, r, N, C, M, sp, k, s, p, d, g, bias = sh
        cid = "torch-%s%dd-%s-%s-%03d" % (op, r, dt, kind, n)
        tdt = getattr(torch, dt)
        if op == "conv":
            xs, ws = [N, C] + sp, [M, C // g] + k
        else:
            xs, ws = [N, C] + sp, [C, M // g] + k
        arrs = draw(cid, [xs, ws, [M]], kind)
        x, w, b = (torch.tensor(a, dtype=torch.float32).to(tdt) for a in arrs)
        name = ("conv%dd" if op == "conv" else "conv_transpose%dd") % r
        attrs = {"stride": s, "padding": p, "dilation": d, "groups": g}
        y = getattr(F, name)(x, w, b if bias else None, **attrs)
        inputs = {"input": enc(x.float().numpy()), "weight": enc(w.float().numpy())}
        if bias:
            inputs["bias"] = enc(b.float().numpy())
        lines.append({"id": cid, "framework": "torch", "op": name, "attrs": attrs, "inputs": inputs, "dtype": dt,
                      "expected": enc(y.float().numpy()),
                      "note": "PyTorch %s CPU, torch.nn.functional.%s in %s" % (torch.__version__, name, dt)})
    return lines


def jax_main():
    import jax
    import jax.numpy as jnp
    from jax import lax
    lines = []
    for n, (i, dt, kind, sh) in enumerate(cases()):
        op, r, N, C, M, sp, k, s, p, d, g, bias = sh
        if bias:
            continue  # lax convolutions take no bias
        cid = "jax-%s-%dd-%s-%s-%03d" % (op, r, dt, kind, n)
        jdt = getattr(jnp, dt)
        sp_l = "DHW"[-r:]
        lhs_spec = "NC" + sp_l
        if op == "conv":
            xs, ws = [N, C] + sp, [M, C // g] + k
            arrs = draw(cid, [xs, ws], kind)
            x, w = (jnp.asarray(np.float32(a)).astype(jdt) for a in arrs)
            attrs = {"window_strides": [s] * r, "padding": [[p, p]] * r, "rhs_dilation": [d] * r,
                     "dimension_numbers": [lhs_spec, "OI" + sp_l, lhs_spec], "feature_group_count": g}
            y = lax.conv_general_dilated(x, w, window_strides=[s] * r, padding=[(p, p)] * r, rhs_dilation=[d] * r,
                                         dimension_numbers=(lhs_spec, "OI" + sp_l, lhs_spec), feature_group_count=g)
            name = "conv_general_dilated"
        else:
            if g != 1:
                continue  # lax.conv_transpose has no groups
            xs, ws = [N, C] + sp, [M, C] + k
            arrs = draw(cid, [xs, ws], kind)
            x, w = (jnp.asarray(np.float32(a)).astype(jdt) for a in arrs)
            attrs = {"strides": [s] * r, "padding": "SAME" if p else "VALID", "rhs_dilation": [d] * r,
                     "dimension_numbers": [lhs_spec, "OI" + sp_l, lhs_spec]}
            y = lax.conv_transpose(x, w, strides=[s] * r, padding="SAME" if p else "VALID", rhs_dilation=[d] * r,
                                   dimension_numbers=(lhs_spec, "OI" + sp_l, lhs_spec))
            name = "conv_transpose"
        lines.append({"id": cid, "framework": "jax", "op": name, "attrs": attrs,
                      "inputs": {"lhs": enc(np.asarray(x, dtype=np.float32)), "rhs": enc(np.asarray(w, dtype=np.float32))},
                      "dtype": dt, "expected": enc(np.asarray(y, dtype=np.float32)),
                      "note": "JAX %s CPU, jax.lax.%s in %s (default precision)" % (jax.__version__, name, dt)})
    return lines


def main():
    if len(sys.argv) > 1 and sys.argv[1] in ("--torch", "--jax"):
        lines = torch_main() if sys.argv[1] == "--torch" else jax_main()
        for l in lines:
            sys.stdout.write(json.dumps(l) + "\n")
        return
    out = []
    for fw in ("--torch", "--jax"):
        r = subprocess.run([sys.executable, __file__, fw], capture_output=True, text=True, check=True)
        out.append(r.stdout)
    tmp = OUT + ".tmp"
    with open(tmp, "w") as f:
        f.write("".join(out))
    os.replace(tmp, OUT)
    print("wrote", OUT, sum(o.count("\n") for o in out), "cases")


if __name__ == "__main__":
    main()
