#!/bin/sh
# The proxy's entrypoint (docker-compose.yml): makes sure nginx has a certificate, then starts the nginx image's own
# entrypoint. /etc/nginx/certs is mounted from TLS_CERT_DIR (default ./deploy/tls): put your certificate chain in
# tls.crt and its key in tls.key there. When both are missing, the first start creates a self-signed certificate
# for TLS_HOSTNAME (browsers warn about it; replace it with a real one for production) and keeps it for later starts.
set -eu
dir=/etc/nginx/certs
host="${TLS_HOSTNAME:-localhost}"

if [ -s "$dir/tls.crt" ] && [ -s "$dir/tls.key" ]; then
  echo "gatehouse-tls: using the certificate $dir/tls.crt"
elif [ -e "$dir/tls.crt" ] || [ -e "$dir/tls.key" ]; then
  echo "gatehouse-tls: $dir holds only one of tls.crt and tls.key; give both (or neither, for a self-signed one)" >&2
  exit 1
else
  if ! command -v openssl >/dev/null 2>&1; then
    echo "gatehouse-tls: no certificate in $dir and no openssl to create one; mount tls.crt and tls.key" >&2
    exit 1
  fi
  mkdir -p "$dir"
  umask 077
  openssl req -x509 -newkey rsa:2048 -sha256 -days 825 -nodes \
    -keyout "$dir/tls.key" -out "$dir/tls.crt" \
    -subj "/CN=$host" -addext "subjectAltName=DNS:$host,DNS:localhost,IP:127.0.0.1" 2>/dev/null
  chmod 644 "$dir/tls.crt"
  echo "gatehouse-tls: no certificate given; created a self-signed one for $host in $dir (browsers will warn)"
fi

exec /docker-entrypoint.sh "$@"
