#!/usr/bin/env bash
# Benchmark for secret scanning in images. Prints, measured in this run over one image:
#   ours: `image scan --scanners secret --no-cache` of the image's gzip OCI layout, in MB/s of
#         decompressed regular-file data of all its layers (what it has to inflate and look at);
#   ripgrep: `rg -uu` with the same patterns (every built-in rule's regular expression, taken
#         from src/secrets/builtin_rules.cpp) over an extracted copy of the image's merged root
#         file system, page cache warm, in MB/s of its regular-file data;
#   ours MB/s ÷ rg MB/s (goal > 1: faster than ripgrep although we also decompress the layers),
#   and, as a sanity check, how many files each finds something in.
# The image is the one bench/sbom_bench.sh builds ($MTR_BENCH_DIR/big-oci) when present, else
# the largest image (by root file system bytes) of scripts/test-env ($MTR_TEST_ENV, default
# /tmp/mtr-test-env). The extracted copy is made here from the OCI layers (whiteouts applied),
# so no Docker engine is needed. Needs hyperfine, jq, python3, igzip, rg (ripgrep), GNU tar.
# Work files go to $MTR_BENCH_DIR/secret (default /tmp/mtr-bench/secret, ~2 GB for the copy).
#   bench/secret_bench.sh                   # RUNS=5 (RG_U_RUNS=1: rg -U as written is slow)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
W=${MTR_BENCH_DIR:-/tmp/mtr-bench}
S=$W/secret
TE=${MTR_TEST_ENV:-/tmp/mtr-test-env}
RUNS=${RUNS:-5}
MAX_SIZE=${MAX_SIZE:-10M}   # our --secret-max-size default; rg gets the same --max-filesize
RG_U_RUNS=${RG_U_RUNS:-1}   # rg -U with the patterns as written: minutes a run

die() { echo "secret_bench: $*" >&2; exit 2; }
for tool in hyperfine jq python3 igzip rg tar cmake flock; do
  command -v "$tool" >/dev/null || die "$tool is missing (scripts/setup-deps.sh)"
done

# Always through the lock: the machine is shared with other builds.
MTR=$ROOT/build/release/src/matryoshka
flock /tmp/mtr-build.lock sh -c "{ [ -f build/release/build.ninja ] || cmake --preset release >/dev/null; } &&
  cmake --build build/release --target matryoshka >/dev/null" || die "release build failed"
[[ -x $MTR ]] || die "no binary at $MTR"

# --- The image: sbom_bench.sh's OCI layout, else the largest test image -------------------------
if [[ -f $W/big-oci/index.json ]]; then
  LAYOUT=$W/big-oci
else
  [[ -f $TE/images.tsv ]] || die "no image: run bench/sbom_bench.sh, or scripts/test-env/start.sh + build-images.sh"
  best= best_bytes=-1
  while IFS=$'\t' read -r name _ _ oci _ rootfs _; do
    [[ $name == name || -z $oci || ! -f ${oci%:*}/index.json ]] && continue
    bytes=$( [[ -d $rootfs ]] && du -sb "$rootfs" | cut -f1 || echo 0)
    if ((bytes > best_bytes)); then best=${oci%:*} best_bytes=$bytes; fi
  done < <(grep -v '^#' "$TE/images.tsv")
  [[ -n $best ]] || die "no OCI layout listed in $TE/images.tsv"
  LAYOUT=$best
fi
MANIFEST=$(jq -r '.manifests[0].digest' "$LAYOUT/index.json")
TAG=$(jq -r '.manifests[0].annotations["org.opencontainers.image.ref.name"] // empty' "$LAYOUT/index.json")
IMAGE=oci:$LAYOUT${TAG:+:$TAG}
mapfile -t BLOBS < <(jq -r '.layers[].digest' "$LAYOUT/blobs/sha256/${MANIFEST#sha256:}" |
  sed "s#sha256:#$LAYOUT/blobs/sha256/#")
jq -e '[.layers[].mediaType] | all(endswith("tar+gzip") or endswith("tar.gzip"))' \
  "$LAYOUT/blobs/sha256/${MANIFEST#sha256:}" >/dev/null || die "$LAYOUT: only gzip layers are supported"

mkdir -p "$S/hyperfine"
H=$S/hyperfine
median() { jq -r '.results[0].median' "$1"; }
cpu() { jq -r '.results[0].user + .results[0].system' "$1"; }  # mean CPU seconds (both cores)

# --- Extracted copy: the layers applied in order, whiteouts included (like `docker export`) ------
# Also sums the regular-file bytes of every layer (files later deleted or replaced included:
# the secret scanner reads those too). Reused while the manifest is the same.
ROOTFS=$S/rootfs
if [[ $(cat "$S/rootfs.manifest" 2>/dev/null) != "$MANIFEST" ]]; then
  rm -rf "$ROOTFS" "$S/rootfs.manifest" "$S/layers.bytes"
  mkdir -p "$ROOTFS"
  layer_bytes=0 layer_files=0
  for b in "${BLOBS[@]}"; do
    igzip -dc "$b" | tar -tv --numeric-owner >"$S/layer.list"
    read -r files bytes < <(awk '/^-/ { n++; s += $3 } END { print n + 0, s + 0 }' "$S/layer.list")
    layer_files=$((layer_files + files)) layer_bytes=$((layer_bytes + bytes))
    # Whiteouts first: they delete what lower layers put there (an opaque one: the whole folder).
    while IFS= read -r wh; do
      [[ /$wh/ == */../* ]] && continue
      dir=$(dirname "$wh") base=$(basename "$wh")
      if [[ $base == .wh..wh..opq ]]; then
        [[ -d $ROOTFS/$dir ]] && find "$ROOTFS/$dir" -mindepth 1 -delete
      else
        rm -rf "${ROOTFS:?}/$dir/${base#.wh.}"
      fi
    done < <(igzip -dc "$b" | tar -t | grep -E '(^|/)\.wh\.[^/]*$' || true)
    igzip -dc "$b" | tar -x -C "$ROOTFS" --numeric-owner --exclude='.wh.*'
  done
  rm -f "$S/layer.list"
  echo "$layer_files $layer_bytes" >"$S/layers.bytes"
  echo "$MANIFEST" >"$S/rootfs.manifest"
fi
read -r LAYER_FILES LAYER_BYTES <"$S/layers.bytes"
read -r ROOTFS_FILES ROOTFS_BYTES < <(find "$ROOTFS" -type f -printf '%s\n' |
  awk '{ n++; s += $1 } END { print n + 0, s + 0 }')

# --- The same patterns for rg --------------------------------------------------------------------
# Every rule's `.regex` (C++ string literals, raw or not, concatenated), unchanged. Rules
# restricted to a path (`.path`: .netrc, .pgpass, .env files) are left out of rg's sets: rg
# cannot restrict one pattern to some files, and over every file they would match most lines
# (rg gets less work, not more). Three sets:
#   patterns-U.rg        as written, for `rg -U` (whole-file matching, as ours);
#   patterns-U-ascii.rg  the same, each behind `(?-u)`: \b and \s ASCII, as in RE2 (rg's
#                        Unicode \b makes its lazy DFA give up on non-ASCII input);
#   patterns-lines.rg    those rg accepts line by line (it refuses a pattern with a literal \n).
# And keywords.rg: the rules' keywords, for a reference row only (rg -F -i: the literal search
# our first pass does, without any regular expression; not the same work).
cat >"$S/rules.py" <<'PY'
import re, subprocess, sys
src, out = open(sys.argv[1]).read(), sys.argv[2]

def literal(s, i):
    """The C++ string literal at s[i:] (raw or ordinary) and the index after it, or None."""
    m = re.compile(r'R"([^()\\ ]{0,16})\(').match(s, i)
    if m:
        end = s.index(')' + m.group(1) + '"', m.end())
        return s[m.end():end], end + len(m.group(1)) + 2
    if s.startswith('"', i):
        text, j = [], i + 1
        esc = {'n': '\n', 't': '\t', 'r': '\r', '\\': '\\', '"': '"', "'": "'", '?': '?'}
        while s[j] != '"':
            if s[j] == '\\':
                text.append(esc[s[j + 1]]); j += 2
            else:
                text.append(s[j]); j += 1
        return ''.join(text), j + 1
    return None

def literals(s, i):
    """Adjacent literals from s[i:], concatenated (comments between them skipped)."""
    parts = []
    while True:
        while s[i].isspace(): i += 1
        if s.startswith('//', i):
            i = s.index('\n', i); continue
        lit = literal(s, i)
        if lit is None:
            if not parts: sys.exit(f"rules.py: no string literal at {s[i:i + 60]!r}")
            return ''.join(parts)
        parts.append(lit[0]); i = lit[1]

def keywords(block):
    m = re.search(r'\.keywords\s*=\s*\{', block)
    words, i = [], m.end() if m else None
    while i is not None:
        while block[i].isspace() or block[i] == ',': i += 1
        if block[i] == '}': break
        word, i = literal(block, i)
        words.append(word)
    return words

def rg_error(args, pattern):
    r = subprocess.run(['rg', *args, '-e', pattern], input=b'x\n', capture_output=True)
    return None if r.returncode in (0, 1) else r.stderr.decode().strip().split('\n')[0]

start = src.index('rule_table()')
body = src[start:src.index('\n}\n', start)]  # to the end of the function
starts = [m.start() for m in re.finditer(r'\.id\s*=', body)]
rules = []
for k, st in enumerate(starts):
    block = body[st:starts[k + 1] if k + 1 < len(starts) else len(body)]
    rid = literals(block, block.index('=') + 1)
    regex = literals(block, re.search(r'\.regex\s*=', block).end())
    p = re.search(r'\.path\s*=', block)
    rules.append((rid, literals(block, p.end()) if p else '', regex, keywords(block)))
sets = {'U': [], 'U-ascii': [], 'lines': []}
notes = []
with open(f'{out}/rules.tsv', 'w') as tsv:
    for rid, path, regex, _ in rules:
        if '\n' in regex + path: sys.exit(f'rules.py: {rid}: a newline in a pattern')
        tsv.write(f'{rid}\t{path}\t{regex}\n')
        if path: continue
        for name, args, pattern in (('U', ['-U'], regex), ('U-ascii', ['-U'], '(?-u)' + regex),
                                    ('lines', [], regex)):
            err = rg_error(args, pattern)
            if err:
                notes.append(f'rg {" ".join(args) or "line by line"} rejects {rid}'
                             f'{" with (?-u)" if name == "U-ascii" else ""}: {err}')
            else:
                sets[name].append(pattern)
for name, patterns in sets.items():
    with open(f'{out}/patterns-{name}.rg', 'w') as f:
        f.write(''.join(p + '\n' for p in patterns))
words = sorted({w.lower() for r in rules if not r[1] for w in r[3]})
with open(f'{out}/keywords.rg', 'w') as f:
    f.write(''.join(w + '\n' for w in words))
with open(f'{out}/rules.summary', 'w') as f:
    f.write(f'{len(rules)} rules; left out of rg (path-restricted): '
            + ', '.join(r[0] for r in rules if r[1]) + '\n')
    f.write(f'rg patterns: -U {len(sets["U"])}, -U with (?-u) {len(sets["U-ascii"])}, '
            f'line by line {len(sets["lines"])}; {len(words)} keywords\n')
    for n in notes: f.write(n + '\n')
PY
python3 "$S/rules.py" src/secrets/builtin_rules.cpp "$S" || die "could not read the rules"

# --- Measurements ----------------------------------------------------------------------------------
OURS="$MTR image scan --scanners secret --no-cache --no-progress -q -f json -o /dev/null $IMAGE"
# -c: each file is searched to its end, as ours are (-l would stop at its first match).
RG="rg -uu --no-messages -c --max-filesize $MAX_SIZE"
RG_U="$RG -U -f $S/patterns-U.rg $ROOTFS"
RG_A="$RG -U -f $S/patterns-U-ascii.rg $ROOTFS"
RG_L="$RG -f $S/patterns-lines.rg $ROOTFS"
RG_K="$RG -F -i -f $S/keywords.rg $ROOTFS"
# Warm the page cache (hyperfine's warm-up run does it for rg) and record what we find; rg's
# output goes to files, counted below.
rm -f "$S"/rg-*.out "$H"/*.json
busy=$(pgrep -x 'ninja|ctest|cc1plus|make' | wc -l)
((busy == 0)) || echo "secret_bench: warning: a build or test run is going on ($busy processes): noisy figures" >&2
cat "${BLOBS[@]}" >/dev/null
"$MTR" --log-level info image scan --scanners secret --no-cache --no-progress -f json \
  -o "$S/ours.json" "$IMAGE" 2>"$S/ours.log" || (($? == 1)) || die "scan failed: $(tail -3 "$S/ours.log")"
hyperfine -N -w 1 -r "$RUNS" --export-json "$H/ours.json" "$OURS" >/dev/null
hyperfine -N -w 1 -r "$RUNS" -i --export-json "$H/rg-A.json" --output "$S/rg-A.out" "$RG_A" >/dev/null
hyperfine -N -w 1 -r "$RUNS" -i --export-json "$H/rg-L.json" --output "$S/rg-L.out" "$RG_L" >/dev/null
hyperfine -N -w 1 -r "$RUNS" -i --export-json "$H/rg-K.json" --output "$S/rg-K.out" "$RG_K" >/dev/null
# rg -U with the patterns exactly as written is minutes per run: timed $RG_U_RUNS times (0: not).
if ((RG_U_RUNS > 0)); then
  hyperfine -N -r "$RG_U_RUNS" -i --export-json "$H/rg-U.json" --output "$S/rg-U.out" "$RG_U" >/dev/null
fi

# --- Report ------------------------------------------------------------------------------------------
secret() { jq "[.findings[] | select(.properties.scanner == \"secret\") $1]" "$S/ours.json"; }
ours_findings=$(secret '' | jq length)
ours_files=$(secret '| select(.location.path != "image config") | .location.path' | jq 'unique | length')
ours_final=$(secret '| select(.properties.visibility == "present in the final file system") | .location.path' |
  jq 'unique | length')
rg_files() { [[ -f $S/rg-$1.out ]] && wc -l <"$S/rg-$1.out" || echo -; }
stats=$(grep -o 'secret scan: .*' "$S/ours.log" | head -1 || true)

printf '\nsecret benchmark (%s cores, %s): %s\n' "$(nproc)" "$(date -u +%Y-%m-%dT%H:%MZ)" "$IMAGE"
awk -v n="${#BLOBS[@]}" -v lf="$LAYER_FILES" -v lb="$LAYER_BYTES" -v rf="$ROOTFS_FILES" -v rb="$ROOTFS_BYTES" 'BEGIN {
  printf "  %d gzip layers: %d regular files, %.1f MB decompressed; merged root fs: %d files, %.1f MB\n",
    n, lf, lb / 1e6, rf, rb / 1e6
}'
sed 's/^/  /' "$S/rules.summary"
[[ -n $stats ]] && echo "  ours: $stats"
t() { [[ -f $H/$1.json ]] && echo "$(median "$H/$1.json") $(cpu "$H/$1.json")" || echo "0 0"; }
awk -v ours="$(t ours)" -v a="$(t rg-A)" -v l="$(t rg-L)" -v k="$(t rg-K)" -v u="$(t rg-U)" \
    -v lb="$LAYER_BYTES" -v rb="$ROOTFS_BYTES" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" -v busy="$busy" 'BEGIN {
  split(ours, x, " "); o = lb / 1e6 / x[1]; oc = lb / 1e6 / x[2]
  printf "  %-46s %7s %9s %8s %9s\n", "", "wall", "MB/s", "CPU", "MB/CPU-s"
  printf "  %-46s %6.2fs %9.1f %7.2fs %9.1f  (of layer data)\n", "ours: image scan --scanners secret --no-cache", x[1], o, x[2], oc
  best = 0
  row("rg -uu -U, each pattern behind (?-u)", a)
  row("rg -uu, line by line", l)
  row("rg -uu -U, patterns as written", u)
  printf "  goal, ours faster than the fastest rg (MB/s, wall): %.2fx -> %s\n", o / best, (o > best ? "PASS" : "FAIL")
  split(k, x, " ")
  printf "  %-46s %6.2fs %9.1f %7.2fs %9.1f  (reference: keywords only, no regex)\n", "rg -uu -F -i, the rules\047 keywords",
    x[1], rb / 1e6 / x[1], x[2], rb / 1e6 / x[2]
  printf "  load average at the end: %s%s\n", load, (busy > 0 ? "; a build or test run was going on: noisy figures" : "")
}
function row(name, v,   x, r, rc) {
  split(v, x, " ")
  if (x[1] == 0) return
  r = rb / 1e6 / x[1]; rc = rb / 1e6 / x[2]
  if (r > best) best = r
  printf "  %-46s %6.2fs %9.1f %7.2fs %9.1f  (of root fs data)  ours/rg %.2fx wall, %.2fx CPU\n", name, x[1], r, x[2], rc, o / r, oc / rc
}'
printf '  files with findings: ours %s in all layers (%s in the final fs; %s findings)\n' "$ours_files" "$ours_final" "$ours_findings"
printf '  files with regex matches (rg has no keywords, entropy floors, allow lists or validators):\n'
printf '    rg -U (?-u) %s, rg line by line %s, rg -U as written %s; rg keywords only %s\n' \
  "$(rg_files A)" "$(rg_files L)" "$(rg_files U)" "$(rg_files K)"
