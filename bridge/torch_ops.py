"""torch.nn.functional's conv1d/2d/3d and conv_transpose1d/2d/3d, called with the case's own
keyword arguments (ints or tuples, 'same'/'valid'), batched or unbatched."""
import numpy as np
import torch
import torch.nn.functional as F

from signatures import Framework, native

_DTYPES = {"float16": torch.float16, "bfloat16": torch.bfloat16, "float32": torch.float32, "float64": torch.float64}


class Torch(Framework):
    def run(self, op, attrs, arrays, dtype):
        dt = _DTYPES[dtype]
        args = {k: torch.from_numpy(v).to(dt) for k, v in arrays.items()}
        fn = getattr(F, op)
        with torch.no_grad():
            out = fn(args["input"], args["weight"], args.get("bias"), **{k: native(v) for k, v in attrs.items()})
        return out.to(torch.float64).numpy()


def load(threads):
    torch.set_num_threads(threads)
    return Torch("torch", "torch", np, tuple(_DTYPES), {"torch": torch.__version__, "numpy": np.__version__})
