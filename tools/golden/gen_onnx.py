"""ONNX golden cases (Conv, ConvTranspose, opset 22).

`expected` comes from onnx_spec.py (numpy, written from the operator spec text), never from a runtime.
onnxruntime and onnx.reference.ReferenceEvaluator are run on every case; where either departs from
the spec value (different values or shape, or an error on a valid call, or a result for an invalid one)
the departure is recorded in test/golden/onnx-departures.json.
The spec implementation is cross-checked against PyTorch (symmetric pads) and an independent gather-form
numpy convolution (all cases).
"""
import json
import os
import re
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import BASE_SEED, clean_error, reject_id      # noqa: E402
import onnx_spec                                # noqa: E402
from refconv import compare, conv_gather        # noqa: E402

OPSET = 22


def specs():
    L = []

    def C(X, W, a=None, bias=False, err=False, **kw):
        L.append(dict(op="Conv", X=X, W=W, a=a or {}, bias=bias, err=err, **kw))

    def T(X, W, a=None, bias=False, err=False, **kw):
        L.append(dict(op="ConvTranspose", X=X, W=W, a=a or {}, bias=bias, err=err, **kw))

    # ------------------------------------------------------------------------------ Conv
    # X (N, C, *S), W (M, C/group, *K)
    C([1, 2, 5], [2, 2, 3], note="all attributes defaulted")
    C([1, 2, 5], [3, 2, 3], {"pads": [1, 1]}, bias=True)
    C([1, 2, 6], [2, 2, 3], {"pads": [2, 0]}, note="asymmetric pads")
    C([1, 2, 7], [2, 2, 3], {"strides": [2], "pads": [0, 1]})
    C([1, 2, 6], [2, 2, 2], {"auto_pad": "SAME_UPPER"}, note="odd total padding: extra at the end")
    C([1, 2, 6], [2, 2, 2], {"auto_pad": "SAME_LOWER"}, note="odd total padding: extra at the beginning")
    C([1, 1, 6], [2, 1, 4], {"auto_pad": "SAME_UPPER"}, note="total padding 3")
    C([1, 1, 6], [2, 1, 4], {"auto_pad": "SAME_LOWER"}, note="total padding 3")
    C([1, 2, 6], [2, 2, 3], {"auto_pad": "SAME_UPPER", "strides": [2]}, note="stride 2, even input: total padding 1")
    C([1, 2, 6], [2, 2, 3], {"auto_pad": "SAME_LOWER", "strides": [2]})
    C([1, 2, 7], [2, 2, 3], {"auto_pad": "VALID", "strides": [2]})
    C([1, 2, 7], [2, 2, 1], {"strides": [3]}, note="kernel < stride")
    C([1, 2, 8], [2, 2, 2], {"strides": [3], "auto_pad": "SAME_UPPER"}, note="kernel < stride")
    C([1, 2, 7], [2, 2, 3], {"dilations": [2], "pads": [2, 2]})
    C([1, 2, 8], [2, 2, 2], {"dilations": [3], "strides": [2], "auto_pad": "SAME_LOWER"})
    C([1, 4, 5], [4, 2, 3], {"group": 2, "pads": [1, 1]}, note="group 2, 2 outputs per group")
    C([1, 6, 5], [6, 2, 2], {"group": 3}, bias=True, note="group 3")
    C([1, 3, 5], [6, 1, 3], {"group": 3, "auto_pad": "SAME_UPPER"}, note="depthwise, multiplier 2")
    C([3, 2, 5], [2, 2, 3], {"pads": [1, 0]}, bias=True)
    C([1, 2, 5], [2, 2, 3], {"kernel_shape": [3], "pads": [1, 1]}, note="kernel_shape given (matching W)")
    C([1, 2, 5], [2, 2, 3], {"pads": [1, 1]}, imp="x", note="impulse input")
    C([1, 1, 6], [2, 1, 3], {"strides": [2]}, imp="x", note="impulse input")
    C([1, 2, 5, 5], [2, 2, 3, 3], {"pads": [1, 1, 1, 1]})
    C([1, 2, 5, 4], [3, 2, 2, 3], {"pads": [1, 0, 0, 2]}, bias=True, note="pads [x1_begin, x2_begin, x1_end, x2_end]")
    C([1, 2, 5, 5], [2, 2, 3, 3], {"pads": [0, 2, 1, 0], "strides": [2, 1]})
    C([1, 2, 5, 4], [2, 2, 2, 2], {"auto_pad": "SAME_UPPER"})
    C([1, 2, 5, 4], [2, 2, 2, 2], {"auto_pad": "SAME_LOWER"})
    C([1, 2, 6, 6], [2, 2, 3, 3], {"auto_pad": "SAME_UPPER", "strides": [2, 2]})
    C([1, 2, 6, 5], [2, 2, 3, 2], {"auto_pad": "SAME_LOWER", "strides": [2, 3]})
    C([1, 2, 6, 6], [2, 2, 3, 3], {"auto_pad": "VALID", "strides": [2, 1]})
    C([1, 2, 7, 7], [2, 2, 1, 1], {"strides": [3, 3]}, note="kernel < stride")
    C([1, 2, 7, 7], [2, 2, 3, 3], {"dilations": [2, 2], "pads": [2, 1, 2, 1]})
    C([1, 2, 7, 6], [2, 2, 2, 2], {"dilations": [2, 3], "strides": [2, 1], "auto_pad": "SAME_UPPER"})
    C([1, 4, 5, 5], [4, 2, 3, 3], {"group": 2, "pads": [1, 1, 1, 1]})
    C([1, 4, 4, 4], [6, 2, 2, 2], {"group": 2, "strides": [2, 2]}, bias=True, note="3 outputs per group")
    C([1, 2, 4, 4], [4, 1, 3, 3], {"group": 2, "auto_pad": "SAME_LOWER"}, note="depthwise, multiplier 2")
    C([2, 2, 4, 4], [2, 2, 3, 3], {"pads": [1, 1, 1, 1]}, bias=True)
    C([1, 2, 5, 5], [2, 2, 3, 2], {"kernel_shape": [3, 2], "auto_pad": "VALID"})
    C([1, 2, 5, 5], [2, 2, 3, 3], {"pads": [1, 1, 1, 1]}, imp="x", note="impulse input")
    C([1, 1, 5, 5], [2, 1, 3, 3], {}, imp="w", note="impulse kernel")
    C([1, 2, 3, 3], [2, 2, 3, 3], {"pads": [3, 0, 0, 4]}, note="pads larger than the kernel")
    C([1, 2, 4, 4, 4], [2, 2, 2, 2, 2], {"pads": [1, 0, 1, 0, 1, 0]})
    C([1, 2, 4, 4, 3], [2, 2, 3, 3, 3], {"auto_pad": "SAME_UPPER"})
    C([1, 1, 4, 4, 4], [2, 1, 2, 2, 2], {"auto_pad": "SAME_LOWER", "strides": [2, 2, 2]})
    C([1, 2, 5, 4, 4], [2, 2, 2, 2, 2], {"strides": [2, 1, 2], "dilations": [2, 1, 1]})
    C([1, 4, 3, 3, 3], [4, 2, 2, 2, 2], {"group": 2}, bias=True)
    C([2, 1, 3, 3, 3], [2, 1, 2, 2, 2], {"pads": [0, 1, 0, 1, 0, 1]})
    C([1, 1, 4, 4, 4], [2, 1, 3, 3, 3], {"auto_pad": "SAME_UPPER"}, imp="x", note="impulse input")
    # spec-invalid calls
    C([1, 3, 5], [2, 1, 3], {"group": 2}, err=True, note="X channels 3 != W.shape[1] * group = 2")
    C([1, 4, 5], [3, 2, 3], {"group": 2}, err=True, note="W.shape[0] = 3 not a multiple of group 2")
    C([1, 2, 5], [2, 2, 3], {"kernel_shape": [2]}, err=True, note="kernel_shape does not match W")
    C([1, 2, 2], [2, 2, 3], {}, err=True, note="kernel larger than the input")
    C([1, 2, 3, 3], [2, 2, 4, 4], {"pads": [0, 0, 0, 0]}, err=True, note="kernel larger than the input")
    C([1, 2, 5], [2, 2, 3], {"pads": [-1, 1]}, err=True, note="negative pads")
    C([1, 2, 5], [2, 2, 3], {"pads": [1, 1, 1, 1]}, err=True, note="pads with 4 values for 1 spatial axis")
    C([1, 2, 5], [2, 2, 3], {}, bias_len=3, err=True, note="B of size 3 for M = 2")
    C([1, 2, 5], [2, 2, 3], {"auto_pad": "SAME_UPPER", "pads": [1, 1]}, err=True,
      note="pads together with auto_pad (the spec says they cannot be used simultaneously)")
    C([1, 2, 5], [2, 2, 3], {"strides": [0]}, err=True, note="stride 0")
    C([1, 2, 5], [2, 2, 3], {"strides": [1, 1]}, err=True, note="strides with 2 values for 1 spatial axis")

    # ------------------------------------------------------------------------------ ConvTranspose
    # X (N, C, *S), W (C, M/group, *K)
    T([1, 2, 4], [2, 2, 3], note="all attributes defaulted")
    T([1, 2, 4], [2, 3, 3], {"strides": [2]}, bias=True)
    T([1, 2, 4], [2, 2, 3], {"strides": [2], "pads": [1, 1]})
    T([1, 2, 4], [2, 2, 3], {"strides": [2], "pads": [0, 2]}, note="asymmetric pads")
    T([1, 2, 4], [2, 2, 3], {"strides": [2], "pads": [2, 0]}, note="asymmetric pads")
    T([1, 2, 4], [2, 2, 3], {"strides": [2], "pads": [1, 1], "output_padding": [1]}, note="output_padding 1 < stride 2")
    T([1, 2, 3], [2, 2, 3], {"strides": [3], "output_padding": [2]}, note="output_padding 2 < stride 3")
    T([1, 2, 4], [2, 2, 2], {"strides": [2], "dilations": [2], "output_padding": [1]})
    T([1, 2, 4], [2, 2, 3], {"dilations": [2], "pads": [1, 2]})
    T([1, 2, 4], [2, 2, 3], {"strides": [2], "auto_pad": "SAME_UPPER"}, note="total padding 1 (odd): extra at the end")
    T([1, 2, 4], [2, 2, 3], {"strides": [2], "auto_pad": "SAME_LOWER"}, note="total padding 1 (odd): extra at the beginning")
    T([1, 2, 4], [2, 2, 4], {"strides": [2], "auto_pad": "SAME_UPPER"}, note="total padding 2")
    T([1, 2, 4], [2, 2, 2], {"auto_pad": "SAME_UPPER"}, note="stride 1, total padding 1")
    T([1, 2, 4], [2, 2, 2], {"auto_pad": "SAME_LOWER"}, note="stride 1, total padding 1")
    T([1, 2, 4], [2, 2, 3], {"strides": [2], "auto_pad": "SAME_UPPER", "output_padding": [1]}, note="SAME with output_padding: total 2")
    T([1, 2, 3], [2, 2, 1], {"strides": [3], "auto_pad": "SAME_UPPER"},
      note="kernel < stride: total padding -2, the output extends one zero past each end")
    T([1, 2, 3], [2, 2, 2], {"strides": [4], "auto_pad": "SAME_LOWER"}, note="kernel < stride: total padding -2")
    T([1, 2, 4], [2, 2, 3], {"strides": [2], "auto_pad": "VALID"})
    T([1, 2, 3], [2, 2, 1], {"strides": [3]}, note="kernel < stride: gaps of zeros")
    T([1, 2, 3], [2, 2, 2], {"strides": [3], "auto_pad": "VALID"}, note="kernel < stride")
    T([1, 2, 4], [2, 2, 3], {"strides": [2], "output_shape": [8]}, note="output_shape, auto_pad NOTSET: total 1, extra pad at the START (spec 'Else' branch)")
    T([1, 2, 4], [2, 2, 3], {"strides": [2], "output_shape": [7]}, note="output_shape, auto_pad NOTSET: total 2")
    T([1, 2, 4], [2, 2, 3], {"strides": [2], "output_shape": [8], "auto_pad": "SAME_UPPER"}, note="output_shape with SAME_UPPER: extra pad at the end")
    T([1, 2, 4], [2, 2, 3], {"strides": [2], "output_shape": [8], "auto_pad": "SAME_LOWER"})
    T([1, 2, 4], [2, 2, 3], {"strides": [2], "output_shape": [6], "auto_pad": "SAME_UPPER"}, note="total 3")
    T([1, 2, 4], [2, 2, 3], {"strides": [2], "output_shape": [9]}, note="output_shape = full size: no padding")
    T([1, 2, 4], [2, 2, 3], {"strides": [2], "output_shape": [11]}, note="output_shape larger than the full size: total -2")
    T([1, 2, 4], [2, 2, 3], {"strides": [2], "output_shape": [8], "output_padding": [1]},
      note="output_padding participates in the padding computation: total 2")
    T([1, 2, 4], [2, 2, 3], {"strides": [2], "output_shape": [8], "pads": [0, 0]}, note="pads are ignored when output_shape is given")
    T([1, 4, 3], [4, 2, 3], {"group": 2, "strides": [2]}, note="group 2, 2 outputs per group")
    T([1, 4, 3], [4, 3, 2], {"group": 2, "pads": [1, 0]}, bias=True, note="group 2, 3 outputs per group")
    T([1, 3, 3], [3, 1, 3], {"group": 3, "strides": [2], "pads": [1, 1]}, note="depthwise")
    T([3, 2, 3], [2, 2, 3], {"strides": [2]}, bias=True)
    T([1, 2, 3], [2, 2, 3], {"kernel_shape": [3], "strides": [2]}, note="kernel_shape given (matching W)")
    T([1, 2, 4], [2, 2, 3], {"strides": [2]}, imp="x", note="impulse input")
    T([1, 1, 3], [1, 2, 3], {"strides": [2], "pads": [1, 0]}, imp="x", note="impulse input")
    T([1, 2, 3, 3], [2, 2, 3, 3], {"strides": [2, 2]})
    T([1, 2, 3, 3], [2, 2, 3, 3], {"strides": [2, 2], "pads": [1, 0, 0, 1]}, bias=True, note="pads [x1_begin, x2_begin, x1_end, x2_end]")
    T([1, 2, 3, 3], [2, 2, 3, 3], {"strides": [2, 2], "pads": [1, 1, 1, 1], "output_padding": [1, 0]})
    T([1, 2, 3, 3], [2, 2, 3, 3], {"strides": [2, 2], "auto_pad": "SAME_UPPER"})
    T([1, 2, 3, 3], [2, 2, 3, 3], {"strides": [2, 2], "auto_pad": "SAME_LOWER"})
    T([1, 2, 3, 3], [2, 2, 2, 3], {"strides": [1, 2], "auto_pad": "SAME_UPPER"})
    T([1, 2, 3, 3], [2, 2, 3, 3], {"strides": [2, 2], "auto_pad": "VALID"})
    T([1, 2, 3, 3], [2, 2, 3, 3], {"strides": [2, 2], "output_shape": [6, 5]}, note="output_shape, NOTSET")
    T([1, 2, 3, 3], [2, 2, 3, 3], {"strides": [2, 2], "output_shape": [6, 5], "auto_pad": "SAME_UPPER"})
    T([1, 2, 3, 3], [2, 2, 3, 3], {"strides": [2, 2], "output_shape": [6, 5], "auto_pad": "SAME_LOWER"})
    T([1, 2, 3, 3], [2, 2, 2, 2], {"strides": [2, 2], "dilations": [2, 1], "pads": [1, 0, 0, 0]})
    T([1, 2, 3, 3], [2, 2, 1, 2], {"strides": [3, 3]}, note="kernel < stride")
    T([1, 4, 3, 3], [4, 2, 2, 2], {"group": 2, "strides": [2, 2]}, bias=True)
    T([1, 4, 2, 2], [4, 3, 2, 2], {"group": 2, "strides": [2, 1], "pads": [0, 1, 1, 0]}, note="3 outputs per group")
    T([2, 2, 3, 3], [2, 2, 2, 2], {"strides": [2, 2]}, bias=True)
    T([1, 2, 3, 3], [2, 2, 3, 3], {"kernel_shape": [3, 3], "strides": [1, 1], "pads": [1, 1, 1, 1]})
    T([1, 2, 3, 3], [2, 2, 3, 3], {"strides": [2, 2]}, imp="x", note="impulse input")
    T([1, 1, 3, 3], [1, 2, 3, 3], {"strides": [1, 1]}, imp="w", note="impulse kernel")
    T([1, 2, 2, 2, 2], [2, 2, 2, 2, 2], {"strides": [2, 2, 2]})
    T([1, 2, 2, 2, 2], [2, 2, 3, 3, 3], {"strides": [2, 2, 2], "pads": [1, 0, 1, 1, 1, 0]})
    T([1, 2, 2, 2, 2], [2, 2, 3, 3, 3], {"strides": [2, 2, 2], "auto_pad": "SAME_UPPER"})
    T([1, 1, 2, 2, 2], [1, 2, 2, 2, 2], {"strides": [2, 2, 2], "auto_pad": "SAME_LOWER", "output_padding": [1, 0, 1]})
    T([1, 2, 2, 2, 2], [2, 2, 2, 2, 2], {"strides": [2, 1, 2], "output_shape": [4, 3, 3]})
    T([1, 4, 2, 2, 2], [4, 1, 2, 2, 2], {"group": 2, "strides": [2, 2, 2]}, bias=True)
    T([2, 1, 2, 2, 2], [1, 2, 2, 2, 2], {"dilations": [2, 2, 1]})
    T([1, 2, 2, 2, 2], [2, 2, 2, 2, 2], {"strides": [2, 2, 2]}, imp="x", note="impulse input")
    # spec-invalid calls
    T([1, 3, 3], [3, 2, 3], {"group": 2}, err=True, note="input channels 3 not divisible by group 2")
    T([1, 2, 3], [3, 2, 3], {}, err=True, note="W.shape[0] = 3 != input channels 2")
    T([1, 2, 3], [2, 2, 3], {"kernel_shape": [2]}, err=True, note="kernel_shape does not match W")
    T([1, 2, 1], [2, 2, 2], {"pads": [1, 1]}, err=True, note="negative output size: pads exceed the full output")
    T([1, 2, 3], [2, 2, 3], {"pads": [3, 2]}, err=True, note="output size 0")
    T([1, 2, 3], [2, 2, 3], {"pads": [-1, 0]}, err=True, note="negative pads")
    T([1, 2, 3], [2, 2, 3], {"strides": [2], "output_padding": [2]}, err=True, note="output_padding 2 >= stride 2 and >= dilation 1")
    T([1, 2, 3], [2, 2, 3], {"output_padding": [1]}, err=True, note="output_padding 1 >= stride 1 and >= dilation 1")
    T([1, 2, 3], [2, 2, 3], {"strides": [2]}, bias_len=3, err=True, note="B of size 3 for 2 outputs")
    T([1, 2, 3], [2, 2, 3], {"strides": [2], "output_shape": [1, 2, 6]}, err=True, note="output_shape including batch and channels")
    T([1, 2, 3], [2, 2, 3], {"strides": [2], "auto_pad": "SAME_UPPER", "pads": [1, 1]}, err=True,
      note="pads together with auto_pad (the spec says they cannot be used simultaneously)")
    minimal(L)
    sweep(L)
    return L


def minimal(L):
    """Smallest cases isolating each runtime departure found (1-D, 1-2 channels, hand-picked data)."""
    def M(op, a, X, W, B=None, err=False, **kw):
        L.append(dict(op=op, a=a, X=list(np.shape(X)), W=list(np.shape(W)), bias=B is not None, minimal=True,
                      data={"X": X, "W": W, "B": B}, err=err, **kw))
    x2, w2 = [[[1, 2]]], [[[1, 10]]]
    M("Conv", {"dilations": [2], "auto_pad": "SAME_UPPER"}, [[[1, 2, 3]]], w2,
      note="minimal: Conv with dilation 2 and auto_pad SAME_UPPER (stride 1)")
    M("Conv", {"dilations": [2], "auto_pad": "SAME_LOWER"}, [[[1, 2, 3]]], w2,
      note="minimal: Conv with dilation 2 and auto_pad SAME_LOWER")
    M("Conv", {"auto_pad": "SAME_UPPER"}, x2, w2, note="minimal: SAME_UPPER, odd total padding at the end")
    M("Conv", {"auto_pad": "SAME_LOWER"}, x2, w2, note="minimal: SAME_LOWER, odd total padding at the start")
    M("Conv", {}, [[[1]]], w2, err=True, note="minimal: kernel larger than the input")
    M("Conv", {"auto_pad": "SAME_UPPER", "pads": [1, 0]}, [[[1, 2, 3]]], w2, err=True, note="minimal: pads together with auto_pad")
    M("Conv", {"pads": [1, 0, 0, 0]}, [[[1, 2, 3]]], w2, err=True, note="minimal: pads with 4 values for 1 axis")
    M("Conv", {"strides": [1, 1]}, [[[1, 2, 3]]], w2, err=True, note="minimal: strides with 2 values for 1 axis")
    M("ConvTranspose", {"strides": [3], "auto_pad": "SAME_UPPER"}, x2, [[[1]]],
      note="minimal: kernel < stride with SAME_UPPER: output must be in*stride = 6 (total padding -2)")
    M("ConvTranspose", {"strides": [3], "auto_pad": "SAME_LOWER"}, x2, [[[1]]],
      note="minimal: kernel < stride with SAME_LOWER: output in*stride = 6")
    M("ConvTranspose", {"strides": [2], "output_shape": [6]}, x2, w2,
      note="minimal: output_shape larger than the full output (total padding -2): zeros at both ends")
    M("ConvTranspose", {"strides": [2], "output_shape": [3]}, x2, w2,
      note="minimal: output_shape with auto_pad NOTSET: total padding 1, the spec's 'Else' branch crops at the start")
    M("ConvTranspose", {"strides": [2], "output_shape": [3], "auto_pad": "SAME_UPPER"}, x2, w2,
      note="minimal: output_shape with SAME_UPPER: crop at the end")
    M("ConvTranspose", {"strides": [2], "output_shape": [4], "pads": [1, 0]}, x2, w2,
      note="minimal: pads must be ignored when output_shape is given")
    M("ConvTranspose", {"group": 2}, [[[1], [2]]], [[[1], [3]], [[10], [30]]],
      note="minimal: group 2 with 2 outputs per group")
    M("ConvTranspose", {"group": 2}, [[[1], [2]]], [[[1]], [[10]]], B=[100, 200], note="minimal: group 2 with bias")
    M("ConvTranspose", {"auto_pad": "SAME_UPPER"}, x2, w2, note="minimal: SAME_UPPER stride 1: crop at the end")
    M("ConvTranspose", {"auto_pad": "SAME_LOWER"}, x2, w2, note="minimal: SAME_LOWER stride 1: crop at the start")
    M("ConvTranspose", {"strides": [2], "output_padding": [1]}, x2, w2, note="minimal: output_padding adds a zero at the end")
    M("ConvTranspose", {"pads": [1, 1]}, [[[1]]], w2, err=True, note="minimal: output size 0")
    M("ConvTranspose", {"pads": [-1, 0]}, x2, w2, err=True, note="minimal: negative pads")
    M("ConvTranspose", {"strides": [2]}, x2, w2, B=[1, 2], err=True, note="minimal: B of size 2 for 1 output")
    M("ConvTranspose", {"auto_pad": "SAME_UPPER", "pads": [1, 0]}, x2, w2, err=True, note="minimal: pads together with auto_pad")
    M("ConvTranspose", {"output_padding": [1]}, x2, w2, err=True,
      note="minimal: output_padding 1 with stride 1 and dilation 1")


def sweep(L):
    r = np.random.default_rng(BASE_SEED + 3)
    for i in range(90):
        tr = i % 5 != 0        # ConvTranspose has more attributes: 4 of 5 sweep cases
        n = int(r.choice([1, 2, 3], p=[0.4, 0.45, 0.15]))
        kmax = 3 if n < 3 else 2
        smax = (6 if not tr else 4) if n < 3 else (4 if not tr else 2)
        K = [int(r.integers(1, kmax + 1)) for _ in range(n)]
        S = [int(r.integers(2, smax + 1)) for _ in range(n)]
        g = int(r.choice([1, 1, 2]))
        Cin, Mout = int(r.integers(1, 3)) * g, int(r.integers(1, 3)) * g
        st = [int(r.integers(1, 4)) for _ in range(n)]
        dl = [int(r.integers(1, 3)) for _ in range(n)]
        a = {}
        if st != [1] * n:
            a["strides"] = st
        if dl != [1] * n:
            a["dilations"] = dl
        if g > 1:
            a["group"] = g
        mode = str(r.choice(["NOTSET", "NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"]))
        if mode != "NOTSET":
            a["auto_pad"] = mode
        elif r.random() < 0.8:
            a["pads"] = [int(r.integers(0, 3)) for _ in range(2 * n)]
        if tr:
            if r.random() < 0.4:
                a["output_padding"] = [int(r.integers(0, s)) for s in st]
            if r.random() < 0.2:
                eff = [(k - 1) * d + 1 for k, d in zip(K, dl)]
                opad = a.get("output_padding", [0] * n)
                full = [s * (x - 1) + o + e for s, x, o, e in zip(st, S, opad, eff)]
                a["output_shape"] = [max(1, f - int(r.integers(0, 3))) for f in full]
                a.pop("pads", None)
        if r.random() < 0.2:
            a["kernel_shape"] = K
        W = [Cin, Mout // g] + K if tr else [Mout, Cin // g] + K
        L.append(dict(op="ConvTranspose" if tr else "Conv", X=[int(r.choice([1, 1, 2])), Cin] + S, W=W, a=a,
                      bias=bool(r.random() < 0.4), err="sweep", note="randomised sweep"))


# ---------------------------------------------------------------------------------------- runtimes
def make_model(op, attrs, shapes):
    from onnx import TensorProto, helper
    inputs = [helper.make_tensor_value_info(nm, TensorProto.FLOAT, shp) for nm, shp in shapes]
    node = helper.make_node(op, [nm for nm, _ in shapes], ["Y"], **attrs)
    graph = helper.make_graph([node], "g", inputs, [helper.make_tensor_value_info("Y", TensorProto.FLOAT, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 10
    return model


def run_ort(model, feeds):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.log_severity_level = 4
    sess = ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"])
    return np.asarray(sess.run(None, feeds)[0])


def runtime_error(e):
    """Exception text without onnxruntime's generic 'Non-zero status code ... Status Message:' preamble."""
    msg = re.sub(r"Non-zero status code returned while running \w+ node\. Name:'[^']*' Status Message: ", "", str(e))
    return clean_error(msg)


def run_ref(model, feeds):
    from onnx.reference import ReferenceEvaluator
    return np.asarray(ReferenceEvaluator(model).run(None, feeds)[0])


def crosscheck_gather(c, spec_res):
    """Independent gather-form check of the spec result (ConvTranspose as a lhs-dilated, flipped conv)."""
    X, W, B, a = c["x"], c["w"], c["b"], c["attrs"]
    n = X.ndim - 2
    g = a.get("group", 1)
    if c["op"] == "Conv":
        return None          # Conv's spec implementation is itself the gather form; torch checks it
    st = a.get("strides", [1] * n)
    dl = a.get("dilations", [1] * n)
    out_sp = list(spec_res.shape[2:])
    _, _, kshape, _, _, auto_pad, pads, _ = onnx_spec._common(X, W, B, a, transpose=True)
    _, begin = onnx_spec.conv_transpose_geometry(list(X.shape[2:]), kshape, st, dl, a, auto_pad, pads, n)
    C, Mg = X.shape[1], W.shape[1]
    Cg = C // g
    Wf = np.zeros((Mg * g, Cg) + tuple(kshape))
    for gi in range(g):
        blk = W[gi * Cg:(gi + 1) * Cg]                       # [Cg, Mg, K]
        blk = np.flip(blk, axis=tuple(range(2, 2 + n)))
        Wf[gi * Mg:(gi + 1) * Mg] = np.swapaxes(blk, 0, 1)
    eff = [(k - 1) * d + 1 for k, d in zip(kshape, dl)]
    lo = [e - 1 - b for e, b in zip(eff, begin)]
    dil_len = [(s - 1) * t + 1 for s, t in zip(X.shape[2:], st)]
    hi = [o + e - 1 - l_ - dlen for o, e, l_, dlen in zip(out_sp, eff, lo, dil_len)]
    r = conv_gather(X, Wf, [1] * n, list(zip(lo, hi)), dl, st, groups=g)
    if B is not None:
        r = r + B.reshape((1, -1) + (1,) * n)
    return r


def crosscheck_torch(c):
    """PyTorch result where the ONNX call maps onto torch's (symmetric) padding, else None."""
    import torch
    import torch.nn.functional as F
    a, X, W, B = c["attrs"], c["x"], c["w"], c["b"]
    n = X.ndim - 2
    if n not in (1, 2, 3) or "output_shape" in a:
        return None
    mode = a.get("auto_pad", "NOTSET")
    pads = a.get("pads", [0] * 2 * n) if mode == "NOTSET" else [0] * 2 * n
    if mode in ("SAME_UPPER", "SAME_LOWER") or pads[:n] != pads[n:]:
        return None
    kw = dict(stride=tuple(a.get("strides", [1] * n)), padding=tuple(pads[:n]),
              dilation=tuple(a.get("dilations", [1] * n)), groups=a.get("group", 1))
    t = lambda v: None if v is None else torch.from_numpy(np.asarray(v, np.float64))   # noqa: E731
    with torch.no_grad():
        if c["op"] == "Conv":
            return getattr(F, "conv%dd" % n)(t(X), t(W), t(B), **kw).numpy()
        kw["output_padding"] = tuple(a.get("output_padding", [0] * n))
        return getattr(F, "conv_transpose%dd" % n)(t(X), t(W), t(B), **kw).numpy()


def build_cases(gen):
    out = []
    for sp in specs():
        op, a = sp["op"], sp["a"]
        n = len(sp["X"]) - 2
        tags = []
        st = a.get("strides", [1])
        tags.append("s" + "x".join(map(str, sorted(set(st), key=st.index))))
        K = sp["W"][2:]
        tags.append("k" + "x".join(map(str, sorted(set(K), key=K.index))))
        dl = a.get("dilations")
        if dl and max(dl) > 1:
            tags.append("d%d" % max(dl))
        tags.append(a.get("auto_pad", "NOTSET").lower().replace("_", ""))
        if "pads" in a:
            tags.append("pads")
        if a.get("output_padding") and max(a["output_padding"]) != 0:
            tags.append("outpad")
        if "output_shape" in a:
            tags.append("outshape")
        if a.get("group", 1) > 1:
            tags.append("g%d" % a["group"])
        if sp.get("bias") or sp.get("bias_len"):
            tags.append("bias")
        tags.append("%dd" % n)
        if sp["X"][0] > 1:
            tags.append("b%d" % sp["X"][0])
        if sp.get("imp"):
            tags.append("impulse")
        if sp.get("minimal"):
            tags.insert(0, "minimal")
        cid = gen.next_id(op.lower(), tags)
        rng = gen.rng(cid)
        kind = "int" if sp.get("minimal") else gen.kind()
        if sp.get("data"):
            dd = sp["data"]
            x, w = np.asarray(dd["X"], np.float32), np.asarray(dd["W"], np.float32)
            b = None if dd["B"] is None else np.asarray(dd["B"], np.float32)
        else:
            x = gen.data(rng, sp["X"], kind, "float32", impulse="random" if sp.get("imp") == "x" else None)
            w = gen.data(rng, sp["W"], kind, "float32", kernel=True,
                         impulse="random" if sp.get("imp") == "w" else None)
            M = sp["W"][1] * a.get("group", 1) if op == "ConvTranspose" else sp["W"][0]
            nb = sp.get("bias_len", M if sp.get("bias") else 0)
            b = gen.data(rng, [nb], kind, "float32") if nb else None
        out.append(dict(id=cid, op=op, attrs=a, x=x, w=w, b=b, note=sp.get("note"), err=sp["err"],
                        minimal=sp.get("minimal", False)))
    return out


def _describe(ref, got):
    """Departure of a runtime result `got` from the spec value `ref` (each an array or an error string)."""
    if isinstance(ref, str) and isinstance(got, str):
        return None
    if isinstance(ref, str):
        return {"kind": "accepts-invalid", "got_shape": list(got.shape), "spec_error": ref}
    if isinstance(got, str):
        return {"kind": "rejects-valid", "error": got, "expected_shape": list(ref.shape)}
    if got.shape != ref.shape:
        return {"kind": "shape", "expected_shape": list(ref.shape), "got_shape": list(got.shape)}
    diff, ok = compare(got, ref, "float32")
    if ok:
        return None
    return {"kind": "value", "max_abs_diff": float(np.float32(diff)), "shape": list(ref.shape)}


def behaviour(rt, d, c):
    """One-line description of a departure, used to group them in PROVENANCE.md."""
    a, op, kind = c["attrs"], c["op"], d["kind"]
    err = d.get("error") or ""
    spec_err = d.get("spec_error") or ""
    mode = a.get("auto_pad", "NOTSET")
    if kind == "accepts-invalid":
        for key, text in (("larger than the padded input", "kernel larger than the (padded) input"),
                          ("is not positive", "output size <= 0"),
                          ("pads must be >= 0", "negative pads"),
                          ("simultaneously", "pads given together with auto_pad"),
                          ("must have", "an attribute list of the wrong length"),
                          ("B must be", "B of the wrong size"),
                          ("output_padding", "output_padding >= both stride and dilation")):
            if key in spec_err:
                return "%s: accepts %s" % (op, text)
        return "%s: accepts a call the spec makes invalid" % op
    if rt == "onnxruntime":
        if "Dilation not supported" in err:
            return "Conv: rejects dilations > 1 together with auto_pad SAME_UPPER/SAME_LOWER"
        if "output_shape is inconsistent" in err:
            return "ConvTranspose: rejects an output_shape larger than the full output (negative total padding)"
        if kind == "shape" and mode.startswith("SAME") and "output_shape" not in a:
            return ("ConvTranspose: auto_pad SAME_* with kernel extent + output_padding < stride gives the full "
                    "output size instead of input*stride (negative total padding treated as 0)")
    else:
        if kind == "rejects-valid" and "output_shape" in a and not mode.startswith("SAME"):
            return ("ConvTranspose: output_shape without auto_pad SAME_*: pads are not derived from output_shape "
                    "(kept at 0), so the call fails")
        if kind == "value" and "output_shape" in a and "pads" in a:
            return "ConvTranspose: uses pads instead of ignoring them when output_shape is given"
        if kind == "rejects-valid" and a.get("group", 1) > 1:
            return ("ConvTranspose: group > 1 fails unless C == M with one output channel per group "
                    "(W is sliced by output channels and one output channel is written per group)")
        if kind == "value" and a.get("group", 1) > 1:
            return ("ConvTranspose: group > 1 with bias (C == M, one output per group) adds B[0] to every group "
                    "instead of B[g]")
    return "%s: %s (%s)" % (op, kind, err[:80] if err else "see entries")


def main_generate(gen, outdir):
    import onnx
    import onnxruntime
    import torch
    departures = []
    ambiguous = []
    xc = {"torch": [0, 0], "gather": [0, 0]}
    for c in build_cases(gen):
        X, W, B = c["x"], c["w"], c["b"]
        amb = None
        try:
            fn = onnx_spec.conv if c["op"] == "Conv" else onnx_spec.conv_transpose
            spec_res = fn(X, W, B, c["attrs"])
        except onnx_spec.SpecAmbiguous as e:
            amb = e
            spec_res = "spec: %s" % e
        except onnx_spec.SpecError as e:
            spec_res = "spec: %s" % e
        if amb is not None:
            # Not a fixture: the spec fixes only the output shape.  Record what the runtimes do.
            shape = [X.shape[0], W.shape[1] * c["attrs"].get("group", 1)] + list(amb.spatial)
            model = make_model(c["op"], c["attrs"], [("X", list(X.shape)), ("W", list(W.shape))] +
                               ([("B", list(B.shape))] if B is not None else []))
            feeds = dict(X=X, W=W, **({"B": B} if B is not None else {}))
            entry = {"id": c["id"], "op": c["op"], "attrs": c["attrs"], "X_shape": list(X.shape),
                     "W_shape": list(W.shape), "spec_shape": shape, "why": str(amb)}
            for rt, runner in (("onnxruntime", run_ort), ("onnx.reference", run_ref)):
                try:
                    entry[rt] = list(runner(model, feeds).shape)
                except Exception as e:      # noqa: BLE001
                    entry[rt] = runtime_error(e)
                if entry[rt] != shape:
                    d = dict(id=c["id"], runtime=rt, minimal=False, kind="shape", expected_shape=shape,
                             got_shape=entry[rt] if isinstance(entry[rt], list) else None,
                             error=None if isinstance(entry[rt], list) else entry[rt],
                             not_in_fixture="the spec fixes this output shape but not the values")
                    d["behaviour"] = behaviour(rt, d, c)
                    departures.append(d)
            ambiguous.append(entry)
            continue
        # cross-checks of the spec implementation
        if not isinstance(spec_res, str):
            for name, f in (("torch", crosscheck_torch), ("gather", crosscheck_gather)):
                try:
                    r = f(c) if name == "torch" else f(c, spec_res)
                except Exception as e:      # noqa: BLE001
                    r = "error: %s" % e
                if r is None:
                    continue
                xc[name][1] += 1
                ok = not isinstance(r, str) and compare(r, spec_res, "float32")[1]
                xc[name][0] += ok
                if not ok:
                    gen.problems.append((c["id"], "spec implementation disagrees with %s" % name))
        if c["err"] is True:
            gen.check(c["id"], spec_res, None, "float32", True)
        if c["err"] is False and isinstance(spec_res, str):
            gen.problems.append((c["id"], "spec rejects a case written as valid: %s" % spec_res))
        shapes = [("X", list(X.shape)), ("W", list(W.shape))] + ([("B", list(B.shape))] if B is not None else [])
        feeds = {"X": X, "W": W}
        if B is not None:
            feeds["B"] = B
        model = make_model(c["op"], c["attrs"], shapes)
        notes = [c["note"]] if c["note"] else []
        for rt, runner in (("onnxruntime", run_ort), ("onnx.reference", run_ref)):
            try:
                got = runner(model, feeds)
            except Exception as e:      # noqa: BLE001
                got = runtime_error(e)
            d = _describe(spec_res, got)
            if d:
                d = dict(id=c["id"], runtime=rt, minimal=c["minimal"], **d)
                d["behaviour"] = behaviour(rt, d, c)
                departures.append(d)
                notes.append("%s departs from the spec (%s)" % (rt, d["kind"] + (
                    ", max abs diff %.3g" % d["max_abs_diff"] if "max_abs_diff" in d else
                    ", shape %s" % d["got_shape"] if "got_shape" in d else "")))
        cid = c["id"]
        if isinstance(spec_res, str):
            cid = reject_id(cid)
            for d in departures:
                if d["id"] == c["id"]:
                    d["id"] = cid
        inputs = {"X": X, "W": W}
        if B is not None:
            inputs["B"] = B
        notes.insert(0, "expected computed from the ONNX opset-22 spec text (tools/golden/onnx_spec.py)")
        gen.add(cid, c["op"], c["attrs"], inputs, "float32",
                spec_res if not isinstance(spec_res, str) else spec_res[:200], "; ".join(notes))
    versions = {"onnx": onnx.__version__, "onnxruntime": onnxruntime.__version__, "torch (cross-check)": torch.__version__}
    with open(os.path.join(outdir, "onnx-departures.json"), "w") as f:
        json.dump({"opset": OPSET, "versions": versions,
                   "truth": "tools/golden/onnx_spec.py (numpy, from the opset-22 spec text)",
                   "spec_crosscheck": {k: {"agree": v[0], "compared": v[1]} for k, v in xc.items()},
                   "departures": departures, "spec_ambiguous": ambiguous}, f, indent=1)
        f.write("\n")
    versions["spec cross-check"] = "torch %d/%d, gather %d/%d" % (xc["torch"][0], xc["torch"][1], xc["gather"][0], xc["gather"][1])
    return versions
