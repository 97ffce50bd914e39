#!/usr/bin/env bash
# Benchmark for `matryoshka sbom` (issue 2): builds a large image from Debian packages and npm,
# stores it as a gzip OCI layout and as a docker-archive, and prints, measured in this run:
#   ours ÷ single-threaded `igzip -dc` of the same gzip layer blobs   (goal ≤ 1.1)
#   snyk-docker-plugin ÷ ours, OCI archive and docker-archive           (goals ≥ 8× and ≥ 15×)
#   our peak RSS                                                       (goal ≤ 100 MB)
#   cold ÷ warm layer-cache scan                                        (speed-up of a rescan)
# and whether we find every OS package snyk finds.
# Needs root, scripts/test-env/start.sh + build-images.sh (Docker engine, mtr-test/debian:12),
# Debian's archive and the npm registry. Work files go to $MTR_BENCH_DIR (default /tmp/mtr-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
W=${MTR_BENCH_DIR:-/tmp/mtr-bench}
RUNS=${RUNS:-5}
SNYK_RUNS=${SNYK_RUNS:-3}
mkdir -p "$W"
source "${MTR_TEST_ENV:-/tmp/mtr-test-env}/env.sh"
for tool in docker skopeo igzip hyperfine jq npm node /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "sbom_bench: $tool is missing (scripts/setup-deps.sh)" >&2; exit 2; }
done
MTR=$ROOT/build/release/src/matryoshka
[[ -x $MTR ]] || { cmake --preset release >/dev/null && cmake --build --preset release --target matryoshka; }

# --- The image: Debian 12 + toolchains and libraries (4 package layers) + an npm app layer ---
IMG=mtr-bench/big:1
if ! docker image inspect $IMG >/dev/null 2>&1; then
  ctx=$W/ctx; mkdir -p "$ctx/app"
  [[ -d "$ctx/app/node_modules" ]] || (cd "$ctx/app" && npm init -y >/dev/null &&
   npm install --no-audit --no-fund --ignore-scripts express@4.17.1 lodash@4.17.15 minimist@1.2.0 axios@0.21.0 \
     moment react react-dom webpack typescript eslint jest mongoose sequelize pg mysql2 redis ioredis \
     aws-sdk @angular/core rxjs chalk commander yargs debug uuid dotenv jsonwebtoken bcryptjs \
     socket.io koa hapi fastify body-parser cors helmet morgan winston >/dev/null)
  cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM mtr-test/debian:12
RUN apt-get update && apt-get install -y --no-install-recommends build-essential git curl ca-certificates
RUN apt-get install -y --no-install-recommends python3 python3-pip python3-venv perl python3-numpy python3-django python3-requests python3-yaml python3-jinja2
RUN apt-get install -y --no-install-recommends openjdk-17-jre-headless
RUN apt-get install -y --no-install-recommends nodejs npm ruby && rm -rf /var/lib/apt/lists/*
COPY app/ /app/
DOCKERFILE
  DOCKER_BUILDKIT=0 docker build --network host -t $IMG "$ctx"
fi
[[ -f $W/big.tar ]] || docker save -o "$W/big.tar" $IMG
if [[ ! -f $W/big-oci/index.json ]]; then
  rm -rf "$W/big-oci"
  skopeo copy -q --dest-compress --dest-compress-format gzip docker-archive:"$W/big.tar" oci:"$W/big-oci":1
  tar -C "$W/big-oci" -cf "$W/big-oci.tar" .
fi
mapfile -t BLOBS < <(jq -r '.manifests[0].digest' "$W/big-oci/index.json" | sed 's/sha256://' |
  xargs -I{} jq -r '.layers[].digest' "$W/big-oci/blobs/sha256/{}" | sed "s#sha256:#$W/big-oci/blobs/sha256/#")

# --- Snyk's analyzer, pinned, with the shescape override the notes describe ---
SNYK=$W/snyk
if [[ ! -d $SNYK/node_modules/snyk-docker-plugin ]]; then
  mkdir -p "$SNYK" && (cd "$SNYK" && npm init -y >/dev/null && npm pkg set overrides.shescape=2.1.12 &&
    npm install --no-audit --no-fund snyk-docker-plugin@9.20.2 >/dev/null)
fi
cat >"$SNYK/scan.js" <<'JS'
const plugin = require("snyk-docker-plugin");
plugin.scan({ path: process.argv[2] }).then((r) => {
  const os = new Set();
  for (const f of r.scanResults || []) {
    for (const fact of f.facts || []) {
      if (fact.type === "depGraph" && f.identity && ["deb", "apk", "rpm"].includes(f.identity.type)) {
        // Snyk names a deb "source/binary" when they differ: keep the binary name.
        for (const p of fact.data.getPkgs()) {
          if (p.name !== fact.data.rootPkg.name) os.add(`${p.name.split("/").pop()}\t${p.version}`);
        }
      }
    }
  }
  if (process.argv[3]) require("fs").writeFileSync(process.argv[3], [...os].sort().join("\n") + "\n");
}).catch((e) => { console.error(e); process.exit(1); });
JS

# --- Measurements ---
H=$W/hyperfine; mkdir -p "$H"
CACHE=$W/layers.db
median() { jq -r '.results[0].median' "$1"; }
hyperfine -N -w 1 -r "$RUNS" --export-json "$H/igzip.json" "sh -c 'igzip -dc ${BLOBS[*]} > /dev/null'" >/dev/null
hyperfine -N -w 1 -r "$RUNS" --export-json "$H/ours-oci.json" "$MTR sbom --no-cache --no-progress -f json -o /dev/null oci:$W/big-oci:1" >/dev/null
hyperfine -N -w 1 -r "$RUNS" --export-json "$H/ours-da.json" "$MTR sbom --no-cache --no-progress -f json -o /dev/null docker-archive:$W/big.tar" >/dev/null
rm -f "$CACHE"*
hyperfine -N -r "$RUNS" --prepare "rm -f $CACHE $CACHE-wal $CACHE-shm" --export-json "$H/cold.json" \
  "$MTR sbom --cache $CACHE --no-progress -f json -o /dev/null oci:$W/big-oci:1" >/dev/null
"$MTR" sbom --cache "$CACHE" --no-progress -f json -o /dev/null "oci:$W/big-oci:1"
hyperfine -N -w 1 -r "$RUNS" --export-json "$H/warm.json" "$MTR sbom --cache $CACHE --no-progress -f json -o /dev/null oci:$W/big-oci:1" >/dev/null
hyperfine -N -r "$SNYK_RUNS" --export-json "$H/snyk-oci.json" "node $SNYK/scan.js oci-archive:$W/big-oci.tar" >/dev/null
hyperfine -N -r "$SNYK_RUNS" --export-json "$H/snyk-da.json" "node $SNYK/scan.js docker-archive:$W/big.tar" >/dev/null
rss_oci=$(/usr/bin/time -f %M "$MTR" sbom --no-cache --no-progress -f json -o /dev/null "oci:$W/big-oci:1" 2>&1 >/dev/null | tail -1)
rss_da=$(/usr/bin/time -f %M "$MTR" sbom --no-cache --no-progress -f json -o /dev/null "docker-archive:$W/big.tar" 2>&1 >/dev/null | tail -1)

# --- Same packages? ---
node "$SNYK/scan.js" "docker-archive:$W/big.tar" "$W/snyk-os.tsv"
"$MTR" sbom --no-progress -f json "oci:$W/big-oci:1" | jq -r '.packages[] | select(.type=="deb") | "\(.name)\t\(.version)"' | sort -u >"$W/ours-os.tsv"
missing=$(comm -23 <(sort -u "$W/snyk-os.tsv" | sed '/^$/d') "$W/ours-os.tsv" | wc -l)

gz_mb=$(du -cb "${BLOBS[@]}" | tail -1 | awk '{printf "%.1f", $1/1e6}')
printf '\nsbom benchmark: %s (%s layers, %s MB of gzip blobs; %s OS packages)\n' "$IMG" "${#BLOBS[@]}" "$gz_mb" "$(wc -l <"$W/ours-os.tsv")"
awk -v igzip="$(median "$H/igzip.json")" -v oci="$(median "$H/ours-oci.json")" -v da="$(median "$H/ours-da.json")" \
    -v cold="$(median "$H/cold.json")" -v warm="$(median "$H/warm.json")" \
    -v soci="$(median "$H/snyk-oci.json")" -v sda="$(median "$H/snyk-da.json")" \
    -v rss_oci="$rss_oci" -v rss_da="$rss_da" -v missing="$missing" 'BEGIN {
  printf "  igzip -dc (1 thread)          %7.2f s\n", igzip
  printf "  ours, gzip OCI layout         %7.2f s   ours / igzip  = %.2f  (goal <= 1.1)\n", oci, oci / igzip
  printf "  ours, docker-archive          %7.2f s\n", da
  printf "  snyk, oci-archive             %7.2f s   snyk / ours   = %.1fx (goal >= 8)\n", soci, soci / oci
  printf "  snyk, docker-archive          %7.2f s   snyk / ours   = %.1fx (goal >= 15)\n", sda, sda / da
  printf "  peak RSS ours (oci / archive) %7.1f / %.1f MB (goal <= 100)\n", rss_oci / 1024, rss_da / 1024
  printf "  cold / warm layer cache       %7.2f / %.2f s = %.1fx faster rescan\n", cold, warm, cold / warm
  printf "  OS packages snyk finds that we miss: %d\n", missing
}'
