#!/usr/bin/env bash
# Everything `npm ci` cannot install: Debian's chromium (the HTML report is tested in it),
# Debian's libonnx-testdata (ONNX conformance), and tfjs-node built against the local
# tensorflow-cpu wheel (tools/setup-tfjs-node.sh), and the Python bridge's .venv with pinned torch,
# jax and tensorflow-cpu (tools/setup-python.sh). Idempotent: seconds when all is there.
# A failed tfjs-node build or venv is reported loudly and is not fatal: those oracles are then
# UNAVAILABLE.
set -uo pipefail
cd "$(dirname "$0")/.."
say() { printf '[setup] %s\n' "$*"; }

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -d /usr/share/libonnx-testdata ] || need+=(libonnx-testdata)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
    say "ERROR: need Debian packages ${need[*]} and cannot install them (not root, no sudo): apt-get install ${need[*]}" >&2
    exit 1
  fi
  say "installing Debian packages: ${need[*]}"
  if ! { "${sudo[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}"; }; then
    say "ERROR: apt-get install ${need[*]} failed" >&2
    exit 1
  fi
fi
say "chromium: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
say "ONNX backend tests: /usr/share/libonnx-testdata"

if ! bash tools/setup-tfjs-node.sh; then
  say "!!! tfjs-node setup FAILED: the tfjs-node oracle will be UNAVAILABLE (runs and tests say so and go on)" >&2
fi

if ! bash tools/setup-python.sh; then
  say "!!! Python bridge setup FAILED: the torch, jax, tf and tf-eigen oracles will be UNAVAILABLE (runs and tests say so and go on)" >&2
fi
