#!/bin/sh
# Rebuilds the edge functions from their WebAssembly text: *.wat -> *.wasm beside it, with wabt's wat2wasm
# (Debian: apt-get install wabt; built and checked with wabt 1.0.32). The .wasm files are committed, so
# neither the build nor the tests need wabt; the edge agent's tests read them from here.
#   ./build.sh           rebuild every .wasm
#   ./build.sh --check   rebuild into a temporary directory and fail if a committed .wasm differs
set -e
cd "$(dirname "$0")"
check=false
[ "$1" = "--check" ] && check=true
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for f in *.wat fixtures/*.wat; do
  out="${f%.wat}.wasm"
  if $check; then
    wat2wasm "$f" -o "$tmp/x.wasm"
    if ! cmp -s "$tmp/x.wasm" "$out"; then
      echo "stale: $out (run examples/functions/build.sh)"
      status=1
    fi
  else
    wat2wasm "$f" -o "$out"
  fi
done
exit $status
