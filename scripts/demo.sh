#!/usr/bin/env bash
# The main job on a real image: builds Matryoshka (release), makes a real Debian 12 image from
# Debian's archive with debootstrap (cached), and lists what is installed in it.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release
demo=${MTR_DEMO_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/matryoshka-demo}
image="$demo/debian-12.oci"
if [[ ! -f "$image/index.json" ]]; then
  mkdir -p "$demo"
  rm -rf "$demo/rootfs"
  debootstrap --variant=minbase bookworm "$demo/rootfs" http://deb.debian.org/debian >"$demo/debootstrap.log"
  python3 scripts/rootfs-to-oci.py "$demo/rootfs" "$image" debian:12
  rm -rf "$demo/rootfs"
fi
build/release/src/matryoshka sbom "oci:$image" "$@"
