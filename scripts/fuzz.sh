#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each for N seconds (default 10)
# from its seed corpus in fuzz/corpus/<name>/. A crash, leak or timeout fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# One fuzzer per core at a time; each logs to its own file, reported in name order.
run_one() {
  local bin=$1 name seeds
  name=$(basename "$bin")
  seeds="fuzz/corpus/${name%_fuzzer}"
  mkdir -p "$work/$name"
  local args=("$work/$name")
  [[ -d "$seeds" ]] && args+=("$seeds")
  if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
       -artifact_prefix="$work/$name-" "${args[@]}" >"$work/$name.log" 2>&1; then
    echo ok >"$work/$name.status"
  else
    echo failed >"$work/$name.status"
  fi
}
jobs=$(nproc)
bins=()
for bin in build/fuzz/fuzz/*_fuzzer; do [[ -x "$bin" ]] && bins+=("$bin"); done
running=0
for bin in "${bins[@]}"; do
  run_one "$bin" &
  running=$((running + 1))
  if ((running >= jobs)); then wait -n; running=$((running - 1)); fi
done
wait
failed=0
count=0
for bin in "${bins[@]}"; do
  name=$(basename "$bin")
  count=$((count + 1))
  if [[ "$(cat "$work/$name.status" 2>/dev/null)" == ok ]]; then
    echo "fuzz $name: ok ($(grep -o 'stat::number_of_executed_units: [0-9]*' "$work/$name.log" || tail -1 "$work/$name.log"))"
  else
    echo "fuzz $name: FAILED"; tail -40 "$work/$name.log"; failed=$((failed + 1))
  fi
done
echo "fuzz: $((count - failed)) passed, $failed failed"
[[ $failed -eq 0 ]]
