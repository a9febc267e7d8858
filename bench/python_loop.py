"""The raw Python side of bench/python-bridge.ts: the same torch calls as the bench's cases, in a
plain loop with the tensors already built, so it measures torch alone (no JSON, no pipes).

    python bench/python_loop.py CASES.jsonl REPS   -> prints {"cases": n, "ms": [...]} on stdout
"""
import json
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)  # as the bridge runs it


def tensor(t):
    return torch.tensor([float(v) for v in t["data"]], dtype=torch.float32).reshape(t["shape"])


def attrs(a):
    return {k: tuple(v) if isinstance(v, list) else v for k, v in a.items()}


def main(path, reps):
    calls = []
    for line in open(path):
        c = json.loads(line)
        ins = c["inputs"]
        bias = tensor(ins["bias"]) if "bias" in ins else None
        calls.append((getattr(F, c["op"]), tensor(ins["input"]), tensor(ins["weight"]), bias, attrs(c.get("attrs") or {})))
    times = []
    with torch.no_grad():
        for _ in range(reps):
            t = time.perf_counter()
            for fn, x, w, b, kw in calls:
                try:
                    fn(x, w, b, **kw)
                except RuntimeError:
                    pass  # rejected calls cost what they cost, as in the bridge
            times.append((time.perf_counter() - t) * 1000)
    print(json.dumps({"cases": len(calls), "ms": times}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
