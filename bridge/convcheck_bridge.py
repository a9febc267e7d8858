#!/usr/bin/env python3
"""convcheck's Python bridge: one real framework (torch, jax or tf) behind the process protocol.

    python bridge/convcheck_bridge.py --framework torch|jax|tf|tf-eigen [--onednn on|off] [--threads N]

It prints one hello line, then reads case lines (docs/case-format.md, each with an "id") on stdin
and answers each with one line: {"id","shape","data"}, {"id","error"} or {"id","unsupported"}
(docs/protocol.md). It answers whatever cases have arrived before reading more, so convcheck can
keep a window of cases in flight and a small case costs one framework call plus JSON, not a
round trip. When the framework cannot be imported it prints the `unavailable` hello and exits 0.

The per-framework call tables are in bridge/torch_ops.py, jax_ops.py and tf_ops.py; this file is
the protocol, the tensors and the error handling they share.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from signatures import SIGNATURES, Unsupported  # noqa: E402  (the bridge's own directory, just added)

PROTOCOL = 1
WINDOW = 256
DTYPES = ("float16", "bfloat16", "float32", "float64")
NON_FINITE = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}


class BadCase(Exception):
    """The case line is not a well-formed case (a convcheck or adapter bug, not a framework's refusal)."""


def parse_args(argv):
    p = argparse.ArgumentParser(description="convcheck's process-protocol bridge to a Python framework")
    p.add_argument("--framework", choices=["torch", "jax", "tf", "tf-eigen"],
                   help="tf-eigen is tf with oneDNN off (TF_ENABLE_ONEDNN_OPTS=0)")
    p.add_argument("--onednn", choices=["on", "off"], default=None,
                   help="tf only: oneDNN kernels on (TF's default) or off (Eigen kernels)")
    p.add_argument("--threads", type=int, default=1,
                   help="intra-op threads (default 1: the same summation order on every machine, and no "
                        "thread start-up cost per small call)")
    p.add_argument("--signatures", action="store_true",
                   help="print the ops, inputs and attributes the bridge accepts (JSON) and exit, importing no framework")
    args = p.parse_args(argv)
    if args.framework is None and not args.signatures:
        p.error("--framework is required")
    if args.threads < 1:
        p.error("--threads must be at least 1")
    if args.framework == "tf-eigen":
        if args.onednn == "on":
            p.error("--framework tf-eigen means oneDNN off; --onednn on contradicts it")
        args.onednn = "off"
    elif args.onednn is not None and args.framework != "tf":
        p.error("--onednn applies to --framework tf only")
    return args


def load_framework(args):
    """Imports the framework's call table. Any failure to import means `unavailable`."""
    if args.framework in ("tf", "tf-eigen"):
        # Both must be set before TensorFlow is imported: TF reads them once, at load time.
        os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0" if args.onednn == "off" else "1"
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        import tf_ops as mod
    elif args.framework == "jax":
        import jax_ops as mod
    else:
        import torch_ops as mod
    return mod.load(args.threads)


# ---- tensors -------------------------------------------------------------------------------------

def decode_tensor(np, name, t):
    """A case tensor {"shape", "data"} as a float64 numpy array (the framework casts it to the dtype)."""
    if not isinstance(t, dict) or not isinstance(t.get("shape"), list) or not isinstance(t.get("data"), list):
        raise BadCase(f"input {name!r} must be an object with a 'shape' list and a 'data' list")
    shape = t["shape"]
    if not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape):
        raise BadCase(f"input {name!r}: shape must be a list of non-negative integers, got {shape}")
    data = t["data"]
    if any(isinstance(v, str) for v in data):
        try:
            data = [NON_FINITE[v] if isinstance(v, str) else v for v in data]
        except KeyError as e:
            raise BadCase(f"input {name!r}: the only strings allowed in data are NaN, Infinity, -Infinity; got {e}")
    try:
        arr = np.asarray(data, dtype=np.float64)
    except (TypeError, ValueError):
        raise BadCase(f"input {name!r}: data must be numbers")
    size = 1
    for d in shape:
        size *= d
    if arr.ndim != 1 or arr.size != size:
        raise BadCase(f"input {name!r}: shape {shape} needs {size} numbers, data has {arr.size}")
    return arr.reshape(shape)


def encode_output(np, cid, arr):
    """The framework's output widened to float64, non-finite values as the protocol's strings."""
    out = np.asarray(arr, dtype=np.float64)
    data = out.ravel().tolist()
    if not np.isfinite(out).all():
        data = [v if v == v and abs(v) != float("inf") else ("NaN" if v != v else ("Infinity" if v > 0 else "-Infinity"))
                for v in data]
    return {"id": cid, "shape": list(out.shape), "data": data}


# ---- one case ------------------------------------------------------------------------------------

def read_case(fw, case):
    """Checks the case against the case format and this framework's op table; returns its parts."""
    framework, op = case.get("framework"), case.get("op")
    if framework != fw.framework:
        raise Unsupported(f"this bridge runs {fw.framework} ops, not {framework!r}")
    spec = fw.ops.get(op)
    if spec is None:
        raise Unsupported(f"{fw.framework} has no op {op!r} in this bridge (it runs {', '.join(fw.ops)})")
    dtype = case.get("dtype", "float32")
    if dtype not in DTYPES:
        raise BadCase(f"dtype must be one of {', '.join(DTYPES)}, got {dtype!r}")
    if dtype not in fw.dtypes:
        raise Unsupported(f"{fw.name} does not compute {dtype} convolutions here (it computes {', '.join(fw.dtypes)})")
    attrs = case.get("attrs") or {}
    inputs = case.get("inputs")
    if not isinstance(attrs, dict) or not isinstance(inputs, dict):
        raise BadCase("'attrs' must be an object and 'inputs' an object of tensors")
    unknown = [k for k in attrs if k not in spec.attrs]
    if unknown:
        raise BadCase(f"{fw.framework}.{op} takes no attribute {', '.join(map(repr, unknown))} (it takes {', '.join(spec.attrs)})")
    names = [k for k in inputs if k not in spec.inputs and k not in spec.optional]
    missing = [k for k in spec.inputs if k not in inputs]
    if names or missing:
        raise BadCase(f"{fw.framework}.{op} takes inputs {', '.join(spec.inputs + spec.optional)}; "
                      f"got {', '.join(inputs) or 'none'}")
    arrays = {k: decode_tensor(fw.np, k, v) for k, v in inputs.items()}
    # null attributes mean "absent", as in the reference (Attrs.has)
    return op, {k: v for k, v in attrs.items() if v is not None}, arrays, dtype


def describe(e):
    """A framework's refusal in one line: its exception type and the first line of its message."""
    msg = str(e).strip().splitlines()
    first = msg[0] if msg else ""
    return f"{type(e).__name__}: {first[:400]}"


def answer(fw, line):
    try:
        case = json.loads(line)
    except ValueError as e:
        return {"id": None, "error": f"bridge: a case line must be JSON ({e})"}
    if not isinstance(case, dict):
        return {"id": None, "error": "bridge: a case line must be a JSON object"}
    cid = case.get("id")
    try:
        op, attrs, arrays, dtype = read_case(fw, case)
    except Unsupported as e:
        return {"id": cid, "unsupported": str(e)}
    except BadCase as e:
        return {"id": cid, "error": f"bridge: bad case: {e}"}
    try:
        out = fw.run(op, attrs, arrays, dtype)
    except Unsupported as e:
        return {"id": cid, "unsupported": str(e)}
    except Exception as e:  # whatever the framework raises for a call it refuses
        return {"id": cid, "error": describe(e)}
    return encode_output(fw.np, cid, out)


# ---- the protocol loop ---------------------------------------------------------------------------

def serve(fw, out):
    """Answers every complete line that has arrived, then flushes once: batching without waiting."""
    pending = b""
    while True:
        chunk = os.read(0, 1 << 20)
        if not chunk:
            break
        *lines, pending = (pending + chunk).split(b"\n")
        answers = [answer(fw, ln) for ln in lines if ln.strip()]
        if answers:
            out.write("".join(json.dumps(a, separators=(",", ":")) + "\n" for a in answers))
            out.flush()
    if pending.strip():
        out.write(json.dumps(answer(fw, pending), separators=(",", ":")) + "\n")
        out.flush()


def main(argv):
    args = parse_args(argv)
    if args.signatures:
        print(json.dumps({fw: {op: s._asdict() for op, s in ops.items()} for fw, ops in SIGNATURES.items()}))
        return 0
    # The protocol owns stdout. Frameworks print banners and warnings (some from C++, on fd 1):
    # keep a private copy of stdout for answers and send fd 1 to stderr.
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    try:
        fw = load_framework(args)
    except Exception as e:  # ImportError, or a broken install failing at import time
        why = f"{args.framework}: cannot import the framework with {sys.executable} ({describe(e)}); run `npm run setup`"
        out.write(json.dumps({"convcheck": PROTOCOL, "unavailable": why}) + "\n")
        out.flush()
        return 0
    hello = {
        "convcheck": PROTOCOL,
        "name": args.framework,
        "framework": fw.framework,
        "ops": list(fw.ops),
        "capabilities": fw.capabilities,
        "window": WINDOW,
        "options": {"threads": str(args.threads), **({"onednn": fw.versions["onednn"]} if fw.framework == "tf" else {})},
        "versions": fw.versions,
    }
    out.write(json.dumps(hello) + "\n")
    out.flush()
    serve(fw, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
