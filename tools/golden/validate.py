#!/usr/bin/env python3
"""Check test/golden/*.jsonl against docs/case-format.md (structure only; no frameworks needed).

    python3 tools/golden/validate.py
"""
import json
import math
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOLDEN = os.path.join(ROOT, "test", "golden")
OPS = {
    "tf": {"conv1d": {"input", "filters"}, "conv2d": {"input", "filters"}, "conv3d": {"input", "filters"},
           "conv1d_transpose": {"input", "filters"}, "conv2d_transpose": {"input", "filters"},
           "conv3d_transpose": {"input", "filters"}, "depthwise_conv2d": {"input", "filter"}},
    "jax": {"conv_general_dilated": {"lhs", "rhs"}, "conv_transpose": {"lhs", "rhs"}},
    "onnx": {"Conv": {"X", "W", "B"}, "ConvTranspose": {"X", "W", "B"}},
    "torch": {op: {"input", "weight", "bias"} for op in
              ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d"]},
}
REQUIRED = {"tf": None, "jax": {"lhs", "rhs"}, "onnx": {"X", "W"}, "torch": {"input", "weight"}}


def tensor_ok(t, f32):
    if set(t) != {"shape", "data"} or not all(isinstance(s, int) and s >= 0 for s in t["shape"]):
        return "bad tensor keys/shape"
    if len(t["data"]) != math.prod(t["shape"]):
        return "data length %d != prod(shape) %d" % (len(t["data"]), math.prod(t["shape"]))
    for v in t["data"]:
        if isinstance(v, str):
            if v not in ("NaN", "Infinity", "-Infinity"):
                return "bad string value"
        elif not isinstance(v, (int, float)) or isinstance(v, bool):
            return "non-number"
        elif f32 and isinstance(v, float):
            import numpy as np
            if float(np.float32(v)) != v:
                return "float32 value does not round-trip: %r" % v
    return None


def main():
    bad = 0
    ids = set()
    for fw in ("tf", "jax", "onnx", "torch"):
        path = os.path.join(GOLDEN, fw + ".jsonl")
        n = ints = errs = 0
        for ln, line in enumerate(open(path), 1):
            c = json.loads(line)
            n += 1
            probs = []
            if c.get("framework") != fw:
                probs.append("framework")
            if c.get("op") not in OPS[fw]:
                probs.append("op")
            if c.get("id") in ids:
                probs.append("duplicate id")
            ids.add(c.get("id"))
            names = set(c.get("inputs", {}))
            allowed = OPS[fw].get(c.get("op"), set())
            req = REQUIRED[fw] or (allowed - {"B"})
            if not names <= allowed or not req <= names:
                probs.append("input names %s" % sorted(names))
            if c.get("dtype", "float32") not in ("float32", "float64"):
                probs.append("dtype")
            f32 = c.get("dtype", "float32") == "float32"
            for k, t in c.get("inputs", {}).items():
                p = tensor_ok(t, f32)
                if p:
                    probs.append("%s: %s" % (k, p))
            e = c.get("expected", {})
            if "error" in e:
                errs += 1
                if set(e) != {"error"} or not isinstance(e["error"], str) or not e["error"] or len(e["error"]) > 200:
                    probs.append("expected error")
            else:
                p = tensor_ok(e, f32)
                if p:
                    probs.append("expected: %s" % p)
                if all(isinstance(v, int) for t in c["inputs"].values() for v in t["data"]):
                    ints += 1
                    if not all(isinstance(v, int) for v in e["data"]):
                        probs.append("integer inputs but non-integer expected")
            extra = set(c) - {"id", "framework", "op", "attrs", "inputs", "dtype", "expected", "note"}
            if extra:
                probs.append("extra keys %s" % sorted(extra))
            if probs:
                bad += 1
                print("%s:%d %s: %s" % (fw, ln, c.get("id"), "; ".join(probs)))
        print("%-5s %4d cases, %3d expected errors, %3d all-integer result cases" % (fw, n, errs, ints))
    print("problems: %d" % bad)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
