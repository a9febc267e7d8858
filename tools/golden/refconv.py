"""Plain numpy reference convolutions, used only to cross-check library outputs.

Everything is channels-first: x is [N, C, *spatial], a forward kernel is [O, C/groups, *k],
a transposed-conv kernel is [C_in, C_out/groups, *k].  Accumulation is in float64.
These are deliberately naive (loops over kernel taps, einsum over channels).
"""
import itertools

import numpy as np


class RefError(ValueError):
    pass


def _lhs_dilate(x, lhs_dil):
    if all(d == 1 for d in lhs_dil):
        return x
    n, c = x.shape[:2]
    sp = x.shape[2:]
    new = tuple((s - 1) * d + 1 if s > 0 else 0 for s, d in zip(sp, lhs_dil))
    out = np.zeros((n, c) + new, dtype=x.dtype)
    out[(slice(None), slice(None)) + tuple(slice(None, None, d) for d in lhs_dil)] = x
    return out


def _pad(x, pads):
    """pads: list of (lo, hi) per spatial dim; negative values crop."""
    for ax, (lo, hi) in enumerate(pads):
        axis = ax + 2
        if lo < 0:
            x = np.take(x, range(-lo, x.shape[axis]), axis=axis)
            lo = 0
        if hi < 0:
            x = np.take(x, range(0, max(x.shape[axis] + hi, 0)), axis=axis)
            hi = 0
        widths = [(0, 0)] * x.ndim
        widths[axis] = (lo, hi)
        x = np.pad(x, widths)
    return x


def conv_gather(x, w, strides, pads, rhs_dil=None, lhs_dil=None, groups=1, batch_groups=1):
    """out[n, o, p] = sum_{c, k} xpad[n, g*Cg + c, p*s + k*d] * w[o, c, k]."""
    x = np.asarray(x, np.float64)
    w = np.asarray(w, np.float64)
    nsp = x.ndim - 2
    rhs_dil = list(rhs_dil or [1] * nsp)
    lhs_dil = list(lhs_dil or [1] * nsp)
    N, C = x.shape[:2]
    O, Cg = w.shape[:2]
    K = w.shape[2:]
    if C % groups or Cg * groups != C or O % groups:
        raise RefError("channel/group mismatch")
    if N % batch_groups or O % batch_groups:
        raise RefError("batch group mismatch")
    xp = _pad(_lhs_dilate(x, lhs_dil), pads)
    eff = [(k - 1) * d + 1 for k, d in zip(K, rhs_dil)]
    osz = [(xp.shape[2 + i] - eff[i]) // strides[i] + 1 if xp.shape[2 + i] >= eff[i] else 0
           for i in range(nsp)]
    if any(o <= 0 for o in osz):
        raise RefError("empty output %s" % (osz,))
    Nb = N // batch_groups
    out = np.zeros((Nb, O) + tuple(osz))
    Og = O // groups
    Ob = O // batch_groups
    for kidx in itertools.product(*[range(k) for k in K]):
        sl = tuple(slice(kidx[i] * rhs_dil[i], kidx[i] * rhs_dil[i] + (osz[i] - 1) * strides[i] + 1,
                         strides[i]) for i in range(nsp))
        patch = xp[(slice(None), slice(None)) + sl]          # [N, C, *osz]
        for o in range(O):
            g = o // Og
            bg = o // Ob
            xs = patch[bg * Nb:(bg + 1) * Nb, g * Cg:(g + 1) * Cg]
            out[:, o] += np.einsum('nc...,c->n...', xs, w[(o, slice(None)) + kidx])
    return out


def conv_scatter(x, w, strides, pad_begin, dil, out_spatial, groups=1):
    """Transposed conv, scatter form: out[n, g*Mg+m, i*s + k*d - pad_begin] += x[n, g*Cg+c, i] * w[g*Cg+c, m, k].

    Positions falling outside [0, out_spatial) are dropped; positions never hit stay 0.
    """
    x = np.asarray(x, np.float64)
    w = np.asarray(w, np.float64)
    N, C = x.shape[:2]
    Cw, Mg = w.shape[:2]
    K = w.shape[2:]
    if Cw != C or C % groups:
        raise RefError("channel/group mismatch")
    if any(o <= 0 for o in out_spatial):
        raise RefError("non-positive output size %s" % (list(out_spatial),))
    Cg = C // groups
    out = np.zeros((N, Mg * groups) + tuple(out_spatial))
    nsp = x.ndim - 2
    for iidx in itertools.product(*[range(s) for s in x.shape[2:]]):
        for kidx in itertools.product(*[range(k) for k in K]):
            pos = [iidx[a] * strides[a] + kidx[a] * dil[a] - pad_begin[a] for a in range(nsp)]
            if any(p < 0 or p >= out_spatial[a] for a, p in enumerate(pos)):
                continue
            for g in range(groups):
                xs = x[(slice(None), slice(g * Cg, (g + 1) * Cg)) + iidx]     # [N, Cg]
                ws = w[(slice(g * Cg, (g + 1) * Cg), slice(None)) + kidx]       # [Cg, Mg]
                out[(slice(None), slice(g * Mg, (g + 1) * Mg)) + tuple(pos)] += xs @ ws
    return out


def same_pads(in_sp, eff_k, strides, lower=False):
    """TF/JAX/ONNX forward 'SAME': output ceil(n/s), total padding clamped at 0."""
    pads = []
    for n, k, s in zip(in_sp, eff_k, strides):
        out = -(-n // s)
        total = max((out - 1) * s + k - n, 0)
        small = total // 2
        pads.append((total - small, small) if lower else (small, total - small))
    return pads


def compare(got, ref, dtype):
    """max abs diff, and whether it is within tolerance."""
    got = np.asarray(got, np.float64)
    ref = np.asarray(ref, np.float64)
    if got.shape != ref.shape:
        return None, False
    if got.size == 0:
        return 0.0, True
    diff = float(np.max(np.abs(got - ref)))
    scale = max(1.0, float(np.max(np.abs(ref))))
    tol = (1e-4 if dtype == "float32" else 1e-10) * scale
    return diff, diff <= tol
