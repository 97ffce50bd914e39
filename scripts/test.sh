#!/usr/bin/env bash
# Builds Matryoshka and runs every test: unit and integration tests (release build, real
# Docker engine and registry when running as root), unit tests again under ASan + UBSan (the
# clang build the fuzz targets come from), and a short libFuzzer run of every fuzz target.
# .ci/run runs exactly this (after setup-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
step() { printf '\n=== %s (at %dm%02ds)\n' "$*" $((SECONDS / 60)) $((SECONDS % 60)); }

step "format (.clang-format)"
find src tests fuzz -name '*.cpp' -o -name '*.h' | xargs clang-format --dry-run --Werror

step "release build"
# Optimised like a release, but without debug information: the tests need none, and it is
# about 40 % of the compile time (CI must stay well under 30 minutes on 2 cores). Developers
# who want -g back: cmake --preset release -U 'CMAKE_*_FLAGS_RELWITHDEBINFO'.
cmake --preset release -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG" \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG" >/dev/null
cmake --build --preset release -j "$jobs"

step "JSON schemas for SBOM/SARIF validation (npm registry)"
if [[ -x scripts/fetch-schemas.sh ]]; then
  scripts/fetch-schemas.sh build/schemas || echo "schemas unavailable: schema tests will skip"
fi
export MTR_SCHEMA_DIR=$PWD/build/schemas

if [[ $(id -u) -eq 0 && -x scripts/test-env/start.sh ]] && command -v dockerd >/dev/null; then
  step "test environment: dockerd, registry, real images"
  trap 'scripts/test-env/stop.sh >/dev/null 2>&1 || true' EXIT
  scripts/test-env/start.sh
  scripts/test-env/build-images.sh
  export MTR_TEST_ENV=${MTR_TEST_ENV:-/tmp/mtr-test-env}
else
  echo "not root or no dockerd: integration tests will skip"
fi

step "unit and integration tests (release)"
ctest --preset release -j "$jobs"

# One clang build serves both: the library and tests with ASan + UBSan (and libFuzzer's coverage
# hooks, harmless outside a fuzzer), and the fuzz targets. A separate gcc sanitizer build
# (preset asan-ubsan) stays available to developers; CI saves a whole build this way.
step "unit tests under AddressSanitizer + UBSan (clang)"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$jobs"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --preset fuzz -j "$jobs"

step "fuzz targets (short runs)"
scripts/fuzz.sh "${MTR_FUZZ_SECONDS:-6}"
step "done"
