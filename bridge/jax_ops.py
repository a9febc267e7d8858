"""jax.lax.conv_general_dilated (every argument) and jax.lax.conv_transpose on the CPU.

float64 needs jax_enable_x64, set before any array exists. A case without `precision` runs at
Precision.HIGHEST: on CPU that is what float32 gets anyway, and saying it keeps the oracle from
silently measuring a reduced-precision default elsewhere."""
import jax

jax.config.update("jax_enable_x64", True)
jax.config.update("jax_platforms", "cpu")

import jax.numpy as jnp  # noqa: E402  (after the config above)
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402

from signatures import Framework, native  # noqa: E402

_DTYPES = {"float16": jnp.float16, "bfloat16": jnp.bfloat16, "float32": jnp.float32, "float64": jnp.float64}


class Jax(Framework):
    def run(self, op, attrs, arrays, dtype):
        dt = _DTYPES[dtype]
        kw = {k: native(v) for k, v in attrs.items()}
        kw.setdefault("precision", lax.Precision.HIGHEST)
        if kw.get("preferred_element_type") is not None:
            kw["preferred_element_type"] = jnp.dtype(kw["preferred_element_type"])
        fn = lax.conv_general_dilated if op == "conv_general_dilated" else lax.conv_transpose
        out = fn(jnp.asarray(arrays["lhs"], dtype=dt), jnp.asarray(arrays["rhs"], dtype=dt), **kw)
        return np.asarray(out.astype(jnp.float64))


def load(threads):
    # XLA's CPU thread pool is sized at start-up; one device, so `threads` has no per-call knob here.
    del threads
    jnp.zeros(1).block_until_ready()  # fail now (unavailable), not on the first case
    return Jax("jax", "jax", np, tuple(_DTYPES), {"jax": jax.__version__, "jaxlib": jax.lib.__version__, "numpy": np.__version__})
