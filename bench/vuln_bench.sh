#!/usr/bin/env bash
# Benchmark for the vulnerability database and matching (issue 3). Prints, measured in this run:
#   1. `db import` of all vulnerability data in the corpus (osv/, debian-tracker/json/,
#      alpine-secdb/, debian-derived/) into a fresh file ÷ python3 merely parsing the same files
#      (json.load, and yaml.load with libyaml's CSafeLoader); advisories/s and the DB size.
#   2. `image scan` of the bench image of sbom_bench.sh with a warm layer cache ÷ `sbom` of the
#      same image with the same warm cache (the cost of matching), and ÷ `igzip -dc` of its layers.
#   3. `rescan --all` of $INVENTORIES stored inventories (default 10,000, copied from real ones:
#      the corpus's package databases as dir: roots and the test images) ÷ python3 reading the
#      same 10,000 rows and splitting them into package records; PASS/FAIL against 10 s; peak
#      RSS; the incremental rescan that follows (nothing new).
# Needs the corpus (../shared/corpus beside the checkout, or $MTR_CORPUS), hyperfine, jq, sqlite3,
# python3 with yaml, igzip, GNU time. Uses the image sbom_bench.sh builds in $MTR_BENCH_DIR
# (default /tmp/mtr-bench) when present, else the largest image of scripts/test-env
# ($MTR_TEST_ENV, default /tmp/mtr-test-env). Work files go to $MTR_BENCH_DIR/vuln.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
W=${MTR_BENCH_DIR:-/tmp/mtr-bench}
V=$W/vuln
TE=${MTR_TEST_ENV:-/tmp/mtr-test-env}
CORPUS=${MTR_CORPUS:-$ROOT/../shared/corpus}
RUNS=${RUNS:-5}
RESCAN_RUNS=${RESCAN_RUNS:-3}
INVENTORIES=${INVENTORIES:-10000}
RESCAN_GOAL=${RESCAN_GOAL:-10}   # seconds, on a 2-core machine

die() { echo "vuln_bench: $*" >&2; exit 2; }
for tool in hyperfine jq sqlite3 python3 igzip /usr/bin/time cmake flock; do
  command -v "$tool" >/dev/null || die "$tool is missing (scripts/setup-deps.sh)"
done
python3 -c 'import yaml; yaml.CSafeLoader' 2>/dev/null || die "python3-yaml with libyaml is missing"
VC=$CORPUS/vuln
DATA=("$VC/osv" "$VC/debian-tracker/json" "$VC/alpine-secdb" "$VC/debian-derived")
PKGDB=("$VC"/pkgdb/debian-{11,12,13}-minbase "$VC"/pkgdb/ubuntu-* "$VC"/pkgdb/alpine-*)
for d in "${DATA[@]}" "${PKGDB[@]}"; do
  [[ -d $d ]] || die "corpus folder $d is missing (put the shared corpus beside the checkout or set MTR_CORPUS)"
done
CORPUS=$(cd "$CORPUS" && pwd); VC=$CORPUS/vuln

# Always through the lock: the machine is shared with other builds.
MTR=$ROOT/build/release/src/matryoshka
flock /tmp/mtr-build.lock sh -c "{ [ -f build/release/build.ninja ] || cmake --preset release >/dev/null; } &&
  cmake --build build/release --target matryoshka >/dev/null" || die "release build failed"
[[ -x $MTR ]] || die "no binary at $MTR"

# The scan image: sbom_bench.sh's OCI layout, else the largest test image.
IMAGE= BLOBS=()
if [[ -f $W/big-oci/index.json ]]; then
  IMAGE=oci:$W/big-oci:1 LAYOUT=$W/big-oci
else
  big=$(ls -S "$TE"/archives/*.tar 2>/dev/null | head -1 || true)
  [[ -n $big ]] || die "no image: run bench/sbom_bench.sh, or scripts/test-env/start.sh + build-images.sh"
  IMAGE=docker-archive:$big LAYOUT=
  # build-images.sh also writes each image as an OCI layout: use it when there is one (gzip blobs).
  oci=$(awk -F'\t' -v a="$big" '$3 == a { print $4 }' "$TE/images.tsv" 2>/dev/null || true)
  if [[ -n $oci && -f ${oci%:*}/index.json ]]; then IMAGE=oci:$oci LAYOUT=${oci%:*}; fi
fi
if [[ -n $LAYOUT ]]; then
  mapfile -t BLOBS < <(jq -r '.manifests[0].digest' "$LAYOUT/index.json" | sed 's/sha256://' |
    xargs -I{} jq -r '.layers[].digest' "$LAYOUT/blobs/sha256/{}" | sed "s#sha256:#$LAYOUT/blobs/sha256/#")
fi

rm -rf "$V"; mkdir -p "$V/hyperfine"
H=$V/hyperfine
DB=$V/vuln.db
CACHE=$V/layers.db
median() { jq -r '.results[0].median' "$1"; }

# --- 1. Database build -------------------------------------------------------------------------
cat >"$V/parse.py" <<'PY'
# Baseline: parse every file the importer reads (JSON with json, YAML with libyaml), nothing else.
import json, os, sys, yaml
for root in sys.argv[1:]:
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            if f.endswith(".json"):
                with open(p, "rb") as fh: json.load(fh)
            elif f.endswith((".yaml", ".yml")):
                with open(p, "rb") as fh: yaml.load(fh, Loader=yaml.CSafeLoader)
PY
FROM=(); for d in "${DATA[@]}"; do FROM+=(--from "$d"); done
hyperfine -N -w 1 -r "$RUNS" --export-json "$H/parse.json" "python3 $V/parse.py ${DATA[*]}" >/dev/null
hyperfine -N -r "$RUNS" --prepare "rm -f $DB $DB-wal $DB-shm $DB-journal" --export-json "$H/import.json" \
  "$MTR db import -q --db $DB ${FROM[*]}" >/dev/null
"$MTR" db status --db "$DB" -f json >"$V/status.json"
data_files=$(find "${DATA[@]}" -type f \( -name '*.json' -o -name '*.yaml' -o -name '*.yml' \) | wc -l)
data_mb=$(find "${DATA[@]}" -type f \( -name '*.json' -o -name '*.yaml' -o -name '*.yml' \) -print0 |
  du -cb --files0-from=- | tail -1 | awk '{printf "%.1f", $1/1e6}')
db_mb=$(du -b "$DB" | awk '{printf "%.1f", $1/1e6}')

# --- 2. Scan with a warm layer cache ------------------------------------------------------------
"$MTR" image scan --db "$DB" --cache "$CACHE" --no-progress -q -f json -o "$V/scan.json" "$IMAGE"
hyperfine -N -w 1 -r "$RUNS" --export-json "$H/scan.json" \
  "$MTR image scan --db $DB --cache $CACHE --no-progress -q -f json -o /dev/null $IMAGE" >/dev/null
hyperfine -N -w 1 -r "$RUNS" --export-json "$H/sbom.json" \
  "$MTR sbom --cache $CACHE --no-progress -q -f json -o /dev/null $IMAGE" >/dev/null
if ((${#BLOBS[@]})); then
  hyperfine -N -w 1 -r "$RUNS" --export-json "$H/igzip.json" "sh -c 'igzip -dc ${BLOBS[*]} > /dev/null'" >/dev/null
fi
scan_pkgs=$("$MTR" sbom --cache "$CACHE" --no-progress -q -f json "$IMAGE" | jq '.packages | length')
scan_findings=$(jq '.findings | length' "$V/scan.json")

# --- 3. Rescan of many stored inventories -------------------------------------------------------
for d in "${PKGDB[@]}"; do
  "$MTR" image scan --db "$DB" --no-cache --no-progress -q -f json -o /dev/null "dir:$d" 2>/dev/null
done
for a in "$TE"/archives/*.tar; do
  [[ -f $a ]] || continue
  "$MTR" image scan --db "$DB" --cache "$CACHE" --no-progress -q -f json -o /dev/null "docker-archive:$a"
done
real=$(sqlite3 "$DB" 'SELECT count(*) FROM inventories')
((real < INVENTORIES)) || die "already $real inventories, INVENTORIES=$INVENTORIES"
# Copies of the real rows, round robin, with new digests and references, up to $INVENTORIES rows.
sqlite3 "$DB" "
CREATE TEMP TABLE real AS
  SELECT row_number() OVER (ORDER BY digest) - 1 AS i, reference, inventory FROM inventories;
WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k + 1 < $INVENTORIES - $real)
INSERT INTO inventories(digest, reference, scanned_at, inventory)
  SELECT printf('sha256:%064x', k), printf('bench.local/synth-%d/%s', k, reference),
         '2026-01-01T00:00:00Z', inventory
  FROM n JOIN real ON real.i = k % $real;
DELETE FROM reported;"
rows=$(sqlite3 "$DB" 'SELECT count(*) FROM inventories')

cat >"$V/read.py" <<'PY'
# Baseline: read every stored inventory and split it into package records (one line per
# package, TAB-separated fields: the store's format), nothing else. Prints the package count.
import sqlite3, sys
packages = 0
for (text,) in sqlite3.connect(sys.argv[1]).execute("SELECT inventory FROM inventories"):
    for line in text.split("\n")[2:]:
        if line:
            line.split("\t")
            packages += 1
print(packages)
PY
pkgs=$(python3 "$V/read.py" "$DB")
hyperfine -N -w 1 -r "$RUNS" --export-json "$H/read.json" "python3 $V/read.py $DB" >/dev/null
# Every --all run starts as the first rescan: nothing remembered as reported.
hyperfine -N -r "$RESCAN_RUNS" --prepare "sqlite3 $DB 'DELETE FROM reported'" --export-json "$H/rescan.json" \
  "$MTR rescan --db $DB --all --format json -q" >/dev/null
sqlite3 "$DB" 'DELETE FROM reported'
/usr/bin/time -v "$MTR" rescan --db "$DB" --all --format json >"$V/rescan.out" 2>"$V/rescan.time"
rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$V/rescan.time")
summary=$(grep '^rescan:' "$V/rescan.time" || true)
report_mb=$(du -b "$V/rescan.out" | awk '{printf "%.0f", $1/1e6}')
rm -f "$V/rescan.out"
hyperfine -N -r "$RESCAN_RUNS" --export-json "$H/incremental.json" \
  "$MTR rescan --db $DB --format json -q" >/dev/null
store_mb=$(du -b "$DB" | awk '{printf "%.0f", $1/1e6}')

# --- Report --------------------------------------------------------------------------------------
printf '\nvuln benchmark (%s cores, %s)\n' "$(nproc)" "$(date -u +%Y-%m-%dT%H:%MZ)"
awk -v parse="$(median "$H/parse.json")" -v imp="$(median "$H/import.json")" \
    -v adv="$(jq .advisories "$V/status.json")" -v aff="$(jq .affected "$V/status.json")" \
    -v files="$data_files" -v mb="$data_mb" -v db="$db_mb" 'BEGIN {
  printf "1. db import of the whole corpus (%d files, %s MB JSON/YAML)\n", files, mb
  printf "  python3 parse only (json + libyaml) %7.2f s\n", parse
  printf "  matryoshka db import                %7.2f s   import / parse = %.2f\n", imp, imp / parse
  printf "  %d advisories, %d affected rows: %.0f advisories/s, %.0f affected/s; DB %s MB\n",
    adv, aff, adv / imp, aff / imp, db
}'
awk -v scan="$(median "$H/scan.json")" -v sbom="$(median "$H/sbom.json")" \
    -v igzip="$([[ -f $H/igzip.json ]] && median "$H/igzip.json" || echo 0)" \
    -v image="$IMAGE" -v pkgs="$scan_pkgs" -v findings="$scan_findings" 'BEGIN {
  printf "2. image scan, warm layer cache: %s (%d packages, %d findings)\n", image, pkgs, findings
  printf "  sbom, warm cache                    %7.2f s\n", sbom
  printf "  image scan, warm cache              %7.2f s   scan / sbom    = %.2f (cost of matching: %.2f s)\n",
    scan, scan / sbom, scan - sbom
  if (igzip > 0) printf "  igzip -dc of its layers (1 thread)  %7.2f s   scan / igzip   = %.2f\n", igzip, scan / igzip
}'
awk -v read="$(median "$H/read.json")" -v all="$(median "$H/rescan.json")" \
    -v inc="$(median "$H/incremental.json")" -v rss="$rss" -v rows="$rows" -v real="$real" \
    -v pkgs="$pkgs" -v goal="$RESCAN_GOAL" -v store="$store_mb" -v report="$report_mb" 'BEGIN {
  printf "3. rescan of %d stored inventories (copies of %d real ones; %d packages; DB %s MB)\n",
    rows, real, pkgs, store
  printf "  python3 read + split into records   %7.2f s\n", read
  printf "  rescan --all --format json          %7.2f s   rescan / read  = %.1f   %s (goal < %d s for %d)\n",
    all, all / read, all < goal ? "PASS" : "FAIL", goal, 10000
  printf "  peak RSS of rescan --all            %7.0f MB  (report %s MB of JSON)\n", rss / 1024, report
  printf "  incremental rescan (nothing new)    %7.2f s   rescan / read  = %.1f\n", inc, inc / read
}'
[[ -n $summary ]] && echo "  $summary"
