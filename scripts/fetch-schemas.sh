#!/usr/bin/env bash
# Puts the official JSON schemas our documents must satisfy into DIR (default build/schemas),
# for tests/sbom/schema_test.cpp and tests/core/report_schema_test.cpp, which skip without them.
# The schemas come from pinned npm packages (npm checks each tarball against the registry's
# integrity hash; we check it against the one pinned here too), so no other host is needed:
#   CycloneDX 1.5  bom-1.5.schema.json, spdx.schema.json, jsf-0.82.schema.json
#                  from @cyclonedx/cyclonedx-library (res/schema/*.SNAPSHOT.schema.json)
#   SARIF 2.1.0    sarif-2.1.0-rtm.5.json from @microsoft/jest-sarif (lib/schemas/)
#   SPDX 2.3       spdx-schema.json: no npm package ships it. Set MTR_SPDX_SCHEMA=FILE to copy a
#                  local copy of spdx-spec's schemas/spdx-schema.json (tag v2.3, sha256 checked) into DIR.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${1:-$here/build/schemas}"
mkdir -p "$dest"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# fetch PACKAGE@VERSION INTEGRITY: packs the tarball into $work and prints its path.
fetch() {
  local spec="$1" integrity="$2" file actual
  file="$(cd "$work" && npm pack --silent "$spec" 2>/dev/null | tail -n 1)"
  [[ -n "$file" && -f "$work/$file" ]] || { echo "fetch-schemas: npm pack $spec failed" >&2; exit 1; }
  actual="sha512-$(openssl dgst -sha512 -binary "$work/$file" | base64 -w0)"
  if [[ "$actual" != "$integrity" ]]; then
    echo "fetch-schemas: $spec: integrity $actual, expected $integrity" >&2
    exit 1
  fi
  echo "$work/$file"
}

# extract TARBALL MEMBER TARGET: writes one member of the tarball to DIR/TARGET.
extract() {
  tar -xzOf "$1" "$2" >"$dest/$3.tmp"
  mv "$dest/$3.tmp" "$dest/$3"
  echo "fetch-schemas: $dest/$3"
}

cdx="$(fetch @cyclonedx/cyclonedx-library@10.3.0 \
  'sha512-RIT28sp1U0PCHaaeF3yNRwk6Jig/XJ8UsYAVOMYaHQ+0VVOvsjcp0PTWQFLUqJFF8XMud+Kdq6G+wtDAh+QJFA==')"
extract "$cdx" package/res/schema/bom-1.5.SNAPSHOT.schema.json bom-1.5.schema.json
extract "$cdx" package/res/schema/spdx.SNAPSHOT.schema.json spdx.schema.json
extract "$cdx" package/res/schema/jsf-0.82.SNAPSHOT.schema.json jsf-0.82.schema.json
# The package renames the files *.SNAPSHOT.*; their $ids keep the official names, so the
# two relative $refs are pointed back at the official names too.
sed -i -e 's/"spdx\.SNAPSHOT\.schema\.json"/"spdx.schema.json"/' \
       -e 's/"jsf-0\.82\.SNAPSHOT\.schema\.json#/"jsf-0.82.schema.json#/' "$dest/bom-1.5.schema.json"
if grep -q 'SNAPSHOT' "$dest/bom-1.5.schema.json"; then
  echo "fetch-schemas: bom-1.5.schema.json still refers to SNAPSHOT files" >&2
  exit 1
fi

sarif="$(fetch @microsoft/jest-sarif@1.0.0-beta.0 \
  'sha512-A1fOhPd6Ic5iDk4F9YPw1qNB4XF+7+IviR7xl8r2F6QzQkx5cpY9LsGk2rExiFIEcBbjpVnSmwWGBukASkiQ9A==')"
extract "$sarif" package/lib/schemas/sarif-2.1.0-rtm.5.json sarif-2.1.0-rtm.5.json

# sha256 of spdx-spec's schemas/spdx-schema.json at tag v2.3.
spdx_sha256=239208b7ac287b3cf5d9a9af23f9d69863971102a5e1587a27a398b43490b89b
if [[ -n "${MTR_SPDX_SCHEMA:-}" ]]; then
  actual="$(sha256sum "$MTR_SPDX_SCHEMA" | cut -d' ' -f1)"
  if [[ "$actual" != "$spdx_sha256" ]]; then
    echo "fetch-schemas: $MTR_SPDX_SCHEMA is not spdx-spec v2.3's spdx-schema.json (sha256 $actual)" >&2
    exit 1
  fi
  cp "$MTR_SPDX_SCHEMA" "$dest/spdx-schema.json"
  echo "fetch-schemas: $dest/spdx-schema.json (from $MTR_SPDX_SCHEMA)"
elif [[ ! -f "$dest/spdx-schema.json" ]]; then
  echo "fetch-schemas: SPDX 2.3 schema not available from npm; set MTR_SPDX_SCHEMA=FILE to add it" >&2
fi
