"""JAX (jax.lax) golden cases: conv_general_dilated and conv_transpose.

float32 cases pass precision='highest' (recorded in attrs); float64 cases run with jax_enable_x64.
"""
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import clean_error                  # noqa: E402
from refconv import RefError, conv_gather       # noqa: E402

SPATIAL = {1: "W", 2: "HW", 3: "DHW"}
CT_DEFAULTS = {0: ("NC", "IO", "NC"), 1: ("NHC", "HIO", "NHC"), 2: ("NHWC", "HWIO", "NHWC"),
               3: ("NHWDC", "HWDIO", "NHWDC")}


def cgd_default(n):
    sp = SPATIAL.get(n, "")
    return ("NC" + sp, "OI" + sp, "NC" + sp)


def shape_of(spec, sizes, sp_chars, spatial):
    return [sizes[ch] if ch in sizes else spatial[sp_chars.index(ch)] for ch in spec]


def specs():
    L = []

    def G(**kw):            # conv_general_dilated
        kw["op"] = "conv_general_dilated"
        L.append(kw)

    def T(**kw):            # conv_transpose
        kw["op"] = "conv_transpose"
        L.append(kw)

    def RG(**kw):
        G(err=True, **kw)

    def RT(**kw):
        T(err=True, **kw)

    # ---------------------------------------------------------------- conv_general_dilated
    # S and K are listed in the rhs spec's spatial order (that is also the order of window_strides etc.)
    G(S=[5], K=[3], C=2, O=2, ws=[1], pad="SAME", dn=None)
    G(S=[6], K=[2], C=2, O=3, ws=[1], pad="SAME", dn=["NWC", "WIO", "NWC"], note="odd total padding: extra after")
    G(S=[6], K=[2], C=2, O=3, ws=[1], pad="SAME_LOWER", dn=["NWC", "WIO", "NWC"], note="odd total padding: extra before")
    G(S=[6], K=[4], C=1, O=2, ws=[1], pad="SAME_LOWER", dn=None)
    G(S=[7], K=[3], C=2, O=2, ws=[2], pad="SAME", dn=["NCW", "OIW", "NCW"])
    G(S=[6], K=[3], C=2, O=2, ws=[2], pad="same_lower", dn=["NCW", "OIW", "NCW"], note="lowercase padding string")
    G(S=[7], K=[3], C=2, O=2, ws=[2], pad="valid", dn=None, note="lowercase padding string")
    G(S=[7], K=[3], C=2, O=2, ws=[1], pad="same", dn=None, note="lowercase padding string")
    G(S=[7], K=[1], C=2, O=2, ws=[3], pad="SAME", dn=None, note="kernel < stride")
    G(S=[8], K=[2], C=2, O=2, ws=[3], pad="VALID", dn=["NWC", "WIO", "NWC"], note="kernel < stride")
    G(S=[7], K=[3], C=2, O=2, ws=[1], pad="SAME", rd=[2], dn=None)
    G(S=[9], K=[2], C=2, O=2, ws=[2], pad="VALID", rd=[3], dn=["NWC", "WIO", "NWC"])
    G(S=[5], K=[3], C=2, O=2, ws=[1], pad=[[2, 1]], dn=None, note="explicit asymmetric padding")
    G(S=[6], K=[3], C=2, O=2, ws=[1], pad=[[-1, 2]], dn=None, note="negative low padding crops the input")
    G(S=[7], K=[2], C=2, O=2, ws=[2], pad=[[-2, -1]], dn=["NWC", "WIO", "NWC"], note="negative padding both sides")
    G(S=[4], K=[3], C=2, O=2, ws=[1], pad=[[2, 2]], ld=[2], dn=None, note="lhs_dilation 2 (transposed-conv style)")
    G(S=[4], K=[3], C=2, O=2, ws=[2], pad=[[1, -1]], ld=[3], rd=[2], dn=None, note="lhs and rhs dilation, stride, negative pad")
    G(S=[5], K=[3], C=4, O=4, fgc=2, ws=[1], pad="SAME", dn=None, note="feature_group_count 2, 2 outputs per group")
    G(S=[5], K=[2], C=6, O=6, fgc=3, ws=[1], pad="VALID", dn=["NWC", "WIO", "NWC"], note="feature_group_count 3")
    G(S=[5], K=[3], C=6, O=6, fgc=6, ws=[1], pad="SAME", dn=None, note="depthwise (feature_group_count = channels)")
    G(N=4, S=[5], K=[3], C=2, O=4, bgc=2, ws=[1], pad="SAME", dn=None, note="batch_group_count 2")
    G(N=6, S=[4], K=[2], C=1, O=3, bgc=3, ws=[1], pad="VALID", dn=["NWC", "WIO", "NWC"], note="batch_group_count 3")
    G(N=2, S=[5], K=[3], C=2, O=4, bgc=2, ws=[2], pad=[[1, 0]], dn=["NCW", "OIW", "NCW"], note="batch_group_count 2, stride 2")
    G(N=3, S=[5], K=[3], C=2, O=2, ws=[1], pad="SAME", dn=None)
    G(S=[5], K=[3], C=2, O=3, ws=[1], pad="SAME", dn=["WNC", "IWO", "CNW"], note="unusual 1-D layouts")
    G(S=[5], K=[3], C=2, O=2, ws=[1], pad="SAME", dn=None, imp="x", note="impulse input")
    G(S=[6], K=[3], C=1, O=2, ws=[2], pad="VALID", dn=["NWC", "WIO", "NWC"], imp="x", note="impulse input")
    G(S=[6], K=[3], C=2, O=2, ws=[1], pad="SAME", dn=None, dtype="float64")
    G(S=[6], K=[3], C=2, O=2, ws=[2], pad=[[1, -1]], rd=[2], dn=["NWC", "WIO", "NWC"], dtype="float64")
    # 2-D
    G(S=[5, 5], K=[3, 3], C=2, O=2, ws=[1, 1], pad="SAME", dn=None)
    G(S=[5, 4], K=[2, 3], C=2, O=2, ws=[1, 1], pad="SAME", dn=["NCHW", "OIHW", "NCHW"])
    G(S=[5, 4], K=[2, 2], C=2, O=3, ws=[1, 1], pad="SAME_LOWER", dn=["NHWC", "HWIO", "NHWC"])
    G(S=[6, 6], K=[3, 3], C=2, O=2, ws=[2, 2], pad="SAME", dn=["NHWC", "HWIO", "NHWC"])
    G(S=[6, 5], K=[3, 2], C=2, O=2, ws=[2, 1], pad="VALID", dn=["NCHW", "HWIO", "NHWC"], note="mixed layouts")
    G(S=[5, 5], K=[3, 3], C=2, O=2, ws=[1, 2], pad="SAME", dn=["HNCW", "OIHW", "NHWC"], note="unusual lhs layout")
    G(S=[5, 6], K=[3, 2], C=2, O=2, ws=[2, 1], pad=[[1, 0], [0, 1]], dn=["NHWC", "OIWH", "NCHW"],
      note="rhs spec lists W before H: window_strides/padding follow the rhs spatial order (W, H)")
    G(S=[6, 6], K=[1, 1], C=2, O=3, ws=[3, 3], pad="SAME", dn=None, note="kernel < stride")
    G(S=[7, 7], K=[2, 2], C=2, O=2, ws=[3, 3], pad="VALID", dn=["NHWC", "HWIO", "NHWC"], note="kernel < stride")
    G(S=[7, 7], K=[3, 3], C=2, O=2, ws=[1, 1], pad="SAME", rd=[2, 2], dn=None)
    G(S=[7, 7], K=[2, 3], C=2, O=2, ws=[2, 2], pad="SAME_LOWER", rd=[2, 1], dn=["NHWC", "HWIO", "NHWC"])
    G(S=[5, 5], K=[3, 3], C=2, O=2, ws=[1, 1], pad=[[2, 0], [0, 1]], dn=None)
    G(S=[5, 5], K=[2, 2], C=2, O=2, ws=[1, 1], pad=[[-1, 0], [1, -2]], dn=["NHWC", "HWIO", "NHWC"], note="negative padding")
    G(S=[3, 3], K=[3, 3], C=2, O=2, ws=[1, 1], pad=[[2, 2], [1, 2]], ld=[2, 2], dn=["NHWC", "HWIO", "NHWC"], note="lhs_dilation 2")
    G(S=[3, 3], K=[2, 2], C=2, O=2, ws=[1, 1], pad=[[1, 1], [0, 1]], ld=[2, 1], rd=[1, 2], dn=None)
    G(S=[5, 5], K=[3, 3], C=4, O=4, fgc=2, ws=[1, 1], pad="SAME", dn=["NHWC", "HWIO", "NHWC"])
    G(S=[5, 5], K=[2, 2], C=4, O=6, fgc=2, ws=[2, 2], pad="VALID", dn=None, note="3 outputs per group")
    G(N=4, S=[4, 4], K=[3, 3], C=2, O=4, bgc=2, ws=[1, 1], pad="SAME", dn=["NHWC", "HWIO", "NHWC"])
    G(N=3, S=[4, 4], K=[2, 2], C=1, O=3, bgc=3, ws=[1, 1], pad="VALID", dn=None)
    G(N=2, S=[4, 4], K=[2, 2], C=2, O=2, ws=[1, 1], pad="SAME", dn=["NCHW", "OIHW", "NCHW"])
    G(S=[5, 5], K=[3, 3], C=2, O=2, ws=[1, 1], pad="SAME", dn=None, imp="x", note="impulse input")
    G(S=[5, 5], K=[3, 3], C=1, O=2, ws=[1, 1], pad="VALID", dn=["NHWC", "HWIO", "NHWC"], imp="w", note="impulse kernel")
    G(S=[5, 5], K=[3, 3], C=2, O=2, ws=[1, 1], pad="SAME", dn=["NHWC", "HWIO", "NHWC"], dtype="float64")
    G(S=[5, 5], K=[2, 2], C=4, O=4, fgc=2, ws=[2, 1], pad=[[1, 0], [0, 0]], dn=None, dtype="float64")
    G(S=[2, 2], K=[3, 3], C=1, O=2, ws=[1, 1], pad="VALID", dn=None, note="kernel larger than the input: JAX returns an empty result")
    RG(S=[5, 5], K=[2, 2], C=1, O=2, ws=[1, 1], pad=[[-3, -3], [0, 0]], dn=None, note="negative padding larger than the input")
    # 3-D
    G(S=[4, 4, 4], K=[2, 2, 2], C=2, O=2, ws=[1, 1, 1], pad="SAME", dn=None)
    G(S=[4, 4, 3], K=[3, 2, 2], C=2, O=2, ws=[2, 1, 2], pad="SAME_LOWER", dn=["NDHWC", "DHWIO", "NDHWC"])
    G(S=[5, 4, 4], K=[2, 2, 2], C=1, O=2, ws=[2, 2, 2], pad="VALID", rd=[2, 1, 1], dn=["NCDHW", "OIDHW", "NCDHW"])
    G(S=[4, 4, 4], K=[2, 2, 2], C=2, O=2, ws=[1, 1, 1], pad=[[1, 0], [0, 1], [-1, 1]], dn=["DNHCW", "OIDHW", "NDHWC"], note="unusual 3-D layout, negative pad")
    G(S=[3, 3, 3], K=[2, 2, 2], C=2, O=2, ws=[1, 1, 1], pad=[[1, 1], [1, 1], [1, 1]], ld=[2, 2, 1], dn=None)
    G(S=[3, 3, 3], K=[2, 2, 2], C=4, O=4, fgc=2, ws=[1, 1, 1], pad="SAME", dn=None)
    G(N=2, S=[3, 3, 3], K=[2, 2, 2], C=1, O=2, bgc=2, ws=[1, 1, 1], pad="VALID", dn=["NDHWC", "DHWIO", "NDHWC"])
    G(S=[4, 4, 4], K=[1, 1, 1], C=2, O=2, ws=[3, 3, 3], pad="SAME", dn=None, note="kernel < stride")
    G(S=[4, 4, 4], K=[3, 3, 3], C=1, O=2, ws=[1, 1, 1], pad="SAME", dn=None, imp="x", note="impulse input")
    G(S=[3, 4, 3], K=[2, 2, 2], C=2, O=2, ws=[1, 1, 1], pad="SAME", dn=["NDHWC", "DHWIO", "NDHWC"], dtype="float64")
    # 0 spatial dimensions: a matrix product
    G(S=[], K=[], C=3, O=2, N=2, ws=[], pad=[], dn=None, note="no spatial dimensions: lhs [N, C], rhs [O, I]")
    # the seed question's JAX calls
    G(seed="rot90", note="the seed case: rot90 twice (flips the width AND a channel axis), declared WIO")
    G(seed="rot90-WOI", note="seed follow-up: rot90 twice, declared WOI")
    G(seed="flip-WOI", note="seed follow-up: flip the width axis only, WOI: equals TF conv1d_transpose")
    # rejections
    RG(S=[5], K=[3], C=3, O=2, fgc=2, w_in=1, ws=[1], pad="SAME", dn=None, note="feature_group_count 2 does not divide 3 channels")
    RG(S=[5], K=[3], C=4, O=3, fgc=2, ws=[1], pad="SAME", dn=None, note="output features 3 not a multiple of feature_group_count 2")
    RG(S=[5], K=[3], C=4, O=4, fgc=2, w_in=4, ws=[1], pad="SAME", dn=None, note="rhs in-features must be C/feature_group_count")
    RG(N=3, S=[5], K=[3], C=2, O=4, bgc=2, ws=[1], pad="SAME", dn=None, note="batch_group_count 2 does not divide batch 3")
    RG(N=4, S=[5], K=[3], C=2, O=3, bgc=2, ws=[1], pad="SAME", dn=None, note="output features 3 not a multiple of batch_group_count 2")
    RG(N=2, S=[5], K=[3], C=4, O=4, fgc=2, bgc=2, ws=[1], pad="SAME", dn=None, note="both group counts > 1")
    RG(S=[4], K=[3], C=2, O=2, ws=[1], pad="SAME", ld=[2], dn=None, note="string padding with lhs_dilation > 1")
    RG(S=[4, 4], K=[3, 3], C=2, O=2, ws=[1, 1], pad="VALID", ld=[1, 2], dn=None, note="string padding with lhs_dilation > 1")
    RG(S=[5], K=[3], C=2, O=2, ws=[0], pad="SAME", dn=None, note="window stride 0")
    RG(S=[5], K=[3], C=2, O=2, ws=[1], pad=[[0, 0], [1, 1]], dn=None, note="two padding pairs for one spatial dim")
    RG(S=[5], K=[3], C=2, O=2, ws=[1], pad="FULL", dn=None, note="unknown padding string")
    RG(S=[5], K=[3], C=2, O=2, ws=[1], pad="SAME", rd=[0], dn=None, note="rhs_dilation 0")
    RG(S=[5, 5], K=[3, 3], C=2, O=2, ws=[1, 1], pad="SAME", dn=["NCHW", "OIHW", "NCHX"], note="dimension_numbers with mismatched spatial chars")
    RG(S=[5, 5], K=[3, 3], C=2, O=2, ws=[1, 1], pad="SAME", dn=["NCHW", "OIHW"], note="only two dimension_numbers specs")
    RG(S=[5], K=[3], C=2, O=2, ws=[1, 1], pad="SAME", dn=None, note="two window strides for one spatial dim")
    RG(S=[5], K=[3], C=3, O=2, w_in=2, ws=[1], pad="SAME", dn=["NWC", "WIO", "NWC"], note="lhs features 3 vs rhs in-features 2")
    RG(S=[5], K=[3], C=2, O=2, ws=[1], pad="SAME", dn=None, rank_mismatch=True, note="lhs rank 3, rhs rank 4")

    # ---------------------------------------------------------------- conv_transpose
    # default dimension_numbers (None): channels-last, kernel [*K, I, O]
    for (S, K, s, pad, extra) in [
        ([4], [3], [2], "SAME", {}),
        ([4], [2], [2], "SAME", {"note": "SAME branch with stride > k-1: pad_a = k-1"}),
        ([4], [4], [2], "SAME", {"note": "SAME branch with stride <= k-1: pad_a = ceil((k+s-2)/2)"}),
        ([4], [3], [1], "SAME", {}),
        ([3], [1], [3], "SAME", {"note": "kernel < stride"}),
        ([4], [3], [2], "VALID", {}),
        ([3], [2], [3], "VALID", {"note": "VALID with kernel < stride: no max(k-s,0) term"}),
        ([4], [4], [2], "VALID", {"note": "VALID with kernel > stride"}),
        ([4], [3], [2], [[1, 1]], {"note": "explicit pads: used directly as the transposed conv's padding"}),
        ([4], [3], [2], [[0, 2]], {}),
        ([5], [3], [1], [[-1, 1]], {"note": "negative explicit pad"}),
    ]:
        T(S=S, K=K, C=2, O=2, st=s, pad=pad, dn=None, **extra)
    T(S=[4], K=[3], C=2, O=3, st=[2], pad="SAME", dn=None, tk=True, note="transpose_kernel=True (TF/Keras convention)")
    T(S=[4], K=[2], C=2, O=2, st=[2], pad="VALID", dn=None, tk=True)
    T(S=[4], K=[3], C=2, O=2, st=[2], pad="SAME", dn=None, ucp=True, note="use_consistent_padding=True, string pads")
    T(S=[4], K=[3], C=2, O=2, st=[2], pad=[[1, 1]], dn=None, ucp=True, note="use_consistent_padding=True: pads are the forward conv's (PyTorch-like)")
    T(S=[4], K=[3], C=2, O=2, st=[2], pad=[[0, 1]], dn=None, ucp=True, tk=True)
    T(S=[4], K=[2], C=2, O=2, st=[2], pad=[[2, 2]], dn=None, ucp=True, note="forward pad > k-1: negative transposed pad")
    T(S=[4], K=[2], C=2, O=2, st=[2], pad=[[0, 1]], rd=[2], dn=None, ucp=True, note="use_consistent_padding with dilation: effective k")
    T(S=[4], K=[3], C=2, O=2, st=[1], pad="SAME", rd=[2], dn=None)
    T(S=[4], K=[2], C=2, O=2, st=[2], pad="SAME", rd=[3], dn=None, tk=True, note="SAME with dilation: effective kernel 4")
    T(S=[4], K=[2], C=2, O=2, st=[2], pad="VALID", rd=[2], dn=None)
    T(S=[5], K=[2], C=2, O=2, st=[1], pad="SAME_LOWER", dn=None,
      note="'SAME_LOWER' with use_consistent_padding=False goes straight to conv_general_dilated (stride 1: allowed)")
    T(S=[5], K=[3], C=2, O=2, st=[1], pad="same", dn=None, note="lowercase 'same', use_consistent_padding=False: forward-conv SAME")
    T(S=[5], K=[3], C=2, O=2, st=[1], pad="valid", dn=None, tk=True, note="lowercase 'valid', use_consistent_padding=False: forward-conv VALID")
    T(S=[5], K=[2], C=2, O=2, st=[1], pad="same_lower", dn=None, note="lowercase 'same_lower'")
    T(S=[4], K=[3], C=2, O=2, st=[2], pad="SAME", dn=["NCW", "OIW", "NCW"], note="explicit channels-first layout")
    T(S=[4], K=[3], C=2, O=2, st=[2], pad="VALID", dn=["NCW", "IOW", "NCW"], tk=True)
    T(S=[4], K=[3], C=2, O=2, st=[2], pad="SAME", dn=["NWC", "WIO", "NWC"], tk=True, note="the seed-style call")
    T(N=2, S=[4], K=[3], C=2, O=2, st=[2], pad="SAME", dn=None)
    T(S=[4], K=[3], C=2, O=2, st=[2], pad="SAME", dn=None, imp="x", note="impulse input")
    T(S=[4], K=[3], C=1, O=2, st=[2], pad="VALID", dn=None, tk=True, imp="x", note="impulse input")
    T(S=[4], K=[3], C=2, O=2, st=[2], pad="SAME", dn=None, dtype="float64")
    T(S=[4], K=[2], C=2, O=2, st=[2], pad=[[1, 0]], dn=None, ucp=True, dtype="float64")
    # 2-D
    T(S=[3, 3], K=[3, 3], C=2, O=2, st=[2, 2], pad="SAME", dn=None)
    T(S=[3, 3], K=[3, 3], C=2, O=2, st=[2, 2], pad="SAME", dn=None, tk=True)
    T(S=[3, 4], K=[2, 3], C=2, O=2, st=[2, 1], pad="VALID", dn=None)
    T(S=[3, 3], K=[4, 4], C=1, O=2, st=[2, 2], pad="SAME", dn=None, tk=True, note="k4 s2")
    T(S=[3, 3], K=[1, 2], C=2, O=2, st=[3, 3], pad="SAME", dn=None, note="kernel < stride")
    T(S=[3, 3], K=[3, 3], C=2, O=2, st=[2, 2], pad=[[1, 2], [2, 1]], dn=None)
    T(S=[3, 3], K=[3, 3], C=2, O=2, st=[2, 2], pad=[[1, 1], [0, 1]], dn=None, ucp=True, tk=True, note="PyTorch-like padding")
    T(S=[3, 3], K=[2, 2], C=2, O=2, st=[2, 2], pad="SAME", rd=[2, 2], dn=None)
    T(S=[3, 3], K=[2, 2], C=2, O=2, st=[1, 1], pad="VALID", rd=[2, 1], dn=None, ucp=True)
    T(S=[3, 3], K=[3, 3], C=2, O=2, st=[2, 2], pad="SAME", dn=["NCHW", "OIHW", "NCHW"])
    T(S=[3, 3], K=[3, 3], C=2, O=3, st=[2, 2], pad="SAME", dn=["NCHW", "IOHW", "NCHW"], tk=True)
    T(S=[3, 3], K=[3, 2], C=2, O=2, st=[2, 1], pad="VALID", dn=["NCHW", "HWIO", "NHWC"])
    T(S=[4, 4], K=[2, 2], C=2, O=2, st=[1, 1], pad="SAME_LOWER", dn=None, note="SAME_LOWER, stride 1")
    T(S=[3, 3], K=[3, 3], C=2, O=2, st=[2, 2], pad=[[-1, 0], [0, -1]], dn=None, note="negative transposed pads")
    T(N=2, S=[3, 3], K=[2, 2], C=1, O=2, st=[2, 2], pad="SAME", dn=None)
    T(S=[3, 3], K=[3, 3], C=2, O=2, st=[2, 2], pad="SAME", dn=None, tk=True, imp="x", note="impulse input")
    T(S=[3, 3], K=[2, 2], C=2, O=2, st=[2, 2], pad="VALID", dn=None, dtype="float64")
    # 3-D
    T(S=[2, 2, 2], K=[3, 3, 3], C=2, O=2, st=[2, 2, 2], pad="SAME", dn=None)
    T(S=[2, 2, 2], K=[2, 2, 2], C=2, O=2, st=[2, 1, 2], pad="VALID", dn=None, tk=True)
    T(S=[2, 3, 2], K=[2, 2, 2], C=1, O=2, st=[1, 2, 2], pad=[[1, 0], [0, 1], [1, 1]], dn=None, ucp=True)
    T(S=[2, 2, 2], K=[2, 2, 2], C=2, O=2, st=[2, 2, 2], pad="SAME", rd=[2, 1, 1], dn=["NCDHW", "OIDHW", "NCDHW"])
    T(S=[2, 2, 2], K=[2, 2, 2], C=2, O=2, st=[2, 2, 2], pad="SAME", dn=None, dtype="float64", tk=True)
    T(S=[], K=[], C=3, O=2, N=2, st=[], pad="SAME", dn=None, note="no spatial dimensions: defaults ('NC','IO','NC')")
    # rejections
    RT(S=[5], K=[2], C=2, O=2, st=[2], pad="SAME_LOWER", dn=None, note="'SAME_LOWER' with stride 2: conv_general_dilated rejects string padding with lhs_dilation")
    RT(S=[5], K=[3], C=2, O=2, st=[2], pad="same", dn=None, note="lowercase 'same' with stride 2")
    RT(S=[5], K=[2], C=2, O=2, st=[1], pad="SAME_LOWER", dn=None, ucp=True, note="use_consistent_padding=True only knows 'SAME'/'VALID'")
    RT(S=[5], K=[3], C=2, O=2, st=[1], pad="same", dn=None, ucp=True, note="use_consistent_padding=True with lowercase 'same'")
    RT(S=[2, 2, 2, 2], K=[1, 1, 1, 1], C=1, O=1, st=[1, 1, 1, 1], pad="SAME", dn=None, note="4 spatial dims with dimension_numbers=None")
    RT(S=[4], K=[3], C=3, O=2, w_in=2, st=[2], pad="SAME", dn=None, note="lhs features 3 vs rhs in-features 2")
    RT(S=[4], K=[3], C=2, O=2, st=[2], pad=[[1, 1], [1, 1]], dn=None, note="two padding pairs for one spatial dim")
    RT(S=[4], K=[3], C=2, O=2, st=[0], pad=[[1, 1]], dn=None, note="stride 0")
    sweep(L)
    return L


LAYOUTS = {
    1: [None, ["NWC", "WIO", "NWC"], ["NCW", "OIW", "NCW"], ["NCW", "WIO", "NWC"], ["WNC", "OWI", "NWC"]],
    2: [None, ["NHWC", "HWIO", "NHWC"], ["NCHW", "OIHW", "NCHW"], ["NCHW", "HWIO", "NHWC"],
        ["NHWC", "OIHW", "NCHW"], ["HWNC", "IOHW", "CNHW"], ["NWHC", "WHIO", "NHWC"]],
    3: [None, ["NDHWC", "DHWIO", "NDHWC"], ["NCDHW", "OIDHW", "NCDHW"], ["NCDHW", "DHWIO", "NDHWC"]],
}


def sweep(L):
    """Randomised (fixed-seed) combinations of every argument, on top of the hand-written cases."""
    from common import BASE_SEED
    r = np.random.default_rng(BASE_SEED + 1)
    for i in range(45):
        n = int(r.choice([1, 2, 3], p=[0.4, 0.45, 0.15]))
        kmax, smax = (3, 6) if n < 3 else (2, 4)
        K = [int(r.integers(1, kmax + 1)) for _ in range(n)]
        S = [int(r.integers(2, smax + 1)) for _ in range(n)]
        ws = [int(r.integers(1, 4)) for _ in range(n)]
        rd = [int(r.integers(1, 3)) for _ in range(n)]
        kw = dict(S=S, K=K, ws=ws, rd=rd, dn=LAYOUTS[n][int(r.integers(len(LAYOUTS[n])))])
        u = r.random()
        if u < 0.45:
            kw["pad"] = str(r.choice(["SAME", "SAME_LOWER", "VALID", "same", "valid", "same_lower"]))
        else:
            kw["pad"] = [[int(r.integers(-1, 3)), int(r.integers(-1, 3))] for _ in range(n)]
            if r.random() < 0.5:
                kw["ld"] = [int(r.integers(1, 3)) for _ in range(n)]
        g = int(r.choice([1, 1, 2, 3]))
        C, O = int(r.integers(1, 3)), int(r.integers(1, 3))
        if r.random() < 0.6 or g == 1:
            kw.update(C=C * g, O=O * g, fgc=g) if g > 1 else kw.update(C=C, O=O)
        else:
            kw.update(N=g, C=C, O=O * g, bgc=g)
        if i % 9 == 4:
            kw["dtype"] = "float64"
        L.append(dict(op="conv_general_dilated", **kw))
    for i in range(40):
        n = int(r.choice([1, 2, 3], p=[0.4, 0.45, 0.15]))
        kmax, smax = (4, 4) if n < 3 else (2, 2)
        K = [int(r.integers(1, kmax + 1)) for _ in range(n)]
        S = [int(r.integers(2, smax + 1)) for _ in range(n)]
        st = [int(r.integers(1, 4)) for _ in range(n)]
        kw = dict(S=S, K=K, st=st, C=int(r.integers(1, 3)), O=int(r.integers(1, 3)),
                  dn=LAYOUTS[n][int(r.integers(len(LAYOUTS[n])))] if r.random() < 0.5 else None,
                  tk=bool(r.random() < 0.5), ucp=bool(r.random() < 0.5))
        if r.random() < 0.3:
            kw["rd"] = [int(r.integers(1, 3)) for _ in range(n)]
        u = r.random()
        kw["pad"] = (str(r.choice(["SAME", "VALID"])) if u < 0.55 else
                     [[int(r.integers(-1, 3)), int(r.integers(-1, 3))] for _ in range(n)])
        if i % 9 == 4:
            kw["dtype"] = "float64"
        L.append(dict(op="conv_transpose", **kw))


def build_cases(gen):
    out = []
    for sp in specs():
        op = sp["op"]
        dtype = sp.get("dtype", "float32")
        if sp.get("seed"):
            cid = gen.next_id(op, ["seed", sp["seed"]])
            x = np.asarray([[[1, 2, 3, 4, -5], [1, 2, 3, 4, 5]]], np.float32).transpose((0, 2, 1))
            filters = np.array([[[1, 0, -1], [-1, 0, 1]], [[1, 1, 1], [-1, -1, -1]]], np.float32).transpose((2, 1, 0))
            if sp["seed"] == "rot90":
                w, dn = np.rot90(np.rot90(filters)), ["NWC", "WIO", "NWC"]
            elif sp["seed"] == "rot90-WOI":
                w, dn = np.rot90(np.rot90(filters)), ["NWC", "WOI", "NWC"]
            else:
                w, dn = filters[::-1], ["NWC", "WOI", "NWC"]
            attrs = {"window_strides": [1], "padding": "SAME", "lhs_dilation": [1], "rhs_dilation": [1],
                     "dimension_numbers": dn}
            out.append(dict(id=cid, op=op, attrs=attrs, x=np.ascontiguousarray(x), w=np.ascontiguousarray(w),
                            dtype="float32", note=sp.get("note"), err=False))
            continue
        S, K = sp["S"], sp["K"]
        n = len(S)
        N, C, O = sp.get("N", 1), sp["C"], sp["O"]
        dn = sp.get("dn")
        if op == "conv_general_dilated":
            fgc, bgc = sp.get("fgc", 1), sp.get("bgc", 1)
            spec = dn if dn and len(dn) == 3 else cgd_default(n)
            I = sp.get("w_in", C // fgc)
            rhs_sizes = {"O": O, "I": I}
        else:
            spec = dn if dn else CT_DEFAULTS.get(n, ("N" + "ABCD"[:n] + "C", "ABCD"[:n] + "IO", "N" + "ABCD"[:n] + "C"))
            I = sp.get("w_in", C)
            # transpose_kernel swaps the kernel's I and O axes before use
            rhs_sizes = {"O": I, "I": O} if sp.get("tk") else {"O": O, "I": I}
        sp_chars = [ch for ch in spec[1] if ch not in "IO"]
        xshape = shape_of(spec[0], {"N": N, "C": C}, sp_chars, S)
        wshape = shape_of(spec[1], rhs_sizes, sp_chars, K)
        if sp.get("rank_mismatch"):
            wshape = wshape + [1]
        attrs = {}
        if op == "conv_general_dilated":
            attrs["window_strides"] = sp["ws"]
            attrs["padding"] = sp["pad"]
            if "ld" in sp:
                attrs["lhs_dilation"] = sp["ld"]
            if "rd" in sp:
                attrs["rhs_dilation"] = sp["rd"]
            attrs["dimension_numbers"] = dn
            if "fgc" in sp:
                attrs["feature_group_count"] = sp["fgc"]
            if "bgc" in sp:
                attrs["batch_group_count"] = sp["bgc"]
        else:
            attrs["strides"] = sp["st"]
            attrs["padding"] = sp["pad"]
            if "rd" in sp:
                attrs["rhs_dilation"] = sp["rd"]
            attrs["dimension_numbers"] = dn
            attrs["transpose_kernel"] = bool(sp.get("tk", False))
            attrs["use_consistent_padding"] = bool(sp.get("ucp", False))
        if dtype == "float32":
            attrs["precision"] = "highest"
        # id tags
        strides = sp.get("ws", sp.get("st")) or [1]
        tags = ["s" + "x".join(map(str, sorted(set(strides), key=strides.index))) if strides else "s1",
                "k" + "x".join(map(str, sorted(set(K), key=K.index))) if K else "k0"]
        if sp.get("rd") and max(sp["rd"]) > 1:
            tags.append("rd%d" % max(sp["rd"]))
        if sp.get("ld") and max(sp["ld"]) > 1:
            tags.append("ld%d" % max(sp["ld"]))
        pad = sp["pad"]
        tags.append(pad.lower().replace("_", "") if isinstance(pad, str) else "pads")
        tags.append(("-".join(dn)).lower() if dn and len(dn) == 3 else ("dnbad" if dn else "dnnone"))
        if sp.get("fgc", 1) > 1:
            tags.append("fgc%d" % sp["fgc"])
        if sp.get("bgc", 1) > 1:
            tags.append("bgc%d" % sp["bgc"])
        if sp.get("tk"):
            tags.append("tk")
        if sp.get("ucp"):
            tags.append("ucp")
        cid, rng, kind = gen.open_case(op, tags, sp, N, dtype)
        x, w = gen.input_and_kernel(rng, sp, xshape, wshape, kind, dtype)
        out.append(dict(id=cid, op=op, attrs=attrs, x=x, w=w, dtype=dtype, note=sp.get("note"), err=sp.get("err", False)))
    return out


def jax_call(lax, op, x, w, attrs):
    a = dict(attrs)
    if a.get("dimension_numbers") is not None:
        a["dimension_numbers"] = tuple(a["dimension_numbers"])
    if isinstance(a.get("padding"), list):
        a["padding"] = [tuple(p) for p in a["padding"]]
    for k in ("window_strides", "strides", "lhs_dilation", "rhs_dilation"):
        if k in a:
            a[k] = tuple(a[k])
    fn = getattr(lax, op)
    return np.asarray(fn(x, w, **a))


# ---------------------------------------------------------------- mathematical reference
def _pads_from_string(pad, in_sp, eff, strides):
    p = pad.upper()
    if p == "VALID":
        return [(0, 0)] * len(in_sp)
    if p not in ("SAME", "SAME_LOWER"):
        raise RefError("unknown padding")
    pads = []
    for n, k, s in zip(in_sp, eff, strides):
        total = max((-(-n // s) - 1) * s + k - n, 0)
        pads.append((total // 2, total - total // 2) if p == "SAME" else (total - total // 2, total // 2))
    return pads


def ref_cgd(x, w, strides, padding, lhs_dil, rhs_dil, dn, fgc=1, bgc=1):
    nsp = x.ndim - 2
    if w.ndim != x.ndim:
        raise RefError("rank")
    lhs_spec, rhs_spec, out_spec = dn if dn is not None else cgd_default(nsp)
    spc = [c for c in rhs_spec if c not in "IO"]
    if sorted(spc) != sorted(c for c in lhs_spec if c not in "NC") or sorted(spc) != sorted(c for c in out_spec if c not in "NC"):
        raise RefError("dimension numbers")
    xc = np.transpose(x, [lhs_spec.index("N"), lhs_spec.index("C")] + [lhs_spec.index(c) for c in spc])
    wc = np.transpose(w, [rhs_spec.index("O"), rhs_spec.index("I")] + [rhs_spec.index(c) for c in spc])
    lhs_dil = list(lhs_dil or [1] * nsp)
    rhs_dil = list(rhs_dil or [1] * nsp)
    if len(strides) != nsp or min(list(strides) + lhs_dil + rhs_dil + [1]) < 1:
        raise RefError("strides/dilations")
    if fgc > 1 and bgc > 1:
        raise RefError("both groups")
    if xc.shape[1] % fgc or xc.shape[1] // fgc != wc.shape[1] or wc.shape[0] % fgc:
        raise RefError("features")
    if xc.shape[0] % bgc or wc.shape[0] % bgc:
        raise RefError("batch groups")
    eff = [(k - 1) * d + 1 for k, d in zip(wc.shape[2:], rhs_dil)]
    if isinstance(padding, str):
        if max(lhs_dil + [1]) > 1:
            raise RefError("string padding with lhs_dilation")
        pads = _pads_from_string(padding, xc.shape[2:], eff, strides)
    else:
        if len(padding) != nsp:
            raise RefError("pads")
        pads = [tuple(p) for p in padding]
    dl = [(s - 1) * d + 1 if s > 0 else 0 for s, d in zip(xc.shape[2:], lhs_dil)]
    osz = [max((n + lo + hi - e) // st + 1, 0) if n + lo + hi - e >= 0 else 0
           for n, (lo, hi), e, st in zip(dl, pads, eff, strides)]
    if 0 in osz:
        r = np.zeros((xc.shape[0] // bgc, wc.shape[0]) + tuple(osz))
    else:
        r = conv_gather(xc, wc, list(strides), pads, rhs_dil, lhs_dil, groups=fgc, batch_groups=bgc)
    names = ["N", "C"] + spc
    return np.transpose(r, [names.index(c) for c in out_spec])


def _ct_padding(k, s, padding):
    """Transcribed from jax/_src/lax/convolution.py:_conv_transpose_padding (JAX 0.10.2)."""
    if padding == "SAME":
        pad_len = k + s - 2
        pad_a = k - 1 if s > k - 1 else int(np.ceil(pad_len / 2))
    elif padding == "VALID":
        pad_len = k + s - 2 + max(k - s, 0)
        pad_a = k - 1
    elif isinstance(padding, (tuple, list)):
        pads = tuple(k - p - 1 for p in padding)
        pad_a, pad_len = pads[0], sum(pads)
    else:
        raise RefError("Invalid padding mode")
    return pad_a, pad_len - pad_a


def ref_conv_transpose(x, w, a):
    nd = x.ndim
    if w.ndim != nd:
        raise RefError("rank")
    dn = a.get("dimension_numbers")
    if dn is None:
        if nd - 2 not in CT_DEFAULTS:
            raise RefError("No defaults")
        dn = CT_DEFAULTS[nd - 2]
    strides, padding = a["strides"], a["padding"]
    rd = a.get("rhs_dilation") or [1] * (nd - 2)
    spc = [c for c in dn[1] if c not in "IO"]
    ks = [w.shape[dn[1].index(c)] for c in spc]
    if a.get("use_consistent_padding") or padding in ("SAME", "VALID"):
        eff = [(k - 1) * d + 1 for k, d in zip(ks, rd)]
        rep = [padding] * len(strides) if isinstance(padding, str) else padding
        if len(rep) != len(eff):
            raise RefError("pads")
        pads = [_ct_padding(k, s, p) for k, s, p in zip(eff, strides, rep)]
    else:
        pads = padding
    if a.get("transpose_kernel"):
        for c in spc:
            w = np.flip(w, dn[1].index(c))
        w = np.swapaxes(w, dn[1].index("O"), dn[1].index("I"))
    return ref_cgd(x, w, [1] * (nd - 2), pads, list(strides), rd, dn)


def reference(c):
    a = c["attrs"]
    if c["op"] == "conv_general_dilated":
        return ref_cgd(c["x"], c["w"], a["window_strides"], a["padding"], a.get("lhs_dilation"),
                       a.get("rhs_dilation"), a.get("dimension_numbers"), a.get("feature_group_count", 1),
                       a.get("batch_group_count", 1))
    return ref_conv_transpose(c["x"], c["w"], a)


def main_generate(gen):
    import warnings
    warnings.filterwarnings("ignore")
    import jax
    jax.config.update("jax_enable_x64", True)
    jax.config.update("jax_platforms", "cpu")
    from jax import lax
    for c in build_cases(gen):
        try:
            res = jax_call(lax, c["op"], c["x"], c["w"], c["attrs"])
        except Exception as e:      # noqa: BLE001
            res = clean_error(e)
        try:
            ref = reference(c)
        except Exception as e:      # noqa: BLE001 - the reference rejects malformed calls any way it can
            ref = "reference: %s" % e
        notes, cid = gen.judge(c, res, ref)
        if not isinstance(res, str) and res.dtype != np.dtype(c["dtype"]):
            notes.append("JAX returned dtype %s" % res.dtype)
        gen.add(cid, c["op"], c["attrs"], {"lhs": c["x"], "rhs": c["w"]}, c["dtype"], res, "; ".join(notes) or None)
    import jaxlib
    return {"jax": jax.__version__, "jaxlib": jaxlib.__version__}
