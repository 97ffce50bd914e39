#!/usr/bin/env bash
# Starts the integration-test environment: a private Docker engine and a local registry
# (Debian's docker-registry), all state under one directory so nothing touches the host's
# own Docker. Idempotent: components already running are left as they are.
# Writes $STATE/env.sh (source it; the integration tests read MTR_TEST_ENV=$STATE).
#
#   scripts/test-env/start.sh            # state in ${MTR_TEST_ENV:-/tmp/mtr-test-env}
#   STARTUP_TIMEOUT=120 scripts/test-env/start.sh
set -euo pipefail

STATE=${MTR_TEST_ENV:-/tmp/mtr-test-env}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-60}   # seconds to wait for each daemon
REGISTRY_PORT=${REGISTRY_PORT:-5000}     # first port tried; the next free one is used
mkdir -p "$STATE"/{docker,exec,registry/storage,logs}
STATE=$(cd "$STATE" && pwd)
DOCKER_SOCK="$STATE/docker.sock"

die() { echo "start.sh: $*" >&2; exit 1; }
alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }
for tool in dockerd docker docker-registry; do
  command -v "$tool" >/dev/null || die "$tool is missing (scripts/setup-deps.sh installs it)"
done
[[ $(id -u) -eq 0 ]] || die "dockerd needs root"

# --- Docker engine -------------------------------------------------------------------------
if alive "$STATE/dockerd.pid"; then
  echo "start.sh: dockerd already running (pid $(cat "$STATE/dockerd.pid"))"
else
  # --iptables=false: the sandboxes we run in rarely allow netfilter; image builds need no network.
  dockerd --iptables=false --ip-masq=false \
    --data-root "$STATE/docker" --exec-root "$STATE/exec" --pidfile "$STATE/dockerd.pid" \
    --host "unix://$DOCKER_SOCK" ${DOCKERD_EXTRA_ARGS:-} \
    >"$STATE/logs/dockerd.log" 2>&1 </dev/null &
  disown || true
fi
deadline=$((SECONDS + STARTUP_TIMEOUT))
until docker -H "unix://$DOCKER_SOCK" info >/dev/null 2>&1; do
  if ((SECONDS >= deadline)); then
    tail -n 30 "$STATE/logs/dockerd.log" >&2 || true
    die "dockerd did not answer within ${STARTUP_TIMEOUT}s (log: $STATE/logs/dockerd.log)"
  fi
  sleep 1
done
echo "start.sh: dockerd answers on unix://$DOCKER_SOCK"

# --- Registry ------------------------------------------------------------------------------
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if alive "$STATE/registry.pid" && [[ -f "$STATE/registry.port" ]]; then
  port=$(cat "$STATE/registry.port")
  echo "start.sh: registry already running on 127.0.0.1:$port"
else
  port=$REGISTRY_PORT
  while ! port_free "$port"; do
    port=$((port + 1))
    ((port < REGISTRY_PORT + 100)) || die "no free port in $REGISTRY_PORT..$((REGISTRY_PORT + 99))"
  done
  cat >"$STATE/registry/config.yml" <<YML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $STATE/registry/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
  headers:
    X-Content-Type-Options: [nosniff]
YML
  docker-registry serve "$STATE/registry/config.yml" >"$STATE/logs/registry.log" 2>&1 </dev/null &
  echo $! >"$STATE/registry.pid"
  disown || true
  echo "$port" >"$STATE/registry.port"
fi
deadline=$((SECONDS + STARTUP_TIMEOUT))
until curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1; do
  if ((SECONDS >= deadline)) || ! alive "$STATE/registry.pid"; then
    tail -n 30 "$STATE/logs/registry.log" >&2 || true
    die "registry did not answer on 127.0.0.1:$port within ${STARTUP_TIMEOUT}s"
  fi
  sleep 1
done
echo "start.sh: registry answers on 127.0.0.1:$port"

cat >"$STATE/env.sh" <<ENV
# Written by scripts/test-env/start.sh. Source it.
export MTR_TEST_ENV=$STATE
export DOCKER_HOST=unix://$DOCKER_SOCK
export MTR_TEST_REGISTRY=localhost:$port
ENV
echo "start.sh: wrote $STATE/env.sh:"
cat "$STATE/env.sh"
