#!/usr/bin/env bash
# Creates, once, what compose/tls.yml mounts (compose/secrets/tls/): a CockroachDB CA, a certificate
# per node, the root client certificate (with the PKCS#8 key pgjdbc reads), the JDBC URL that uses it,
# and a PKCS12 keystore for the gateway (keytool from the JDK). Needs Docker for `cockroach cert`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="$here/secrets/tls"
image=cockroachdb/cockroach:v25.4.1
[ -s "$dir/jdbc-url" ] && { echo "TLS material already in $dir"; exit 0; }
mkdir -p "$dir"/{ca,node-1,node-2,node-3,client} && chmod 0700 "$here/secrets"
cert() { docker run --rm -v "$dir:/tls" "$image" cert "$@"; }
cert create-ca --certs-dir=/tls/client --ca-key=/tls/ca/ca.key
for n in 1 2 3; do
  cp "$dir/client/ca.crt" "$dir/node-$n/"
  cert create-node "roach-$n" cockroach localhost --certs-dir="/tls/node-$n" --ca-key=/tls/ca/ca.key
done
cert create-client root --certs-dir=/tls/client --ca-key=/tls/ca/ca.key --also-generate-pkcs8-key
printf '%s' 'jdbc:postgresql://cockroach:26257/edgesync?user=root&sslmode=verify-full&sslrootcert=/run/secrets/cockroach/ca.crt&sslcert=/run/secrets/cockroach/client.root.crt&sslkey=/run/secrets/cockroach/client.root.key.pk8' > "$dir/jdbc-url"
password="$(head -c 24 /dev/urandom | base64 | tr -d '=+/')"
printf '%s' "$password" > "$dir/gateway-keystore-password"
keytool -genkeypair -alias gateway -keyalg EC -groupname secp256r1 -validity 825 -storetype PKCS12 \
  -keystore "$dir/gateway.p12" -storepass "$password" -dname "CN=gateway" -ext "SAN=dns:gateway,dns:localhost"
# compose mounts these files as they are: the EdgeSync containers run as uid 10001
find "$dir" -type f -exec chmod 0644 {} + && chmod 0600 "$dir/ca/ca.key"
echo "TLS material in $dir (CA key: $dir/ca/ca.key; keep it safe)"
