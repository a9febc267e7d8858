#!/usr/bin/env python3
"""A deliberately faulty program on the process protocol, for the tests of oracles/process: by the
first input value of a case it answers (0), refuses (1), hangs (2), exits (3), dies by SIGSEGV (4),
prints garbage (5), answers without an id (6), answers twice (7), answers an id never sent (8),
says unsupported (9) or sends a malformed answer (10). Options (JSON in $CONVCHECK_OPTIONS):
hello=unavailable|garbage|none, window=N, pidfile=PATH (where a hanging program writes its pid), reverse=1 (read `window` cases, answer them in reverse
order). Never part of a real run.
"""
import json
import os
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples"))
from onnx_conv import answer  # noqa: E402

OPTIONS = json.loads(os.environ.get("CONVCHECK_OPTIONS") or "{}")
WINDOW = int(OPTIONS.get("window", "1"))


def say(obj):
    print(json.dumps(obj), flush=True)


def respond(case):
    mode = case["inputs"]["X"]["data"][0]
    cid = case["id"]
    if mode == 1:
        say({"id": cid, "error": "fake: refused on purpose"})
    elif mode == 2:
        if OPTIONS.get("pidfile"):
            with open(OPTIONS["pidfile"], "w") as f:
                f.write(str(os.getpid()))
        time.sleep(3600)
    elif mode == 3:
        sys.exit(3)
    elif mode == 4:
        os.kill(os.getpid(), signal.SIGSEGV)
    elif mode == 5:
        print("this is not JSON", flush=True)
    elif mode == 6:
        say({"shape": [1], "data": [0]})
    elif mode == 7:
        say({"id": cid, **answer(case)})
        say({"id": cid, **answer(case)})
    elif mode == 8:
        say({"id": cid + "-other", **answer(case)})
    elif mode == 9:
        say({"id": cid, "unsupported": "fake: not this one"})
    elif mode == 10:
        say({"id": cid, "shape": [1, 2]})
    else:
        say({"id": cid, **answer(case)})


def main():
    hello = OPTIONS.get("hello")
    if hello == "unavailable":
        say({"convcheck": 1, "unavailable": "fake: no framework here"})
        return
    if hello == "garbage":
        print("Traceback (most recent call last): nothing useful", flush=True)
        return
    if hello == "none":
        sys.exit(5)
    say({"convcheck": 1, "name": "fake", "framework": "onnx", "ops": ["Conv"], "window": WINDOW})
    batch = []
    for line in sys.stdin:
        if not line.strip():
            continue
        batch.append(json.loads(line))
        if OPTIONS.get("reverse") == "1" and len(batch) < WINDOW:
            continue
        for case in reversed(batch):
            respond(case)
        batch = []


if __name__ == "__main__":
    main()
