"""The case format's ops, inputs and attributes for the frameworks the bridge runs.

These mirror src/conventions (tf.ts, jax.ts, torch.ts) name for name; test/bridge.test.ts checks
that they still do (`convcheck_bridge.py --signatures` prints them without importing a framework).
The bridge refuses any attribute outside these lists, so a case means the same thing to the
reference and to the real framework.
"""
from typing import NamedTuple, Tuple


class OpSpec(NamedTuple):
    inputs: Tuple[str, ...]
    optional: Tuple[str, ...]
    attrs: Tuple[str, ...]


_TF_CONV = ("strides", "padding", "data_format", "dilations")
_TF_TRANSPOSE = ("output_shape", "strides", "padding", "data_format", "dilations")
_TORCH_CONV = OpSpec(("input", "weight"), ("bias",), ("stride", "padding", "dilation", "groups"))
_TORCH_TRANSPOSE = OpSpec(("input", "weight"), ("bias",), ("stride", "padding", "output_padding", "groups", "dilation"))

SIGNATURES = {
    "tf": {
        "conv1d": OpSpec(("input", "filters"), (), ("stride", "padding", "data_format", "dilations")),
        "conv2d": OpSpec(("input", "filters"), (), _TF_CONV),
        "conv3d": OpSpec(("input", "filters"), (), _TF_CONV),
        "conv1d_transpose": OpSpec(("input", "filters"), (), _TF_TRANSPOSE),
        "conv2d_transpose": OpSpec(("input", "filters"), (), _TF_TRANSPOSE),
        "conv3d_transpose": OpSpec(("input", "filters"), (), _TF_TRANSPOSE),
        "depthwise_conv2d": OpSpec(("input", "filter"), (), _TF_CONV),
    },
    "jax": {
        "conv_general_dilated": OpSpec(("lhs", "rhs"), (), (
            "window_strides", "padding", "lhs_dilation", "rhs_dilation", "dimension_numbers",
            "feature_group_count", "batch_group_count", "precision", "preferred_element_type")),
        "conv_transpose": OpSpec(("lhs", "rhs"), (), (
            "strides", "padding", "rhs_dilation", "dimension_numbers", "transpose_kernel",
            "use_consistent_padding", "precision", "preferred_element_type")),
    },
    "torch": {
        "conv1d": _TORCH_CONV, "conv2d": _TORCH_CONV, "conv3d": _TORCH_CONV,
        "conv_transpose1d": _TORCH_TRANSPOSE, "conv_transpose2d": _TORCH_TRANSPOSE, "conv_transpose3d": _TORCH_TRANSPOSE,
    },
}


class Unsupported(Exception):
    """The case is outside what this bridge implements: answered `unsupported`, never wrong."""


class Framework:
    """What the protocol loop needs from a framework module: its op table, dtypes and a run()."""

    def __init__(self, name, framework, np, dtypes, versions, capabilities=None):
        self.name = name
        self.framework = framework
        self.ops = SIGNATURES[framework]
        self.np = np
        self.dtypes = dtypes
        self.versions = versions
        self.capabilities = {"dtypes": list(dtypes), **(capabilities or {})}

    def run(self, op, attrs, arrays, dtype):
        """The framework's output for one case, as something numpy can widen to float64."""
        raise NotImplementedError


def native(v):
    """JSON lists as the tuples Python APIs expect (nested: padding pairs)."""
    return tuple(native(x) for x in v) if isinstance(v, list) else v
