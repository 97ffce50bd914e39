#!/usr/bin/env bash
# Stops what start.sh started (the private dockerd and the registry). Idempotent; keeps the
# state directory (built images, the rootfs cache) so the next start is quick.
set -euo pipefail

STATE=${MTR_TEST_ENV:-/tmp/mtr-test-env}
STOP_TIMEOUT=${STOP_TIMEOUT:-30}   # seconds before SIGKILL

stop_pidfile() {
  local name=$1 file=$2 pid
  [[ -f "$file" ]] || { echo "stop.sh: $name not running"; return 0; }
  pid=$(cat "$file")
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "stop.sh: $name not running (stale pidfile)"; rm -f "$file"; return 0
  fi
  kill -TERM "$pid"
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then kill -KILL "$pid" 2>/dev/null || true; break; fi
    sleep 1
  done
  rm -f "$file"
  echo "stop.sh: stopped $name (pid $pid)"
}

stop_pidfile registry "$STATE/registry.pid"
stop_pidfile dockerd "$STATE/dockerd.pid"
rm -f "$STATE/registry.port" "$STATE/env.sh"
