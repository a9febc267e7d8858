"""Writes test/golden/PROVENANCE.md from the generation summaries (called by generate.py on a full run)."""
import collections
import json
import os

from common import BASE_SEED, FLOAT_EVERY

HEAD = """# Golden fixtures: provenance

Every line of `tf.jsonl`, `jax.jsonl`, `onnx.jsonl` and `torch.jsonl` is one case in the format of
`docs/case-format.md`. The files are generated, not hand-edited:

```sh
python3 tools/golden/generate.py     # all four files + onnx-departures.json + this file (1-2 minutes)
python3 tools/golden/validate.py     # structural check of the four files against docs/case-format.md
```

`--only tf,jax` regenerates a subset (this file is only rewritten by a full run). Generation is
deterministic: re-running with the same library versions reproduces the files byte for byte. Each
framework runs in its own child process, so TensorFlow, JAX and PyTorch are never loaded together.

## Files

| file | `expected` produced by | cases | expected errors | float64 | ops (cases / errors) |
|---|---|---|---|---|---|
"""

METHOD = """
## How the cases are built

* Hand-written case lists per op (`tools/golden/gen_tf.py`, `gen_jax.py`, `gen_torch.py`, `gen_onnx.py`) cover
  the required behaviours (odd total padding, kernel < stride, dilation, negative padding, groups with several
  outputs per group, batch > 1, every layout, 1-D/2-D/3-D, impulse inputs, and calls the framework rejects).
  JAX, PyTorch and ONNX add a fixed-seed randomised sweep over all arguments on top.
* Data: each case draws from `numpy.random.default_rng([{seed}, crc32(case id)])`. About 70 % of cases use
  integers in [-3, 3] (exact arithmetic, integer-valued results), the rest float normals (cases whose running
  number mod 10 is in {float_every}). Kernels are never uniform (at least 3 distinct values when they have 3 or more
  elements). Impulse cases use a one-hot input (or kernel).
* Numbers: float32 values are written as `float(np.float32(v))` (exact round trip), float64 values as Python
  floats; integer-valued numbers are written as JSON integers.
* `expected.error` is the first 200 characters of the library's exception message with whitespace collapsed
  (TensorFlow's `{{{{function_node ...}}}}` device prefix removed). ONNX errors come from the spec
  implementation and start with `spec:`.
* ids: `<framework>-<op>-<tags>-<NNN>`, tags summarising strides/kernel/dilation/padding/layout/groups/batch/dtype;
  `reject` marks cases whose expected value is an error, `minimal` the smallest ONNX departure cases; NNN is the
  running number in the file.
* `attrs` hold exactly what was passed to the library (JSON lists where the call got tuples: JAX padding pairs,
  dimension_numbers and strides, torch tuples).
* Cross-check: every TF/JAX/PyTorch result (and every ONNX spec value) is compared with a plain numpy
  convolution (`tools/golden/refconv.py`, float64). Where the library disagrees, the fixture still records what
  the library returns and the case's `note` starts an `NB:` sentence saying so (listed per framework below).
"""


def _ops_cell(s):
    return ", ".join("%s %d/%d" % (op, v["cases"], v["errors"]) for op, v in s["ops"].items())


def _ids(ids, n=3):
    more = " (+%d more)" % (len(ids) - n) if len(ids) > n else ""
    return ", ".join("`%s`" % i for i in ids[:n]) + more


def write(outdir, summaries):
    S = {s["framework"]: s for s in summaries}
    L = [HEAD]
    producer = {
        "tf": "TensorFlow %s (`tf.nn`, CPU)" % S["tf"]["versions"]["tensorflow"],
        "jax": "JAX %s / jaxlib %s (`jax.lax`, CPU)" % (S["jax"]["versions"]["jax"], S["jax"]["versions"]["jaxlib"]),
        "onnx": "numpy implementation of the ONNX opset-22 spec (`tools/golden/onnx_spec.py`); onnx %s, "
                "onnxruntime %s compared" % (S["onnx"]["versions"]["onnx"], S["onnx"]["versions"]["onnxruntime"]),
        "torch": "PyTorch %s (`torch.nn.functional`, CPU)" % S["torch"]["versions"]["torch"],
    }
    for fw in ("tf", "jax", "onnx", "torch"):
        s = S[fw]
        L.append("| `%s.jsonl` | %s | %d | %d | %d | %s |\n" % (fw, producer[fw], s["cases"], s["errors"],
                                                              s["float64"], _ops_cell(s)))
    L.append("| `onnx-departures.json` | onnxruntime %s and `onnx.reference.ReferenceEvaluator` (onnx %s) vs the "
             "spec values | | | | |\n" % (S["onnx"]["versions"]["onnxruntime"], S["onnx"]["versions"]["onnx"]))
    L.append(METHOD.format(seed=BASE_SEED, float_every=", ".join(map(str, FLOAT_EVERY))))

    # ---------------------------------------------------------------- TF
    tf = S["tf"]
    ex = tf["extra"]
    L.append("""
## TensorFlow (`tf.jsonl`)

Run twice over the same cases: with TensorFlow's default CPU build (oneDNN kernels, `TF_ENABLE_ONEDNN_OPTS=1`,
what users get) and with TF's own Eigen kernels (`TF_ENABLE_ONEDNN_OPTS=0`, in a child process). The fixture
records the default build's result. oneDNN only handles float32, so float64 cases always run on the Eigen
kernels. Both runs compute a valid call another TF way when a kernel refuses it for a backend-only reason:

* NHWC-only kernels: transpose the input to channels-last, call with the channels-last `data_format` (strides,
  dilations, explicit padding and `output_shape` reordered), transpose the result back;
* no dilation in a kernel: insert the dilation zeros into the filter explicitly (size `(k-1)*d+1`) and call with
  `dilations=1` (the same mathematical operation as the dilated call; for transposed convolutions this equals the
  gradient of the forward dilated conv, checked against the numpy reference).

Such cases say so in `note`. Calls that can abort the whole process are run in a separate process.

### What TF refused in the default build (valid calls; fixture computed by the fallback)

| TF message  ->  fallback | cases |
|---|---|
""")
    for k, ids in ex.get("refused_default", {}).items():
        L.append("| %s | %d: %s |\n" % (k.replace("|", "/"), len(ids), _ids(ids)))
    L.append("""
Refused by TF's Eigen kernels (`TF_ENABLE_ONEDNN_OPTS=0`). In the default build these kernels serve float64
(hence the table above); the same float32 calls are computed directly by oneDNN (transposed convolutions with
dilation > 1, channels-first layouts, Conv3D dilation, unequal depthwise strides) and agree with the fallback.

| Eigen-kernel message  ->  fallback | cases |
|---|---|
""")
    for k, ids in ex.get("refused_eigen", {}).items():
        L.append("| %s | %d: %s |\n" % (k.replace("|", "/"), len(ids), _ids(ids)))
    L.append("""
### Where the default build (oneDNN) and TF's Eigen kernels disagree

When they disagree, the fixture keeps the one that agrees with the plain numpy convolution (or the error, for
calls that are invalid) and the case's `note` says what the other gave.

| case | default build | Eigen kernels | fixture |
|---|---|---|---|
""")
    for cid, d, e, f in ex.get("onednn_vs_eigen", []):
        L.append("| `%s` | %s | %s | %s |\n" % (cid, d.replace("default (oneDNN): ", "").replace("|", "/")[:160],
                                                e.replace("Eigen: ", "").replace("|", "/")[:160], f.replace("fixture uses ", "")))
    L.append("""
Other TF facts the fixtures pin down:

* Explicit padding lists are accepted only by `conv2d`, `conv2d_transpose` and `depthwise_conv2d`; `conv1d`,
  `conv3d`, `conv1d_transpose`, `conv3d_transpose` raise `TypeError` (fixtures with `reject`). Negative explicit
  padding and nonzero batch/channel padding are errors.
* `conv3d` wants length-5 `strides`/`dilations` lists (int and length-1/3 forms are
  rejected; `conv3d_transpose` accepts an int stride). `depthwise_conv2d` wants length-4 `strides` and a length-2
  `dilations` (rate); an int is rejected.
* `conv1d` with a length-3 stride whose batch entry is not 1 (`[2, 1, 1]`, NWC) is accepted and the width stride is
  1: TF prepends 1 and the 2 lands on the inserted height axis.
* Output size 0 (kernel exactly one larger than the input, VALID) is an empty result, not an error; one less gives
  "Computed output size would be negative".
""")
    if tf["problems"]:
        L.append("* Results that differ from the plain mathematical convolution (recorded as TF returns them, `NB:` in "
                 "the note):\n")
        for cid, msg in tf["problems"]:
            L.append("  * `%s`: %s\n" % (cid, msg))
        L.append("  `depthwise_conv2d` with strides > 1 and dilations > 1 warns (\"When dilation rate is greater than 1, "
                 "then all values of strides must be 1\") and then applies the strides inside its space-to-batch "
                 "phases; a length-1 `dilations` list is not read as `[d, d]`.\n")

    # ---------------------------------------------------------------- JAX
    jx = S["jax"]
    L.append("""
## JAX (`jax.jsonl`)

`jax_enable_x64` is on (float64 cases); float32 cases pass `precision="highest"` (recorded in `attrs`). Tuples
in the call (padding pairs, `dimension_numbers`, strides and dilations) are JSON lists in `attrs`. The seed
question's call (`np.rot90` twice, `("NWC", "WIO", "NWC")`, `'SAME'`) is `jax-conv_general_dilated-seed-rot90-*`
with output `[[0,0],[0,0],[0,0],[10,10],[0,10]]`, next to its `WOI` and flip-only follow-ups.
`conv_transpose` cases exercise every branch of `_conv_transpose_padding` and of the string/tuple padding
dispatch in `jax/_src/lax/convolution.py` (`SAME` with stride > k-1 and <= k-1, `VALID` with k < s and k > s,
explicit pairs with `use_consistent_padding` False and True, `'SAME_LOWER'`/lowercase strings reaching
`conv_general_dilated` directly, which works at stride 1 and raises at stride > 1, or raise "Invalid padding
mode" under `use_consistent_padding=True`; no-defaults error for 4 spatial dims; 0 spatial dims).
Numpy cross-check: %d agree, %d differ.
* Kernel larger than the input (VALID) and negative padding that leaves 0 elements give an empty result, but
  negative padding larger than the dimension is an error.
""" % (jx["crosscheck"]["ok"], jx["crosscheck"]["problems"]))

    # ---------------------------------------------------------------- torch
    tt = S["torch"]
    L.append("""
## PyTorch (`torch.jsonl`)

Called as `torch.nn.functional.<op>(input, weight, bias, **attrs)` under `torch.no_grad()`, tuples for list
attributes. Numpy cross-check: %d agree, %d differ. Notable:

* `output_padding` is valid when smaller than the stride *or* the dilation (fixtures on both sides).
* `padding='same'` with stride > 1, negative padding, string padding in transposed convs, and a kernel larger
  than the padded input are rejected.
* A transposed conv whose computed output size is 0 raises "Output size is too small" with `groups=1`, but
  with `groups > 1` PyTorch returns an empty tensor (recorded as PyTorch returns it):
""" % (tt["crosscheck"]["ok"], tt["crosscheck"]["problems"]))
    for cid, msg in tt["problems"]:
        L.append("  * `%s`: %s\n" % (cid, msg))
    L.append("* Some negative output sizes in transposed convs are reported by oneDNN as \"could not construct a memory "
             "descriptor using a format tag\" instead of the usual message.\n")

    # ---------------------------------------------------------------- ONNX
    dep = json.load(open(os.path.join(outdir, "onnx-departures.json")))
    xc = dep["spec_crosscheck"]
    L.append("""
## ONNX (`onnx.jsonl`, `onnx-departures.json`)

`expected` is computed by `tools/golden/onnx_spec.py`, written from the opset-22 schema text
(`onnx.defs.get_schema('Conv', 22)`, `get_schema('ConvTranspose', 22)`): Conv in gather form, ConvTranspose in
scatter form (each input element times the kernel added at `out = i*stride + k*dilation - pad_begin`), pads from
the quoted formulas. It is cross-checked against PyTorch where the pads are symmetric (%d/%d agree) and every
ConvTranspose against an independent gather-form convolution of the zero-inserted input (%d/%d agree).
onnxruntime (CPU) and `onnx.reference.ReferenceEvaluator` are then run on the same model (opset 22, IR 10) and
never used as truth. Spec readings used:

* ConvTranspose with `output_shape`: total padding from the doc formula; `SAME_UPPER` puts the odd pad at the
  end, everything else (including the default `NOTSET`) at the start (the formula's "Else" branch); `pads` are
  ignored. `auto_pad` SAME_* without `output_shape`: output `input*stride`, extra pad at the end (UPPER) /
  start (LOWER). A negative total padding (kernel < stride, or `output_shape` larger than the full output)
  extends the output with zeros (plus bias).
* "output_padding must be less than the corresponding stride/dilation" is read as stride *or* dilation
  (as PyTorch does); fixtures only use values below the stride, or >= both (invalid).
* Invalid per spec (expected error): channel/group mismatches, `kernel_shape` not matching W, B of the wrong
  size, negative `pads`, attribute lists of the wrong length, `pads` together with `auto_pad` ("cannot be used
  simultaneously"), output size < 1 (Conv: kernel extent larger than the padded input).
* Not in the fixtures: odd *negative* total padding (the spec's `total/2` does not say how to round it); these
  cases are listed under `spec_ambiguous` in `onnx-departures.json` (the output shape is still fixed by the spec,
  and onnxruntime's shape departs there too).

### Departures (%d entries in `onnx-departures.json`)

| runtime | behaviour | cases | smallest case |
|---|---|---|---|
""" % (xc["torch"]["agree"], xc["torch"]["compared"], xc["gather"]["agree"], xc["gather"]["compared"],
       len(dep["departures"])))
    groups = collections.OrderedDict()
    for d in sorted(dep["departures"], key=lambda d: (d["runtime"] != "onnxruntime", d["behaviour"])):
        groups.setdefault((d["runtime"], d["behaviour"]), []).append(d)
    per_case = collections.Counter(d["id"] for d in dep["departures"])
    for (rt, b), ds in groups.items():
        best = sorted(ds, key=lambda d: (not d["minimal"], "not_in_fixture" in d, per_case[d["id"]]))[0]
        extra = ""
        if best.get("max_abs_diff") is not None:
            extra = " (max abs diff %g)" % best["max_abs_diff"]
        elif best.get("error"):
            extra = " (\"%s\")" % best["error"].replace("|", "/")[:110]
        nf = sum("not_in_fixture" in d for d in ds)
        L.append("| %s | %s | %d%s | `%s`%s |\n" % (rt, b, len(ds), " (%d not in fixture)" % nf if nf else "",
                                                   best["id"], extra))
    with open(os.path.join(outdir, "PROVENANCE.md"), "w") as f:
        f.write("".join(L))
