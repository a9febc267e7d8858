"""Times torch float64 convolutions on one thread for bench/reference.ts.

Reads one JSON request per line on stdin: {"op": "conv2d", "x": [shape], "w": [shape], "attrs": {...}};
answers one JSON line: {"cpu": s, "wall": s, "sum": float, "shape": [...]}. Data is the same
integer pattern as bench/reference.ts, so the sums must agree exactly (every partial sum is an
integer far below 2^53).
"""
import json
import sys
import time

import torch

torch.set_num_threads(1)


def pattern(shape, mul, mod, off):
    n = 1
    for d in shape:
        n *= d
    i = torch.arange(n, dtype=torch.int64)
    return ((i * mul) % mod - off).to(torch.float64).reshape(shape)


print(json.dumps({"ready": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
for line in sys.stdin:
    req = json.loads(line)
    x = pattern(req["x"], 7919, 13, 6)
    w = pattern(req["w"], 104729, 11, 5)
    f = getattr(torch.nn.functional, req["op"])
    c, t = time.process_time(), time.perf_counter()
    y = f(x, w, **req["attrs"])
    cpu, wall = time.process_time() - c, time.perf_counter() - t
    print(json.dumps({"cpu": cpu, "wall": wall, "sum": float(y.sum()), "shape": list(y.shape)}), flush=True)
