#!/usr/bin/env python3
"""An example implementation on convcheck's process protocol (docs/protocol.md): ONNX Conv
(opset 22, 1-D to 3-D, groups, dilations, strides, pads, auto_pad, bias) as plain Python loops.

    npx convcheck validate --cmd "python3 examples/onnx_conv.py"

It prints a hello line, then answers each case line on stdin with one line: {"id", "shape",
"data"} for the output, {"id", "error"} for a call it refuses. Options arrive as JSON in
$CONVCHECK_OPTIONS (`--impl-option bug=swap-same` swaps SAME_UPPER and SAME_LOWER, a real bug
of old onnxruntime releases, so that the test suite can watch convcheck catch it).
"""
import json
import math
import os
import sys

OPTIONS = json.loads(os.environ.get("CONVCHECK_OPTIONS") or "{}")
SWAP_SAME = OPTIONS.get("bug") == "swap-same"


def size(shape):
    return math.prod(shape)


def unravel(flat, shape):
    out = []
    for extent in reversed(shape):
        out.append(flat % extent)
        flat //= extent
    return out[::-1]


def conv(attrs, inputs):
    x, w, b = inputs["X"], inputs["W"], inputs.get("B")
    n, c, *in_sp = x["shape"]
    m, cg, *k_sp = w["shape"]
    r = len(in_sp)
    group = attrs.get("group", 1)
    strides = attrs.get("strides") or [1] * r
    dil = attrs.get("dilations") or [1] * r
    if len(strides) != r or len(dil) != r:
        raise ValueError("strides and dilations need one value per spatial axis")
    if min(strides) < 1 or min(dil) < 1:
        raise ValueError("strides and dilations must be positive")
    if c != cg * group or m % group != 0:
        raise ValueError(f"channels {c} do not fit W {w['shape']} with group {group}")
    eff_k = [(k - 1) * d + 1 for k, d in zip(k_sp, dil)]
    auto = attrs.get("auto_pad", "NOTSET")
    if auto == "VALID":
        lo, hi = [0] * r, [0] * r
    elif auto in ("SAME_UPPER", "SAME_LOWER"):
        total = [max(0, (-(-length // s) - 1) * s + k - length) for length, s, k in zip(in_sp, strides, eff_k)]
        upper = (auto == "SAME_UPPER") != SWAP_SAME
        lo = [t // 2 if upper else t - t // 2 for t in total]
        hi = [t - l for t, l in zip(total, lo)]
    else:
        pads = attrs.get("pads") or [0] * (2 * r)
        if len(pads) != 2 * r or min(pads) < 0:
            raise ValueError("pads must list 2 non-negative values per spatial axis")
        lo, hi = pads[:r], pads[r:]
    out_sp = [(length + l + h - k) // s + 1 for length, l, h, k, s in zip(in_sp, lo, hi, eff_k, strides)]
    if min(out_sp) < 1:
        raise ValueError("kernel larger than the padded input")
    xd, wd = x["data"], w["data"]
    positions, taps, mg = size(out_sp), size(k_sp), m // group
    out = []
    for bn in range(n):
        for om in range(m):
            g = om // mg
            for p in range(positions):
                o = unravel(p, out_sp)
                acc = float(b["data"][om]) if b else 0.0
                for ic in range(cg):
                    for t in range(taps):
                        k = unravel(t, k_sp)
                        xi = bn * c + g * cg + ic
                        inside = True
                        for a in range(r):
                            q = o[a] * strides[a] + k[a] * dil[a] - lo[a]
                            inside = inside and 0 <= q < in_sp[a]
                            xi = xi * in_sp[a] + q
                        if inside:
                            acc += float(xd[xi]) * float(wd[(om * cg + ic) * taps + t])
                out.append(acc)
    return [n, m, *out_sp], out


def number(v):
    return v if math.isfinite(v) else ("NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity"))


def answer(case):
    if case.get("op") != "Conv":
        return {"unsupported": f"only Conv, not {case.get('op')}"}
    inputs = {k: {"shape": t["shape"], "data": [float(v) for v in t["data"]]} for k, t in case["inputs"].items()}
    try:
        shape, data = conv(case.get("attrs") or {}, inputs)
    except ValueError as e:
        return {"error": str(e)}
    return {"shape": shape, "data": [number(v) for v in data]}


def main():
    hello = {"convcheck": 1, "name": "example-python-onnx-conv" + ("-swapped-same" if SWAP_SAME else ""),
             "framework": "onnx", "ops": ["Conv"], "capabilities": {"dtypes": ["float32", "float64"]},
             "options": OPTIONS}
    print(json.dumps(hello), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        case = json.loads(line)
        print(json.dumps({"id": case["id"], **answer(case)}), flush=True)


if __name__ == "__main__":
    main()
