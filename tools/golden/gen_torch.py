"""PyTorch (torch.nn.functional) golden cases: conv1d/2d/3d and conv_transpose1d/2d/3d."""
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import BASE_SEED, clean_error            # noqa: E402
from refconv import RefError, conv_gather, conv_scatter   # noqa: E402

FWD = {"conv1d": 1, "conv2d": 2, "conv3d": 3}
TR = {"conv_transpose1d": 1, "conv_transpose2d": 2, "conv_transpose3d": 3}


def specs():
    L = []

    def T(op, **kw):
        kw["op"] = op
        L.append(kw)

    def R(op, **kw):
        T(op, err=True, **kw)

    # keys: S spatial, K kernel, C in-ch, O out-ch, g groups, a = attrs dict (as passed), bias, N (None = unbatched)
    for op, n in FWD.items():
        sq = lambda v: [v] * n                                       # noqa: E731
        S3 = {1: [7], 2: [5, 5], 3: [4, 4, 4]}[n]
        K3 = sq(3) if n < 3 else sq(2)
        T(op, S=S3, K=K3, C=2, O=2, a={})
        T(op, S=S3, K=K3, C=2, O=3, a={"stride": 1, "padding": 1}, bias=True)
        T(op, S=S3, K=sq(2), C=2, O=2, a={"padding": "same"}, note="even kernel: odd total padding, extra on the right")
        T(op, S=S3, K=sq(2), C=1, O=2, a={"padding": "same", "dilation": 2}, bias=True)
        T(op, S=S3, K=K3, C=2, O=2, a={"padding": "valid"})
        T(op, S=S3, K=K3, C=2, O=2, a={"stride": 2, "padding": 1})
        T(op, S=S3, K=sq(1), C=2, O=2, a={"stride": 3}, note="kernel < stride")
        T(op, S=S3, K=sq(2), C=2, O=2, a={"stride": 3, "padding": 1}, note="kernel < stride")
        T(op, S=S3, K=K3, C=2, O=2, a={"dilation": 2, "padding": 2})
        T(op, S=S3, K=sq(2), C=2, O=2, a={"stride": 2, "dilation": 2}, bias=True)
        T(op, S=S3, K=K3, C=2, O=2, a={"stride": list(range(1, n + 1)), "padding": list(range(n)),
                                          "dilation": [1] * n}, note="tuple (list) forms")
        T(op, S=S3, K=K3, C=4, O=4, g=2, a={"groups": 2, "padding": 1}, note="2 groups, 2 outputs per group")
        T(op, S=S3, K=sq(2), C=4, O=6, g=2, a={"groups": 2}, bias=True, note="2 groups, 3 outputs per group")
        T(op, S=S3, K=K3, C=3, O=3, g=3, a={"groups": 3, "padding": "same"}, note="depthwise")
        T(op, N=3, S=S3, K=K3, C=2, O=2, a={"padding": 1}, bias=True)
        T(op, N=None, S=S3, K=K3, C=2, O=2, a={"padding": 1}, note="unbatched input (C, *spatial)")
        T(op, N=None, S=S3, K=sq(2), C=2, O=2, a={"stride": 2}, bias=True, note="unbatched input")
        T(op, S=S3, K=K3, C=2, O=2, a={"padding": 1}, imp="x", note="impulse input")
        T(op, S=S3, K=K3, C=1, O=2, a={}, imp="w", note="impulse kernel")
        T(op, S=S3, K=K3, C=2, O=2, a={"padding": 1}, bias=True, dtype="float64")
        T(op, S=S3, K=sq(2), C=2, O=2, a={"stride": 2, "dilation": 2, "padding": 1}, dtype="float64")
        # rejections
        R(op, S=S3, K=K3, C=3, O=2, g=2, w_in=1, a={"groups": 2}, note="in channels 3 not divisible by groups 2")
        R(op, S=S3, K=K3, C=4, O=3, g=2, a={"groups": 2}, note="out channels 3 not divisible by groups 2")
        R(op, S=[2] * n, K=sq(3), C=1, O=2, a={}, note="kernel larger than the input")
        R(op, S=[2] * n, K=sq(5), C=1, O=1, a={"padding": 1}, note="kernel larger than the padded input")
        R(op, S=S3, K=K3, C=2, O=2, a={"stride": 2, "padding": "same"}, note="padding='same' with stride > 1")
        R(op, S=S3, K=K3, C=2, O=2, a={"padding": -1}, note="negative padding")
        R(op, S=S3, K=K3, C=2, O=2, a={"stride": 0}, note="stride 0")
        R(op, S=S3, K=K3, C=3, O=2, w_in=2, a={}, note="input channels 3 vs weight in-channels 2")
        R(op, S=S3, K=K3, C=2, O=2, a={}, bias_len=3, note="bias of length 3 for 2 outputs")
        R(op, S=S3, K=K3, C=2, O=2, a={"dilation": 0}, note="dilation 0")
    for op, n in TR.items():
        sq = lambda v: [v] * n                                       # noqa: E731
        S3 = {1: [4], 2: [3, 3], 3: [2, 2, 2]}[n]
        K3 = sq(3) if n < 3 else sq(2)
        T(op, S=S3, K=K3, C=2, O=2, a={})
        T(op, S=S3, K=K3, C=2, O=3, a={"stride": 2}, bias=True)
        T(op, S=S3, K=K3, C=2, O=2, a={"stride": 2, "padding": 1})
        T(op, S=S3, K=K3, C=2, O=2, a={"stride": 2, "padding": 1, "output_padding": 1}, note="output_padding < stride")
        T(op, S=S3, K=sq(2), C=2, O=2, a={"stride": 1, "dilation": 2, "output_padding": 1},
          note="output_padding 1 >= stride 1 but < dilation 2: allowed")
        T(op, S=S3, K=sq(4) if n < 3 else sq(2), C=1, O=2, a={"stride": 2, "padding": 2}, bias=True)
        T(op, S=S3, K=sq(1), C=2, O=2, a={"stride": 3}, note="kernel < stride")
        T(op, S=S3, K=sq(2), C=2, O=2, a={"stride": 3, "output_padding": 2}, note="kernel < stride, output_padding 2")
        T(op, S=S3, K=K3, C=2, O=2, a={"dilation": 2, "padding": 1})
        T(op, S=S3, K=sq(2), C=2, O=2, a={"stride": 2, "dilation": 3, "padding": 2, "output_padding": 2}, bias=True,
          note="output_padding 2 >= stride 2 but < dilation 3")
        T(op, S=S3, K=K3, C=2, O=2, a={"stride": list(range(1, n + 1)), "padding": list(range(n)),
                                          "output_padding": [0] * (n - 1) + [1], "dilation": [1] * n},
          note="tuple (list) forms")
        T(op, S=S3, K=K3, C=4, O=4, g=2, a={"groups": 2, "stride": 2}, note="2 groups, 2 outputs per group")
        T(op, S=S3, K=sq(2), C=4, O=6, g=2, a={"groups": 2, "padding": 1}, bias=True, note="2 groups, 3 outputs per group")
        T(op, S=S3, K=K3, C=3, O=3, g=3, a={"groups": 3, "stride": 2, "padding": 1}, note="depthwise transposed")
        T(op, N=3, S=S3, K=K3, C=2, O=2, a={"stride": 2}, bias=True)
        T(op, N=None, S=S3, K=K3, C=2, O=2, a={"stride": 2, "padding": 1}, note="unbatched input (C, *spatial)")
        T(op, N=None, S=S3, K=sq(2), C=2, O=2, a={}, bias=True, note="unbatched input")
        T(op, S=S3, K=K3, C=2, O=2, a={"stride": 2}, imp="x", note="impulse input")
        T(op, S=S3, K=K3, C=1, O=2, a={"padding": 1}, imp="w", note="impulse kernel")
        T(op, S=S3, K=K3, C=2, O=2, a={"stride": 2, "padding": 1, "output_padding": 1}, bias=True, dtype="float64")
        T(op, S=S3, K=sq(2), C=2, O=2, a={"dilation": 2}, dtype="float64")
        # rejections
        R(op, S=S3, K=K3, C=2, O=2, a={"stride": 2, "output_padding": 2}, note="output_padding 2 >= stride 2 and >= dilation 1")
        R(op, S=S3, K=K3, C=2, O=2, a={"stride": 1, "dilation": 1, "output_padding": 1}, note="output_padding 1 >= stride 1 and dilation 1")
        R(op, S=S3, K=K3, C=3, O=2, g=2, w_in=3, a={"groups": 2}, note="in channels 3 not divisible by groups 2")
        R(op, S=[1] * n, K=sq(2), C=1, O=2, a={"padding": 1}, note="output size 0 (padding eats the whole output)")
        T(op, S=[1] * n, K=sq(2), C=2, O=2, g=2, a={"padding": 1, "groups": 2},
          note="output size 0 with groups=2: torch returns an empty tensor here, while groups=1 raises 'Output size is too small'")
        R(op, S=S3, K=K3, C=2, O=2, a={"padding": "same"}, note="string padding is not accepted by transposed convs")
        R(op, S=S3, K=K3, C=2, O=2, a={"padding": -1}, note="negative padding")
        R(op, S=S3, K=K3, C=3, O=2, w_in=2, a={}, note="input channels 3 vs weight in-channels 2")
        R(op, S=S3, K=K3, C=2, O=2, a={"stride": 0}, note="stride 0")
    sweep(L)
    return L


def sweep(L):
    r = np.random.default_rng(BASE_SEED + 2)
    for i in range(84):
        tr = i % 2 == 1
        n = int(r.choice([1, 2, 3], p=[0.35, 0.45, 0.2]))
        op = ("conv_transpose%dd" if tr else "conv%dd") % n
        kmax, smax = (3, 6) if n < 3 else (2, 4)
        if tr:
            smax = 4 if n < 3 else 2
        K = [int(r.integers(1, kmax + 1)) for _ in range(n)]
        S = [int(r.integers(2, smax + 1)) for _ in range(n)]
        g = int(r.choice([1, 1, 2]))
        C, O = int(r.integers(1, 3)) * g, int(r.integers(1, 3)) * g
        a = {}
        st = [int(r.integers(1, 4)) for _ in range(n)]
        dl = [int(r.integers(1, 3)) for _ in range(n)]
        pd = [int(r.integers(0, 3)) for _ in range(n)]
        form = lambda v: v[0] if len(set(v)) == 1 and r.random() < 0.5 else v    # noqa: E731
        if st != [1] * n:
            a["stride"] = form(st)
        if not tr and r.random() < 0.2:
            a["padding"] = "same" if st == [1] * n else "valid"
        elif pd != [0] * n:
            a["padding"] = form(pd)
        if tr and r.random() < 0.5:
            op_ = [int(r.integers(0, max(s, d))) for s, d in zip(st, dl)]
            if op_ != [0] * n:
                a["output_padding"] = form(op_)
        if g > 1:
            a["groups"] = g
        if dl != [1] * n:
            a["dilation"] = form(dl)
        L.append(dict(op=op, S=S, K=K, C=C, O=O, g=g, a=a, bias=bool(r.random() < 0.4),
                      N=int(r.choice([1, 1, 2])), dtype="float64" if i % 10 == 7 else "float32"))


def _vals(v, n, default):
    if v is None:
        return [default] * n
    if isinstance(v, int):
        return [v] * n
    return list(v)


def build_cases(gen):
    out = []
    for sp in specs():
        op = sp["op"]
        tr = op in TR
        n = TR.get(op) or FWD[op]
        N = sp.get("N", 1)
        C, O, g = sp["C"], sp["O"], sp.get("g", 1)
        xshape = ([N] if N else []) + [C] + sp["S"]
        wshape = ([sp.get("w_in", C), O // g] if tr else [O, sp.get("w_in", C // g)]) + sp["K"]
        a = sp["a"]
        dtype = sp.get("dtype", "float32")
        tags = []
        st = a.get("stride", 1)
        tags.append("s" + ("x".join(map(str, st)) if isinstance(st, list) and len(set(st)) > 1
                           else str(st[0] if isinstance(st, list) else st)))
        K = sp["K"]
        tags.append("k" + ("x".join(map(str, K)) if len(set(K)) > 1 else str(K[0])))
        p = a.get("padding", 0)
        tags.append(p if isinstance(p, str) else "p" + ("x".join(map(str, p)) if isinstance(p, list) else str(p)))
        for key, t in (("output_padding", "op"), ("dilation", "d"), ("groups", "g")):
            v = a.get(key)
            if v is not None and (v if isinstance(v, int) else max(v)) != (1 if key != "output_padding" else 0):
                tags.append(t + ("x".join(map(str, v)) if isinstance(v, list) else str(v)))
        if sp.get("bias") or sp.get("bias_len"):
            tags.append("bias")
        if N is None:
            tags.append("unbatched")
        cid, rng, kind = gen.open_case(op, tags, sp, N, dtype)
        x, w = gen.input_and_kernel(rng, sp, xshape, wshape, kind, dtype)
        nb = sp.get("bias_len", O if sp.get("bias") else 0)
        b = gen.data(rng, [nb], kind, dtype) if nb else None
        out.append(dict(id=cid, op=op, attrs=a, x=x, w=w, b=b, dtype=dtype, note=sp.get("note"),
                        err=sp.get("err", False), n=n, tr=tr))
    return out


def reference(c):
    a, n = c["attrs"], c["n"]
    x, w, b = c["x"], c["w"], c["b"]
    unb = x.ndim == n + 1
    if unb:
        x = x[None]
    s = _vals(a.get("stride"), n, 1)
    d = _vals(a.get("dilation"), n, 1)
    g = a.get("groups", 1)
    if min(s) < 1 or min(d) < 1:
        raise RefError("stride/dilation")
    p = a.get("padding", 0)
    if c["tr"]:
        if isinstance(p, str):
            raise RefError("string padding")
        p = _vals(p, n, 0)
        op_ = _vals(a.get("output_padding"), n, 0)
        if min(p) < 0 or any(o >= max(si, di) or o < 0 for o, si, di in zip(op_, s, d)):
            raise RefError("padding/output_padding")
        if x.shape[1] != w.shape[0] or w.shape[0] % g:
            raise RefError("channels")
        osp = [(i - 1) * si - 2 * pi + di * (k - 1) + oi + 1
               for i, si, pi, di, k, oi in zip(x.shape[2:], s, p, d, w.shape[2:], op_)]
        r = conv_scatter(x, w, s, p, d, osp, groups=g)
        nout = w.shape[1] * g
    else:
        eff = [(k - 1) * di + 1 for k, di in zip(w.shape[2:], d)]
        if p == "same":
            if max(s) > 1:
                raise RefError("same with stride")
            pads = [((e - 1) // 2, e - 1 - (e - 1) // 2) for e in eff]
        elif p == "valid":
            pads = [(0, 0)] * n
        else:
            pv = _vals(p, n, 0)
            if min(pv) < 0:
                raise RefError("negative padding")
            pads = [(q, q) for q in pv]
        if any(i + lo + hi < e for i, (lo, hi), e in zip(x.shape[2:], pads, eff)):
            raise RefError("kernel larger than padded input")
        r = conv_gather(x, w, s, pads, d, groups=g)
        nout = w.shape[0]
    if b is not None:
        if b.shape[0] != nout:
            raise RefError("bias")
        r = r + b.reshape((1, -1) + (1,) * n)
    return r[0] if unb else r


def main_generate(gen):
    import torch
    import torch.nn.functional as F
    torch.use_deterministic_algorithms(True)
    for c in build_cases(gen):
        kw = {k: (tuple(v) if isinstance(v, list) else v) for k, v in c["attrs"].items()}
        try:
            with torch.no_grad():
                res = getattr(F, c["op"])(torch.from_numpy(c["x"]), torch.from_numpy(c["w"]),
                                          None if c["b"] is None else torch.from_numpy(c["b"]), **kw)
            res = res.numpy()
        except Exception as e:      # noqa: BLE001
            res = clean_error(e)
        try:
            ref = reference(c)
        except Exception as e:      # noqa: BLE001
            ref = "reference: %s" % e
        notes, cid = gen.judge(c, res, ref)
        inputs = {"input": c["x"], "weight": c["w"]}
        if c["b"] is not None:
            inputs["bias"] = c["b"]
        gen.add(cid, c["op"], c["attrs"], inputs, c["dtype"], res, "; ".join(notes) or None)
    return {"torch": torch.__version__}
