#!/usr/bin/env bash
# Installs every Debian 12 package Matryoshka needs to build, test and benchmark.
# Idempotent and non-interactive; run as root (or through sudo).
set -euo pipefail

build=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  clang clang-format lld libclang-rt-14-dev libfuzzer-14-dev
  libarchive-dev libisal-dev libzstd-dev zlib1g-dev
  nlohmann-json3-dev libsimdjson-dev libyaml-cpp-dev libyaml-dev
  libssl-dev libcurl4-openssl-dev libsqlite3-dev
  libcli11-dev libfmt-dev libspdlog-dev
  librpm-dev libvectorscan-dev libre2-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)
# Real components the integration tests and benchmarks start or compare with.
test_tools=(
  docker.io docker-registry debootstrap skopeo isal pigz hyperfine time
  ripgrep rpm python3 python3-apt python3-jsonschema python3-packaging python3-yaml jq zip golang-go sqlite3 curl
)

wanted=("${build[@]}")
if [[ "${1:-}" != "--build-only" ]]; then wanted+=("${test_tools[@]}"); fi

missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm (benchmarks compare with npm tools): Debian's nodejs, unless one is already there.
if [[ "${1:-}" != "--build-only" ]] && ! command -v npm >/dev/null; then missing+=(nodejs npm); fi
if ((${#missing[@]} == 0)); then
  echo "setup-deps: all ${#wanted[@]} packages present"
  exit 0
fi
SUDO=""
[[ $(id -u) -eq 0 ]] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup-deps: installed ${missing[*]}"
