#!/usr/bin/env bash
# Benchmark for `matryoshka dockerfile lint`. Prints, measured in this run over the same files:
#   ours: one `dockerfile lint` process over every Dockerfile of ../shared/corpus/dockerfile
#         (real-world, insecure, BuildKit parser cases), the list repeated REPEAT times so
#         process start-up does not dominate; files/s (goal ≥ 5,000);
#   dockerfilelint (replicatedhq, from npm, installed here into $MTR_BENCH_DIR/npm): one
#         process over the same list; files/s;
#   ours files/s ÷ dockerfilelint files/s (goal ≥ 50);
#   and, the way pre-commit hooks and many CI steps call a linter, one process per file over
#   the corpus once for each tool (start-up included): files/s and the ratio.
# Both write JSON to a file; findings are counted as a sanity check. Best of RUNS runs each.
#   bench/dockerfile_bench.sh              # REPEAT=20 RUNS=3
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
W=${MTR_BENCH_DIR:-/tmp/mtr-bench}
D=$W/dockerfile
REPEAT=${REPEAT:-20}
RUNS=${RUNS:-3}
DOCKERFILELINT_VERSION=${DOCKERFILELINT_VERSION:-1.8.0}
CORPUS=$ROOT/../shared/corpus/dockerfile

die() { echo "dockerfile_bench: $*" >&2; exit 2; }
for tool in npm node jq python3 cmake flock; do
  command -v "$tool" >/dev/null || die "$tool is missing (scripts/setup-deps.sh)"
done
[[ -d $CORPUS ]] || die "$CORPUS is absent: the benchmark lints the shared corpus"

MTR=$ROOT/build/release/src/matryoshka
flock /tmp/mtr-build.lock sh -c "{ [ -f build/release/build.ninja ] || cmake --preset release >/dev/null; } &&
  cmake --build build/release --target matryoshka >/dev/null" || die "release build failed"
[[ -x $MTR ]] || die "no binary at $MTR"

mkdir -p "$D" "$W/npm"
DFL=$W/npm/node_modules/.bin/dockerfilelint
if [[ ! -x $DFL ]]; then
  echo "installing dockerfilelint@$DOCKERFILELINT_VERSION from npm into $W/npm" >&2
  npm install --prefix "$W/npm" --no-audit --no-fund --loglevel=error \
    "dockerfilelint@$DOCKERFILELINT_VERSION" >/dev/null || die "npm install dockerfilelint failed"
fi

# The files: every Dockerfile of the corpus that BuildKit accepts (negative cases left out).
mapfile -t base < <(find "$CORPUS/real-world" "$CORPUS/insecure" "$CORPUS/buildkit/parser/testfiles" \
  -type f \( -name '*Dockerfile' -o -name 'Dockerfile*' \) | sort)
# dockerfilelint throws on some valid files (e.g. HEALTHCHECK forms it does not know) and then
# lints nothing: compare on the files it gets through, and say how many it could not.
ok=()
crashed=0
for f in "${base[@]}"; do
  if "$DFL" -j "$f" >/dev/null 2>"$D/err.txt" || [[ ! -s $D/err.txt ]]; then ok+=("$f"); else crashed=$((crashed + 1)); fi
done
echo "dockerfilelint fails on $crashed of ${#base[@]} files (left out of both timings)"
base=("${ok[@]}")
files=()
for ((i = 0; i < REPEAT; i++)); do files+=("${base[@]}"); done
n=${#files[@]}
bytes=$(cat "${base[@]}" | wc -c)
echo "files: ${#base[@]} corpus Dockerfiles ($((bytes / 1024)) KiB) x $REPEAT = $n"

now() { date +%s.%N; }
best() {  # best wall time of RUNS runs of "$@"
  local b="" t0 t1 t
  for ((r = 0; r < RUNS; r++)); do
    t0=$(now); "$@" >/dev/null 2>&1 || true; t1=$(now)
    t=$(python3 -c "print($t1 - $t0)")
    if [[ -z $b ]] || python3 -c "import sys; sys.exit(0 if $t < $b else 1)"; then b=$t; fi
  done
  echo "$b"
}

ours() { "$MTR" dockerfile lint --format json -o "$D/ours.json" "${files[@]}"; }
theirs() { "$DFL" -j "${files[@]}" >"$D/theirs.json"; }

# Our exit code must be 0 (no --fail-on): 2 would mean a file did not parse.
"$MTR" dockerfile lint --format json -o "$D/ours.json" "${base[@]}" || die "matryoshka failed on the corpus"
t_ours=$(best ours)
t_theirs=$(best theirs)
per_file() {  # one process per file
  local t0 t1
  t0=$(now)
  for f in "${base[@]}"; do "$@" "$f" >/dev/null 2>&1 || true; done
  t1=$(now)
  python3 -c "print($t1 - $t0)"
}
p_ours=$(per_file "$MTR" dockerfile lint --format json -o /dev/null)
p_theirs=$(per_file "$DFL" -j)
# Findings over the corpus once (not repeated), as a sanity check.
ours_findings=$(jq '.findings | length' "$D/ours.json")
ours_findings=$((ours_findings / REPEAT))
theirs_findings=$(jq '[.files[]?.issues | length] | add // 0' "$D/theirs.json" 2>/dev/null || echo 0)
theirs_findings=$((theirs_findings / REPEAT))
python3 - "$n" "$t_ours" "$t_theirs" "$ours_findings" "$theirs_findings" "${#base[@]}" "$p_ours" "$p_theirs" <<'PY'
import sys
n, ours, theirs = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
m, p_ours, p_theirs = int(sys.argv[6]), float(sys.argv[7]), float(sys.argv[8])
print(f"matryoshka dockerfile lint: {ours:.3f} s  {n / ours:,.0f} files/s  ({sys.argv[4]} findings per pass over the corpus)")
print(f"dockerfilelint:             {theirs:.3f} s  {n / theirs:,.0f} files/s  ({sys.argv[5]} issues per pass)")
print(f"ratio (ours files/s / dockerfilelint files/s): {theirs / ours:.1f}x  (goal >= 50x, >= 5,000 files/s)")
print(f"one process per file ({m} files): ours {m / p_ours:,.1f} files/s, dockerfilelint {m / p_theirs:,.1f} files/s, ratio {p_theirs / p_ours:.1f}x")
PY
