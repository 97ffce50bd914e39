#!/usr/bin/env bash
# Benchmark for `matryoshka k8s audit`. Prints, measured in this run over the same files:
#   ours: one `k8s audit --format json` process over every manifest of ../shared/corpus/k8s
#         (PSA fixtures, peers' test manifests, every-field API fixtures, admission bodies,
#         RBAC/ABAC, real-world installs), all checks, report written to a file;
#         MB/s of YAML and objects/s (goal: at least 20 MB/s);
#   the floor: PyYAML's C loader (libyaml, the parser we build on) reading the same files
#         into Python objects and nothing else; MB/s and our ratio to it.
# Best of RUNS runs each.   bench/k8s_bench.sh            # RUNS=5
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
W=${MTR_BENCH_DIR:-/tmp/mtr-bench}/k8s
RUNS=${RUNS:-5}
CORPUS=$ROOT/../shared/corpus/k8s

die() { echo "k8s_bench: $*" >&2; exit 2; }
for tool in python3 jq cmake flock; do
  command -v "$tool" >/dev/null || die "$tool is missing (scripts/setup-deps.sh)"
done
python3 -c 'import yaml; assert yaml.__with_libyaml__' 2>/dev/null ||
  die "python3-yaml with libyaml is missing (scripts/setup-deps.sh)"
[[ -d $CORPUS ]] || die "$CORPUS is absent: the benchmark audits the shared corpus"

MTR=$ROOT/build/release/src/matryoshka
flock /tmp/mtr-build.lock sh -c "{ [ -f build/release/build.ninja ] || cmake --preset release >/dev/null; } &&
  cmake --build build/release --target matryoshka >/dev/null" || die "release build failed"
mkdir -p "$W"

# Every manifest, minus Helm templates (not YAML until rendered) and the three files their
# projects broke on purpose (they stop PyYAML as well as us).
mapfile -t files < <(find "$CORPUS" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name '*.jsonl' \) \
  -not -path '*/templates/*' -not -name 'form-prefix-file.json' -not -name 'form-prefix-not-file.json' \
  -not -name 'bad.yaml' | sort)
printf '%s\n' "${files[@]}" >"$W/files.txt"
bytes=$(cat "${files[@]}" | wc -c)
echo "files: ${#files[@]} manifests, $((bytes / 1000)) kB"

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

ours() { "$MTR" k8s audit --format json -o "$W/ours.json" "${files[@]}"; }
# The real-world part alone (big install manifests: few findings per byte, unlike the PSA
# fixtures, which are 3,478 pods of a few hundred bytes with a dozen findings each).
mapfile -t real < <(printf '%s\n' "${files[@]}" | grep '/real-world/')
real_bytes=$(cat "${real[@]}" | wc -c)
ours_real() { "$MTR" k8s audit --format json -o "$W/ours-real.json" "${real[@]}"; }
floor() {
  python3 - "$W/files.txt" <<'PY'
import sys, yaml
n = 0
for path in open(sys.argv[1]).read().split("\n"):
    if not path:
        continue
    with open(path, "rb") as f:
        text = f.read()
    if path.endswith(".jsonl"):  # one JSON document per line
        docs = [yaml.load(l, Loader=yaml.CSafeLoader) for l in text.splitlines() if l.strip()]
    else:
        docs = list(yaml.load_all(text, Loader=yaml.CSafeLoader))
    n += len(docs)
print(n)
PY
}

"$MTR" k8s audit --format json -o "$W/ours.json" "${files[@]}" || die "matryoshka failed on the corpus (exit $?)"
findings=$(jq '.findings | length' "$W/ours.json")
objects=$("$MTR" k8s audit --only validity "${files[@]}" | tail -1 | awk '{print $1}')
t_ours=$(best ours)
t_floor=$(best floor)
t_real=$(best ours_real)
python3 - "$bytes" "$objects" "$findings" "$t_ours" "$t_floor" "$real_bytes" "$t_real" "${#real[@]}" <<'PY'
import sys
b, objects, findings = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
ours, floor = float(sys.argv[4]), float(sys.argv[5])
real_b, real_t, real_n = int(sys.argv[6]), float(sys.argv[7]), int(sys.argv[8])
print(f"matryoshka k8s audit (all checks, JSON report): {ours:.3f} s  {b / ours / 1e6:.1f} MB/s  "
      f"{objects / ours:,.0f} objects/s  ({objects:,} objects, {findings:,} findings)")
print(f"floor, PyYAML C loader (parse only):           {floor:.3f} s  {b / floor / 1e6:.1f} MB/s")
print(f"ratio (ours MB/s / floor MB/s): {floor / ours:.2f}x   (goal: >= 20 MB/s over the whole corpus)")
print(f"real-world manifests only ({real_n} files): {real_t:.3f} s  {real_b / real_t / 1e6:.1f} MB/s")
PY
