#!/usr/bin/env bash
# The Python bridge's virtual environment: .venv/ with the pinned frameworks of
# bridge/requirements.txt (torch, jax, tensorflow-cpu), so that the torch, jax, tf and tf-eigen
# oracles run the same versions on every machine. Pinned inside the venv (no
# --system-site-packages) so a fresh CI machine reproduces it. Idempotent: when .venv already
# holds exactly these requirements (a stamp of their hash) it checks the imports and stops.
# Exit status 1 on failure; tools/setup.sh reports that loudly and goes on (the Python oracles
# are then UNAVAILABLE).
set -uo pipefail
cd "$(dirname "$0")/.."
say() { printf '[setup-python] %s\n' "$*"; }

PY=${CONVCHECK_SETUP_PYTHON:-python3}
REQ=bridge/requirements.txt
STAMP=.venv/.convcheck-requirements
want=$(sha256sum "$REQ" | cut -d' ' -f1)

check() {
  .venv/bin/python - <<'PYEOF'
import importlib
for name in ("numpy", "torch", "jax", "tensorflow"):
    try:
        mod = importlib.import_module(name)
        print(f"[setup-python] {name} {mod.__version__}")
    except Exception as e:  # report every framework, not just the first that fails
        print(f"[setup-python] {name}: NOT importable ({type(e).__name__}: {e})")
        raise SystemExit(1)
PYEOF
}

if [ -x .venv/bin/python ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$want" ]; then
  say ".venv is up to date with $REQ"
  check 2>/dev/null
  exit $?
fi

if ! command -v "$PY" >/dev/null; then
  say "ERROR: $PY not found: the Python oracles (torch, jax, tf, tf-eigen) need Python 3 with venv" >&2
  exit 1
fi
start=$(date +%s)
if [ ! -x .venv/bin/python ]; then
  say "creating .venv with $($PY --version 2>&1)"
  if ! "$PY" -m venv .venv; then
    say "ERROR: '$PY -m venv .venv' failed (Debian: apt-get install python3-venv)" >&2
    exit 1
  fi
fi
# torch's default wheel on PyPI is the CUDA build (gigabytes of nvidia libraries); the CPU build
# lives on PyTorch's own index. pip skips an unreachable index and goes on with the others.
extra=(--extra-index-url "${CONVCHECK_TORCH_INDEX:-https://download.pytorch.org/whl/cpu}")
say "installing $REQ into .venv (pip; this takes minutes the first time)"
if ! .venv/bin/python -m pip install --retries 0 --disable-pip-version-check -q "${extra[@]}" -r "$REQ"; then
  say "ERROR: pip install -r $REQ failed" >&2
  exit 1
fi
if ! check 2>/dev/null; then exit 1; fi
echo "$want" > "$STAMP.tmp" && mv "$STAMP.tmp" "$STAMP"
say "done in $(( $(date +%s) - start )) s"
