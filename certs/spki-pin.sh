#!/usr/bin/env bash
# Prints the SPKI SHA-256 pin of a certificate: the lower-case hex SHA-256 of its DER SubjectPublicKeyInfo.
# Peers are bound to this pin in the trust table, so a certificate can be re-issued with the same key.
#   certs/spki-pin.sh CERT.pem
set -euo pipefail
cert="${1:?usage: spki-pin.sh CERT.pem}"
openssl x509 -in "$cert" -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256 -hex \
  | sed 's/^.*= //'
