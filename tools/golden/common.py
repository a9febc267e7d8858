"""Shared helpers for the golden-fixture generator: data, ids, JSON encoding, writing."""
import json
import math
import re
import zlib

import numpy as np

BASE_SEED = 20240611          # fixed numpy seed; every case derives its own stream from it + its id
FLOAT_EVERY = (2, 5, 8)       # case counter % 10 in this set -> float normals (30 %); else ints in [-3, 3]


def clean_error(exc):
    """First 200 chars of the exception message (TF's '{{function_node ...}} ' device prefix removed)."""
    msg = str(exc).strip()
    msg = re.sub(r"^\{\{function_node [^}]*\}\}\s*", "", msg)
    msg = " ".join(msg.split())
    return msg[:200] if msg else type(exc).__name__


def _num(v, dtype):
    v = float(np.float32(v)) if dtype == "float32" else float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    if v.is_integer() and abs(v) < 2 ** 53:
        return int(v)
    return v


def enc(arr, dtype):
    arr = np.asarray(arr)
    return {"shape": [int(s) for s in arr.shape], "data": [_num(v, dtype) for v in arr.reshape(-1)]}


def nb_note(res, ref, prob):
    """Note for a case where the library and the plain numpy convolution disagree."""
    if isinstance(ref, str):
        return ("NB: recorded as the library returns it; the plain numpy convolution rejects this call (%s)"
                % ref.replace("reference: ", ""))
    if isinstance(res, str):
        return "NB: the library rejects a call the plain numpy convolution computes (shape %s)" % list(np.shape(ref))
    return "NB: recorded as the library returns it; it differs from the plain numpy convolution: %s" % prob


def reject_id(cid):
    """The id of a case whose expected value is an error: `reject` before the running number."""
    head, num = cid.rsplit("-", 1)
    return "%s-reject-%s" % (head, num)


class Gen:
    """Collects cases for one framework."""

    def __init__(self, framework):
        self.fw = framework
        self.cases = []
        self.counter = 0
        self.checks = {"ok": 0, "skipped": 0}
        self.problems = []      # library result disagrees with the numpy cross-check reference
        self.extra = {}         # framework-specific provenance facts (reported in PROVENANCE.md)

    # ---- ids and randomness -------------------------------------------------------------
    def next_id(self, op, tags):
        self.counter += 1
        tags = [str(t).lower() for t in tags if t not in (None, "")]
        return "-".join([self.fw, op] + tags + ["%03d" % self.counter])

    def rng(self, cid):
        return np.random.default_rng([BASE_SEED, zlib.crc32(cid.encode())])

    def kind(self):
        """'float' for ~30 % of cases (deterministic by counter), 'int' otherwise."""
        return "float" if self.counter % 10 in FLOAT_EVERY else "int"

    def judge(self, c, res, ref):
        """The case's notes after comparing the library's result with the numpy reference, and
        its final id (tagged `reject` when the library refused the call)."""
        notes = [c["note"]] if c["note"] else []
        prob = self.check(c["id"], res, ref, c["dtype"], c["err"])
        if prob and not c["err"]:
            notes.append(nb_note(res, ref, prob))
        return notes, reject_id(c["id"]) if isinstance(res, str) else c["id"]

    def open_case(self, op, tags, sp, n, dtype):
        """The tags every generator ends with (batch, dtype, impulse), then the case's id, its
        random stream and its data kind."""
        if n is not None and n > 1:
            tags.append("b%d" % n)
        if dtype == "float64":
            tags.append("f64")
        if sp.get("imp"):
            tags.append("impulse")
        cid = self.next_id(op, tags)
        return cid, self.rng(cid), self.kind()

    def input_and_kernel(self, rng, sp, xshape, wshape, kind, dtype):
        """x then w from the case's stream (that order); sp["imp"] makes one of them one-hot."""
        x = self.data(rng, xshape, kind, dtype, impulse="random" if sp.get("imp") == "x" else None)
        w = self.data(rng, wshape, kind, dtype, kernel=True, impulse="random" if sp.get("imp") == "w" else None)
        return x, w

    # ---- data ---------------------------------------------------------------------------
    @staticmethod
    def data(rng, shape, kind, dtype, kernel=False, impulse=None):
        """Small integers in [-3, 3] or normals; kernels are never uniform (no all-ones).

        impulse: None, or 'center' / 'random' / a flat index: one-hot tensor of value 1.
        """
        npdt = np.float32 if dtype == "float32" else np.float64
        shape = tuple(int(s) for s in shape)
        size = int(np.prod(shape)) if shape else 1
        if impulse is not None and size > 0:
            a = np.zeros(size)
            if impulse == "center":
                idx = size // 2
            elif impulse == "random":
                idx = int(rng.integers(0, size))
            else:
                idx = int(impulse) % size
            a[idx] = 1
            return a.reshape(shape).astype(npdt)
        for _ in range(100):
            if kind == "int":
                a = rng.integers(-3, 4, size=shape).astype(np.float64)
            else:
                a = rng.standard_normal(size=shape)
            if size == 0:
                break
            flat = a.reshape(-1)
            if not np.any(flat):
                continue
            if kernel and size >= 2:
                if len(np.unique(flat)) < min(3, size) or np.all(flat == 1):
                    continue
            break
        return a.astype(npdt)

    # ---- recording ----------------------------------------------------------------------
    def add(self, cid, op, attrs, inputs, dtype, expected, note=None):
        case = {"id": cid, "framework": self.fw, "op": op, "attrs": attrs,
                "inputs": {k: enc(v, dtype) for k, v in inputs.items() if v is not None},
                "dtype": dtype}
        if isinstance(expected, str):
            case["expected"] = {"error": expected}
        else:
            case["expected"] = enc(expected, dtype)
        if note:
            case["note"] = note
        self.cases.append(case)
        return case

    def check(self, cid, got, ref, dtype, expect_error=False):
        """Compare a library result (array or error string) with the reference (array or error string).

        expect_error: the case was written as a call the library should reject.
        """
        from refconv import compare
        if expect_error:
            if isinstance(got, str):
                self.checks["ok"] += 1
                return None
            msg = "library accepted a call the generator expected it to reject"
            self.problems.append((cid, msg))
            return msg
        if ref is None:
            self.checks["skipped"] += 1
            return None
        if isinstance(got, str) and isinstance(ref, str):
            self.checks["ok"] += 1
            return None
        if isinstance(got, str) or isinstance(ref, str):
            msg = "library %s, reference %s" % (
                "error: " + got[:80] if isinstance(got, str) else "result " + str(list(np.shape(got))),
                "error: " + ref[:80] if isinstance(ref, str) else "result " + str(list(np.shape(ref))))
            self.problems.append((cid, msg))
            return msg
        diff, ok = compare(got, ref, dtype)
        if ok:
            self.checks["ok"] += 1
            return None
        if diff is None:
            msg = "shape %s, mathematical convolution gives %s" % (list(np.shape(got)), list(np.shape(ref)))
        else:
            msg = "max abs diff %.3g from the mathematical convolution" % diff
        self.problems.append((cid, msg))
        return msg

    # ---- output -------------------------------------------------------------------------
    def write(self, path):
        ids = [c["id"] for c in self.cases]
        assert len(ids) == len(set(ids)), "duplicate ids"
        with open(path, "w") as f:
            for c in self.cases:
                f.write(json.dumps(c, allow_nan=False) + "\n")

    def summary(self):
        ops = {}
        errs = 0
        for c in self.cases:
            e = "error" in c["expected"]
            errs += e
            o = ops.setdefault(c["op"], [0, 0])
            o[0] += 1
            o[1] += e
        return {"framework": self.fw, "cases": len(self.cases), "errors": errs,
                "ops": {k: {"cases": v[0], "errors": v[1]} for k, v in sorted(ops.items())},
                "float64": sum(c["dtype"] == "float64" for c in self.cases),
                "noted": sum("note" in c for c in self.cases),
                "crosscheck": dict(self.checks, problems=len(self.problems)),
                "extra": self.extra}
