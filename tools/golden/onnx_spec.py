"""ONNX Conv / ConvTranspose (opset 22) computed directly from the operator specification text.

Written from `onnx.defs.get_schema('Conv', 22)` / `get_schema('ConvTranspose', 22)`: the doc strings and
the attribute descriptions.  Deliberately plain: every output (Conv) or every input element (ConvTranspose)
is visited in a Python loop.  The spec statements each step relies on are quoted in the comments.

SpecError is raised for calls the spec makes invalid; its message becomes the fixture's expected error.
"""
import itertools

import numpy as np


class SpecError(ValueError):
    pass


class SpecAmbiguous(SpecError):
    """The spec fixes the output shape but not the values (odd negative total padding: '/2' rounding)."""

    def __init__(self, msg, spatial):
        super().__init__(msg)
        self.spatial = spatial


def _ints(attrs, name, n, default):
    v = attrs.get(name)
    if v is None:
        return [default] * n
    v = list(v)
    if len(v) != n:
        raise SpecError("%s must have %d values (one per spatial axis), got %d" % (name, n, len(v)))
    return v


def _common(X, W, B, attrs, transpose):
    if X.ndim < 3 or W.ndim != X.ndim:
        raise SpecError("X and W must have the same rank >= 3, got %d and %d" % (X.ndim, W.ndim))
    n = X.ndim - 2
    group = attrs.get("group", 1)
    if group < 1:
        raise SpecError("group must be positive")
    kshape = list(W.shape[2:])
    if attrs.get("kernel_shape") is not None and list(attrs["kernel_shape"]) != kshape:
        # "kernel_shape: The shape of the convolution kernel. If not present, should be inferred from input W."
        raise SpecError("kernel_shape %s does not match W's spatial shape %s" % (list(attrs["kernel_shape"]), kshape))
    strides = _ints(attrs, "strides", n, 1)
    dil = _ints(attrs, "dilations", n, 1)
    if min(strides) < 1 or min(dil) < 1:
        raise SpecError("strides and dilations must be positive")
    auto_pad = attrs.get("auto_pad", "NOTSET")
    if auto_pad not in ("NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"):
        raise SpecError("auto_pad must be NOTSET, SAME_UPPER, SAME_LOWER or VALID")
    if "pads" in attrs and auto_pad != "NOTSET":
        # "pads ... This attribute cannot be used simultaneously with auto_pad attribute."
        raise SpecError("pads cannot be used simultaneously with auto_pad=%s" % auto_pad)
    pads = _ints(attrs, "pads", 2 * n, 0)
    if min(pads) < 0:
        # "pads ... it can take any value greater than or equal to 0"
        raise SpecError("pads must be >= 0, got %s" % pads)
    if transpose:
        # W: (C x M/group x k1 x ... x kn); "The number of channels in the output should be equal to W.shape[1] * group"
        C = X.shape[1]
        if W.shape[0] != C:
            raise SpecError("W.shape[0] (%d) must equal the input channels C (%d)" % (W.shape[0], C))
        if C % group:
            raise SpecError("input channels %d not divisible by group %d" % (C, group))
        M = W.shape[1] * group
    else:
        # "X.shape[1] == (W.shape[1] * group) == C and W.shape[0] mod G == 0"
        C, M = X.shape[1], W.shape[0]
        if W.shape[1] * group != C:
            raise SpecError("X.shape[1] (%d) must equal W.shape[1] * group (%d * %d)" % (C, W.shape[1], group))
        if M % group:
            raise SpecError("W.shape[0] (%d) must be a multiple of group (%d)" % (M, group))
    if B is not None and (B.ndim != 1 or B.shape[0] != M):
        raise SpecError("B must be 1-D of size M=%d, got shape %s" % (M, list(B.shape)))
    return n, group, kshape, strides, dil, auto_pad, pads, M


def conv(X, W, B=None, attrs=None):
    """Conv-22, gather form: Y[n, m, o] = B[m] + sum_{c,k} Xpad[n, g*C/G + c, o*s + k*d] * W[m, c, k]."""
    attrs = attrs or {}
    X = np.asarray(X, np.float64)
    W = np.asarray(W, np.float64)
    B = None if B is None else np.asarray(B, np.float64)
    n, group, kshape, strides, dil, auto_pad, pads, M = _common(X, W, B, attrs, transpose=False)
    in_sp = list(X.shape[2:])
    eff = [(k - 1) * d + 1 for k, d in zip(kshape, dil)]
    begin, end = pads[:n], pads[n:]
    if auto_pad in ("SAME_UPPER", "SAME_LOWER"):
        # "pad the input so that output_shape[i] = ceil(input_shape[i] / strides[i]) ... In case the padding is
        #  an odd number, the extra padding is added at the end for SAME_UPPER and at the beginning for SAME_LOWER."
        begin, end = [], []
        for i in range(n):
            out = -(-in_sp[i] // strides[i])
            total = max((out - 1) * strides[i] + eff[i] - in_sp[i], 0)
            small, big = total // 2, total - total // 2
            begin.append(small if auto_pad == "SAME_UPPER" else big)
            end.append(big if auto_pad == "SAME_UPPER" else small)
    elif auto_pad == "VALID":
        begin, end = [0] * n, [0] * n
    out_sp = []
    for i in range(n):
        padded = in_sp[i] + begin[i] + end[i]
        if padded < eff[i]:
            raise SpecError("kernel extent %d larger than the padded input %d on axis %d" % (eff[i], padded, i))
        out_sp.append((padded - eff[i]) // strides[i] + 1)
    Xp = np.zeros(X.shape[:2] + tuple(in_sp[i] + begin[i] + end[i] for i in range(n)))
    Xp[(slice(None), slice(None)) + tuple(slice(begin[i], begin[i] + in_sp[i]) for i in range(n))] = X
    Cg, Mg = X.shape[1] // group, M // group
    Y = np.zeros((X.shape[0], M) + tuple(out_sp))
    for m in range(M):
        g = m // Mg
        for o in itertools.product(*[range(s) for s in out_sp]):
            acc = np.zeros(X.shape[0])
            for k in itertools.product(*[range(s) for s in kshape]):
                pos = tuple(o[i] * strides[i] + k[i] * dil[i] for i in range(n))
                acc += Xp[(slice(None), slice(g * Cg, (g + 1) * Cg)) + pos] @ W[(m, slice(None)) + k]
            Y[(slice(None), m) + o] = acc + (B[m] if B is not None else 0.0)
    return Y


def conv_transpose_geometry(in_sp, kshape, strides, dil, attrs, auto_pad, pads, n):
    """Output spatial shape and begin pads for ConvTranspose-22."""
    out_pad = _ints(attrs, "output_padding", n, 0)
    for i in range(n):
        # "Each padding value in output_padding must be less than the corresponding stride/dilation dimension."
        # Read as PyTorch does: valid when less than the stride OR less than the dilation.
        if out_pad[i] < 0 or (out_pad[i] >= strides[i] and out_pad[i] >= dil[i]):
            raise SpecError("output_padding %d must be less than stride %d or dilation %d"
                            % (out_pad[i], strides[i], dil[i]))
    eff = [(k - 1) * d + 1 for k, d in zip(kshape, dil)]
    full = [strides[i] * (in_sp[i] - 1) + out_pad[i] + eff[i] for i in range(n)]
    if attrs.get("output_shape") is not None:
        # "output_shape can also be explicitly specified in which case pads values are auto generated ...
        #  total_padding[i] = stride[i] * (input_size[i] - 1) + output_padding[i] + ((kernel_shape[i] - 1) *
        #  dilations[i] + 1) - output_shape[i]
        #  If (auto_pads == SAME_UPPER): pads[start_i] = total_padding[i]/2; pads[end_i] = total_padding[i] -
        #  (total_padding[i]/2)   Else: pads[start_i] = total_padding[i] - (total_padding[i]/2); pads[end_i] =
        #  (total_padding[i]/2)."   "If output_shape is specified pads values are ignored."
        out_sp = list(attrs["output_shape"])
        if len(out_sp) != n:
            raise SpecError("output_shape must list the %d spatial sizes, got %d values" % (n, len(out_sp)))
        begin = []
        for i in range(n):
            total = full[i] - out_sp[i]
            if total < 0 and total % 2:      # "/2" rounding of a negative odd number is not specified
                raise SpecAmbiguous("odd negative total padding %d: the split is not specified" % total, out_sp)
            half = total // 2
            begin.append(half if auto_pad == "SAME_UPPER" else total - half)
    elif auto_pad in ("SAME_UPPER", "SAME_LOWER"):
        # "SAME_UPPER or SAME_LOWER mean pad the input so that output_shape[i] = input_shape[i] * strides[i] ...
        #  the extra padding is added at the end for SAME_UPPER and at the beginning for SAME_LOWER."
        out_sp = [in_sp[i] * strides[i] for i in range(n)]
        begin = []
        for i in range(n):
            total = full[i] - out_sp[i]
            if total < 0 and total % 2:
                raise SpecAmbiguous("odd negative total padding %d: the split is not specified" % total, out_sp)
            small, big = total // 2, total - total // 2
            begin.append(small if auto_pad == "SAME_UPPER" else big)
    else:
        if auto_pad == "VALID":
            pads = [0] * (2 * n)
        # "output_shape[i] = stride[i] * (input_size[i] - 1) + output_padding[i] + ((kernel_shape[i] - 1) *
        #  dilations[i] + 1) - pads[start_i] - pads[end_i]"
        out_sp = [full[i] - pads[i] - pads[n + i] for i in range(n)]
        begin = pads[:n]
    if min(out_sp) < 1:
        raise SpecError("output spatial shape %s is not positive" % out_sp)
    return out_sp, begin


def conv_transpose(X, W, B=None, attrs=None):
    """ConvTranspose-22, scatter form: every X[n, c, i] * W[c, m, k] is added at out = i*s + k*d - pad_begin."""
    attrs = attrs or {}
    X = np.asarray(X, np.float64)
    W = np.asarray(W, np.float64)
    B = None if B is None else np.asarray(B, np.float64)
    n, group, kshape, strides, dil, auto_pad, pads, M = _common(X, W, B, attrs, transpose=True)
    in_sp = list(X.shape[2:])
    out_sp, begin = conv_transpose_geometry(in_sp, kshape, strides, dil, attrs, auto_pad, pads, n)
    C = X.shape[1]
    Cg, Mg = C // group, W.shape[1]
    Y = np.zeros((X.shape[0], M) + tuple(out_sp))
    for c in range(C):
        g = c // Cg
        for i in itertools.product(*[range(s) for s in in_sp]):
            for k in itertools.product(*[range(s) for s in kshape]):
                o = tuple(i[a] * strides[a] + k[a] * dil[a] - begin[a] for a in range(n))
                if any(o[a] < 0 or o[a] >= out_sp[a] for a in range(n)):
                    continue      # falls in the cropped (padded) region
                for m in range(Mg):
                    Y[(slice(None), g * Mg + m) + o] += X[(slice(None), c) + i] * W[(c, m) + k]
    if B is not None:
        Y += B.reshape((1, M) + (1,) * n)
    return Y
