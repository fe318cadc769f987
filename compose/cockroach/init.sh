#!/bin/sh
# One-shot job: initialises a fresh CockroachDB cluster (every later run, and a single node, answer
# "already been initialized", which is fine), then creates the edgesync database. Idempotent.
set -eu
host="${COCKROACH_HOST:-cockroach:26257}"
flags="${COCKROACH_FLAGS:---insecure}"
tries=0
until out=$(cockroach init $flags --host="$host" 2>&1) || echo "$out" | grep -q "already been initialized"; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "cockroach init failed: $out" >&2
    exit 1
  fi
  sleep 2
done
tries=0
until cockroach sql $flags --host="$host" -e "SELECT 1" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "CockroachDB does not accept SQL at $host" >&2
    exit 1
  fi
  sleep 2
done
cockroach sql $flags --host="$host" -e "CREATE DATABASE IF NOT EXISTS edgesync"
echo "cockroach-init: cluster initialised, database edgesync ready"
