"""TensorFlow (tf.nn) golden cases.

Two passes over the same deterministic case list:
  * the default TF CPU build (oneDNN kernels on, TF_ENABLE_ONEDNN_OPTS=1)  -- run in this process;
  * TF's reference Eigen kernels (TF_ENABLE_ONEDNN_OPTS=0)                -- run in a child process.
Both passes apply the same fallbacks when a kernel refuses a *valid* call for a backend-only reason
(NHWC-only layouts, no dilation in some kernels).  The fixture records the default build's result;
when the two passes disagree, the one that agrees with a plain numpy convolution is kept and the
case gets a `note`.  Calls that abort the process (TF CHECK failures) are run in a child process.
"""
import os
import pickle
import re
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import Gen, clean_error, reject_id         # noqa: E402
from refconv import RefError, conv_gather, conv_scatter, same_pads, compare   # noqa: E402

OPS = {  # op: (spatial dims, stride kwarg, default data_format, kind)
    "conv1d": (1, "stride", "NWC", "fwd"),
    "conv2d": (2, "strides", "NHWC", "fwd"),
    "conv3d": (3, "strides", "NDHWC", "fwd"),
    "conv1d_transpose": (1, "strides", "NWC", "tr"),
    "conv2d_transpose": (2, "strides", "NHWC", "tr"),
    "conv3d_transpose": (3, "strides", "NDHWC", "tr"),
    "depthwise_conv2d": (2, "strides", "NHWC", "dw"),
}
LAYOUT_REFUSALS = ("only supports the NHWC tensor format", "only supports NHWC",
                   "only supports NDHWC", "only supported for NHWC format")
DILATION_REFUSALS = ("support dilation rates larger than 1", "only supports dilated rates of 1")


# ------------------------------------------------------------------------------------------
# case list
# ------------------------------------------------------------------------------------------
def _sp(v, n, df, depthwise_dil=False):
    """Spatial values of a TF strides/dilations attribute (the mathematical reading)."""
    if v is None:
        return [1] * n
    if isinstance(v, int):
        return [v] * n
    v = list(v)
    if len(v) == 1:
        return v * n
    if len(v) == n:
        return v
    if len(v) == n + 2 and not depthwise_dil:
        return v[2:] if df[1] == "C" else v[1:-1]
    raise RefError("bad length")


def _tok(vals, prefix):
    if len(set(vals)) == 1:
        return "%s%d" % (prefix, vals[0])
    return prefix + "x".join(str(v) for v in vals)


def specs():
    L = []

    def T(op, **kw):
        kw["op"] = op
        L.append(kw)

    def R(op, **kw):            # a call TF is expected to reject
        T(op, err=True, **kw)

    # ---------------- conv1d: input [N, W, C] / [N, C, W], filters [K, C/g, O] ----------
    op = "conv1d"
    T(op, sp=[5], C=2, K=[3], O=3, s=1, pad="SAME")
    T(op, sp=[6], C=2, K=[2], O=2, s=1, pad="SAME", df="NWC", note="odd total padding (1): extra goes after")
    T(op, sp=[6], C=1, K=[4], O=2, s=1, pad="SAME", note="odd total padding (3)")
    T(op, sp=[7], C=2, K=[3], O=2, s=2, pad="SAME")
    T(op, sp=[6], C=2, K=[3], O=2, s=2, pad="SAME", note="SAME with even input, stride 2: total padding 1")
    T(op, sp=[7], C=2, K=[1], O=3, s=2, pad="SAME", note="kernel < stride")
    T(op, sp=[8], C=2, K=[2], O=2, s=3, pad="VALID", note="kernel < stride")
    T(op, sp=[8], C=3, K=[2], O=2, s=3, pad="SAME", note="kernel < stride")
    T(op, sp=[7], C=2, K=[3], O=2, s=1, d=2, pad="SAME")
    T(op, sp=[9], C=2, K=[2], O=2, s=1, d=3, pad="VALID")
    T(op, sp=[9], C=2, K=[3], O=2, s=2, d=2, pad="SAME", note="stride and dilation both > 1")
    T(op, sp=[6], C=2, K=[3], O=3, s=1, pad="SAME", df="NCW")
    T(op, sp=[7], C=2, K=[2], O=2, s=2, pad="VALID", df="NCW")
    T(op, sp=[8], C=2, K=[3], O=2, s=1, d=2, pad="SAME", df="NCW")
    T(op, sp=[7], C=2, K=[3], O=2, s=[2], pad="SAME", note="stride as a length-1 list")
    T(op, sp=[7], C=2, K=[3], O=2, s=[1, 2, 1], pad="SAME", df="NWC", note="stride as a length-3 list (NWC)")
    T(op, sp=[7], C=2, K=[3], O=2, s=[1, 1, 2], pad="SAME", df="NCW", note="stride as a length-3 list (NCW)")
    T(op, sp=[8], C=2, K=[3], O=2, s=1, d=[2], pad="SAME", note="dilations as a length-1 list")
    T(op, sp=[8], C=2, K=[3], O=2, s=1, d=[1, 2, 1], pad="VALID", note="dilations as a length-3 list")
    T(op, sp=[8], C=2, K=[2], O=2, s=1, d=[1, 1, 3], pad="SAME", df="NCW", note="dilations length-3 (NCW)")
    T(op, N=2, sp=[5], C=2, K=[3], O=2, s=1, pad="SAME")
    T(op, N=3, sp=[6], C=1, K=[2], O=2, s=2, pad="VALID", df="NCW")
    T(op, sp=[6], C=4, K=[3], O=4, groups=2, s=1, pad="SAME", note="grouped: 4 input channels, filter in-channels 2, 2 outputs per group")
    T(op, sp=[6], C=6, K=[2], O=6, groups=3, s=1, pad="VALID", df="NCW", note="grouped, 3 groups")
    T(op, sp=[7], C=2, K=[3], O=2, s=1, pad="SAME", imp="x", note="impulse input")
    T(op, sp=[7], C=1, K=[3], O=2, s=2, pad="VALID", imp="x", df="NCW", note="impulse input")
    T(op, sp=[6], C=2, K=[3], O=2, s=1, pad="SAME", dtype="float64")
    T(op, sp=[6], C=2, K=[3], O=2, s=2, pad="SAME", df="NCW", dtype="float64")
    T(op, sp=[8], C=2, K=[3], O=2, s=1, d=2, pad="VALID", dtype="float64")
    T(op, sp=[6], C=2, K=[3], O=2, s=[2, 1, 1], pad="SAME", df="NWC",
      note="length-3 stride whose first (batch) entry is 2: TF prepends 1 and strides the inserted height axis, so the width stride is 1")
    # rejections
    R(op, sp=[6], C=2, K=[3], O=2, s=1, pad=[[0, 0], [1, 1], [0, 0]], note="explicit padding list: conv1d only takes strings")
    R(op, sp=[6], C=3, K=[3], O=2, s=1, pad="SAME", w_in=2, note="input channels 3 not divisible by filter in-channels 2")
    R(op, sp=[3], C=2, K=[5], O=2, s=1, pad="VALID", note="kernel larger than the (unpadded) input")
    R(op, sp=[6], C=2, K=[3], O=2, s=0, pad="SAME", note="stride 0")
    R(op, sp=[6], C=2, K=[3], O=2, s=[2, 2], pad="SAME", note="stride list of length 2")
    R(op, sp=[6], C=2, K=[3], O=2, s=1, d=0, pad="SAME", note="dilation 0")
    R(op, sp=[6], C=2, K=[3], O=2, s=1, pad="same", note="lowercase padding string")

    # ---------------- conv2d: input NHWC / NCHW, filters [KH, KW, C/g, O] ---------------
    op = "conv2d"
    T(op, sp=[5, 5], C=2, K=[3, 3], O=2, s=1, pad="SAME")
    T(op, sp=[5, 4], C=2, K=[2, 2], O=3, s=1, pad="SAME", df="NHWC", note="odd total padding")
    T(op, sp=[5, 6], C=1, K=[3, 2], O=2, s=[2, 1], pad="SAME", note="strides length-2 list, rectangular kernel")
    T(op, sp=[6, 6], C=2, K=[3, 3], O=2, s=2, pad="VALID")
    T(op, sp=[7, 7], C=2, K=[1, 1], O=3, s=3, pad="SAME", note="kernel < stride")
    T(op, sp=[7, 6], C=2, K=[2, 2], O=2, s=[1, 3, 3, 1], pad="VALID", note="kernel < stride, length-4 strides")
    T(op, sp=[7, 7], C=2, K=[3, 3], O=2, s=1, d=2, pad="SAME")
    T(op, sp=[7, 7], C=2, K=[2, 3], O=2, s=2, d=[2, 1], pad="SAME", note="stride and dilation > 1, length-2 dilations")
    T(op, sp=[6, 6], C=2, K=[2, 2], O=2, s=1, d=[1, 2, 3, 1], pad="VALID", note="length-4 dilations")
    T(op, sp=[6, 6], C=2, K=[3, 3], O=2, s=[2], d=[2], pad="SAME", note="length-1 strides and dilations")
    T(op, sp=[5, 5], C=2, K=[3, 3], O=3, s=1, pad="SAME", df="NCHW")
    T(op, sp=[6, 5], C=2, K=[2, 3], O=2, s=[1, 1, 2, 1], pad="SAME", df="NCHW", note="length-4 strides (NCHW)")
    T(op, sp=[7, 7], C=2, K=[3, 3], O=2, s=1, d=[1, 1, 2, 2], pad="VALID", df="NCHW")
    T(op, sp=[5, 5], C=2, K=[3, 3], O=2, s=1, pad=[[0, 0], [1, 2], [0, 1], [0, 0]], note="explicit asymmetric padding")
    T(op, sp=[4, 4], C=2, K=[2, 2], O=2, s=2, pad=[[0, 0], [0, 1], [1, 0], [0, 0]], note="explicit padding, odd totals")
    T(op, sp=[5, 5], C=2, K=[3, 3], O=2, s=1, pad=[[0, 0], [0, 0], [2, 1], [0, 3]], df="NCHW", note="explicit padding, NCHW order")
    T(op, sp=[5, 4], C=2, K=[3, 2], O=2, s=2, d=2, pad=[[0, 0], [2, 2], [1, 0], [0, 0]], note="explicit padding + stride + dilation")
    T(op, sp=[3, 3], C=1, K=[3, 3], O=2, s=1, pad=[[0, 0], [3, 4], [4, 0], [0, 0]], note="padding larger than the kernel")
    T(op, N=2, sp=[4, 4], C=2, K=[3, 3], O=2, s=1, pad="SAME")
    T(op, N=3, sp=[4, 5], C=1, K=[2, 2], O=2, s=1, pad="VALID", df="NCHW")
    T(op, sp=[5, 5], C=4, K=[3, 3], O=4, groups=2, s=1, pad="SAME", note="grouped: filter in-channels 2, 2 outputs per group")
    T(op, sp=[5, 5], C=6, K=[2, 2], O=6, groups=3, s=2, pad="VALID", note="grouped, 3 groups")
    T(op, sp=[5, 5], C=4, K=[3, 3], O=4, groups=2, s=1, pad="SAME", df="NCHW", note="grouped NCHW")
    T(op, sp=[5, 5], C=2, K=[3, 3], O=2, s=1, pad="SAME", imp="x", note="impulse input")
    T(op, sp=[5, 5], C=1, K=[3, 2], O=2, s=1, pad="VALID", imp="x", df="NCHW", note="impulse input")
    T(op, sp=[5, 5], C=2, K=[3, 3], O=2, s=1, pad="SAME", dtype="float64")
    T(op, sp=[6, 6], C=2, K=[3, 3], O=2, s=2, pad="SAME", df="NCHW", dtype="float64")
    T(op, sp=[6, 6], C=2, K=[2, 2], O=2, s=1, d=2, pad=[[0, 0], [0, 0], [1, 1], [1, 0]], df="NCHW", dtype="float64")
    T(op, sp=[2, 2], C=2, K=[3, 3], O=2, s=1, pad="VALID", note="kernel larger than the input: output size 0")
    # rejections
    R(op, sp=[5, 5], C=3, K=[3, 3], O=2, w_in=2, s=1, pad="SAME", note="input channels 3 not divisible by filter in-channels 2")
    R(op, sp=[5, 5], C=4, K=[3, 3], O=3, groups=2, s=1, pad="SAME", note="output channels 3 not divisible by groups 2")
    R(op, sp=[2, 2], C=2, K=[4, 3], O=2, s=1, pad="VALID", note="kernel larger than the input: negative output size")
    R(op, sp=[5, 5], C=2, K=[3, 3], O=2, s=1, pad=[[0, 0], [-1, 0], [1, 1], [0, 0]], note="negative explicit padding")
    R(op, sp=[5, 5], C=2, K=[3, 3], O=2, s=1, pad=[[1, 0], [1, 1], [1, 1], [0, 0]], note="nonzero batch padding")
    R(op, sp=[5, 5], C=2, K=[3, 3], O=2, s=1, pad=[[1, 1], [1, 1]], note="explicit padding with only spatial pairs")
    R(op, sp=[5, 5], C=2, K=[3, 3], O=2, s=[2, 1, 1, 1], pad="SAME", note="stride in the batch dimension")
    R(op, sp=[5, 5], C=2, K=[3, 3], O=2, s=[1, 2, 1], pad="SAME", note="strides of length 3")

    # ---------------- conv3d: input NDHWC / NCDHW, filters [KD, KH, KW, C/g, O] ----------
    op = "conv3d"
    T(op, sp=[4, 4, 4], C=2, K=[2, 2, 2], O=2, s=[1, 1, 1, 1, 1], pad="SAME", note="odd total padding")
    T(op, sp=[4, 4, 3], C=2, K=[3, 3, 3], O=2, s=[1, 1, 1, 1, 1], pad="SAME")
    T(op, sp=[4, 5, 4], C=1, K=[3, 2, 2], O=3, s=[1, 2, 2, 2, 1], pad="SAME")
    T(op, sp=[5, 5, 5], C=2, K=[2, 3, 2], O=2, s=[1, 2, 1, 2, 1], pad="VALID")
    T(op, sp=[5, 5, 5], C=1, K=[1, 1, 1], O=2, s=[1, 3, 2, 3, 1], pad="SAME", note="kernel < stride")
    T(op, sp=[6, 5, 6], C=2, K=[2, 2, 2], O=2, s=[1, 3, 3, 3, 1], pad="VALID", note="kernel < stride")
    T(op, sp=[5, 5, 5], C=1, K=[2, 2, 2], O=2, s=[1, 1, 1, 1, 1], d=[1, 2, 2, 2, 1], pad="SAME")
    T(op, sp=[5, 5, 5], C=2, K=[2, 2, 2], O=2, s=[1, 2, 2, 2, 1], d=[1, 2, 1, 2, 1], pad="SAME", note="stride and dilation > 1")
    T(op, sp=[4, 4, 4], C=2, K=[2, 2, 2], O=3, s=[1, 1, 1, 1, 1], pad="SAME", df="NCDHW")
    T(op, sp=[5, 4, 5], C=2, K=[3, 2, 2], O=2, s=[1, 1, 2, 1, 2], pad="VALID", df="NCDHW")
    T(op, sp=[5, 5, 5], C=1, K=[2, 2, 2], O=2, s=[1, 1, 1, 1, 1], d=[1, 1, 2, 1, 2], pad="SAME", df="NCDHW")
    T(op, N=2, sp=[3, 4, 3], C=2, K=[2, 2, 2], O=2, s=[1, 1, 1, 1, 1], pad="SAME")
    T(op, N=2, sp=[4, 3, 3], C=1, K=[2, 2, 2], O=2, s=[1, 1, 2, 1, 1], pad="VALID", df="NCDHW")
    T(op, sp=[4, 4, 4], C=2, K=[3, 3, 3], O=2, s=[1, 1, 1, 1, 1], pad="SAME", imp="x", note="impulse input")
    T(op, sp=[3, 4, 4], C=1, K=[2, 3, 2], O=2, s=[1, 1, 1, 1, 1], pad="VALID", imp="w", note="impulse kernel")
    T(op, sp=[4, 4, 4], C=2, K=[2, 2, 2], O=2, s=[1, 1, 1, 1, 1], pad="SAME", dtype="float64")
    T(op, sp=[4, 4, 4], C=2, K=[2, 2, 2], O=2, s=[1, 2, 2, 2, 1], pad="SAME", df="NCDHW", dtype="float64")
    T(op, sp=[5, 5, 5], C=1, K=[2, 2, 2], O=2, s=[1, 1, 1, 1, 1], d=[1, 2, 2, 2, 1], pad="VALID", dtype="float64")
    T(op, sp=[2, 4, 4], C=1, K=[3, 2, 2], O=2, s=[1, 1, 1, 1, 1], pad="VALID", note="kernel depth 3 > input depth 2: output depth 0")
    # rejections
    R(op, sp=[4, 4, 4], C=2, K=[2, 2, 2], O=2, s=1, pad="SAME", note="int strides: conv3d wants a length-5 list")
    R(op, sp=[4, 4, 4], C=2, K=[2, 2, 2], O=2, s=[2, 2, 2], pad="SAME", note="length-3 strides")
    R(op, sp=[4, 4, 4], C=2, K=[2, 2, 2], O=2, s=[2], pad="SAME", note="length-1 strides")
    R(op, sp=[4, 4, 4], C=2, K=[2, 2, 2], O=2, s=[1, 1, 1, 1, 1], d=2, pad="SAME", note="int dilations")
    R(op, sp=[4, 4, 4], C=2, K=[2, 2, 2], O=2, s=[1, 1, 1, 1, 1], d=[2, 2, 2], pad="SAME", note="length-3 dilations")
    R(op, sp=[4, 4, 4], C=2, K=[2, 2, 2], O=2, s=[1, 1, 1, 1, 1], pad=[[0, 0], [1, 0], [0, 1], [1, 1], [0, 0]], note="explicit padding: conv3d only takes strings")
    R(op, sp=[3, 3, 3], C=4, K=[2, 2, 2], O=2, groups=2, s=[1, 1, 1, 1, 1], pad="SAME", note="grouped conv3d (input channels 4, filter in-channels 2)")
    R(op, sp=[4, 4, 4], C=2, K=[2, 2, 2], O=2, s=[2, 1, 1, 1, 1], pad="SAME", note="stride in the batch dimension")

    # ---------------- conv1d_transpose: filters [K, O, C] -------------------------------
    op = "conv1d_transpose"
    T(op, sp=[5], C=2, K=[3], O=2, s=1, pad="SAME", seed=True, note="the seed case: TF conv1d_transpose, SAME, stride 1")
    T(op, sp=[4], C=2, K=[3], O=2, s=2, pad="SAME", out=[8], note="stride 2, output 8 (= input*stride)")
    T(op, sp=[4], C=2, K=[3], O=2, s=2, pad="SAME", out=[7], note="stride 2, output 7: the other SAME-consistent size")
    T(op, sp=[4], C=1, K=[2], O=2, s=2, pad="SAME", out=[8])
    T(op, sp=[4], C=1, K=[2], O=2, s=2, pad="SAME", out=[7], note="odd total padding")
    T(op, sp=[4], C=2, K=[4], O=2, s=2, pad="VALID", note="VALID, output (in-1)*s+k")
    T(op, sp=[4], C=2, K=[4], O=2, s=2, pad="VALID", out_delta=1, note="VALID, output (in-1)*s+k+1 (also consistent)")
    T(op, sp=[3], C=2, K=[1], O=2, s=3, pad="SAME", note="kernel < stride")
    T(op, sp=[3], C=2, K=[2], O=2, s=3, pad="VALID", out_delta=2, note="kernel < stride, VALID with the largest consistent output")
    T(op, sp=[3], C=2, K=[2], O=2, s=3, pad="SAME", out=[8], note="kernel < stride, SAME with output 8")
    T(op, sp=[5], C=2, K=[3], O=2, s=1, d=2, pad="SAME", note="dilation 2")
    T(op, sp=[4], C=2, K=[2], O=2, s=2, d=2, pad="SAME", note="stride 2 and dilation 2")
    T(op, sp=[4], C=2, K=[2], O=2, s=1, d=3, pad="VALID")
    T(op, sp=[4], C=2, K=[3], O=3, s=2, pad="SAME", df="NCW")
    T(op, sp=[4], C=2, K=[3], O=2, s=2, pad="SAME", out=[7], df="NCW")
    T(op, sp=[4], C=2, K=[2], O=2, s=1, d=2, pad="VALID", df="NCW")
    T(op, sp=[4], C=2, K=[3], O=2, s=[2], pad="SAME", note="strides as a length-1 list")
    T(op, sp=[4], C=2, K=[3], O=2, s=[1, 2, 1], pad="SAME", df="NWC", note="strides as a length-3 list")
    T(op, sp=[4], C=2, K=[3], O=2, s=[1, 1, 2], pad="VALID", df="NCW", note="strides length-3 (NCW)")
    T(op, sp=[4], C=2, K=[2], O=2, s=1, d=[1, 2, 1], pad="SAME", note="dilations length-3 list")
    T(op, N=2, sp=[4], C=2, K=[3], O=2, s=2, pad="SAME")
    T(op, N=3, sp=[3], C=1, K=[3], O=2, s=1, pad="VALID", df="NCW")
    T(op, sp=[5], C=2, K=[3], O=2, s=2, pad="SAME", imp="x", note="impulse input")
    T(op, sp=[4], C=1, K=[3], O=2, s=1, pad="VALID", imp="x", df="NCW", note="impulse input")
    T(op, sp=[4], C=2, K=[3], O=2, s=2, pad="SAME", dtype="float64")
    T(op, sp=[4], C=2, K=[3], O=2, s=1, d=2, pad="SAME", dtype="float64", note="float64 with dilation")
    T(op, sp=[4], C=2, K=[3], O=2, s=2, pad="SAME", df="NCW", dtype="float64")
    # rejections
    R(op, sp=[4], C=2, K=[3], O=2, s=2, pad="SAME", out=[9], note="inconsistent output_shape (9 for input 4, stride 2, SAME)")
    R(op, sp=[4], C=2, K=[3], O=2, s=2, pad="VALID", out=[8], note="inconsistent output_shape for VALID")
    R(op, sp=[4], C=2, K=[3], O=2, s=2, pad=[[0, 0], [1, 0], [0, 0]], out=[8], note="explicit padding list")
    R(op, sp=[4], C=3, K=[3], O=2, w_in=2, s=1, pad="SAME", note="input channels 3 vs filter in-channels 2")
    R(op, sp=[4], C=2, K=[3], O=2, s=2, pad="SAME", output_shape=[1, 8, 3], note="output_shape channels 3 vs filter out-channels 2")
    R(op, sp=[4], C=2, K=[3], O=2, s=2, pad="SAME", output_shape=[1, -8, 2], isolate=True, note="negative output_shape")

    # ---------------- conv2d_transpose: filters [KH, KW, O, C] ---------------------------
    op = "conv2d_transpose"
    T(op, sp=[4, 4], C=2, K=[3, 3], O=2, s=2, pad="SAME", out=[8, 8])
    T(op, sp=[4, 4], C=2, K=[3, 3], O=2, s=2, pad="SAME", out=[7, 7], note="stride 2, output 7: other SAME parity")
    T(op, sp=[4, 4], C=2, K=[3, 3], O=2, s=2, pad="SAME", out=[7, 8], note="mixed parities")
    T(op, sp=[3, 3], C=2, K=[3, 3], O=2, s=2, pad="SAME", out=[6, 5], df="NCHW", note="SAME parities, NCHW")
    T(op, sp=[4, 3], C=2, K=[2, 2], O=3, s=2, pad="SAME", out=[8, 5], note="k2 s2 odd output")
    T(op, sp=[3, 3], C=2, K=[4, 4], O=2, s=2, pad="SAME", out=[5, 6], note="k4 s2")
    T(op, sp=[3, 3], C=2, K=[3, 3], O=2, s=1, pad="SAME")
    T(op, sp=[3, 3], C=2, K=[3, 3], O=2, s=2, pad="VALID", note="VALID output (in-1)*s+k")
    T(op, sp=[3, 3], C=2, K=[3, 3], O=2, s=2, pad="VALID", out_delta=1, note="VALID output +1 (consistent)")
    T(op, sp=[3, 3], C=1, K=[1, 2], O=2, s=3, pad="SAME", note="kernel < stride")
    T(op, sp=[3, 2], C=2, K=[2, 1], O=2, s=[3, 3], pad="VALID", out_delta=2, note="kernel < stride, VALID largest output")
    T(op, sp=[3, 3], C=2, K=[3, 3], O=2, s=1, d=2, pad="SAME", note="dilation 2")
    T(op, sp=[3, 3], C=2, K=[2, 2], O=2, s=2, d=2, pad="SAME", out=[6, 5], note="stride 2 + dilation 2")
    T(op, sp=[3, 3], C=2, K=[2, 2], O=2, s=1, d=[1, 2, 2, 1], pad="VALID", note="length-4 dilations")
    T(op, sp=[3, 3], C=2, K=[3, 3], O=2, s=2, pad=[[0, 0], [1, 1], [1, 1], [0, 0]], note="explicit padding")
    T(op, sp=[3, 3], C=2, K=[3, 3], O=2, s=2, pad=[[0, 0], [0, 1], [2, 0], [0, 0]], note="explicit asymmetric padding")
    T(op, sp=[3, 3], C=2, K=[3, 2], O=2, s=2, pad=[[0, 0], [0, 0], [1, 0], [0, 1]], df="NCHW", note="explicit padding NCHW")
    T(op, sp=[3, 3], C=2, K=[3, 3], O=2, s=2, pad=[[0, 0], [1, 0], [0, 0], [0, 0]], out_delta=1, note="explicit padding, larger consistent output")
    T(op, sp=[3, 3], C=2, K=[3, 3], O=2, s=[1, 2, 2, 1], pad="SAME", note="length-4 strides")
    T(op, sp=[3, 3], C=2, K=[3, 3], O=2, s=[2], pad="SAME", note="length-1 strides")
    T(op, sp=[3, 3], C=2, K=[2, 2], O=2, s=[2, 2], d=[2, 2], pad="SAME", note="length-2 strides and dilations")
    T(op, sp=[3, 3], C=2, K=[2, 2], O=2, s=1, d=[2], pad="VALID", note="length-1 dilations")
    T(op, sp=[3, 3], C=2, K=[3, 3], O=2, s=[1, 1, 2, 1], pad="SAME", df="NCHW", note="length-4 strides NCHW")
    T(op, sp=[3, 3], C=2, K=[3, 3], O=2, s=1, d=2, pad="SAME", df="NCHW", note="dilation, NCHW")
    T(op, N=2, sp=[3, 3], C=2, K=[2, 2], O=2, s=2, pad="SAME")
    T(op, N=2, sp=[3, 3], C=1, K=[3, 3], O=2, s=1, pad="VALID", df="NCHW")
    T(op, sp=[3, 3], C=2, K=[3, 3], O=2, s=2, pad="SAME", imp="x", note="impulse input")
    T(op, sp=[3, 3], C=1, K=[3, 3], O=2, s=1, pad="SAME", imp="x", df="NCHW", note="impulse input")
    T(op, sp=[3, 3], C=2, K=[3, 3], O=2, s=2, pad="SAME", dtype="float64")
    T(op, sp=[3, 3], C=2, K=[2, 2], O=2, s=2, d=2, pad="SAME", dtype="float64", note="float64 with dilation")
    T(op, sp=[3, 3], C=2, K=[3, 3], O=2, s=2, pad="SAME", out=[5, 6], df="NCHW", dtype="float64")
    # rejections
    R(op, sp=[4, 4], C=2, K=[3, 3], O=2, s=2, pad="SAME", out=[9, 9], note="inconsistent output_shape")
    R(op, sp=[4, 4], C=2, K=[3, 3], O=2, s=2, pad="SAME", out=[6, 8], note="inconsistent output_shape (too small)")
    R(op, sp=[3, 3], C=2, K=[3, 3], O=2, s=2, pad=[[0, 0], [-1, 0], [0, 0], [0, 0]], out=[8, 7], note="negative explicit padding")
    R(op, sp=[3, 3], C=2, K=[3, 3], O=2, s=2, pad=[[1, 0], [1, 1], [1, 1], [0, 0]], note="nonzero batch padding")
    R(op, sp=[3, 3], C=2, K=[3, 3], O=2, s=2, pad="SAME", output_shape=[1, 6, 6, 3], note="output_shape channels 3 vs filter out-channels 2")
    R(op, sp=[3, 3], C=2, K=[3, 3], O=2, s=2, pad="SAME", output_shape=[2, 6, 6, 2], note="output_shape batch 2 vs input batch 1")
    R(op, sp=[3, 3], C=3, K=[3, 3], O=2, w_in=2, s=2, pad="SAME", note="input channels 3 vs filter in-channels 2")
    R(op, sp=[3, 3], C=2, K=[3, 3], O=2, s=2, pad="SAME", output_shape=[1, 6, 0, 2], note="zero-size output_shape")
    R(op, sp=[3, 3], C=2, K=[3, 3], O=2, s=2, pad="SAME", output_shape=[1, -6, 6, 2], isolate=True, note="negative output_shape")

    # ---------------- conv3d_transpose: filters [KD, KH, KW, O, C] ------------------------
    op = "conv3d_transpose"
    T(op, sp=[2, 2, 2], C=2, K=[3, 3, 3], O=2, s=[1, 2, 2, 2, 1], pad="SAME")
    T(op, sp=[2, 2, 2], C=2, K=[3, 3, 3], O=2, s=[1, 2, 2, 2, 1], pad="SAME", out=[3, 4, 3], note="mixed SAME parities")
    T(op, sp=[3, 2, 2], C=1, K=[2, 2, 2], O=2, s=[1, 2, 2, 2, 1], pad="SAME", out=[5, 4, 3], note="k2 s2 odd outputs")
    T(op, sp=[3, 3, 3], C=2, K=[2, 2, 2], O=2, s=[1, 1, 1, 1, 1], pad="SAME", note="odd total padding")
    T(op, sp=[2, 2, 2], C=2, K=[2, 3, 2], O=2, s=[1, 2, 1, 2, 1], pad="VALID")
    T(op, sp=[2, 2, 2], C=1, K=[2, 2, 2], O=2, s=[1, 2, 2, 2, 1], pad="VALID", out_delta=1, note="VALID largest consistent output")
    T(op, sp=[2, 2, 2], C=2, K=[1, 1, 1], O=2, s=[1, 3, 3, 3, 1], pad="SAME", note="kernel < stride")
    T(op, sp=[2, 2, 2], C=2, K=[2, 1, 2], O=2, s=[1, 3, 2, 3, 1], pad="VALID", note="kernel < stride")
    T(op, sp=[3, 3, 3], C=1, K=[2, 2, 2], O=2, s=[1, 1, 1, 1, 1], d=[1, 2, 2, 2, 1], pad="SAME", note="dilation 2")
    T(op, sp=[2, 2, 2], C=2, K=[2, 2, 2], O=2, s=[1, 2, 2, 2, 1], d=[1, 2, 1, 2, 1], pad="SAME", note="stride 2 + dilation 2")
    T(op, sp=[2, 3, 2], C=1, K=[2, 2, 2], O=2, s=[1, 1, 1, 1, 1], d=2, pad="VALID", note="int dilations")
    T(op, sp=[2, 2, 2], C=2, K=[3, 3, 3], O=2, s=[1, 1, 2, 2, 2], pad="SAME", df="NCDHW")
    T(op, sp=[2, 2, 2], C=2, K=[2, 2, 2], O=2, s=[1, 1, 2, 2, 2], pad="SAME", out=[3, 4, 3], df="NCDHW")
    T(op, sp=[2, 2, 3], C=1, K=[2, 2, 2], O=2, s=[1, 1, 1, 1, 1], d=[1, 1, 2, 2, 1], pad="VALID", df="NCDHW")
    T(op, sp=[2, 2, 2], C=2, K=[2, 2, 2], O=2, s=2, pad="SAME", note="int strides")
    T(op, sp=[2, 2, 2], C=2, K=[2, 2, 2], O=2, s=[2, 2, 2], pad="SAME", note="length-3 strides")
    T(op, N=2, sp=[2, 2, 2], C=2, K=[2, 2, 2], O=2, s=[1, 2, 2, 2, 1], pad="SAME")
    T(op, N=2, sp=[2, 2, 2], C=1, K=[2, 2, 2], O=2, s=[1, 1, 1, 1, 1], pad="VALID", df="NCDHW")
    T(op, sp=[2, 2, 2], C=2, K=[3, 3, 3], O=2, s=[1, 2, 2, 2, 1], pad="SAME", imp="x", note="impulse input")
    T(op, sp=[2, 2, 2], C=1, K=[2, 2, 2], O=2, s=[1, 1, 1, 1, 1], pad="VALID", imp="w", note="impulse kernel")
    T(op, sp=[2, 2, 2], C=2, K=[2, 2, 2], O=2, s=[1, 2, 2, 2, 1], pad="SAME", dtype="float64")
    T(op, sp=[2, 2, 2], C=1, K=[2, 2, 2], O=2, s=[1, 1, 1, 1, 1], d=[1, 2, 2, 2, 1], pad="SAME", dtype="float64", note="float64 with dilation")
    T(op, sp=[2, 2, 2], C=2, K=[2, 2, 2], O=2, s=[1, 1, 2, 2, 2], pad="SAME", df="NCDHW", dtype="float64")
    # rejections
    R(op, sp=[2, 2, 2], C=2, K=[3, 3, 3], O=2, s=[1, 2, 2, 2, 1], pad="SAME", out=[5, 4, 4], note="inconsistent output_shape")
    R(op, sp=[2, 2, 2], C=2, K=[2, 2, 2], O=2, s=[1, 2, 2, 2, 1], pad=[[0, 0], [0, 0], [0, 0], [0, 0], [0, 0]], out=[4, 4, 4], note="explicit padding list")
    R(op, sp=[2, 2, 2], C=3, K=[2, 2, 2], O=2, w_in=2, s=[1, 2, 2, 2, 1], pad="SAME", note="input channels 3 vs filter in-channels 2")
    R(op, sp=[2, 2, 2], C=2, K=[2, 2, 2], O=2, s=[1, 2, 2, 2, 1], pad="SAME", output_shape=[1, 4, 4, 4, 3], note="output_shape channels mismatch")

    # ---------------- depthwise_conv2d: filter [KH, KW, C, M] ------------------------------
    op = "depthwise_conv2d"
    T(op, sp=[5, 5], C=2, K=[3, 3], M=2, s=[1, 1, 1, 1], pad="SAME")
    T(op, sp=[5, 4], C=3, K=[2, 2], M=1, s=[1, 1, 1, 1], pad="SAME", note="odd total padding, multiplier 1")
    T(op, sp=[6, 6], C=2, K=[3, 3], M=2, s=[1, 2, 2, 1], pad="SAME")
    T(op, sp=[6, 6], C=2, K=[3, 2], M=3, s=[1, 2, 2, 1], pad="VALID", note="multiplier 3")
    T(op, sp=[7, 7], C=2, K=[1, 1], M=2, s=[1, 3, 3, 1], pad="SAME", note="kernel < stride")
    T(op, sp=[7, 7], C=1, K=[2, 2], M=2, s=[1, 3, 3, 1], pad="VALID", note="kernel < stride")
    T(op, sp=[6, 5], C=2, K=[3, 3], M=2, s=[1, 2, 1, 1], pad="VALID", note="unequal strides")
    T(op, sp=[7, 7], C=2, K=[3, 3], M=2, s=[1, 1, 1, 1], d=[2, 2], pad="SAME", note="dilation 2")
    T(op, sp=[7, 6], C=2, K=[2, 2], M=1, s=[1, 1, 1, 1], d=[3, 2], pad="VALID", note="unequal dilations")
    T(op, sp=[7, 7], C=2, K=[3, 3], M=2, s=[1, 2, 2, 1], d=[2, 2], pad="SAME",
      note="stride 2 with dilation 2: TF warns 'When dilation rate is greater than 1, then all values of strides must be 1' and still returns a result")
    T(op, sp=[7, 7], C=1, K=[2, 2], M=2, s=[1, 2, 2, 1], d=[2, 2], pad="VALID", note="stride 2 with dilation 2, VALID")
    T(op, sp=[5, 5], C=2, K=[3, 3], M=2, s=[1, 1, 1, 1], pad="SAME", df="NCHW")
    T(op, sp=[6, 6], C=2, K=[3, 3], M=2, s=[1, 1, 2, 2], pad="SAME", df="NCHW")
    T(op, sp=[7, 7], C=2, K=[3, 3], M=1, s=[1, 1, 1, 1], d=[2, 2], pad="VALID", df="NCHW")
    T(op, sp=[5, 5], C=2, K=[3, 3], M=2, s=[1, 1, 1, 1], pad=[[0, 0], [1, 0], [1, 2], [0, 0]], note="explicit padding")
    T(op, sp=[5, 5], C=2, K=[3, 3], M=2, s=[1, 1, 1, 1], pad=[[0, 0], [0, 0], [2, 0], [0, 1]], df="NCHW", note="explicit padding NCHW")
    T(op, sp=[5, 5], C=2, K=[2, 2], M=2, s=[1, 2, 2, 1], pad=[[0, 0], [0, 1], [1, 0], [0, 0]], note="explicit padding + stride")
    T(op, sp=[6, 6], C=1, K=[2, 2], M=2, s=[1, 1, 1, 1], d=[2, 2], pad=[[0, 0], [1, 0], [1, 2], [0, 0]], note="explicit padding + dilation")
    T(op, N=2, sp=[4, 4], C=2, K=[3, 3], M=2, s=[1, 1, 1, 1], pad="SAME")
    T(op, N=3, sp=[4, 4], C=1, K=[2, 2], M=2, s=[1, 1, 1, 1], pad="VALID", df="NCHW")
    T(op, sp=[5, 5], C=2, K=[3, 3], M=2, s=[1, 1, 1, 1], pad="SAME", imp="x", note="impulse input")
    T(op, sp=[5, 5], C=2, K=[3, 3], M=1, s=[1, 1, 1, 1], pad="VALID", imp="x", df="NCHW", note="impulse input")
    T(op, sp=[5, 5], C=2, K=[3, 3], M=2, s=[1, 1, 1, 1], pad="SAME", dtype="float64")
    T(op, sp=[6, 6], C=2, K=[3, 3], M=2, s=[1, 1, 2, 2], pad="SAME", df="NCHW", dtype="float64")
    T(op, sp=[7, 7], C=1, K=[2, 2], M=2, s=[1, 1, 1, 1], d=[2, 2], pad="SAME", dtype="float64")
    T(op, sp=[2, 5], C=2, K=[3, 3], M=1, s=[1, 1, 1, 1], pad="VALID", note="kernel taller than the input")
    T(op, sp=[6, 6], C=2, K=[3, 3], M=2, s=[1, 1, 1, 1], d=[2], pad="SAME", note="length-1 dilations")
    # rejections
    R(op, sp=[5, 5], C=2, K=[3, 3], M=2, w_in=3, s=[1, 1, 1, 1], pad="SAME", note="filter in-channels 3 vs input channels 2")
    R(op, sp=[5, 5], C=2, K=[3, 3], M=2, s=2, pad="SAME", note="int strides")
    R(op, sp=[5, 5], C=2, K=[3, 3], M=2, s=[2, 2], pad="SAME", note="length-2 strides")
    R(op, sp=[5, 5], C=2, K=[3, 3], M=2, s=[1, 1, 1, 1], d=2, pad="SAME", note="int dilations")
    R(op, sp=[5, 5], C=2, K=[3, 3], M=2, s=[2, 1, 1, 1], pad="SAME", note="stride in the batch dimension")
    R(op, sp=[5, 5], C=2, K=[3, 3], M=2, s=[1, 1, 1, 1], pad=[[0, 0], [-1, 0], [1, 1], [0, 0]], note="negative explicit padding")
    R(op, sp=[5, 5], C=2, K=[3, 3], M=2, s=[1, 1, 1, 1], pad=[[1, 0], [1, 0], [1, 2], [0, 0]], note="nonzero batch padding")
    return L


def build_cases(gen):
    """Turn specs into concrete cases (id, op, attrs, inputs, dtype, meta). Deterministic."""
    out = []
    for sp in specs():
        op = sp["op"]
        n, skey, dfdef, kind = OPS[op]
        df = sp.get("df") or dfdef
        last = df[1] != "C"
        N, C, S, K = sp.get("N", 1), sp["C"], list(sp["sp"]), list(sp["K"])
        dtype = sp.get("dtype", "float32")
        pad = sp["pad"]
        strides = sp["s"]
        dil = sp.get("d")
        # shapes
        xshape = [N] + S + [C] if last else [N, C] + S
        if kind == "fwd":
            groups = sp.get("groups", 1)
            wshape = K + [sp.get("w_in", C // groups), sp["O"]]
        elif kind == "tr":
            wshape = K + [sp["O"], sp.get("w_in", C)]
        else:
            wshape = K + [sp.get("w_in", C), sp.get("M", 2)]
        attrs = {}
        if kind == "tr":
            if "output_shape" in sp:
                oshape = sp["output_shape"]
            else:
                try:
                    ss = _sp(strides, n, df)
                    dd = _sp(dil, n, df)
                except RefError:
                    ss, dd = [1] * n, [1] * n
                eff = [(k - 1) * d + 1 for k, d in zip(K, dd)]
                if sp.get("out"):
                    osp = list(sp["out"])
                elif pad == "SAME":
                    osp = [i * s for i, s in zip(S, ss)]
                elif pad == "VALID":
                    osp = [(i - 1) * s + e + sp.get("out_delta", 0) for i, s, e in zip(S, ss, eff)]
                else:
                    pp = pad[1:-1] if last else pad[2:]
                    osp = [(i - 1) * s + e - lo - hi + sp.get("out_delta", 0)
                           for i, s, e, (lo, hi) in zip(S, ss, eff, pp)]
                oshape = [N] + osp + [sp["O"]] if last else [N, sp["O"]] + osp
            attrs["output_shape"] = oshape
        attrs[skey] = strides
        attrs["padding"] = pad
        if "df" in sp:
            attrs["data_format"] = df
        if dil is not None:
            attrs["dilations"] = dil
        # id
        try:
            stok = _tok(_sp(strides, n, df), "s")
        except RefError:
            stok = "s" + "x".join(map(str, strides)) if isinstance(strides, list) else "s%s" % strides
        try:
            dvals = _sp(dil, n, df, depthwise_dil=(kind == "dw"))
            dtok = _tok(dvals, "d") if max(dvals) > 1 or min(dvals) < 1 else None
        except RefError:
            dtok = "dbad"
        ptok = pad.lower() if isinstance(pad, str) else "explicit"
        tags = ["seed"] if sp.get("seed") else []
        tags += [stok, _tok(K, "k"), dtok, ptok, df.lower()]
        if kind == "fwd" and sp.get("groups", 1) > 1:
            tags.append("g%d" % sp["groups"])
        cid, rng, dkind = gen.open_case(op, tags, sp, N, dtype)
        if sp.get("seed"):
            x = np.asarray([[[1, 2, 3, 4, -5], [1, 2, 3, 4, 5]]], np.float32).transpose(0, 2, 1)
            w = np.array([[[1, 0, -1], [-1, 0, 1]], [[1, 1, 1], [-1, -1, -1]]], np.float32).transpose(2, 1, 0)
            attrs = {"output_shape": [1, 5, 2], "strides": 1, "padding": "SAME"}
        else:
            x, w = gen.input_and_kernel(rng, sp, xshape, wshape, dkind, dtype)
        out.append(dict(id=cid, op=op, attrs=attrs, x=x, w=w, dtype=dtype, note=sp.get("note"),
                        isolate=sp.get("isolate", False), err=sp.get("err", False)))
    return out


# ------------------------------------------------------------------------------------------
# running TF
# ------------------------------------------------------------------------------------------
class Refused(Exception):
    pass


def _reorder(v, n):
    """Reorder an N+2-long channels-first list to channels-last."""
    return [v[0]] + list(v[2:]) + [v[1]]


def tf_call(tf, op, x, w, attrs):
    fn = getattr(tf.nn, op)
    if op == "depthwise_conv2d":
        r = fn(input=x, filter=w, **attrs)
    else:
        r = fn(input=x, filters=w, **attrs)
    return np.asarray(r.numpy())


def tf_run(tf, op, x, w, attrs, notes):
    """Call TF; on a backend-only refusal of a valid call, compute the same thing another TF way."""
    try:
        return tf_call(tf, op, x, w, attrs)
    except Exception as e:      # noqa: BLE001 - any library exception becomes a fixture error
        msg = clean_error(e)
    n, skey, dfdef, kind = OPS[op]
    df = attrs.get("data_format") or dfdef
    if any(p in msg for p in LAYOUT_REFUSALS) and df[1] == "C":
        a2 = dict(attrs)
        a2["data_format"] = {"NCW": "NWC", "NCHW": "NHWC", "NCDHW": "NDHWC"}[df]
        for k in (skey, "dilations"):
            if isinstance(a2.get(k), (list, tuple)) and len(a2[k]) == n + 2:
                a2[k] = _reorder(a2[k], n)
        if isinstance(a2["padding"], list) and len(a2["padding"]) == n + 2:
            a2["padding"] = _reorder(a2["padding"], n)
        if "output_shape" in a2:
            a2["output_shape"] = _reorder(a2["output_shape"], n)
        notes.append("TF CPU refused this call for a backend reason (%s); expected computed with TF by "
                     "transposing the input to %s, calling with data_format='%s' and transposing back"
                     % (msg[:120], a2["data_format"], a2["data_format"]))
        r = tf_run(tf, op, np.moveaxis(x, 1, -1), w, a2, notes)
        return np.moveaxis(r, -1, 1)
    if any(p in msg for p in DILATION_REFUSALS):
        dil = _sp(attrs.get("dilations"), n, df, depthwise_dil=(kind == "dw"))
        wd = w
        for ax, d in enumerate(dil):
            if d > 1:
                k = wd.shape[ax]
                shp = list(wd.shape)
                shp[ax] = (k - 1) * d + 1
                z = np.zeros(shp, wd.dtype)
                idx = [slice(None)] * wd.ndim
                idx[ax] = slice(None, None, d)
                z[tuple(idx)] = wd
                wd = z
        a2 = dict(attrs)
        a2.pop("dilations", None)
        notes.append("TF CPU refused this call for a backend reason (%s); expected computed with TF by "
                     "inserting the dilation zeros into the kernel explicitly (kernel size (k-1)*d+1) and "
                     "calling with dilations=1" % msg[:120])
        return tf_run(tf, op, x, wd, a2, notes)
    raise Refused(msg)


def run_case(tf, c):
    notes = []
    try:
        return ("ok", tf_run(tf, c["op"], c["x"], c["w"], c["attrs"], notes), notes)
    except Refused as e:
        return ("err", str(e), notes)


def run_isolated(c):
    """Run one call in a child process (some invalid calls abort the process in TF's C++ code)."""
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "case.pkl"), "wb") as f:
            pickle.dump(c, f)
        p = subprocess.run([sys.executable, os.path.abspath(__file__), "--single", d],
                           capture_output=True, text=True, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
        res = os.path.join(d, "result.pkl")
        if os.path.exists(res):
            with open(res, "rb") as f:
                return pickle.load(f)
        line = next((l for l in p.stderr.splitlines() if "Check failed" in l), p.stderr.strip()[-200:])
        line = line[line.find("Check failed"):] if "Check failed" in line else line
        return ("crash", "process aborted (exit %d): %s" % (p.returncode, line), [])


def import_tf():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import warnings
    warnings.filterwarnings("ignore")
    import tensorflow as tf
    return tf


def run_all(cases, isolate):
    tf = import_tf()
    res = {}
    for c in cases:
        if isolate and c["isolate"]:
            res[c["id"]] = run_isolated(c)
        else:
            res[c["id"]] = run_case(tf, c)
    return res, tf.__version__


# ------------------------------------------------------------------------------------------
# mathematical reference (cross-check only)
# ------------------------------------------------------------------------------------------
def tf_reference(c):
    op, x, w, a = c["op"], c["x"], c["w"], c["attrs"]
    n, skey, dfdef, kind = OPS[op]
    df = a.get("data_format") or dfdef
    last = df[1] != "C"
    pad = a["padding"]
    if isinstance(pad, str) and pad not in ("SAME", "VALID"):
        raise RefError("padding string")
    if not isinstance(pad, str):
        if op not in ("conv2d", "conv2d_transpose", "depthwise_conv2d") or len(pad) != n + 2:
            raise RefError("explicit padding not accepted")
        nonsp = [pad[0], pad[-1]] if last else pad[:2]
        if any(v != 0 for p in nonsp for v in p) or any(v < 0 for p in pad for v in p):
            raise RefError("bad explicit padding")
        pad = pad[1:-1] if last else pad[2:]
    s = _sp(a[skey], n, df)
    if isinstance(a[skey], list) and len(a[skey]) == n + 2 and op != "conv1d":
        nonsp = [a[skey][0], a[skey][-1]] if last else a[skey][:2]
        if any(v != 1 for v in nonsp):
            raise RefError("stride on batch/channel")
    d = _sp(a.get("dilations"), n, df, depthwise_dil=(kind == "dw"))
    if min(s) < 1 or min(d) < 1:
        raise RefError("non-positive stride/dilation")
    xc = np.moveaxis(x, -1, 1) if last else x
    K = list(w.shape[:n])
    eff = [(k - 1) * dd + 1 for k, dd in zip(K, d)]
    if kind == "tr":
        osh = list(a["output_shape"])
        osp = osh[1:-1] if last else osh[2:]
        ocn = osh[-1] if last else osh[1]
        if osh[0] != x.shape[0] or ocn != w.shape[n] or xc.shape[1] != w.shape[n + 1] or min(osp) < 1:
            raise RefError("shape mismatch")
        if pad == "SAME":
            pads = same_pads(osp, eff, s)
        elif pad == "VALID":
            pads = [(0, 0)] * n
        else:
            pads = [tuple(p) for p in pad]
        fwd = [(o + lo + hi - e) // st + 1 for o, (lo, hi), e, st in zip(osp, pads, eff, s)]
        if fwd != list(xc.shape[2:]):
            raise RefError("output_shape inconsistent")
        wc = np.transpose(w, [n + 1, n] + list(range(n)))
        r = conv_scatter(xc, wc, s, [p[0] for p in pads], d, osp)
    else:
        if kind == "dw":
            C, M = w.shape[2], w.shape[3]
            if xc.shape[1] != C:
                raise RefError("channels")
            wc = np.transpose(w, (2, 3, 0, 1)).reshape(C * M, 1, *K)
            groups = C
        else:
            wc = np.transpose(w, [n + 1, n] + list(range(n)))
            I = w.shape[n]
            if xc.shape[1] % I:
                raise RefError("channels")
            groups = xc.shape[1] // I
        if pad == "SAME":
            pads = same_pads(xc.shape[2:], eff, s)
        elif pad == "VALID":
            pads = [(0, 0)] * n
        else:
            pads = [tuple(p) for p in pad]
        # TF: out = (n + pads - eff + stride) / stride in C integer division; error if negative
        vs = [i + lo + hi - e + st for i, (lo, hi), e, st in zip(xc.shape[2:], pads, eff, s)]
        osz = [v // st if v >= 0 else -((-v) // st) for v, st in zip(vs, s)]
        if min(osz) < 0:
            raise RefError("negative output size")
        if min(osz) == 0 or 0 in osz:
            r = np.zeros((xc.shape[0], wc.shape[0]) + tuple(max(o, 0) for o in osz))
        else:
            r = conv_gather(xc, wc, s, pads, d, groups=groups)
    return np.moveaxis(r, 1, -1) if last else r


def _same(a, b, dtype):
    if a[0] in ("err", "crash") and b[0] in ("err", "crash"):
        return True
    if a[0] != b[0]:
        return False
    return compare(a[1], b[1], dtype)[1]


def _desc(r):
    if r[0] == "ok":
        return "a result of shape %s" % list(r[1].shape)
    return "error '%s'" % r[1][:150]


def main_generate(gen):
    cases = build_cases(gen)
    # reference-kernel pass in a child process, concurrently
    tmp = tempfile.mkdtemp()
    eig_path = os.path.join(tmp, "eigen.pkl")
    env = dict(os.environ, TF_ENABLE_ONEDNN_OPTS="0", TF_CPP_MIN_LOG_LEVEL="3")
    child = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--eigen", eig_path], env=env)
    default, version = run_all(cases, isolate=True)
    if child.wait() != 0:
        raise SystemExit("eigen pass failed")
    with open(eig_path, "rb") as f:
        eigen = pickle.load(f)
    os.remove(eig_path)
    os.rmdir(tmp)
    for c in cases:
        D, E = default[c["id"]], eigen[c["id"]]
        try:
            R = ("ok", tf_reference(c), [])
        except RefError as e:
            R = ("err", "reference: %s" % e, [])
        notes = [c["note"]] if c["note"] else []
        if _same(D, E, c["dtype"]):
            chosen = D if D[0] != "crash" else E
            if D[0] == "crash":
                notes.append("with oneDNN (the default) TF aborts the whole process: %s; the error shown is from "
                             "TF's Eigen kernels (TF_ENABLE_ONEDNN_OPTS=0)" % D[1][:160])
        else:
            dm, em = _same(D, R, c["dtype"]), _same(E, R, c["dtype"])
            if dm and not em:
                chosen = D
                notes.append("TF's Eigen kernels (TF_ENABLE_ONEDNN_OPTS=0) instead give %s" % _desc(E))
            else:
                chosen = E
                what = _desc(D)
                if D[0] == "ok" and E[0] == "ok":
                    if D[1].shape == E[1].shape:
                        what = "different values (max abs diff %.3g)" % compare(D[1], E[1], c["dtype"])[0]
                    else:
                        what = "a result of shape %s holding uninitialised memory" % list(D[1].shape)
                notes.append("default TF CPU build (oneDNN) departs here and gives %s; expected is from TF's "
                             "Eigen kernels (TF_ENABLE_ONEDNN_OPTS=0)" % what)
        notes.extend(chosen[2])
        cid = c["id"] if chosen[0] == "ok" else reject_id(c["id"])
        # provenance registries
        for which, res in (("refused_default", D), ("refused_eigen", E)):
            for nt in res[2]:
                m = re.search(r"backend reason \((.*?)\); expected computed with TF by (\w+ \w+)", nt)
                if m:
                    key = "%s  ->  %s" % (re.sub(r"\s*\[Op:.*$", "", m.group(1)).strip(),
                                          "transpose to channels-last" if "transposing" in m.group(2)
                                          else "explicit zero-dilated kernel")
                    gen.extra.setdefault(which, {}).setdefault(key, []).append(cid)
        if not _same(D, E, c["dtype"]) or D[0] == "crash":
            gen.extra.setdefault("onednn_vs_eigen", []).append(
                [cid, "default (oneDNN): " + ("process abort" if D[0] == "crash" else _desc(D)),
                 "Eigen: " + _desc(E), "fixture uses " + ("default" if chosen is D else "Eigen")])
        prob = gen.check(c["id"], chosen[1], R[1], c["dtype"], c["err"])
        if prob and chosen[0] == "ok" and R[0] == "ok":
            notes.append("NB: this is what TF returns; a plain mathematical convolution gives %s" % (
                "a different shape %s" % list(R[1].shape) if R[1].shape != chosen[1].shape else
                "different values (%s)" % prob))
        wname = "filter" if c["op"] == "depthwise_conv2d" else "filters"
        gen.add(cid, c["op"], c["attrs"], {"input": c["x"], wname: c["w"]},
                c["dtype"], chosen[1], "; ".join(notes) or None)
    return version


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "--eigen":
        gen = Gen("tf")
        cases = build_cases(gen)
        res, _ = run_all(cases, isolate=False)
        with open(sys.argv[2], "wb") as f:
            pickle.dump(res, f)
        return
    if len(sys.argv) >= 3 and sys.argv[1] == "--single":
        d = sys.argv[2]
        with open(os.path.join(d, "case.pkl"), "rb") as f:
            c = pickle.load(f)
        r = run_case(import_tf(), c)
        with open(os.path.join(d, "result.pkl"), "wb") as f:
            pickle.dump(r, f)
        return
    raise SystemExit("use generate.py")


if __name__ == "__main__":
    main()
