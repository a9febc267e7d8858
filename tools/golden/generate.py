#!/usr/bin/env python3
"""Generate convcheck's golden fixtures from the real frameworks.

    python3 tools/golden/generate.py                 # all four frameworks
    python3 tools/golden/generate.py --only tf,onnx  # a subset

Writes test/golden/{tf,jax,onnx,torch}.jsonl and test/golden/onnx-departures.json.
Each framework runs in its own child process (TensorFlow, JAX and PyTorch are never imported
together), all with fixed seeds, so the output is deterministic for a given set of library versions.
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(ROOT, "test", "golden")
FRAMEWORKS = ["tf", "jax", "onnx", "torch"]


def run_one(fw):
    """Child-process entry: generate one framework's file and print its summary as JSON."""
    sys.path.insert(0, HERE)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from common import Gen
    gen = Gen(fw)
    if fw == "tf":
        os.environ["TF_ENABLE_ONEDNN_OPTS"] = "1"      # the default CPU build; see gen_tf.py
        import gen_tf
        version = gen_tf.main_generate(gen)
        versions = {"tensorflow": version}
    elif fw == "jax":
        import gen_jax
        versions = gen_jax.main_generate(gen)
    elif fw == "onnx":
        import gen_onnx
        versions = gen_onnx.main_generate(gen, OUT)
    else:
        import gen_torch
        versions = gen_torch.main_generate(gen)
    gen.write(os.path.join(OUT, fw + ".jsonl"))
    s = gen.summary()
    s["versions"] = versions
    s["problems"] = gen.problems
    print("@@SUMMARY@@" + json.dumps(s))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default=",".join(FRAMEWORKS))
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        run_one(args.child)
        return
    os.makedirs(OUT, exist_ok=True)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONHASHSEED="0")
    fws = [f.strip() for f in args.only.split(",") if f.strip()]
    summaries = []
    for fw in fws:
        t0 = time.time()
        p = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", fw],
                           capture_output=True, text=True, env=env)
        line = next((l for l in p.stdout.splitlines() if l.startswith("@@SUMMARY@@")), None)
        if p.returncode != 0 or line is None:
            sys.stderr.write(p.stdout[-3000:] + p.stderr[-5000:])
            raise SystemExit("%s: generation failed" % fw)
        s = json.loads(line[len("@@SUMMARY@@"):])
        summaries.append(s)
        print("== %s: %d cases, %d expected errors, %d float64, %d with notes  (%.0fs)  %s" % (
            fw, s["cases"], s["errors"], s["float64"], s["noted"], time.time() - t0,
            ", ".join("%s %s" % kv for kv in s["versions"].items())))
        for op, v in s["ops"].items():
            print("   %-22s %4d cases  %3d errors" % (op, v["cases"], v["errors"]))
        cc = s["crosscheck"]
        print("   numpy cross-check: %d agree, %d not checked, %d differ" % (cc["ok"], cc["skipped"], cc["problems"]))
        for cid, msg in s["problems"]:
            print("     differs: %s: %s" % (cid, msg))
    if sorted(fws) == sorted(FRAMEWORKS):
        sys.path.insert(0, HERE)
        import provenance
        provenance.write(OUT, summaries)
        print("wrote %s" % os.path.join(OUT, "PROVENANCE.md"))
    else:
        print("(PROVENANCE.md is only rewritten by a full run)")


if __name__ == "__main__":
    main()
