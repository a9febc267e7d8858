"""Test bridge: runs convcheck's emitted Python in the real frameworks and the source call, as
written, in its own real framework. Reads jobs as JSON on stdin, prints results as JSON.

A job: {"module": <python source>, "entry": "forward" | "layer", "calls": [call, ...]}
A call: {"source": {"framework", "op", "attrs"} | null (then the result is the target's output), "dtype", "x": {"shape", "data"}, "w": ..., "b": ... | null,
         "output_shape": [...] | null}
A result per call: {"shape_source", "shape_target", "max_abs_diff"}, or {"error", "side", "at_call"}: the
side that failed (the source call, or the emitted code), and whether the emitted code failed inside its
call of the target framework (a refusal by that framework) rather than in its own lines.
"""
import contextlib
import io
import json
import linecache
import os
import sys
import traceback

import numpy as np


def arr(t, dtype):
    return np.array(t["data"], dtype=dtype).reshape(t["shape"])


def tup(v):
    return tuple(tup(x) for x in v) if isinstance(v, list) else v


def run_source(src, x, w, b):
    fw, op, attrs = src["framework"], src["op"], dict(src.get("attrs") or {})
    if fw == "tf":
        import tensorflow as tf
        return getattr(tf.nn, op)(x, w, **attrs).numpy()  # TF convs take no bias
    if fw == "torch":
        import torch
        import torch.nn.functional as F
        return getattr(F, op)(torch.from_numpy(x), torch.from_numpy(w), None if b is None else torch.from_numpy(b), **attrs).numpy()
    if fw == "jax":
        from jax import lax
        attrs = {k: (tup(v) if k in ("dimension_numbers", "padding") and not isinstance(v, str) else v) for k, v in attrs.items()}
        return np.asarray(getattr(lax, op)(x, w, **attrs))
    if fw == "onnx":
        from onnx import helper, TensorProto
        import onnxruntime as ort
        elem = TensorProto.DOUBLE if x.dtype == np.float64 else TensorProto.FLOAT
        feeds = {"X": x, "W": w}
        if b is not None:
            feeds["B"] = b
        node = helper.make_node(op, list(feeds), ["Y"], **attrs)
        graph = helper.make_graph([node], "src", [helper.make_tensor_value_info(k, elem, v.shape) for k, v in feeds.items()],
                                  [helper.make_tensor_value_info("Y", elem, None)])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 22)])
        model.ir_version = 10
        return ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"]).run(None, feeds)[0]
    raise ValueError(fw)


def main():
    jobs = json.load(sys.stdin)
    results = []
    for job in jobs:
        ns = {"__name__": "emitted"}
        out = []
        src = job["module"]
        linecache.cache["emitted.py"] = (len(src), None, src.splitlines(True), "emitted.py")
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(job["module"], "emitted.py", "exec"), ns)
        except Exception:
            results.append([{"error": "module: " + traceback.format_exc(limit=3)}] * len(job["calls"]))
            continue
        for call in job["calls"]:
            dtype = np.float64 if call.get("dtype") == "float64" else np.float32
            x, w = arr(call["x"], dtype), arr(call["w"], dtype)
            b = arr(call["b"], dtype) if call.get("b") else None
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    ys = None if call["source"] is None else np.asarray(run_source(call["source"], x, w, b))
            except Exception:
                out.append({"error": traceback.format_exc(limit=4), "side": "source", "at_call": True})
                continue
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    kw = {"output_shape": call["output_shape"]} if call.get("output_shape") is not None else {}
                    yt = np.asarray(ns[job.get("entry", "forward")](x, w, b, **kw))
            except Exception:
                frames = [f for f in traceback.extract_tb(sys.exc_info()[2]) if f.filename == "emitted.py"]
                line = frames[-1].line if frames else ""
                at_call = any(t in (line or "") for t in ("F.conv", "tf.nn.", "lax.", "ort.InferenceSession", "helper.make_node", "module.apply", "layer(", "self.conv("))
                out.append({"error": traceback.format_exc(), "side": "target", "at_call": at_call})
                continue
            if ys is None:  # no source run: the target's output itself, to compare with the reference
                out.append({"shape_target": list(yt.shape), "data": yt.astype(np.float64).ravel().tolist()})
                continue
            diff = float(np.max(np.abs(ys.astype(np.float64) - yt.astype(np.float64)))) if ys.shape == yt.shape and ys.size else (0.0 if ys.shape == yt.shape else None)
            out.append({"shape_source": list(ys.shape), "shape_target": list(yt.shape), "max_abs_diff": diff})
        results.append(out)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
