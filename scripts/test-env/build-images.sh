#!/usr/bin/env bash
# Builds the real test images for the integration tests, offline apart from Debian's archive:
#   - mtr-test/debian:12   a debootstrap'ed bookworm (minbase) imported with `docker import`
#   - python, npm, java, go images with language packages planted on top (COPY only)
#   - whiteout             later layers delete files and purge a deb (whiteouts, new dpkg status)
#   - opaque               a directory removed and recreated in one layer (.wh..wh..opq)
# and writes every image in every form the scanner reads, under $STATE:
#   archives/NAME.tar (docker save), oci/NAME (OCI layout, gzip layers, tag "1"),
#   rootfs/NAME (docker export), the local registry (localhost:PORT/mtr-test/NAME:1),
# and $STATE/images.tsv describing them. Needs start.sh to have run. Reruns are quick:
# the rootfs tarball is cached in $STATE/cache.
set -euo pipefail
export DOCKER_BUILDKIT=0   # the classic builder: no buildx needed, no network

STATE=${MTR_TEST_ENV:-/tmp/mtr-test-env}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
[[ -f "$STATE/env.sh" ]] || { echo "build-images.sh: run scripts/test-env/start.sh first" >&2; exit 1; }
# shellcheck disable=SC1091
source "$STATE/env.sh"
STATE=$(cd "$STATE" && pwd)
REG=$MTR_TEST_REGISTRY
for tool in docker debootstrap skopeo zip go tar; do
  command -v "$tool" >/dev/null || { echo "build-images.sh: $tool is missing" >&2; exit 1; }
done
log() { echo "build-images.sh: $*" >&2; }
mkdir -p "$STATE"/{cache,archives,oci,rootfs,contexts}

# --- Base image: Debian 12 minbase --------------------------------------------------------
BASE_TAR="$STATE/cache/debian-12-minbase.tar"
if [[ ! -s "$BASE_TAR" ]]; then
  work="$STATE/cache/debootstrap.tmp"
  rm -rf "$work"
  log "debootstrap bookworm (minbase) from $MIRROR (a few minutes)"
  debootstrap --variant=minbase bookworm "$work" "$MIRROR" >"$STATE/logs/debootstrap.log" 2>&1 ||
    { tail -n 20 "$STATE/logs/debootstrap.log" >&2; exit 1; }
  # Downloaded .debs are not part of an image.
  rm -rf "$work"/var/cache/apt/archives/*.deb "$work"/var/lib/apt/lists/*
  tar --numeric-owner -C "$work" -cf "$BASE_TAR.tmp" .
  mv "$BASE_TAR.tmp" "$BASE_TAR"
  rm -rf "$work"
fi
if ! docker image inspect mtr-test/debian:12 >/dev/null 2>&1; then
  log "importing mtr-test/debian:12"
  docker import --change 'CMD ["/bin/bash"]' "$BASE_TAR" mtr-test/debian:12 >/dev/null
fi

# --- Planted content ------------------------------------------------------------------------
CTX="$STATE/contexts"
rm -rf "${CTX:?}"/*

dist_info() {  # DIR NAME VERSION: a minimal installed Python distribution
  mkdir -p "$1/$2-$3.dist-info"
  printf 'Metadata-Version: 2.1\nName: %s\nVersion: %s\nSummary: planted by build-images.sh\nLicense: MIT\n' \
    "$2" "$3" >"$1/$2-$3.dist-info/METADATA"
  printf '%s-%s.dist-info/METADATA,,\n' "$2" "$3" >"$1/$2-$3.dist-info/RECORD"
}
npm_pkg() {  # DIR NAME VERSION
  mkdir -p "$1/$2"
  printf '{\n  "name": "%s",\n  "version": "%s",\n  "license": "MIT"\n}\n' "$2" "$3" >"$1/$2/package.json"
}

# python
mkdir -p "$CTX/python/site-packages"
dist_info "$CTX/python/site-packages" requests 2.31.0
dist_info "$CTX/python/site-packages" six 1.16.0
printf 'FROM mtr-test/debian:12\nCOPY site-packages/ /usr/local/lib/python3.11/site-packages/\n' \
  >"$CTX/python/Dockerfile"

# npm
mkdir -p "$CTX/npm/app/node_modules"
printf '{\n  "name": "mtr-demo-app",\n  "version": "1.0.0",\n  "private": true\n}\n' >"$CTX/npm/app/package.json"
npm_pkg "$CTX/npm/app/node_modules" lodash 4.17.21
npm_pkg "$CTX/npm/app/node_modules" express 4.18.2
printf 'FROM mtr-test/debian:12\nCOPY app/ /app/\n' >"$CTX/npm/Dockerfile"

# java: a jar carrying Maven coordinates, as Maven itself packages them
jar_src="$CTX/java/jar-src"
mkdir -p "$jar_src/META-INF/maven/com.google.guava/guava" "$jar_src/com/google/common/base"
printf 'Manifest-Version: 1.0\nBundle-SymbolicName: com.google.guava\nBundle-Version: 32.1.2.jre\n' \
  >"$jar_src/META-INF/MANIFEST.MF"
printf 'artifactId=guava\ngroupId=com.google.guava\nversion=32.1.2-jre\n' \
  >"$jar_src/META-INF/maven/com.google.guava/guava/pom.properties"
printf 'placeholder class file\n' >"$jar_src/com/google/common/base/Strings.class"
mkdir -p "$CTX/java/lib"
(cd "$jar_src" && TZ=UTC zip -q -X -r "$CTX/java/lib/guava-32.1.2-jre.jar" META-INF com)
printf 'FROM mtr-test/debian:12\nCOPY lib/ /opt/app/lib/\n' >"$CTX/java/Dockerfile"

# go: a static binary whose build info names one (vendored) dependency; no module proxy
gosrc="$CTX/go/src"
mkdir -p "$gosrc/vendor/github.com/mtr-test/greet" "$CTX/go/bin"
cat >"$gosrc/go.mod" <<'GOMOD'
module example.com/hello

go 1.19

require github.com/mtr-test/greet v1.2.3
GOMOD
cat >"$gosrc/vendor/modules.txt" <<'MODS'
# github.com/mtr-test/greet v1.2.3
## explicit; go 1.19
github.com/mtr-test/greet
MODS
cat >"$gosrc/vendor/github.com/mtr-test/greet/greet.go" <<'GO'
package greet

func Hello() string { return "hello from matryoshka's test image" }
GO
cat >"$gosrc/main.go" <<'GO'
package main

import (
	"fmt"

	"github.com/mtr-test/greet"
)

func main() { fmt.Println(greet.Hello()) }
GO
(cd "$gosrc" && CGO_ENABLED=0 GOFLAGS=-mod=vendor GOPROXY=off GOCACHE="$STATE/cache/go-build" \
  GOPATH="$STATE/cache/gopath" go build -trimpath -o "$CTX/go/bin/hello" .)
GO_VERSION=$(go env GOVERSION)
printf 'FROM mtr-test/debian:12\nCOPY bin/hello /usr/local/bin/hello\n' >"$CTX/go/Dockerfile"

# whiteout: a later layer deletes a planted package and purges a deb
mkdir -p "$CTX/whiteout/site-packages"
dist_info "$CTX/whiteout/site-packages" requests 2.31.0
dist_info "$CTX/whiteout/site-packages" six 1.16.0
cat >"$CTX/whiteout/Dockerfile" <<'DF'
FROM mtr-test/debian:12
COPY site-packages/ /usr/local/lib/python3.11/site-packages/
RUN rm -rf /usr/local/lib/python3.11/site-packages/six-1.16.0.dist-info
RUN dpkg --purge --force-all hostname
DF

# opaque: node_modules replaced wholesale in one layer → an opaque directory
mkdir -p "$CTX/opaque/app/node_modules"
npm_pkg "$CTX/opaque/app/node_modules" lodash 4.17.21
npm_pkg "$CTX/opaque/app/node_modules" express 4.18.2
cat >"$CTX/opaque/Dockerfile" <<'DF'
FROM mtr-test/debian:12
COPY app/ /app/
RUN rm -rf /app/node_modules && mkdir -p /app/node_modules/left-pad && \
    printf '{"name": "left-pad", "version": "1.3.0"}\n' > /app/node_modules/left-pad/package.json
DF

# secrets: fake credentials of the right shapes planted where images leak them — a live file,
# a file a later layer deletes, ENV, and a build argument the classic builder records in the
# history of every later RUN. $CTX/secrets/planted.tsv lists them for the tests (which check
# that the scanner finds each and never prints one in clear).
mkdir -p "$CTX/secrets/app/config" "$CTX/secrets/build"
fake() {  # LENGTH ALPHABET SEED: a deterministic string that looks random
  python3 -c 'import random,sys; r=random.Random(sys.argv[3]); print("".join(r.choice(sys.argv[2]) for _ in range(int(sys.argv[1]))))' "$@"
}
UPPER_DIGITS=ABCDEFGHIJKLMNOPQRSTUVWXYZ234567
ALNUM=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789
AWS_ID="AKIA$(fake 16 "$UPPER_DIGITS" aws-id)"
AWS_SECRET="$(fake 40 "$ALNUM/+" aws-secret)"
GH_TOKEN="ghp_$(fake 36 "$ALNUM" github)"
GL_TOKEN="glpat-$(fake 20 "$ALNUM" gitlab)"
DB_PASSWORD="$(fake 18 "$ALNUM" db-password)"
cat >"$CTX/secrets/app/config/aws.ini" <<INI
[default]
region = eu-west-1
aws_access_key_id = $AWS_ID
aws_secret_access_key = $AWS_SECRET
INI
printf 'machine github.com\n  login deploy\n  password %s\n' "$GH_TOKEN" >"$CTX/secrets/build/.netrc"
cat >"$CTX/secrets/Dockerfile" <<DF
FROM mtr-test/debian:12
ARG DEPLOY_TOKEN
ENV DB_PASSWORD=$DB_PASSWORD
COPY app/ /app/
COPY build/ /root/
RUN rm -f /root/.netrc
RUN test -n "\$DEPLOY_TOKEN" && mkdir -p /app/data
DF
printf -- '--build-arg DEPLOY_TOKEN=%s\n' "$GL_TOKEN" >"$CTX/secrets/build-args"
{
  printf 'rule\twhere\tvalue\n'
  printf 'aws-access-key-id\t/app/config/aws.ini\t%s\n' "$AWS_ID"
  printf 'aws-secret-access-key\t/app/config/aws.ini\t%s\n' "$AWS_SECRET"
  printf 'github-token\t/root/.netrc\t%s\n' "$GH_TOKEN"
  printf 'gitlab-token\thistory\t%s\n' "$GL_TOKEN"
  printf 'generic-secret-assignment\tconfig.Env\t%s\n' "$DB_PASSWORD"
} >"$STATE/planted-secrets.tsv"

# misconfig: what the config scanner looks for — root user, setuid beyond Debian's own, a sudo
# binary, a world-writable system directory, SSH host keys, risky exposed ports, no
# HEALTHCHECK, ADD of a URL (served by a throwaway HTTP server on loopback), apt lists left.
mkdir -p "$CTX/misconfig/root/usr/local/bin" "$CTX/misconfig/root/usr/bin" \
  "$CTX/misconfig/root/usr/share/dropbox" "$CTX/misconfig/root/etc/ssh" \
  "$CTX/misconfig/root/var/lib/apt/lists" "$CTX/misconfig/www"
printf '#!/bin/sh\necho tool\n' >"$CTX/misconfig/root/usr/local/bin/suid-tool"
printf '#!/bin/sh\nexec "$@"\n' >"$CTX/misconfig/root/usr/bin/sudo"
chmod 0777 "$CTX/misconfig/root/usr/share/dropbox"
printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\n%s\n-----END OPENSSH PRIVATE KEY-----\n' \
  "$(fake 64 "$ALNUM" host-key)" >"$CTX/misconfig/root/etc/ssh/ssh_host_ed25519_key"
chmod 0600 "$CTX/misconfig/root/etc/ssh/ssh_host_ed25519_key"
head -c 200000 /dev/zero | tr '\0' 'P' >"$CTX/misconfig/root/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages"
printf 'remote payload\n' >"$CTX/misconfig/www/payload.txt"
www_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$CTX/misconfig/Dockerfile" <<DF
FROM mtr-test/debian:12
COPY root/ /
RUN chmod 6755 /usr/local/bin/suid-tool && chmod 4755 /usr/bin/sudo
ADD http://127.0.0.1:$www_port/payload.txt /opt/payload.txt
EXPOSE 22 23 2375 8080
DF
printf 'www\n' >"$CTX/misconfig/.dockerignore"

# clean: the base with a non-root user and a HEALTHCHECK — no secret, no config finding.
mkdir -p "$CTX/clean"
cat >"$CTX/clean/Dockerfile" <<'DF'
FROM mtr-test/debian:12
HEALTHCHECK CMD ["/bin/true"]
USER 10001:10001
DF

# --- Build and export -----------------------------------------------------------------------
# name | expected purls (space separated) | purls that must be absent
IMAGES=(
  "debian||"
  "python|pkg:pypi/requests@2.31.0 pkg:pypi/six@1.16.0|"
  "npm|pkg:npm/lodash@4.17.21 pkg:npm/express@4.18.2|"
  "java|pkg:maven/com.google.guava/guava@32.1.2-jre|"
  "go|pkg:golang/github.com/mtr-test/greet@v1.2.3|"
  "whiteout|pkg:pypi/requests@2.31.0|pkg:pypi/six@1.16.0 pkg:deb/debian/hostname"
  "opaque|pkg:npm/left-pad@1.3.0|pkg:npm/lodash@4.17.21 pkg:npm/express@4.18.2"
  "secrets||"
  "misconfig||"
  "clean||"
)

INDEX="$STATE/images.tsv"
{
  printf '# Written by scripts/test-env/build-images.sh. Paths are absolute; purls lack qualifiers.\n'
  printf 'name\timage\tdocker_archive\toci\tregistry\trootfs\texpect\tabsent\n'
} >"$INDEX.tmp"

for entry in "${IMAGES[@]}"; do
  IFS='|' read -r name expect absent <<<"$entry"
  if [[ $name == debian ]]; then
    image=mtr-test/debian:12
  else
    image=mtr-test/$name:1
    log "docker build $image"
    build_args=()
    [[ -f "$CTX/$name/build-args" ]] && read -r -a build_args <"$CTX/$name/build-args"
    www_pid=""
    if [[ $name == misconfig ]]; then  # the ADD URL: the daemon fetches it from loopback
      python3 -m http.server "$www_port" --bind 127.0.0.1 --directory "$CTX/misconfig/www" \
        >"$STATE/logs/www.log" 2>&1 &
      www_pid=$!
      for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$www_port/payload.txt" >/dev/null 2>&1 && break; sleep 0.1; done
    fi
    docker build --network none -q "${build_args[@]}" -t "$image" "$CTX/$name" >/dev/null
    [[ -n $www_pid ]] && kill "$www_pid" 2>/dev/null && wait "$www_pid" 2>/dev/null || true
  fi
  repo=${image%%:*}
  tag=${image##*:}
  remote="$REG/$repo:$tag"
  docker tag "$image" "$remote"
  docker push -q "$remote" >/dev/null
  archive="$STATE/archives/$name.tar"
  docker save -o "$archive" "$image"
  # From the registry, so the layout keeps the registry's gzip layers.
  rm -rf "$STATE/oci/$name"
  skopeo copy -q --src-tls-verify=false "docker://$remote" "oci:$STATE/oci/$name:$tag"
  rm -rf "$STATE/rootfs/$name"
  mkdir -p "$STATE/rootfs/$name"
  cid=$(docker create "$image" /bin/true)
  docker export "$cid" | tar --numeric-owner -C "$STATE/rootfs/$name" -xf -
  docker rm "$cid" >/dev/null
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$image" "$archive" "$STATE/oci/$name:$tag" \
    "$remote" "$STATE/rootfs/$name" "$expect" "$absent" >>"$INDEX.tmp"
  log "built $image"
done

# The opaque image is only worth its name if the engine wrote an opaque marker.
opaque_listing=$(for l in $(tar -xOf "$STATE/archives/opaque.tar" manifest.json | grep -o '[^"]*layer.tar'); do
  tar -xOf "$STATE/archives/opaque.tar" "$l" | tar -t
done)
if ! grep -q 'app/node_modules/.wh..wh..opq' <<<"$opaque_listing"; then
  log "warning: the opaque image has no .wh..wh..opq marker (storage driver without native diff?)"
fi
mv "$INDEX.tmp" "$INDEX"
printf 'go_version\t%s\n' "$GO_VERSION" >"$STATE/tools.tsv"
log "done: $INDEX"
grep -v "^#" "$INDEX" | cut -f1,2,5 | column -t >&2
