#!/usr/bin/env bash
# Set up @tensorflow/tfjs-node (the native TensorFlow backend of TensorFlow.js)
# WITHOUT its own install step, which downloads libtensorflow 2.9.1 from the
# internet and therefore fails here. Instead the N-API binding is compiled
# against the TensorFlow C API exported by the pip wheel tensorflow-cpu 2.21
# (libtensorflow_cc.so.2 + libtensorflow_framework.so.2 + include/).
#
#   bash tools/setup-tfjs-node.sh            # idempotent; fast when already built
#   bash tools/setup-tfjs-node.sh --force    # rebuild the binding even if it looks fine
#
# Environment overrides:
#   TFJS_NODE_PYTHON   python interpreter whose site-packages hold tensorflow (default: python3)
#   TFJS_NODE_REBUILD=1  same as --force
#   CONVCHECK_PROJECT_DIR  the project whose node_modules get tfjs-node (default: this
#                      repository; `convcheck setup tfjs-node` sets it to the consumer project)
#
# Steps:
#   1. ensure tensorflow-cpu 2.21 is pip-installed (pip install --retries 0 if missing)
#   2. ensure node_modules/@tensorflow/tfjs-node@4.22.0 is present (npm drops it
#      as a failed optional dependency; reinstall with --no-save --ignore-scripts)
#   3. stage node_modules/@tensorflow/tfjs-node/deps/{include,lib} as symlinks
#      into the wheel (names expected by binding.gyp and scripts/install.js)
#   4. build the binding with node-pre-gyp --build-from-source (skipped if a
#      build for the same TF/Node already passes the smoke check)
#   5. smoke check: load it, backend 'tensorflow', a tiny conv2d with known values
set -euo pipefail

TFJS_NODE_VERSION=4.22.0
TF_PIP_SPEC='tensorflow-cpu==2.21.*'
TF_VERSION_PREFIX=2.21.
STAMP_FORMAT=1

log() { printf '[setup-tfjs-node] %s\n' "$*"; }
die() { printf '[setup-tfjs-node] ERROR: %s\n' "$*" >&2; exit 1; }

FORCE=${TFJS_NODE_REBUILD:-0}
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) die "unknown argument: $arg (try --help)" ;;
  esac
done

ROOT=${CONVCHECK_PROJECT_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
cd "$ROOT"
[ -f package.json ] || die "no package.json in $ROOT (run from the repository)"
command -v node >/dev/null || die "node not found on PATH"
command -v npm >/dev/null || die "npm not found on PATH"
PYTHON=${TFJS_NODE_PYTHON:-python3}
command -v "$PYTHON" >/dev/null || die "python interpreter '$PYTHON' not found (set TFJS_NODE_PYTHON)"

T_START=$(date +%s)

# ---------------------------------------------------------------- 1. TensorFlow
# Locate the tensorflow package without importing it (import is slow and noisy).
tf_probe() {
  "$PYTHON" - <<'EOF' 2>/dev/null
import importlib.metadata as md, importlib.util as iu
ver = None
for dist in ("tensorflow-cpu", "tensorflow"):
    try:
        ver = md.version(dist); break
    except md.PackageNotFoundError:
        pass
spec = iu.find_spec("tensorflow")
loc = list(spec.submodule_search_locations)[0] if spec and spec.submodule_search_locations else ""
print(ver or "", loc)
EOF
}

read -r TF_VER TF_DIR < <(tf_probe || true) || true
if [[ "${TF_VER:-}" != ${TF_VERSION_PREFIX}* ]] || [ -z "${TF_DIR:-}" ]; then
  log "tensorflow ${TF_VERSION_PREFIX}x not found for $PYTHON (found: '${TF_VER:-none}'); installing $TF_PIP_SPEC"
  "$PYTHON" -m pip install --retries 0 "$TF_PIP_SPEC" \
    || die "pip install --retries 0 '$TF_PIP_SPEC' failed"
  read -r TF_VER TF_DIR < <(tf_probe || true) || true
  [[ "${TF_VER:-}" == ${TF_VERSION_PREFIX}* ]] && [ -n "${TF_DIR:-}" ] \
    || die "tensorflow still not importable by $PYTHON after pip install (version '${TF_VER:-none}')"
else
  log "tensorflow $TF_VER found at $TF_DIR"
fi
for f in libtensorflow_cc.so.2 libtensorflow_framework.so.2 include/tensorflow/c/c_api.h include/tensorflow/c/eager/c_api.h; do
  [ -e "$TF_DIR/$f" ] || die "$TF_DIR/$f missing: this tensorflow wheel does not ship the C API"
done

# --------------------------------------------------------------- 2. tfjs-node
PKG="$ROOT/node_modules/@tensorflow/tfjs-node"
pkg_ok() {
  [ -f "$PKG/package.json" ] || return 1
  (cd "$PKG" && node -e '
    const v = require("./package.json").version;
    if (v !== process.argv[1]) { console.error("version " + v); process.exit(1); }
    for (const d of ["@mapbox/node-pre-gyp/package.json", "@tensorflow/tfjs", "google-protobuf"]) require.resolve(d);
  ' "$TFJS_NODE_VERSION") >/dev/null 2>&1
}
if pkg_ok; then
  log "@tensorflow/tfjs-node@$TFJS_NODE_VERSION present in node_modules"
else
  log "@tensorflow/tfjs-node@$TFJS_NODE_VERSION missing or incomplete (npm drops it as a failed optional dependency); installing with --no-save --ignore-scripts"
  npm install --no-save --ignore-scripts --no-audit --no-fund "@tensorflow/tfjs-node@$TFJS_NODE_VERSION" \
    || die "npm install @tensorflow/tfjs-node@$TFJS_NODE_VERSION failed"
  pkg_ok || die "@tensorflow/tfjs-node@$TFJS_NODE_VERSION still not usable in $PKG after npm install"
fi

# --------------------------------------------------------------- 3. stage deps
# binding.gyp: -I deps/include, -L deps/lib -ltensorflow -ltensorflow_framework,
#   rpath $ORIGIN/../../deps/lib (relative to lib/napi-vN/tfjs_binding.node).
# The wheel's libtensorflow_cc.so.2 has SONAME libtensorflow_cc.so.2, so that is
#   the name the loader looks for at run time; libtensorflow.so is only for -l.
# scripts/install.js skips its download when deps/lib/libtensorflow.so.2.9.1 exists.
DEPS="$PKG/deps"
if [ -e "$DEPS" ] && [ ! -L "$DEPS/include" ]; then
  log "removing non-staged $DEPS (left by an earlier install attempt)"
  rm -rf "$DEPS"
fi
mkdir -p "$DEPS/lib"
ln -sfn "$TF_DIR/include" "$DEPS/include"
for name in libtensorflow.so libtensorflow_cc.so.2 libtensorflow.so.2.9.1; do
  ln -sfn "$TF_DIR/libtensorflow_cc.so.2" "$DEPS/lib/$name"
done
for name in libtensorflow_framework.so libtensorflow_framework.so.2 libtensorflow_framework.so.2.9.1; do
  ln -sfn "$TF_DIR/libtensorflow_framework.so.2" "$DEPS/lib/$name"
done
log "staged $DEPS -> $TF_DIR (symlinks)"

# --------------------------------------------------------------- 5. smoke check
SMOKE_JS='
const tf = require(process.argv[1]);
if (tf.getBackend() !== "tensorflow") throw new Error("backend is " + tf.getBackend() + ", not tensorflow");
const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
const y = tf.conv2d(x, tf.ones([2, 2, 1, 1]), 1, "valid");
const got = Array.from(y.dataSync()), want = [12, 16, 24, 28];
if (y.dtype !== "float32" || JSON.stringify(got) !== JSON.stringify(want))
  throw new Error("conv2d gave " + JSON.stringify(got) + " (" + y.dtype + "), want " + JSON.stringify(want));
console.log("smoke check ok: backend=tensorflow, TF C library " + tf.backend().binding.TF_Version + ", conv2d -> " + JSON.stringify(got));
// Informational: TF 2.21 oneDNN Conv2DBackpropInput is wrong for 1 input/1 output channel.
const t = Array.from(tf.conv2dTranspose(tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]), tf.ones([2, 2, 1, 1]), [1, 3, 3, 1], 1, "valid").dataSync());
const tw = [1, 3, 2, 4, 10, 6, 3, 7, 4];
console.log("oneDNN " + (process.env.TF_ENABLE_ONEDNN_OPTS === "0" ? "off" : "on") + ": single-channel conv2dTranspose " +
  (JSON.stringify(t) === JSON.stringify(tw) ? "correct" : "WRONG (" + JSON.stringify(t) + ", want " + JSON.stringify(tw) + "; TF_ENABLE_ONEDNN_OPTS=0 fixes it)"));
'
smoke() {
  # Run from the repo root so that require() resolves the project copy.
  TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2} node -e "$SMOKE_JS" "$PKG" 2>&1
}

# --------------------------------------------------------------- 4. build
STAMP="$DEPS/.convcheck-build-stamp"
NODE_ABI=$(node -p 'process.version + " napi " + process.versions.napi + " " + process.arch')
STAMP_WANT="format=$STAMP_FORMAT tfjs-node=$TFJS_NODE_VERSION tf=$TF_VER tfdir=$TF_DIR node=$NODE_ABI"
binding_files() { ls "$PKG"/lib/napi-v*/tfjs_binding.node 2>/dev/null || true; }

NEED_BUILD=1
if [ "$FORCE" = 1 ]; then
  log "--force: rebuilding the binding"
elif [ -n "$(binding_files)" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$STAMP_WANT" ]; then
  if OUT=$(smoke); then
    NEED_BUILD=0
    log "binding already built for this TensorFlow/Node ($(binding_files | sed "s|$ROOT/||")); skipping rebuild"
  else
    log "existing binding fails the smoke check; rebuilding. Output was:"
    printf '%s\n' "$OUT" | tail -n 15
  fi
else
  log "no binding built for this TensorFlow/Node yet"
fi

if [ "$NEED_BUILD" = 1 ]; then
  command -v make >/dev/null || die "make not found (apt-get install build-essential)"
  command -v g++ >/dev/null || die "g++ not found (apt-get install build-essential)"

  # Node headers: node-gyp would otherwise download them (no internet here).
  NODEDIR=${npm_config_nodedir:-$(npm config get nodedir 2>/dev/null || true)}
  case "$NODEDIR" in undefined|null) NODEDIR= ;; esac
  if [ -z "$NODEDIR" ] || [ ! -f "$NODEDIR/include/node/node_api.h" ]; then
    NODEDIR=$(node -p 'require("path").resolve(process.execPath, "..", "..")')
  fi
  [ -f "$NODEDIR/include/node/node_api.h" ] && [ -f "$NODEDIR/include/node/common.gypi" ] \
    || die "Node headers not found (looked for $NODEDIR/include/node/node_api.h); set npm_config_nodedir to a Node $(node -v) source/headers dir"

  # node-gyp: npm's bundled copy.
  NODE_GYP=${npm_config_node_gyp:-$(npm config get node-gyp 2>/dev/null || true)}
  if [ -z "$NODE_GYP" ] || [ ! -f "$NODE_GYP" ]; then
    NODE_GYP="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
  fi
  [ -f "$NODE_GYP" ] || die "node-gyp not found (looked for $NODE_GYP)"

  PRE_GYP=$(cd "$PKG" && node -p 'require("path").join(require("path").dirname(require.resolve("@mapbox/node-pre-gyp/package.json")), "bin", "node-pre-gyp")') \
    || die "@mapbox/node-pre-gyp not resolvable from $PKG"

  rm -rf "$PKG/build" "$PKG"/lib/napi-v*
  rm -f "$STAMP"
  BUILD_LOG="$PKG/deps/build.log"
  log "building tfjs_binding (node-pre-gyp install --build-from-source, nodedir=$NODEDIR); log: ${BUILD_LOG#$ROOT/}"
  T_BUILD=$(date +%s)
  if ! (cd "$PKG" && npm_config_nodedir="$NODEDIR" npm_config_node_gyp="$NODE_GYP" JOBS=max \
        node "$PRE_GYP" install --build-from-source) >"$BUILD_LOG" 2>&1; then
    tail -n 40 "$BUILD_LOG" >&2
    die "building the tfjs-node binding failed (full log: $BUILD_LOG)"
  fi
  [ -n "$(binding_files)" ] || { tail -n 40 "$BUILD_LOG" >&2; die "build reported success but no lib/napi-v*/tfjs_binding.node was produced"; }
  log "built $(binding_files | sed "s|$ROOT/||") in $(( $(date +%s) - T_BUILD ))s"

  OUT=$(smoke) || { printf '%s\n' "$OUT" >&2; die "smoke check failed after building"; }
  printf '%s\n' "$STAMP_WANT" > "$STAMP"
fi

printf '%s\n' "$OUT" | grep -E '^(smoke check ok|oneDNN )' | sed 's/^/[setup-tfjs-node] /' \
  || { printf '%s\n' "$OUT" >&2; die "smoke check printed no success line"; }
log "done in $(( $(date +%s) - T_START ))s. Use: require('@tensorflow/tfjs-node') (backend 'tensorflow')."
log "note: TF_CPP_MIN_LOG_LEVEL=2 + TF_ENABLE_ONEDNN_OPTS=0 (set before loading) silence TF's load-time messages; see the oneDNN line above."
