#!/usr/bin/env bash
# Creates a federation certificate authority: a P-256 key (mode 0600) and a self-signed CA certificate.
#   certs/make-ca.sh DIR [NAME] [DAYS]
# Writes DIR/ca.key and DIR/ca.pem. Refuses to overwrite an existing CA.
set -euo pipefail
dir="${1:?usage: make-ca.sh DIR [NAME] [DAYS]}"
name="${2:-Weft federation CA}"
days="${3:-3650}"
mkdir -p "$dir"
if [ -e "$dir/ca.key" ] || [ -e "$dir/ca.pem" ]; then
  echo "make-ca.sh: $dir already holds a CA; refusing to overwrite it" >&2
  exit 73
fi
umask 077
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/ca.key" 2>/dev/null
openssl req -x509 -new -key "$dir/ca.key" -sha256 -days "$days" -subj "/CN=$name" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -addext "subjectKeyIdentifier=hash" \
  -out "$dir/ca.pem"
chmod 644 "$dir/ca.pem"
echo "$dir/ca.pem"
