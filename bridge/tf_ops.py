"""tf.nn's seven convolution ops on the CPU, with oneDNN on (TF's default) or off (Eigen), as
TF_ENABLE_ONEDNN_OPTS said when TensorFlow was imported (convcheck_bridge.py sets it).

The case format lets strides default to 1 where the reference does; tf.nn makes them required,
so the bridge passes the full-length list of ones, which every one of the seven ops accepts."""
import re

import numpy as np
import tensorflow as tf

from signatures import Framework, Unsupported, native

_DTYPES = {"float32": tf.float32, "float64": tf.float64}
# Calls the tf.nn convention allows but TF's CPU kernels (Eigen and oneDNN alike) do not
# implement; TF says so in its error. A missing kernel is not the convention rejecting the call,
# so these answer `unsupported`. Seen in TF 2.21: channels-first formats (Conv2D, Conv3D and
# their backprops), dilation > 1 in Conv3D and in every transposed conv (the backprop-input ops).
_MISSING_KERNEL = re.compile(
    r"only support(s|ed for) (the )?ND?HWC|not yet support dilation rates larger than 1|only supports dilated rates of 1")
_CHANNELS_LAST = ["NWC", "NHWC", "NDHWC"]
_RANK = {"conv1d": 1, "conv2d": 2, "conv3d": 3, "conv1d_transpose": 1, "conv2d_transpose": 2,
         "conv3d_transpose": 3, "depthwise_conv2d": 2}


class Tf(Framework):
    def run(self, op, attrs, arrays, dtype):
        dt = _DTYPES[dtype]
        kw = {k: (v if k == "padding" and isinstance(v, str) else _tf_value(k, v)) for k, v in attrs.items()}
        stride_name = "stride" if op == "conv1d" else "strides"
        kw.setdefault(stride_name, [1] * (_RANK[op] + 2))
        inputs = {k: tf.constant(v, dtype=dt) for k, v in arrays.items()}
        try:
            return getattr(tf.nn, op)(**inputs, **kw).numpy()
        except (tf.errors.InvalidArgumentError, tf.errors.UnimplementedError) as e:
            if _MISSING_KERNEL.search(e.message):
                raise Unsupported(f"TensorFlow's CPU kernels lack this call: {e.message.strip().splitlines()[0][:300]}")
            raise


def _tf_value(name, v):
    # TF wants lists (output_shape, explicit padding pairs), not tuples: keep JSON lists as lists.
    return v if name in ("output_shape", "padding") else native(v)


def load(threads):
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)
    # TensorFlow's own answer to whether its oneDNN kernels are on (it reads TF_ENABLE_ONEDNN_OPTS).
    from tensorflow.python.util import _pywrap_util_port
    onednn = bool(_pywrap_util_port.IsMklEnabled())
    tf.constant([0.0]).numpy()  # fail now (unavailable), not on the first case
    return Tf("tf" if onednn else "tf-eigen", "tf", np, tuple(_DTYPES),
              {"tensorflow": tf.__version__, "onednn": "on" if onednn else "off", "numpy": np.__version__},
              {"layouts": _CHANNELS_LAST})
