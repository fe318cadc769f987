#!/usr/bin/env bash
# Creates, once, the secret files compose mounts (compose/secrets/, never committed): the database
# URL, the dispatcher's signing key pair, operator token and enrollment key, the MinIO root
# credentials, the Grafana admin password and the Mosquitto password file. Run again, it keeps them.
# The directory is private to you (0700); the files in it are readable by the containers' user.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="$here/secrets"
mkdir -p "$dir" && chmod 0700 "$dir"
random() { head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '='; }
keep() { [ -s "$dir/$1" ] || printf '%s' "$2" > "$dir/$1"; }

keep jdbc-url "${EDGESYNC_JDBC_URL:-jdbc:postgresql://cockroach:26257/edgesync?user=root&sslmode=disable}"
keep minio-root-user edgesync
keep minio-root-password "$(random)"
keep grafana-admin-password "$(random)"
keep mosquitto-user edgesync
keep mosquitto-password "$(random)"
if [ ! -s "$dir/mosquitto-passwords" ]; then
  # mosquitto_passwd from Debian's mosquitto package, or from the image
  if command -v mosquitto_passwd >/dev/null; then
    touch "$dir/mosquitto-passwords"
    mosquitto_passwd -b "$dir/mosquitto-passwords" edgesync "$(cat "$dir/mosquitto-password")"
  else
    docker run --rm -v "$dir:/s" eclipse-mosquitto:2.0.21 sh -c \
      'touch /s/mosquitto-passwords && mosquitto_passwd -b /s/mosquitto-passwords edgesync "$(cat /s/mosquitto-password)"'
  fi
fi

# the dispatcher's ES256 key pair and two secrets (bin/edgesync credentials keeps them in secrets/credentials/)
lines="$("$here/../bin/edgesync" credentials --dir "$dir")"
printf '%s' "$(sed -n 's/^operator-token=//p' <<<"$lines")" > "$dir/credentials/operator-token"
printf '%s' "$(sed -n 's/^enrollment-key=//p' <<<"$lines")" > "$dir/credentials/enrollment-key"

# compose mounts secret files as they are: the containers run as uid 10001
find "$dir" -type f -exec chmod 0644 {} +
find "$dir" -mindepth 1 -type d -exec chmod 0755 {} +
echo "secrets in $dir (operator token: $dir/credentials/operator-token, enrollment key: $dir/credentials/enrollment-key)"
