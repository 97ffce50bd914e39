#!/usr/bin/env bash
# The main job on a real image: builds Matryoshka (release), makes a real Debian 12 image from
# Debian's archive with debootstrap (cached), builds the vulnerability database and scans the
# image with `matryoshka image scan`. Extra arguments go to `image scan` (e.g. --format json).
#
# Database: from the public feeds (`matryoshka db update`), or, when ../shared/corpus/vuln is
# beside the checkout (our CI, air-gapped machines) or MTR_DEMO_OFFLINE=1, from local data with
# `matryoshka db import` — the same path an air-gapped user takes with a mirror.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release
mtr=build/release/src/matryoshka
demo=${MTR_DEMO_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/matryoshka-demo}
image="$demo/debian-12.oci"
if [[ ! -f "$image/index.json" ]]; then
  mkdir -p "$demo"
  rm -rf "$demo/rootfs"
  debootstrap --variant=minbase bookworm "$demo/rootfs" http://deb.debian.org/debian >"$demo/debootstrap.log"
  python3 scripts/rootfs-to-oci.py "$demo/rootfs" "$image" debian:12
  rm -rf "$demo/rootfs"
fi

db="$demo/vuln.db"
corpus=${MTR_CORPUS:-../shared/corpus}/vuln
if [[ -d "$corpus" || "${MTR_DEMO_OFFLINE:-}" == 1 ]]; then
  [[ -d "$corpus" ]] || { echo "demo: MTR_DEMO_OFFLINE=1 needs $corpus" >&2; exit 2; }
  echo "demo: importing the local vulnerability data in $corpus (offline)" >&2
  for from in debian-derived/tracker.json debian-tracker/json osv alpine-secdb; do
    "$mtr" db import --db "$db" --from "$corpus/$from" -q
  done
else
  echo "demo: downloading the public vulnerability feeds (matryoshka db update)" >&2
  "$mtr" db update --db "$db"
fi
"$mtr" db status --db "$db" >&2
"$mtr" image scan "oci:$image" --db "$db" "$@"
