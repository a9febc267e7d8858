#!/usr/bin/env bash
# One convcheck run split into N shards, then merged: the steps a CI job matrix runs
# (examples/ci/github-actions.yml), here on one machine, so any CI system can copy them.
#
#   N=4 SEED=20261129 BUDGET=20m OUT=convcheck-ci bash examples/ci/shards.sh [convcheck run options]
#
#   N        shards (default 4); shard I runs every N-th cell of the run (oracle × property),
#            with the seed it has unsharded: the merge is the unsharded run
#   SEED     the run seed shared by every shard (default: the clock); it replays the whole run
#   BUDGET   each shard's --time-budget (default 120s)
#   OUT      output directory (default convcheck-ci):
#              OUT/shards/shard-I.json, shard-I.log   each shard's JSON report and output
#              OUT/merged/convcheck.{json,junit.xml,html}   the merged report
#              OUT/regressions/ORACLE/*.json          new failures, to review and commit to regressions/
#   PARALLEL shards at once (default N; 1 runs them one after another)
#   CONVCHECK the command (default: npx convcheck)
#
# Exit status: that of `convcheck merge`: 0 no new failure, 1 new failures (the CI job fails),
# 2 a shard could not run or its report is missing.
set -uo pipefail

N=${N:-4}
SEED=${SEED:-$(date +%s)}
BUDGET=${BUDGET:-120s}
OUT=${OUT:-convcheck-ci}
PARALLEL=${PARALLEL:-$N}
read -r -a CONVCHECK <<<"${CONVCHECK:-npx convcheck}"
say() { printf '[shards] %s\n' "$*" >&2; }

mkdir -p "$OUT/shards" "$OUT/regressions"
say "seed $SEED, $N shards, budget $BUDGET each, into $OUT"

# Step 1, one per CI matrix job: shard I of N. Exit 1 (new failures) still leaves a report to
# merge; only 2 (bad usage) or worse means the shard did not run.
shard() {
  local i=$1; shift
  "${CONVCHECK[@]}" run --seed "$SEED" --shard "$i/$N" --time-budget "$BUDGET" \
    --report json --out "$OUT/shards/shard-$i.json" --regressions "$OUT/regressions" "$@" \
    >"$OUT/shards/shard-$i.log" 2>&1
  local s=$?
  [ "$s" -le 1 ] || say "shard $i/$N exited $s (see $OUT/shards/shard-$i.log)"
  return "$s"
}

failed=0
running=0
pids=()
for i in $(seq 1 "$N"); do
  shard "$i" "$@" &
  pids+=($!)
  running=$((running + 1))
  if [ "$running" -ge "$PARALLEL" ]; then
    wait "${pids[0]}" || { [ $? -le 1 ] || failed=1; }
    pids=("${pids[@]:1}")
    running=$((running - 1))
  fi
done
for p in "${pids[@]}"; do wait "$p" || { [ $? -le 1 ] || failed=1; }; done
[ "$failed" = 0 ] || say "some shards did not run; the merge will say which are missing"

# Step 2, the final CI job: merge every shard's report; it fails on new failures or a missing shard.
reports=()
for i in $(seq 1 "$N"); do [ -f "$OUT/shards/shard-$i.json" ] && reports+=("$OUT/shards/shard-$i.json"); done
[ "${#reports[@]}" -gt 0 ] || { say "no shard wrote a report"; exit 2; }
"${CONVCHECK[@]}" merge "${reports[@]}" --report json,junit,html --out "$OUT/merged"
status=$?
n=$(find "$OUT/regressions" -name '*.json' | wc -l)
say "merged: $OUT/merged/convcheck.html; $n new regression file(s) in $OUT/regressions (copy into regressions/ and commit after review)"
exit "$status"
